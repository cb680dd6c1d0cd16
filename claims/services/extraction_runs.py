"""Running the extractor on stored articles and merging its quotes into what is stored.

Imports spaCy (through claims.extraction): loaded only by processes that extract — Celery
workers, commands, and a web process without a broker (claims/services/extraction_queue.py).
"""

import logging
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from claims.extraction import EXTRACTOR_VERSION, ExtractedQuote, quotes_from_doc
from claims.extraction.extractor import MULTIPROCESS_MAX_LENGTH
from claims.models import Article, Quote
from claims.nlp import get_nlp
from claims.services.extraction_queue import error_text, extraction_status_set_many
from claims.services.quotes import quotes_protected
from claims.services.speakers import SpeakerLookup

logger = logging.getLogger(__name__)


# Articles stored together: one transaction, a handful of statements, for this many.
STORE_CHUNK = 16
# Documents nlp.pipe parses together (spaCy's batch): its default for our articles' length.
PIPE_BATCH = 32


def articles_extract_now(
    *,
    articles: list[Article],
    progress: Callable[[int], None] | None = None,
    n_process: int = 1,
) -> dict[int, int]:
    """Extract these articles here and now (no broker): article id → its quote count. A failure
    marks that article failed (logged) and the rest go on. Parsed in batches through nlp.pipe
    (`n_process` processes), stored STORE_CHUNK articles at a time."""
    outcomes = articles_extraction_run(articles=articles, progress=progress, n_process=n_process)
    counts = {}
    for article in articles:
        outcome = outcomes.get(article.pk, 0)
        if isinstance(outcome, BaseException):
            logger.error(
                "Extraction failed for article %s",
                article.pk,
                exc_info=(type(outcome), outcome, outcome.__traceback__),
            )
            outcome = article.quotes.count()
        counts[article.pk] = outcome
    return counts


