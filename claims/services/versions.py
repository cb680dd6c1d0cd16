"""Article versions: an edited article becomes a new version, and its quotes — with the labels,
gold, comments and fixes that refer to them — are carried over to the new text.

A version is an Article row of its own (its text immutable like any article's), in the lineage
of the first version; the version it replaces points at it (docs/architecture.md, "Article
versions"). Each quote of the old version is placed in the new text through the alignment of
the two texts (claims/textdiff.py):

- unchanged (same words, speaker and cue): the quote moves — same id, so its labels, gold,
  comments, assignments and fixes stay with it — with its offsets moved;
- changed (at least half its characters kept): it moves too, and when people worked on it
  (claims.services.quotes.quotes_protected) it is flagged `changed_in_version`, "text changed
  since labelled", for review;
- gone: a quote people worked on stays on the old version, whose text its offsets index,
  marked `gone_in_version` and out of every queue; an untouched extracted one is dropped (the
  extractor finds what the new text says).

The new version is then extracted like any new article; that merge never alters or drops the
carried quotes people worked on (claims/services/extraction_runs.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError

from claims import sql
from claims.access import corpus_access
from claims.models import Article, ImportBatch, Outlet, Quote
from claims.services.quotes import quotes_protected
from claims.textdiff import Fate, TextAlignment


@dataclass
class CarryReport:
    """What happened to the old version's quotes."""

    unchanged: int = 0
    changed: int = 0
    gone: int = 0
    dropped: int = 0


def _carried_part(
    alignment: TextAlignment, start: int | None, end: int | None
) -> tuple[int | None, int | None, bool]:
    """A speaker or cue span in the new text, and whether its words changed (or vanished)."""
    if start is None:
        return None, None, False
    mapped = alignment.map_span(start, end)
    if mapped.fate is Fate.GONE:
        return None, None, True
    return mapped.start, mapped.end, mapped.fate is Fate.CHANGED


def quotes_carry(
    *, previous: Article, new: Article, alignment: TextAlignment | None = None
) -> CarryReport:
    """Carry the quotes of `previous` to `new` (its next version), in the caller's transaction.

    The quotes are moved by one UPDATE per few hundred (claims/sql.py); positions come from
    `alignment` (made here unless given).
    """
    alignment = alignment or TextAlignment(previous.text, new.text)
    protected = set(quotes_protected(article_ids=[previous.id]).values_list("id", flat=True))
    quotes = previous.quotes.filter(gone_in_version__isnull=True).order_by("content_start", "id")
    report = CarryReport()
    moved: list[Quote] = []
    gone_ids: list[int] = []
    dropped_ids: list[int] = []
    taken: set[tuple[int, int]] = set()
    for quote in quotes:
        content = alignment.map_span(quote.content_start, quote.content_end)
        span = (content.start, content.end)
        # Two old quotes squeezed onto one new span: the first keeps it.
        if content.fate is Fate.GONE or span in taken:
            if quote.id in protected:
                gone_ids.append(quote.id)
            else:
                dropped_ids.append(quote.id)
            continue
        speaker_start, speaker_end, speaker_changed = _carried_part(
            alignment, quote.speaker_start, quote.speaker_end
        )
        cue_start, cue_end, cue_changed = _carried_part(alignment, quote.cue_start, quote.cue_end)
        changed = content.fate is Fate.CHANGED or speaker_changed or cue_changed
        quote.article = new
        quote.content_start, quote.content_end = span
        quote.speaker_start, quote.speaker_end = speaker_start, speaker_end
        quote.cue_start, quote.cue_end = cue_start, cue_end
        if changed and quote.id in protected:
            quote.changed_in_version = new.version
        moved.append(quote)
        taken.add(span)
        if changed:
            report.changed += 1
        else:
            report.unchanged += 1
    if gone_ids:
        Quote.objects.filter(id__in=gone_ids).update(gone_in_version=new.version)
    if dropped_ids:
        Quote.objects.filter(id__in=dropped_ids).delete()
    sql.quotes_move(moved)
    report.gone, report.dropped = len(gone_ids), len(dropped_ids)
    return report


def article_version_create(
    *,
    previous: Article,
    title: str,
    text: str,
    url: str | None,
    outlet: Outlet | None,
    published_at: datetime | None,
    author: str,
    source_name: str,
    batch: ImportBatch | None,
) -> tuple[Article, CarryReport]:
    """Store `text` as the next version of `previous` and carry its quotes over (in the
    caller's transaction). The new version joins every project that held the old one; its
    quotes are extracted like a new article's (pending)."""
    previous = Article.objects.select_for_update().get(pk=previous.pk)
    if previous.replaced_by_id is not None:
        raise ValidationError(
            {"url": f"Article {previous.id} was replaced by a newer version meanwhile; try again."}
        )
    new = Article.objects.create(
        title=title,
        text=text,
        url=url or previous.url,
        outlet=outlet or previous.outlet,
        published_at=published_at or previous.published_at,
        author=author or previous.author,
        language=previous.language,
        source_name=source_name[:500],
        batch=batch,
        lineage_id=previous.lineage_id or previous.id,
        version=previous.version + 1,
    )
    Article.objects.filter(pk=previous.pk).update(replaced_by=new)
    corpus_access().version_link(previous.id, new.id)
    report = quotes_carry(previous=previous, new=new)
    return new, report
