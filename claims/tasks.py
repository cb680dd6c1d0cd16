"""Celery tasks for the corpus: storing staged import batches, quote extraction and speaker
re-resolution, in background workers.

Imports queue their articles in chunks (extract_articles_quotes): a worker parses a chunk
together through nlp.pipe and stores it in a few statements, each article keeping its own
status. An article that fails is retried on its own (extract_article_quotes), with growing
delays, as a lone article always was.

Delivery is at least once: the message is acknowledged only after the task ends (acks_late),
and a worker process that dies mid-chunk gives it back to the queue (reject_on_worker_lost;
when the whole worker is killed, Redis redelivers it after the visibility timeout). Running an
article twice is harmless: its quotes are stored in one transaction, merged into what is
there; a redelivered chunk skips the articles it already finished.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

from claims.models import Article
from claims.services.extraction_queue import (
    EXTRACT_MANY_TASK,
    EXTRACT_TASK,
    RESOLVE_SPEAKERS_TASK,
    article_extraction_retry_wait,
)
from claims.services.extraction_runs import article_extraction_run, articles_extraction_run
from claims.services.import_batches import IMPORT_TASK, TASK_SECONDS, import_batch_process
from claims.services.speaker_resolution import speakers_resolve_again
from config.celery import app  # the configured app (eager without a broker), as workers run

logger = logging.getLogger(__name__)

# What a lost database connection raises (psycopg and sqlite3 alike, through Django).
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


@app.task(name=EXTRACT_MANY_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
def extract_articles_quotes(self, article_ids: list[int], outages: int = 0) -> int:
    """Extract a chunk of articles' quotes; returns how many quotes they have.

    Articles already done (a redelivered chunk) or gone are skipped. Each failed article gets
    its first retry as a task of its own, after EXTRACTION_RETRY_DELAY_SECONDS. A database
    that cannot be reached fails no article: the chunk waits and is tried again, as
    extract_article_quotes does.
    """
    try:
        return _extract_many(article_ids)
    except DATABASE_UNREACHABLE as error:
        if _database_reachable() or outages >= settings.DB_OUTAGE_RETRIES:
            raise  # an error of this statement, not an outage: fails like any other
        raise _retry_after_outage(self, error, outages, {"article_ids": article_ids}) from error


def _extract_many(article_ids: list[int]) -> int:
    articles = list(
        Article.objects.filter(id__in=article_ids)
        .exclude(extraction_status=Article.ExtractionStatus.DONE)
        .order_by("id")
    )
    outcomes = articles_extraction_run(articles=articles)
    quotes = 0
    for article_id, outcome in outcomes.items():
        if not isinstance(outcome, BaseException):
            quotes += outcome
            continue
        if settings.EXTRACTION_MAX_RETRIES < 1:
            continue  # failed, with the error; the batch page or extraction_requeue retries
        delay = settings.EXTRACTION_RETRY_DELAY_SECONDS
        article_extraction_retry_wait(
            article_id=article_id,
            error=outcome,
            attempt=1,
            attempts=settings.EXTRACTION_MAX_RETRIES + 1,
            delay=delay,
        )
        extract_article_quotes.apply_async(
            args=[article_id], kwargs={"failed_before": 1}, countdown=delay
        )
    return quotes


@app.task(name=EXTRACT_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
def extract_article_quotes(self, article_id: int, outages: int = 0, failed_before: int = 0) -> int:
    """Extract one article's quotes; a failed run is retried with growing delays, then failed.

    `failed_before` counts the attempts that failed before this task (in a chunk). A database
    that cannot be reached (down, restarting, failed over) is not the article's fault: the
    task waits and tries again, writing nothing, for up to DB_OUTAGE_RETRIES attempts that do
    not count against EXTRACTION_MAX_RETRIES, so an outage loses no work and needs no one to
    requeue it afterwards.
    """
    try:
        return _extract(self, article_id, failures=failed_before + self.request.retries - outages)
    except DATABASE_UNREACHABLE as error:
        if _database_reachable() or outages >= settings.DB_OUTAGE_RETRIES:
            raise  # an error of this statement, not an outage: fails like any other
        kwargs = {"article_id": article_id, "failed_before": failed_before}
        raise _retry_after_outage(self, error, outages, kwargs) from error


def _retry_after_outage(task, error: BaseException, outages: int, kwargs: dict):
    """The task sent again for later (5 s, doubling, at most DB_OUTAGE_RETRY_MAX_SECONDS),
    without counting against EXTRACTION_MAX_RETRIES; the Retry for the caller to raise."""
    delay = min(5 * 2**outages, settings.DB_OUTAGE_RETRY_MAX_SECONDS)
    logger.warning("Database unreachable for %s; retrying in %s s", kwargs, delay)
    return task.retry(
        exc=error,
        countdown=delay,
        kwargs={**kwargs, "outages": outages + 1},
        max_retries=None,
        throw=False,
    )


def _database_reachable() -> bool:
    """Whether a fresh connection answers (the failed one is dropped first)."""
    try:
        connection.close()
        connection.ensure_connection()
        return connection.is_usable()
    except DATABASE_UNREACHABLE:
        return False


def _extract(task, article_id: int, *, failures: int) -> int:
    article = Article.objects.filter(id=article_id).first()
    if article is None:
        return 0
    try:
        return article_extraction_run(article=article)
    except DATABASE_UNREACHABLE:
        raise
    except Exception as error:
        retries = failures
        attempts = settings.EXTRACTION_MAX_RETRIES + 1
        if retries >= settings.EXTRACTION_MAX_RETRIES:
            # The article stays "failed" with the error; the batch page or
            # `manage.py extraction_requeue` queues it again.
            logger.warning("Extraction of article %s failed %s times", article_id, attempts)
            raise
        delay = settings.EXTRACTION_RETRY_DELAY_SECONDS * 2**retries
        article_extraction_retry_wait(
            article_id=article_id, error=error, attempt=retries + 1, attempts=attempts, delay=delay
        )
        raise task.retry(exc=error, countdown=delay, max_retries=None) from error


@app.task(name=RESOLVE_SPEAKERS_TASK, acks_late=True, reject_on_worker_lost=True)
def resolve_batch_speakers(batch_id: int, skip_labelled: bool = False) -> int:
    """Re-resolve the speakers of one import batch's quotes (see resolve_speakers); how many
    changed. Idempotent: running it twice changes nothing the second time."""
    changes = speakers_resolve_again(
        articles=Article.objects.filter(batch_id=batch_id), skip_labelled=skip_labelled
    )
    return len(changes)


@app.task(name=IMPORT_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
def process_import_batch(self, batch_id: int) -> bool:
    """Store a staged import batch: for about TASK_SECONDS, then the rest goes on in a new task.

    A worker killed midway has committed whole chunks only; the message comes back (late
    acknowledgement) and the next worker resumes at the first item still staged.
    """
    try:
        finished = import_batch_process(batch_id=batch_id, time_limit=TASK_SECONDS)
    except Exception as error:
        # Whole chunks are committed: a retry goes on from the first item still staged.
        retries = self.request.retries
        logger.warning("Import batch %s stopped (%s); retrying", batch_id, error)
        raise self.retry(
            exc=error,
            countdown=settings.EXTRACTION_RETRY_DELAY_SECONDS * 2**retries,
            max_retries=settings.EXTRACTION_MAX_RETRIES,
        ) from error
    if not finished:
        self.app.send_task(IMPORT_TASK, args=[batch_id])
    return finished
