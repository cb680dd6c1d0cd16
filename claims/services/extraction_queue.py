"""Getting quotes extracted: queueing articles for Celery workers (or running them here when
no broker is configured), retries, and requeueing failed or stuck articles.

This module never imports spaCy: a web process that queues work for workers stays lean, and
loads the extractor (claims/services/extraction_runs.py) only when it extracts in-process, and
the Celery app only when it sends a task.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import Article

# The Celery tasks (claims/tasks.py) by name: producers send them without importing the
# worker's code, so the services never import the task module that imports them.
EXTRACT_TASK = "claims.extract_article_quotes"  # one article (its retries)
EXTRACT_MANY_TASK = "claims.extract_articles_quotes"  # a chunk of articles
RESOLVE_SPEAKERS_TASK = "claims.resolve_batch_speakers"


def celery_app():
    """The project's Celery app, loaded by the first task sent rather than at every start-up
    (web processes that never send one stay lean; config/__init__.py)."""
    from config.celery import app

    return app


def extraction_status_set(article_id: int, status: str, **fields) -> None:
    extraction_status_set_many([article_id], status, **fields)


def extraction_status_set_many(article_ids: list[int], status: str, **fields) -> dict:
    """Give these articles a status (stamped now) and the given fields, in one statement;
    returns the fields written."""
    written = {"extraction_status": status, "extraction_status_at": timezone.now(), **fields}
    if article_ids:
        Article.objects.filter(pk__in=article_ids).update(**written)
    return written


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def articles_extract_later(*, article_ids: list[int]) -> None:
    """Queue extraction, one task per EXTRACTION_TASK_ARTICLES articles, sent when the
    surrounding transaction commits.

    Sent after commit so that a worker never looks for an article it cannot see yet, and a
    rolled-back import queues nothing. A worker parses a task's articles together through
    nlp.pipe; each article still has its own status, and a failed one is retried on its own.
    """
    size = settings.EXTRACTION_TASK_ARTICLES

    def send() -> None:
        app = celery_app()
        with app.producer_or_acquire() as producer:  # one broker connection for them all
            for start in range(0, len(article_ids), size):
                chunk = article_ids[start : start + size]
                app.send_task(EXTRACT_MANY_TASK, args=[chunk], producer=producer)

    if article_ids:
        transaction.on_commit(send)


def extraction_dispatch(
    *,
    articles: list[Article],
    progress: Callable[[int], None] | None = None,
    n_process: int = 1,
) -> dict[int, int]:
    """Extract these (pending) articles' quotes: queued for workers when a broker is set,
    else here and now (parsed by `n_process` processes). Returns article id → quote count for
    what ran here; `progress(n)` is told of articles finished."""
    if settings.CELERY_BROKER_URL:
        articles_extract_later(article_ids=[article.id for article in articles])
        if progress is not None:
            progress(len(articles))
        return {}
    # In-process extraction needs spaCy: it is imported here, on the first in-process run, so
    # that processes which only queue work never load it (see the module docstring).
    from claims.services.extraction_runs import articles_extract_now

    return articles_extract_now(articles=articles, progress=progress, n_process=n_process)


def batch_speakers_resolve_later(*, batch_id: int, skip_labelled: bool = False) -> None:
    """Queue speaker re-resolution of one batch's quotes for a worker (after commit)."""
    transaction.on_commit(
        lambda: celery_app().send_task(RESOLVE_SPEAKERS_TASK, args=[batch_id, skip_labelled])
    )


def article_extraction_retry_wait(
    *, article_id: int, error: BaseException, attempt: int, attempts: int, delay: float
) -> None:
    """Record a failed attempt that will be tried again: pending, with the error and when."""
    extraction_status_set(
        article_id,
        Article.ExtractionStatus.PENDING,
        extraction_error=(
            f"Attempt {attempt} of {attempts} failed, retrying in {delay:g} s: {error_text(error)}"
        )[:2000],
    )


def extraction_requeue(
    *, articles: QuerySet[Article], stale_minutes: int | None = None, failed: bool = True
) -> list[int]:
    """Queue extraction again for the failed articles among `articles` and the stuck ones.

    Stuck means pending or running with no status change for `stale_minutes` (its task was
    lost: a killed worker, a flushed broker). The articles go back to pending and are
    dispatched again (queued on commit with a broker; extracted here and now without one).
    Returns the ids requeued.
    """
    wanted = Q(pk__in=[])
    if failed:
        wanted |= Q(extraction_status=Article.ExtractionStatus.FAILED)
    if stale_minutes is not None:
        stale_before = timezone.now() - timedelta(minutes=stale_minutes)
        wanted |= Q(
            extraction_status__in=[
                Article.ExtractionStatus.PENDING,
                Article.ExtractionStatus.RUNNING,
            ],
            status_at__lt=stale_before,
        )
    candidates = (
        Article.objects.filter(id__in=articles.values("id"))
        .annotate(status_at=Coalesce("extraction_status_at", "created_at"))
        .filter(wanted)
    )
    with transaction.atomic():
        article_ids = list(
            candidates.select_for_update(skip_locked=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not article_ids:
            return []
        Article.objects.filter(id__in=article_ids).update(
            extraction_status=Article.ExtractionStatus.PENDING,
            extraction_status_at=timezone.now(),
            extraction_error="",
        )
        if settings.CELERY_BROKER_URL:
            articles_extract_later(article_ids=article_ids)
    if not settings.CELERY_BROKER_URL:
        extraction_dispatch(
            articles=list(Article.objects.filter(id__in=article_ids).order_by("id"))
        )
    return article_ids
