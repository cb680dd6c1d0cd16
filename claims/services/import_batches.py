"""Import batches in the background: stage the records and URLs, then store them in chunks.

A request (page, API or command) only *stages* an import: one transaction writes the batch
and one ImportItem row per record or URL — parse problems included, as failed items, so
nothing is silently skipped — and returns. `import_batch_process` then stores the items: a
Celery worker (task claims.process_import_batch), or, without a broker, the web process right
after its response (the command runs it in the foreground).

Nothing is lost when a process dies midway: records are stored IMPORT_CHUNK_SIZE at a time,
each chunk's articles and item statuses in one transaction, so a chunk is either all done or
still staged; a URL is claimed (status "fetching") before it is fetched and stored with its
status in one transaction, and a claim older than the fetch lease counts as abandoned. The
task is acknowledged only when it ends, so a killed worker's batch is delivered again and
resumes where it stopped; `import_batch_resume` (the batch page's Retry, `extraction_requeue`)
does the same for batches whose task was lost.

Why ~580 lines in one module: staging, claiming, storing and resuming share the batch's states
and its one transaction rule per chunk; split apart, each piece would need the others' private
steps to keep "a chunk is all done or still staged" true.
"""

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from claims import sql
from claims.access import ImportTarget, corpus_access
from claims.fetching import FetchError, fetch_document
from claims.importing import (
    ArticleInput,
    ImportProblem,
    feed_entries,
    http_url,
    page_record,
    parse_published_at,
)
from claims.models import Article, ImportBatch, ImportItem, Outlet
from claims.services.articles import ArticleImportResult, article_import, outlet_get_or_create
from claims.services.extraction_queue import celery_app, extraction_dispatch

logger = logging.getLogger(__name__)

# The Celery task (claims/tasks.py), sent by name like the extraction task.
IMPORT_TASK = "claims.process_import_batch"
# One task stores for about this long, then hands the rest of the batch to a new task, so no
# task outlives the broker's visibility timeout however large the batch.
TASK_SECONDS = 120
URLS_PER_IMPORT_MAX = 1000

Status = ImportItem.Status
DONE_STATUSES = (Status.CREATED, Status.VERSION, Status.EXISTING, Status.FEED)


def fetch_lease() -> timedelta:
    """How long a claimed URL may stay "fetching" before it counts as abandoned."""
    return timedelta(seconds=max(600.0, 3 * settings.FETCH_TIMEOUT_SECONDS))


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
    return " ".join(error.messages)


def _record_payload(record: ArticleInput) -> dict:
    return {
        "title": record.title,
        "text": record.text,
        "url": record.url,
        "outlet": record.outlet,
        "author": record.author,
        "published_at": record.published_at.isoformat() if record.published_at else None,
    }


def _record_from_payload(item: ImportItem) -> ArticleInput:
    data = item.payload
    return ArticleInput(
        title=data.get("title") or "",
        text=data.get("text") or "",
        source_name=item.source_name,
        url=data.get("url"),
        outlet=data.get("outlet"),
        published_at=parse_published_at(data.get("published_at")),
        author=data.get("author") or "",
    )


