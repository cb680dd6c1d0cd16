"""Celery tasks for the corpus: storing staged import batches and quote extraction, in
background workers.

Delivery is at least once: the message is acknowledged only after the task ends (acks_late),
and a worker process that dies mid-article gives it back to the queue (reject_on_worker_lost;
when the whole worker is killed, Redis redelivers it after the visibility timeout). Running an
article twice is harmless: its quotes are stored in one transaction, merged into what is there.
"""

import logging

from celery import shared_task
from django.conf import settings

from claims.models import Article
from claims.services.extraction_queue import EXTRACT_TASK, article_extraction_retry_wait
from claims.services.extraction_runs import article_extraction_run
from claims.services.import_batches import IMPORT_TASK, TASK_SECONDS, import_batch_process

logger = logging.getLogger(__name__)


@shared_task(name=EXTRACT_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
def extract_article_quotes(self, article_id: int) -> int:
    """Extract one article's quotes; a failed run is retried with growing delays, then failed."""
    article = Article.objects.filter(id=article_id).first()
    if article is None:
        return 0
    try:
        return article_extraction_run(article=article)
    except Exception as error:
        retries = self.request.retries
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
        raise self.retry(
            exc=error, countdown=delay, max_retries=settings.EXTRACTION_MAX_RETRIES
        ) from error


@shared_task(name=IMPORT_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
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
