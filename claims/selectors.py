"""Reads of the corpus, shaped for the pages and the API that show them."""

from dataclasses import dataclass, field
from itertools import pairwise

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet

from claims.models import Article, Quote, Speaker


def article_list_visible(*, user: AbstractBaseUser) -> QuerySet[Article]:
    """Articles the user may see, with outlet and quote count, newest first.

    Staff see the whole corpus; everyone else the articles of the projects they belong to.
    """
    articles = Article.objects.select_related("outlet").annotate(
        quote_count=Count("quotes", filter=Q(quotes__is_rejected=False))
    )
    if not user.is_staff:
        articles = articles.filter(
            id__in=Article.objects.filter(projects__memberships__user=user).values("id")
        )
    return articles.order_by("-published_at", "-id")


def article_get_visible(*, user: AbstractBaseUser, article_id: int) -> Article | None:
    return article_list_visible(user=user).filter(id=article_id).first()


def quote_list_for_article(*, article: Article) -> QuerySet[Quote]:
    return (
        article.quotes.filter(is_rejected=False)
        .select_related("speaker")
        .order_by("content_start", "id")
    )


@dataclass
class TextSegment:
    """A run of article text that carries the same set of marks."""

    text: str
    classes: list[str] = field(default_factory=list)
    quote_ids: list[int] = field(default_factory=list)

    @property
    def css_class(self) -> str:
        return " ".join(self.classes)

    @property
    def quote_ids_attr(self) -> str:
        return " ".join(str(quote_id) for quote_id in self.quote_ids)


def article_text_segments(*, text: str, quotes: list[Quote]) -> list[TextSegment]:
    """Split the text at every quote, speaker and cue boundary, so each piece can be marked.

    Overlapping and nested spans are fine: each segment lists every mark that covers it. The
    text itself is returned raw; templates escape it.
    """
    marks = []  # (start, end, css class, quote id)
    for quote in quotes:
        marks.append((quote.content_start, quote.content_end, f"q q-{quote.kind}", quote.id))
        if quote.speaker_start is not None:
            marks.append((quote.speaker_start, quote.speaker_end, "speaker", quote.id))
        if quote.cue_start is not None:
            marks.append((quote.cue_start, quote.cue_end, "cue", quote.id))
    boundaries = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    segments = []
    for start, end in pairwise(boundaries):
        if start >= end:
            continue
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        classes = sorted({cls for m in covering for cls in m[2].split()})
        quote_ids = sorted({m[3] for m in covering})
        segments.append(TextSegment(text[start:end], classes, quote_ids))
    return segments


def article_detail_visible(*, user: AbstractBaseUser, article_id: int) -> Article | None:
    """One visible article with its non-rejected quotes and their speakers prefetched."""
    quotes = Quote.objects.filter(is_rejected=False).select_related("speaker", "article")
    return (
        article_list_visible(user=user)
        .prefetch_related(Prefetch("quotes", queryset=quotes, to_attr="visible_quotes"))
        .filter(id=article_id)
        .first()
    )


def quote_list_visible(*, user: AbstractBaseUser) -> QuerySet[Quote]:
    """Quotes in the articles the user may see, with article text and speaker joined."""
    quotes = Quote.objects.select_related("article", "speaker")
    if not user.is_staff:
        quotes = quotes.filter(
            article_id__in=Article.objects.filter(projects__memberships__user=user).values("id")
        )
    return quotes


def speaker_list_visible(*, user: AbstractBaseUser) -> QuerySet[Speaker]:
    """Speakers quoted in articles the user may see, with aliases and their quote counts."""
    visible_quotes = Q(quotes__is_rejected=False)
    speakers = Speaker.objects.all()
    if not user.is_staff:
        article_ids = Article.objects.filter(projects__memberships__user=user).values("id")
        visible_quotes &= Q(quotes__article_id__in=article_ids)
        quoted = Quote.objects.filter(article_id__in=article_ids, is_rejected=False)
        speakers = speakers.filter(id__in=quoted.values("speaker_id"))
    return speakers.annotate(quote_count=Count("quotes", filter=visible_quotes)).prefetch_related(
        "aliases"
    )


def article_is_editable_by(*, user: AbstractBaseUser, article: Article) -> bool:
    """Members of any project holding the article may fix its quotes; staff may always."""
    return user.is_staff or article.projects.filter(memberships__user=user).exists()