# -- staging ------------------------------------------------------------------------------------
@transaction.atomic
def import_batch_stage(
    *,
    records: Iterable[ArticleInput | ImportProblem] = (),
    urls: Iterable[str] = (),
    name: str,
    importer: AbstractBaseUser | None = None,
    target: ImportTarget | None = None,
    targets: Sequence[ImportTarget | None] | None = None,
    outlet: str | None = None,
    extract: bool = True,
) -> ImportBatch:
    """Write the batch and one item per record (a problem as a failed item) and per URL
    (an invalid or repeated one as a failed item), in one transaction. `importer` None is the
    command line's operator. Raises ValidationError when there are more than
    URLS_PER_IMPORT_MAX URLs."""
    records, urls = list(records), [url.strip() for url in urls if url.strip()]
    if len(urls) > URLS_PER_IMPORT_MAX:
        raise ValidationError(
            {"urls": f"{len(urls):,} URLs; one import takes at most {URLS_PER_IMPORT_MAX:,}."}
        )
    if targets is not None and len(targets) != len(records):
        raise ValueError("give one target per record")
    batch = ImportBatch.objects.create(
        name=name[:200] or "Import",
        created_by=importer,
        by_operator=importer is None,
        outlet=(outlet or "").strip()[:200],
        extract=extract,
    )
    items = []
    for position, record in enumerate(records):
        record_target = targets[position] if targets is not None else target
        item = ImportItem(
            batch=batch,
            position=position,
            kind=ImportItem.Kind.RECORD,
            source_name=record.source_name[:2000],
            target_id=record_target.id if record_target else None,
        )
        if isinstance(record, ImportProblem):
            item.status, item.reason = Status.FAILED, record.reason
        else:
            item.payload = _record_payload(record)
        items.append(item)
    seen = set()
    for offset, url in enumerate(urls):
        item = ImportItem(
            batch=batch,
            position=len(records) + offset,
            kind=ImportItem.Kind.URL,
            source_name=url[:2000],
            target_id=target.id if target else None,
        )
        if http_url(url) is None:
            item.status, item.reason = Status.FAILED, "not a valid http(s) URL"
        elif url in seen:
            item.status, item.reason = Status.FAILED, "the same URL is already in this import"
        else:
            item.url = url
            seen.add(url)
        items.append(item)
    ImportItem.objects.bulk_create(items, batch_size=1000)
    return batch


def import_batch_dispatch(*, batch: ImportBatch) -> Callable[[], None] | None:
    """Have the staged batch stored. With a broker a worker does it (queued when the staging
    transaction commits) and None is returned; without one, the work to run once the caller
    has answered (a view runs it after its response, see claims/views_import.py)."""
    if settings.CELERY_BROKER_URL:
        batch_id = batch.id
        transaction.on_commit(lambda: celery_app().send_task(IMPORT_TASK, args=[batch_id]))
        return None
    return lambda: import_batch_process(batch_id=batch.id)


# -- processing ---------------------------------------------------------------------------------
class _Run:
    """One pass over a batch: who imports, where to, and what was made."""

    def __init__(self, batch: ImportBatch, *, all_or_nothing: bool) -> None:
        self.batch = batch
        self.all_or_nothing = all_or_nothing
        self.importer = None if batch.by_operator else batch.created_by
        self.refusal = ""
        if not batch.by_operator and (self.importer is None or not self.importer.is_active):
            self.refusal = "the account that started this import is gone or inactive"
        self._targets: dict[int, ImportTarget | str] = {}
        self._outlets: dict[str, Outlet] = {}
        # Articles to put in each target, linked once per chunk (in its transaction).
        self.links: dict[ImportTarget, list[int]] = {}

    def outlet(self, name: str | None) -> Outlet | None:
        """The outlet row for a name, found or made once per run."""
        name = (name or "").strip()
        if not name:
            return None
        key = name.lower()
        if key not in self._outlets:
            self._outlets[key] = outlet_get_or_create(name=name)
        return self._outlets[key]

    def link(self) -> None:
        """Put the articles stored since the last call in their targets."""
        for target, article_ids in self.links.items():
            corpus_access().import_link(target, article_ids)
        self.links = {}

    def target(self, target_id: int | None) -> ImportTarget | None:
        """The item's target, checked again for the importer (a role may have gone since)."""
        if target_id is None:
            return None
        if target_id not in self._targets:
            if self.importer is None:
                self._targets[target_id] = ImportTarget(id=target_id, name="")
            else:
                try:
                    self._targets[target_id] = corpus_access().import_target(
                        self.importer, target_id
                    )
                except ValidationError as error:
                    self._targets[target_id] = " ".join(error.messages)
                except PermissionDenied as error:
                    self._targets[target_id] = str(error)
        target = self._targets[target_id]
        if isinstance(target, str):
            raise ValidationError({"project": target})
        return target

    def store(self, item: ImportItem, record: ArticleInput) -> ArticleImportResult | None:
        """Import one record for the item (in a savepoint) and mark the item; raises
        ValidationError in all-or-nothing mode, else marks the item failed (and returns None)."""
        outlet = record.outlet or self.batch.outlet or None
        try:
            # Found or made outside the record's savepoint, so that a record refused after it
            # cannot take back a row the run keeps using.
            outlet_row = self.outlet(outlet)
            with transaction.atomic():
                target = self.target(item.target_id)
                result = article_import(
                    title=record.title,
                    text=record.text,
                    url=record.url,
                    outlet=outlet,
                    outlet_row=outlet_row,
                    published_at=record.published_at,
                    author=record.author,
                    source_name=record.source_name,
                    batch=self.batch,
                    importer=self.importer,
                )
        except ValidationError as error:
            if self.all_or_nothing:
                raise ValidationError(
                    {f"{item.position}.{key}": msgs for key, msgs in error.message_dict.items()}
                ) from None
            item.status, item.reason = Status.FAILED, _validation_message(error)
            return None
        if target is not None:
            self.links.setdefault(target, []).append(result.article.id)
        item.article = result.article
        if not result.created:
            item.status = Status.EXISTING
        elif result.replaced is not None:
            item.status = Status.VERSION
            carried = result.carried
            item.reason = (
                f"version {result.article.version} of article {result.replaced.id}: "
                f"{carried.unchanged} quote(s) unchanged, {carried.changed} changed, "
                f"{carried.gone} gone"
            )
        else:
            item.status = Status.CREATED
        return result