def articles_extraction_run(
    *,
    articles: list[Article],
    nlp=None,
    n_process: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[int, int | BaseException]:
    """Extract the articles' quotes and store them; article id → how many quotes it has, or
    the exception that failed it.

    Each article goes running (as its text goes to the parser), then done — its quotes,
    status and `extracted_at` committed together with those of up to STORE_CHUNK - 1 others —
    or failed with the error, keeping no quote of the failed run. One article is parsed alone
    (`nlp(text)`); several go through `nlp.pipe` in batches, and should the pipe fail, the
    articles it had not yet returned are parsed one by one, so one bad article fails alone.
    An article deleted meanwhile is skipped.
    """
    nlp = nlp or get_nlp()
    by_id = {article.pk: article for article in articles}
    outcomes: dict[int, int | BaseException] = {}
    speakers = SpeakerLookup()
    chunk: list[tuple[Article, list[ExtractedQuote]]] = []

    def store(chunk) -> None:
        try:
            outcomes.update(_store_chunk(chunk, speakers))
        # The chunk's transaction rolled back (a write refused): each article alone, so only
        # the article at fault fails.
        except Exception as error:  # noqa: BLE001 - recorded as the article's failure
            speakers.forget()
            if len(chunk) == 1:
                _mark_failed(chunk[0][0], error)
                outcomes[chunk[0][0].pk] = error
            else:
                for item in chunk:
                    store([item])
        if progress is not None:
            progress(len(chunk))

    for article, parsed in _parsed(nlp, list(by_id.values()), n_process):
        if isinstance(parsed, BaseException):
            _mark_failed(article, parsed)
            outcomes[article.pk] = parsed
            if progress is not None:
                progress(1)
            continue
        try:
            extracted = quotes_from_doc(parsed, scope=settings.EXTRACTION_SCOPE)
        except Exception as error:  # noqa: BLE001 - recorded as the article's failure
            _mark_failed(article, error)
            outcomes[article.pk] = error
            if progress is not None:
                progress(1)
            continue
        chunk.append((article, extracted))
        if len(chunk) >= STORE_CHUNK:
            store(chunk)
            chunk = []
    if chunk:
        store(chunk)
    return outcomes


def _parsed(nlp, articles: list[Article], n_process: int) -> Iterator[tuple[Article, object]]:
    """(article, its parsed doc or the exception parsing raised), in order; each article is
    marked running as its text goes to the parser."""

    def texts(batch: list[Article]) -> Iterator[str]:
        for start in range(0, len(batch), STORE_CHUNK):
            _mark(batch[start : start + STORE_CHUNK], Article.ExtractionStatus.RUNNING)
            yield from (article.text for article in batch[start : start + STORE_CHUNK])

    returned = 0
    if len(articles) > 1:
        try:
            for doc in _pipe(nlp, texts(articles), n_process):
                yield articles[returned], doc
                returned += 1
            return
        except Exception:  # noqa: BLE001 - which document failed is not known: see below
            logger.warning("nlp.pipe failed; parsing the rest of the batch one by one")
    for article in articles[returned:]:
        _mark([article], Article.ExtractionStatus.RUNNING)
        try:
            parsed = _parse_one(nlp, article.text)
        except Exception as error:  # noqa: BLE001 - recorded as the article's failure
            parsed = error
        yield article, parsed


def _pipe(nlp, texts: Iterator[str], n_process: int):
    """nlp.pipe, with room for the longest article (as extract_quotes_many makes it)."""
    if n_process != 1:
        nlp.max_length = max(nlp.max_length, MULTIPROCESS_MAX_LENGTH)

    def within_limit(items: Iterator[str]) -> Iterator[str]:
        for text in items:
            if len(text) >= nlp.max_length:
                nlp.max_length = len(text) + 1
            yield text

    return nlp.pipe(within_limit(texts), batch_size=PIPE_BATCH, n_process=n_process)


def _parse_one(nlp, text: str):
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    return nlp(text)


def _mark(articles: list[Article], status: str, **fields) -> None:
    """Set the articles' status in the database and on the instances the caller holds."""
    written = extraction_status_set_many([article.pk for article in articles], status, **fields)
    for article in articles:
        for field, value in written.items():
            setattr(article, field, value)


def _mark_failed(article: Article, error: BaseException) -> None:
    _mark([article], Article.ExtractionStatus.FAILED, extraction_error=error_text(error))


def _store_chunk(
    chunk: list[tuple[Article, list[ExtractedQuote]]], speakers: "SpeakerLookup"
) -> dict[int, int]:
    """Store a chunk's quotes and mark its articles done, in one transaction; article id →
    quote count (articles deleted meanwhile are left out)."""
    with transaction.atomic():
        # Two runs of one article (a requeued one whose first task still runs) take turns
        # here, so the second merges into what the first stored instead of adding beside it.
        # Locked in id order, so two chunks never wait for each other in a circle.
        present = set(
            Article.objects.select_for_update()
            .filter(pk__in=[article.pk for article, _ in chunk])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        kept = [(article, found) for article, found in chunk if article.pk in present]
        quotes_store_extracted_many(extracted=kept, speakers=speakers)
        _mark(
            [article for article, _ in kept],
            Article.ExtractionStatus.DONE,
            extraction_error="",
            extracted_at=timezone.now(),
        )
    counts = dict(
        Quote.objects.filter(article_id__in=present)
        .values_list("article_id")
        .annotate(count=Count("id"))
        .values_list("article_id", "count")
    )
    return {article_id: counts.get(article_id, 0) for article_id in present}


def article_extraction_run(*, article: Article, nlp=None) -> int:
    """Extract one article's quotes and store them; returns how many quotes it has.

    Status goes running, then done (stored in the same transaction as the quotes) or failed
    with the error, which is raised again for the caller (a Celery task retries on it). A run
    that dies midway leaves no quote of that run behind: the quotes commit all at once.
    """
    outcome = articles_extraction_run(articles=[article], nlp=nlp).get(article.pk, 0)
    if isinstance(outcome, BaseException):
        raise outcome
    article.refresh_from_db(
        fields=["extraction_status", "extraction_error", "extraction_status_at", "extracted_at"]
    )
    return outcome


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
    """Merge an extraction run into the article's quotes (see quotes_store_extracted_many)."""
    quotes_store_extracted_many(extracted=[(article, extracted)], speakers=SpeakerLookup())


def quotes_store_extracted_many(
    *, extracted: list[tuple[Article, list[ExtractedQuote]]], speakers: "SpeakerLookup"
) -> None:
    """Merge extraction runs into their articles' quotes, a few statements for them all.

    New spans are added and untouched extracted quotes are updated or, if no longer found,
    removed; a quote that annotators labelled, edited, rejected or added is never dropped or
    altered, and a new span overlapping one of those is not added beside it.
    """
    article_ids = [article.pk for article, _ in extracted]
    if not article_ids:
        return
    protected: dict[int, list[Quote]] = {article_id: [] for article_id in article_ids}
    for quote in quotes_protected(article_ids=article_ids):
        protected[quote.article_id].append(quote)
    protected_ids = {quote.id for quotes in protected.values() for quote in quotes}
    existing: dict[int, dict[tuple[int, int], Quote]] = {article_id: {} for article_id in protected}
    for quote in Quote.objects.filter(article_id__in=article_ids):
        if quote.id not in protected_ids:
            existing[quote.article_id][quote.content_start, quote.content_end] = quote
    to_create, to_update, to_delete = [], [], []
    for article, found in extracted:
        kept = protected[article.pk]
        unmatched = existing[article.pk]
        seen_spans: set[tuple[int, int]] = set()
        for item in found:
            span = (item.content.start, item.content.end)
            if span in seen_spans or any(
                item.content.start < quote.content_end and quote.content_start < item.content.end
                for quote in kept
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
            quote = unmatched.pop(span, None)
            if quote is None:
                to_create.append(
                    Quote(article=article, content_start=span[0], content_end=span[1], **fields)
                )
            else:
                for field, value in fields.items():
                    setattr(quote, field, value)
                to_update.append(quote)
        to_delete.extend(quote.id for quote in unmatched.values())
    if to_delete:
        Quote.objects.filter(id__in=to_delete).delete()
    if to_update:
        Quote.objects.bulk_update(to_update, _EXTRACTED_FIELDS)
    Quote.objects.bulk_create(to_create)
