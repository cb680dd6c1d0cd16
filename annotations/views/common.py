"""What the labelling pages share: request shape, the card's questions, a quote's paragraph
split for marking, and the Markdown guidelines.
"""

from dataclasses import dataclass

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from annotations.models import Choice, Dimension, Project
from claims.models import Quote
from claims.selectors import TextSegment, article_text_segments

GUIDELINE_TAGS = {
    "a", "p", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class _HeadingsUnderThePanel(Treeprocessor):
    """Guidelines are shown under the page's h1 and the panel's h2: "#" becomes h3, "##" h4,
    and so on (h6 at most), so the page keeps one h1 and an outline without gaps."""

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                element.tag = f"h{min(int(element.tag[1]) + 2, 6)}"


class _GuidelineHeadings(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_HeadingsUnderThePanel(md), "guideline_headings", 5)


def is_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or is_json(request)


def is_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json"


def dimensions_for_card(project: Project) -> list[Dimension]:
    live_choices = Choice.objects.filter(archived=False).order_by("order", "id")
    return list(
        project.dimensions.filter(archived=False)
        .order_by("order", "id")
        .prefetch_related(Prefetch("choices", queryset=live_choices))
    )


def posted_id(data, field: str) -> int | None:
    """A positive id posted in a form field, or None (absent, not digits, too long)."""
    value = data.get(field, "")
    return int(value) if value.isdigit() and len(value) <= 18 else None


def guidelines_html(text: str) -> str:
    """The project's Markdown guidelines as sanitised HTML (no scripts, handlers or styles)."""
    html = markdown.markdown(
        text, extensions=["tables", _GuidelineHeadings()], output_format="html"
    )
    return nh3.clean(html, tags=GUIDELINE_TAGS, attributes={"a": {"href", "title"}})


@dataclass
class PlacedSegment(TextSegment):
    """A segment and where it starts in the article text (in characters, as offsets count).

    The page marks each one with data-start, so a text selection maps back to exact offsets
    whatever marks the page puts around the text.
    """

    start: int = 0


def placed_segments(*, text: str, quotes: list[Quote]) -> list[PlacedSegment]:
    """The whole text split at every mark, each segment knowing its start offset."""
    placed, offset = [], 0
    for segment in article_text_segments(text=text, quotes=quotes):
        placed.append(PlacedSegment(segment.text, segment.classes, segment.quote_ids, offset))
        offset += len(segment.text)
    return placed


def quote_paragraph(quote: Quote) -> list[PlacedSegment]:
    """The paragraph(s) around the quote, split so the quote, speaker and cue can be marked."""
    text = quote.article.text
    spans = [(quote.content_start, quote.content_end)]
    if quote.speaker_start is not None:
        spans.append((quote.speaker_start, quote.speaker_end))
    if quote.cue_start is not None:
        spans.append((quote.cue_start, quote.cue_end))
    start = text.rfind("\n", 0, min(s for s, _ in spans)) + 1
    end = text.find("\n", max(e for _, e in spans))
    end = len(text) if end == -1 else end
    paragraph = []
    for segment in placed_segments(text=text, quotes=[quote]):
        seg_start, seg_end = segment.start, segment.start + len(segment.text)
        if seg_end <= start or seg_start >= end:
            continue
        clipped = segment.text[
            max(start - seg_start, 0) : len(segment.text) - max(seg_end - end, 0)
        ]
        paragraph.append(
            PlacedSegment(clipped, segment.classes, segment.quote_ids, max(start, seg_start))
        )
    return paragraph


def error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for ms in error.message_dict.values() for m in ms]
    return list(error.messages)


def form_errors_add(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has one."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