def _finish(item: ImportItem) -> None:
    item.payload = {}
    item.status_at = timezone.now()


_FINISHED_FIELDS = ["status", "reason", "retryable", "article", "payload", "status_at"]


def _store_records(run: _Run, item_ids: list[int]) -> list[Article]:
    """Store a chunk of staged records in one transaction; the new articles."""
    created = []
    with transaction.atomic():
        items = list(
            ImportItem.objects.select_for_update(skip_locked=True)
            .filter(id__in=item_ids, status=Status.STAGED)
            .order_by("position")
        )
        for item in items:
            if run.refusal:
                item.status, item.reason = Status.FAILED, run.refusal
            else:
                try:
                    record = _record_from_payload(item)
                except ValueError as error:
                    item.status, item.reason = Status.FAILED, str(error)
                else:
                    result = run.store(item, record)
                    if result is not None and result.created:
                        created.append(result.article)
            _finish(item)
        run.link()
        sql.import_items_finish(items)
    return created


def _stage_feed_entries(item: ImportItem, document) -> str:
    """Stage the feed's entries as URL items of the same batch; the item's note."""
    entries = feed_entries(
        document.body, feed_url=document.final_url, limit=settings.FETCH_FEED_MAX_ENTRIES
    )
    batch = item.batch
    known = set(batch.items.exclude(url="").values_list("url", flat=True))
    position = (batch.items.aggregate(last=Max("position"))["last"] or 0) + 1
    new_items = []
    for entry in entries:
        if entry.url in known:
            continue
        known.add(entry.url)
        new_items.append(
            ImportItem(
                batch=batch,
                position=position,
                kind=ImportItem.Kind.URL,
                source_name=entry.url,
                url=entry.url,
                target_id=item.target_id,
                payload={
                    "title": entry.title,
                    "published_at": entry.published_at.isoformat() if entry.published_at else None,
                    "feed": item.url,
                },
            )
        )
        position += 1
    ImportItem.objects.bulk_create(new_items)
    return f"a feed of {len(entries)} entries: {len(new_items)} new URL(s) queued"


def _claim(item_id: int) -> bool:
    """Take a URL for fetching (staged, or claimed by a worker that has not come back)."""
    now = timezone.now()
    return bool(
        ImportItem.objects.filter(id=item_id)
        .filter(
            Q(status=Status.STAGED) | Q(status=Status.FETCHING, status_at__lt=now - fetch_lease())
        )
        .update(status=Status.FETCHING, status_at=now)
    )


