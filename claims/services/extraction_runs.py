"""Running the extractor on stored articles and merging its quotes into what is stored.

Imports spaCy (through claims.extraction): loaded only by processes that extract — Celery
workers, commands, and a web process without a broker (claims/services/extraction_queue.py).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.extraction import EXTRACTOR_VERSION, ExtractedQuote, extract_quotes
from claims.models import Article, Quote
from claims.nlp import get_nlp
from claims.services.extraction_queue import error_text, extraction_status_set
from claims.services.quotes import quotes_protected
from claims.services.speakers import SpeakerLookup

logger = logging.getLogger(__name__)


def articles_extract_now(
    *, articles: list[Article], progress: Callable[[int], None] | None = None
) -> dict[int, int]:
    """Extract each article here and now (no broker): article id → its quote count. A failure
    marks that article failed and the rest go on."""
    counts = {}
    for article in articles:
        counts[article.id] = article_extract_quotes(article=article)
        if progress is not None:
            progress(1)
    return counts


def article_extraction_run(*, article: Article, nlp=None) -> int:
    """Extract one article's quotes and store them; returns how many quotes it has.

    Status goes running, then done (stored in the same transaction as the quotes) or failed
    with the error, which is raised again for the caller (a Celery task retries on it). A run
    that dies midway leaves no quote of that run behind: the quotes commit all at once.
    """
    extraction_status_set(article.pk, Article.ExtractionStatus.RUNNING)
    try:
        extracted = extract_quotes(
            article.text, nlp=nlp or get_nlp(), scope=settings.EXTRACTION_SCOPE
        )
        with transaction.atomic():
            # Two runs of one article (a requeued one whose first task still runs) take turns
            # here, so the second merges into what the first stored instead of adding beside it.
            if not Article.objects.select_for_update().filter(pk=article.pk).exists():
                return 0
            quotes_store_extracted(article=article, extracted=extracted)
            extraction_status_set(
                article.pk,
                Article.ExtractionStatus.DONE,
                extraction_error="",
                extracted_at=timezone.now(),
            )
    except Exception as error:
        extraction_status_set(
            article.pk, Article.ExtractionStatus.FAILED, extraction_error=error_text(error)
        )
        raise
    article.refresh_from_db(
        fields=["extraction_status", "extraction_error", "extraction_status_at", "extracted_at"]
    )
    return article.quotes.count()


def article_extract_quotes(*, article: Article, nlp=None) -> int:
    """Run extraction on one article and store the result; returns how many quotes it has.

    A failure marks the article failed with the error (retryable) and leaves no quote of the
    failed run behind.
    """
    try:
        return article_extraction_run(article=article, nlp=nlp)
    except Exception:
        logger.exception("Extraction failed for article %s", article.pk)
        article.refresh_from_db(fields=["extraction_status", "extraction_error"])
        return article.quotes.count()


_EXTRACTED_FIELDS = [
    "kind",
    "speaker",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
    "extractor_version",
    "confidence",
]


def quotes_store_extracted(*, article: Article, extracted: list[ExtractedQuote]) -> None:
    """Merge an extraction run into the article's quotes.

    New spans are added and untouched extracted quotes are updated or, if no longer found,
    removed; a quote that annotators labelled, edited, rejected or added is never dropped or
    altered, and a new span overlapping one of those is not added beside it.
    """
    protected = list(quotes_protected(article=article))
    protected_ids = {quote.id for quote in protected}
    existing = {
        (quote.content_start, quote.content_end): quote
        for quote in article.quotes.all()
        if quote.id not in protected_ids
    }
    speakers = SpeakerLookup()
    seen_spans: set[tuple[int, int]] = set()
    to_create, to_update = [], []
    for item in extracted:
        span = (item.content.start, item.content.end)
        if span in seen_spans or any(
            item.content.start < quote.content_end and quote.content_start < item.content.end
            for quote in protected
        ):
            continue
        seen_spans.add(span)
        speaker = speakers.find_or_create(
            name=item.speaker, kind=item.speaker_kind, description=item.speaker_description
        )
        fields = {
            "kind": item.kind,
            "speaker": speaker,
            "speaker_start": item.speaker_mention.start if item.speaker_mention else None,
            "speaker_end": item.speaker_mention.end if item.speaker_mention else None,
            "cue_start": item.cue.start if item.cue else None,
            "cue_end": item.cue.end if item.cue else None,
            "extractor_version": EXTRACTOR_VERSION,
            "confidence": max(0.0, min(1.0, item.confidence)),
        }
        quote = existing.pop(span, None)
        if quote is None:
            to_create.append(
                Quote(article=article, content_start=span[0], content_end=span[1], **fields)
            )
        else:
            for field, value in fields.items():
                setattr(quote, field, value)
            to_update.append(quote)
    if existing:
        Quote.objects.filter(id__in=[quote.id for quote in existing.values()]).delete()
    if to_update:
        Quote.objects.bulk_update(to_update, _EXTRACTED_FIELDS)
    Quote.objects.bulk_create(to_create)
