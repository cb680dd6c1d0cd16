"""Resolving stored quotes' speakers again with the current extractor (after it improves),
leaving alone every quote a person touched: edited, rejected, restored or added by hand.

Labels are never touched; a labelled quote whose speaker changes is reported as such, and the
operator may keep labelled quotes as they are (`skip_labelled`). Imports spaCy: run by the
`resolve_speakers` command and the Celery task of the same name, never by web processes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, QuerySet

from claims.extraction import resolve_speakers
from claims.models import Article, Quote
from claims.nlp import get_nlp
from claims.selectors import quote_referred_elsewhere
from claims.services.speakers import SpeakerLookup


@dataclass(frozen=True)
class SpeakerChange:
    """One quote whose canonical speaker the current extractor names differently."""

    quote_id: int
    article_id: int
    mention: str
    before: str  # "" for no speaker
    after: str
    kind: str
    labelled: bool


def speakers_resolve_again(
    *,
    articles: QuerySet[Article],
    dry_run: bool = False,
    skip_labelled: bool = False,
    progress: Callable[[int], None] | None = None,
    nlp=None,
) -> list[SpeakerChange]:
    """Re-run speaker resolution over each article's quotes; store the new speakers (unless
    `dry_run`) and return what changed. Each article is one transaction."""
    nlp = nlp or get_nlp()
    referred = quote_referred_elsewhere()
    changes: list[SpeakerChange] = []
    for article in articles.only("id", "text").order_by("id").iterator(chunk_size=50):
        quotes = list(
            Quote.objects.filter(article=article)
            .annotate(labelled=ExpressionWrapper(referred, output_field=BooleanField()))
            .select_related("speaker")
            .order_by("content_start", "id")
        )
        # Every quote's mention goes in: named speakers are the antecedents of the others.
        resolved = resolve_speakers(
            article.text,
            [
                (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None
                for q in quotes
            ],
            nlp=nlp,
        )
        found = []
        for quote, speaker in zip(quotes, resolved, strict=True):
            touched = quote.origin != Quote.Origin.EXTRACTED or quote.edited_at is not None
            before = quote.speaker.name if quote.speaker else ""
            after = " ".join(speaker.name.split())
            if touched or before.lower() == after.lower():
                continue
            if quote.labelled and skip_labelled:
                continue
            found.append((quote, speaker))
            changes.append(
                SpeakerChange(
                    quote_id=quote.id,
                    article_id=article.id,
                    mention=article.text[quote.speaker_start or 0 : quote.speaker_end or 0],
                    before=before,
                    after=after,
                    kind=speaker.kind,
                    labelled=bool(quote.labelled),
                )
            )
        if found and not dry_run:
            _store(found)
        if progress is not None:
            progress(1)
    return changes


@transaction.atomic
def _store(found: list) -> None:
    lookup = SpeakerLookup()
    ids = [quote.id for quote, _ in found]
    # Lock the quotes; one a person fixed meanwhile is left as they made it.
    untouched = set(
        Quote.objects.select_for_update()
        .filter(id__in=ids, edited_at__isnull=True)
        .values_list("id", flat=True)
    )
    for quote, speaker in found:
        if quote.id not in untouched:
            continue
        quote.speaker = lookup.find_or_create(
            name=speaker.name, kind=speaker.kind, description=speaker.description
        )
    Quote.objects.bulk_update([q for q, _ in found if q.id in untouched], ["speaker"])