def _fetch_and_store(run: _Run, item: ImportItem) -> list[Article]:
    """Fetch one claimed URL (outside any transaction) and store what it holds."""
    document, failure = None, None
    if not run.refusal:
        try:
            document = fetch_document(item.url)
        except FetchError as error:
            failure = error
    created = []
    with transaction.atomic():
        item = ImportItem.objects.select_for_update().select_related("batch").get(pk=item.pk)
        if item.status != Status.FETCHING:
            return []  # finished by another worker meanwhile
        if run.refusal:
            item.status, item.reason = Status.FAILED, run.refusal
        elif failure is not None:
            item.status, item.reason, item.retryable = (
                Status.FAILED,
                failure.reason,
                failure.retryable,
            )
        else:
            try:
                if document.kind == "feed":
                    item.reason = _stage_feed_entries(item, document)
                    item.status = Status.FEED
                else:
                    hints = item.payload
                    record = page_record(
                        document.body,
                        source_name=item.source_name,
                        url=document.final_url,
                        title_hint=hints.get("title") or "",
                        published_hint=parse_published_at(hints.get("published_at")),
                    )
                    result = run.store(item, record)
                    if result is not None and result.created:
                        created.append(result.article)
            except ValueError as error:
                item.status, item.reason = Status.FAILED, str(error)
        item.retryable = item.retryable and item.status == Status.FAILED
        _finish(item)
        run.link()
        item.save(update_fields=_FINISHED_FIELDS)
    return created


def _pending(batch: ImportBatch) -> QuerySet[ImportItem]:
    """Items still to do: staged, or claimed for fetching by a worker that has not come back."""
    abandoned = timezone.now() - fetch_lease()
    return batch.items.filter(
        Q(status=Status.STAGED) | Q(status=Status.FETCHING, status_at__lt=abandoned)
    ).order_by("position")


def import_batch_process(
    *,
    batch_id: int,
    time_limit: float | None = None,
    all_or_nothing: bool = False,
    progress: Callable[[int], None] | None = None,
    n_process: int = 1,
) -> bool:
    """Store the batch's staged items, chunk by chunk; True when none is left (False: the
    time limit came first, call again). New articles are extracted as each chunk commits
    (queued for workers, or here without a broker). With `all_or_nothing` (the API's single
    transaction) the first failed record raises a ValidationError naming its position."""
    batch = ImportBatch.objects.select_related("created_by").filter(id=batch_id).first()
    if batch is None:
        return True
    run = _Run(batch, all_or_nothing=all_or_nothing)
    started = time.monotonic()
    # Items are taken in position order past a cursor, so one a concurrent worker holds (and
    # is skipped here) is not asked for again; feed entries are appended after the cursor.
    after = -1
    while True:
        if time_limit is not None and time.monotonic() - started > time_limit:
            return False
        items = list(
            _pending(batch)
            .filter(position__gt=after)
            .only(
                "id", "kind", "url", "payload", "target_id", "position", "source_name", "batch_id"
            )[: settings.IMPORT_CHUNK_SIZE]
        )
        if not items:
            return True
        after = items[-1].position
        records = [item.id for item in items if item.kind == ImportItem.Kind.RECORD]
        created = _store_records(run, records) if records else []
        if progress is not None and records:
            progress(len(records))
        if batch.extract and created:
            extraction_dispatch(articles=created, n_process=n_process)
        for item in items:
            if item.kind != ImportItem.Kind.URL:
                continue
            if not _claim(item.id):
                continue
            created = _fetch_and_store(run, item)
            if progress is not None:
                progress(1)
            if batch.extract and created:
                extraction_dispatch(articles=created)
            if time_limit is not None and time.monotonic() - started > time_limit:
                return False


# -- reading the outcome, resuming --------------------------------------------------------------
@dataclass
class BatchImportResult:
    """What one import did: the batch (None when nothing new was kept), counts, each stored
    record's result in order, and what was refused."""

    batch: ImportBatch | None
    created: int = 0
    existing: int = 0
    quote_count: int = 0
    articles: list[ArticleImportResult] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def import_batch_result(*, batch: ImportBatch) -> BatchImportResult:
    """The outcome of a processed batch, read back from its items (two queries)."""
    result = BatchImportResult(batch=batch)
    items = list(batch.items.select_related("article").order_by("position"))
    article_ids = [item.article_id for item in items if item.article_id]
    counts = dict(
        Article.objects.filter(id__in=article_ids)
        .annotate(n=Count("quotes"))
        .values_list("id", "n")
    )
    for item in items:
        if item.status == Status.FAILED:
            result.problems.append(ImportProblem(item.source_name, item.reason))
        elif item.article is not None:
            created = item.status in (Status.CREATED, Status.VERSION)
            quotes = counts.get(item.article_id, 0)
            result.articles.append(ArticleImportResult(item.article, created, quotes))
            if created:
                result.created += 1
                result.quote_count += quotes
            else:
                result.existing += 1
    return result


def import_batch_resume(
    *, batches: QuerySet[ImportBatch], stale_minutes: int | None, retry_failed: bool = False
) -> list[int]:
    """Process again the batches among `batches` whose staged items have waited, unchanged,
    for `stale_minutes` (their task was lost) — and, with `retry_failed`, re-stage the URLs
    that failed for a passing reason (timeout, server error). Ids of the batches sent on."""
    now = timezone.now()
    resumed = set()
    if retry_failed:
        retried = ImportItem.objects.filter(batch__in=batches, status=Status.FAILED, retryable=True)
        resumed |= set(retried.values_list("batch_id", flat=True))
        retried.update(status=Status.STAGED, reason="", retryable=False, status_at=now)
    if stale_minutes is not None:
        stale_before = now - timedelta(minutes=stale_minutes)
        waiting = ImportItem.objects.filter(batch__in=batches).filter(
            Q(status=Status.STAGED, status_at__lt=stale_before)
            | Q(status=Status.FETCHING, status_at__lt=now - fetch_lease())
        )
        resumed |= set(waiting.values_list("batch_id", flat=True))
    for batch_id in sorted(resumed):
        if settings.CELERY_BROKER_URL:
            transaction.on_commit(
                lambda batch_id=batch_id: celery_app().send_task(IMPORT_TASK, args=[batch_id])
            )
        else:
            import_batch_process(batch_id=batch_id)
    return sorted(resumed)


def articles_import_batch(
    *,
    records: Iterable[ArticleInput | ImportProblem],
    name: str,
    importer: AbstractBaseUser | None = None,
    target: ImportTarget | None = None,
    targets: Sequence[ImportTarget | None] | None = None,
    outlet: str | None = None,
    extract: bool = True,
    all_or_nothing: bool = False,
    progress: Callable[[int], None] | None = None,
    urls: Iterable[str] = (),
    n_process: int = 1,
) -> BatchImportResult:
    """Import now, in this process: stage the records (and URLs) and store them at once — the
    command line and the API's article import, which wait for the outcome.

    Each article is stored whole or not at all; a record that fails becomes a problem naming
    its file (and line) and the reason, and the others still import — unless
    `all_or_nothing`, when the first problem raises a ValidationError (fields prefixed with
    the record's position, "2.title") and nothing stays. A batch that adds no article is not
    kept (`batch` is None). Without a broker new articles are parsed by `n_process` processes.
    """
    records = list(records)
    if all_or_nothing:
        for position, record in enumerate(records):
            if isinstance(record, ImportProblem):
                raise ValidationError({f"{position}.{record.source_name}": record.reason})
    with transaction.atomic() if all_or_nothing else nullcontext():
        batch = import_batch_stage(
            records=records,
            urls=urls,
            name=name,
            importer=importer,
            target=target,
            targets=targets,
            outlet=outlet,
            extract=extract,
        )
        import_batch_process(
            batch_id=batch.id,
            all_or_nothing=all_or_nothing,
            progress=progress,
            n_process=n_process,
        )
        result = import_batch_result(batch=batch)
        if not result.created:
            batch.delete()  # nothing new: no empty batch left behind
            result.batch = None
    return result
