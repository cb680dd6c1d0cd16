"""Writes to the corpus: importing articles, storing extracted quotes, resolving speakers."""

import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.extraction import EXTRACTOR_VERSION, ExtractedQuote, extract_quotes
from claims.importing import ArticleInput, ImportProblem
from claims.models import (
    Article,
    ImportBatch,
    Outlet,
    Quote,
    QuoteEdit,
    Speaker,
    SpeakerAlias,
    SpeakerMerge,
    text_sha256,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArticleImportResult:
    article: Article
    created: bool
    quote_count: int


def outlet_get_or_create(*, name: str) -> Outlet:
    name = name.strip()
    outlet = Outlet.objects.filter(name__iexact=name).first()
    return outlet or Outlet.objects.create(name=name)


def _validate_article_fields(*, title: str, text: str, url: str | None) -> dict[str, str]:
    errors = {}
    if not title.strip():
        errors["title"] = "The title is empty."
    elif len(title) > Article._meta.get_field("title").max_length:
        errors["title"] = "The title is longer than 500 characters."
    if not text.strip():
        errors["text"] = "The article text is empty."
    elif len(text) > settings.ARTICLE_MAX_CHARS:
        errors["text"] = (
            f"The article text has {len(text):,} characters; the limit is "
            f"{settings.ARTICLE_MAX_CHARS:,} (ARTICLE_MAX_CHARS)."
        )
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = f"{url!r} is not a valid http(s) URL."
    return errors


@transaction.atomic
def article_import(
    *,
    title: str,
    text: str,
    url: str | None = None,
    outlet: str | None = None,
    published_at: datetime | None = None,
    source_name: str = "",
    batch: ImportBatch | None = None,
    extract: bool = True,
) -> ArticleImportResult:
    """Store one article (or find it again by its text) and extract its quotes.

    Idempotent: the same text imported twice is one article. All or nothing: on a validation
    error nothing is written. With CELERY_BROKER_URL set, extraction is queued for a worker
    and the article stays "pending" until it runs; otherwise it runs here.
    """
    text = text.replace("\r\n", "\n").strip()
    title = " ".join(title.split())
    errors = _validate_article_fields(title=title, text=text, url=url)
    if errors:
        raise ValidationError(errors)

    existing = Article.objects.filter(sha256=text_sha256(text)).first()
    if existing is not None:
        return ArticleImportResult(existing, created=False, quote_count=existing.quotes.count())
    if url and (other := Article.objects.filter(url=url).only("id").first()):
        raise ValidationError(
            {"url": f"This URL already belongs to article {other.id}, which has a different text."}
        )

    article = Article.objects.create(
        title=title,
        text=text,
        url=url or None,
        outlet=outlet_get_or_create(name=outlet) if outlet and outlet.strip() else None,
        published_at=published_at,
        source_name=source_name[:500],
        batch=batch,
    )
    quote_count = 0
    if extract and settings.CELERY_BROKER_URL:
        article_extract_quotes_later(article=article)
    elif extract:
        quote_count = article_extract_quotes(article=article)
    return ArticleImportResult(article, created=True, quote_count=quote_count)


def _extraction_status_set(article_id: int, status: str, **fields) -> None:
    Article.objects.filter(pk=article_id).update(
        extraction_status=status, extraction_status_at=timezone.now(), **fields
    )


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def article_extract_quotes_later(*, article: Article) -> None:
    """Queue extraction for a Celery worker once the article is committed."""
    articles_extract_later(article_ids=[article.id])


def articles_extract_later(*, article_ids: list[int]) -> None:
    """Queue one extraction task per article, sent when the surrounding transaction commits.

    Sent after commit so that a worker never looks for an article it cannot see yet, and a
    rolled-back import queues nothing.
    """
    from claims.tasks import extract_article_quotes

    def send() -> None:
        for article_id in article_ids:
            extract_article_quotes.delay(article_id)

    if article_ids:
        transaction.on_commit(send)


def article_extraction_run(*, article: Article, nlp=None) -> int:
    """Extract one article's quotes and store them; returns how many quotes it has.

    Status goes running, then done (stored in the same transaction as the quotes) or failed
    with the error, which is raised again for the caller (a Celery task retries on it). A run
    that dies midway leaves no quote of that run behind: the quotes commit all at once.
    """
    from claims.nlp import get_nlp

    _extraction_status_set(article.pk, Article.ExtractionStatus.RUNNING)
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
            _extraction_status_set(
                article.pk,
                Article.ExtractionStatus.DONE,
                extraction_error="",
                extracted_at=timezone.now(),
            )
    except Exception as error:
        _extraction_status_set(
            article.pk, Article.ExtractionStatus.FAILED, extraction_error=_error_text(error)
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


def article_extraction_retry_wait(
    *, article_id: int, error: BaseException, attempt: int, attempts: int, delay: float
) -> None:
    """Record a failed attempt that will be tried again: pending, with the error and when."""
    _extraction_status_set(
        article_id,
        Article.ExtractionStatus.PENDING,
        extraction_error=(
            f"Attempt {attempt} of {attempts} failed, retrying in {delay:g} s: {_error_text(error)}"
        )[:2000],
    )


def extraction_requeue(
    *, articles: QuerySet[Article], stale_minutes: int | None = None, failed: bool = True
) -> list[int]:
    """Queue extraction again for the failed articles among `articles` and the stuck ones.

    Stuck means pending or running with no status change for `stale_minutes` (its task was
    lost: a killed worker, a flushed broker). With a broker the articles go back to pending
    and a task each is queued on commit; without one they are extracted here and now.
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
        for article in Article.objects.filter(id__in=article_ids).order_by("id"):
            article_extract_quotes(article=article)
    return article_ids


@dataclass
class BatchImportResult:
    """What one import did: the batch (None when nothing new), counts, and what was refused."""

    batch: ImportBatch | None
    created: int = 0
    existing: int = 0
    quote_count: int = 0
    problems: list[ImportProblem] = dataclasses.field(default_factory=list)


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
    return " ".join(error.messages)


def articles_import_batch(
    *,
    records: Iterable[ArticleInput | ImportProblem],
    name: str,
    created_by=None,
    project=None,
    outlet: str | None = None,
    extract: bool = True,
) -> BatchImportResult:
    """Import parsed records as one ImportBatch, each article whole or not at all.

    A record that fails validation becomes a problem naming its file (and line) and the
    reason; the others still import. Articles join `project` when one is given. Extraction
    is queued per article (Celery) or run here (no broker); the batch page shows progress.
    """
    records = list(records)
    result = BatchImportResult(
        batch=None, problems=[r for r in records if isinstance(r, ImportProblem)]
    )
    inputs = [r for r in records if isinstance(r, ArticleInput)]
    if not inputs:
        return result
    batch = ImportBatch.objects.create(name=name[:200] or "Import", created_by=created_by)
    for record in inputs:
        try:
            with transaction.atomic():
                imported = article_import(
                    title=record.title,
                    text=record.text,
                    url=record.url,
                    outlet=record.outlet or outlet,
                    published_at=record.published_at,
                    source_name=record.source_name,
                    batch=batch,
                    extract=extract,
                )
                if project is not None:
                    project.articles.add(imported.article)
        except ValidationError as error:
            result.problems.append(ImportProblem(record.source_name, _validation_message(error)))
            continue
        if imported.created:
            result.created += 1
            result.quote_count += imported.quote_count
        else:
            result.existing += 1
    if result.created:
        result.batch = batch
    else:
        batch.delete()
    return result


class SpeakerResolver:
    """Finds or creates canonical speakers, remembering them for one import run.

    "Vladimir Zelensky" and a later (or earlier) bare "Zelensky" become one speaker: a full
    name registers its last word as an alias, and a bare surname finds the full name by it.
    """

    def __init__(self) -> None:
        self._cache: dict[str, Speaker] = {}

    def resolve(
        self, *, name: str, kind: str = Speaker.Kind.PERSON, description: str = ""
    ) -> Speaker | None:
        name = " ".join(name.split())
        if not name:
            return None
        key = name.lower()
        if key not in self._cache:
            self._cache[key] = speaker_get_or_create(name=name, kind=kind, description=description)
        return self._cache[key]


def _speaker_kind(kind: str) -> str:
    return kind if kind in Speaker.Kind.values else Speaker.Kind.PERSON


def speaker_get_or_create(
    *, name: str, kind: str = Speaker.Kind.PERSON, description: str = ""
) -> Speaker:
    """The one Speaker for a name, matched by name or alias, case-insensitively."""
    name = " ".join(name.split())[:300]
    speaker = (
        Speaker.objects.filter(Q(name__iexact=name) | Q(aliases__alias__iexact=name))
        .distinct()
        .first()
    )
    if speaker:
        return speaker
    words = name.split()
    kind = _speaker_kind(kind)
    if kind == Speaker.Kind.PERSON and len(words) > 1:
        # An earlier bare surname ("Zelensky") becomes this fuller name.
        surname_only = Speaker.objects.filter(name__iexact=words[-1], kind=kind).first()
        if surname_only:
            old_name = surname_only.name
            surname_only.name = name
            surname_only.save(update_fields=["name"])
            SpeakerAlias.objects.get_or_create(speaker=surname_only, alias=old_name)
            return surname_only
    speaker = Speaker.objects.create(name=name, kind=kind, description=description[:300])
    if kind == Speaker.Kind.PERSON and len(words) > 1:
        surname = words[-1]
        taken = SpeakerAlias.objects.filter(alias__iexact=surname).exists()
        if not taken and not Speaker.objects.filter(name__iexact=surname).exists():
            SpeakerAlias.objects.create(speaker=speaker, alias=surname)
    return speaker


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


def _protected_quotes(article: Article) -> Iterable[Quote]:
    from annotations.models import Label

    return article.quotes.filter(
        Q(edited_at__isnull=False)
        | Q(is_rejected=True)
        | Q(origin=Quote.Origin.MANUAL)
        | Exists(Label.objects.filter(quote=OuterRef("pk")))
    )


def quotes_store_extracted(*, article: Article, extracted: list[ExtractedQuote]) -> None:
    """Merge an extraction run into the article's quotes.

    New spans are added and untouched extracted quotes are updated or, if no longer found,
    removed; a quote that annotators labelled, edited, rejected or added is never dropped or
    altered, and a new span overlapping one of those is not added beside it.
    """
    protected = list(_protected_quotes(article))
    protected_ids = {quote.id for quote in protected}
    existing = {
        (quote.content_start, quote.content_end): quote
        for quote in article.quotes.all()
        if quote.id not in protected_ids
    }
    resolver = SpeakerResolver()
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
        speaker = resolver.resolve(
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


_QUOTE_EDITABLE_FIELDS = (
    "kind",
    "content_start",
    "content_end",
    "speaker_id",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
    "is_rejected",
)


def _quote_state(quote: Quote) -> dict:
    return {field: getattr(quote, field) for field in _QUOTE_EDITABLE_FIELDS}


def _validate_quote(quote: Quote) -> None:
    errors = {}
    if quote.kind not in Quote.Kind.values:
        errors["kind"] = f"Unknown kind {quote.kind!r}; use one of {', '.join(Quote.Kind.values)}."
    try:
        quote.clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    clash = Quote.objects.filter(
        article_id=quote.article_id,
        content_start=quote.content_start,
        content_end=quote.content_end,
    ).exclude(pk=quote.pk)
    if clash.exists():
        raise ValidationError({"content_start": "The article already has a quote with this span."})


@transaction.atomic
def quote_create_manual(
    *,
    article: Article,
    editor,
    kind: str,
    content_start: int,
    content_end: int,
    speaker: Speaker | None = None,
    speaker_start: int | None = None,
    speaker_end: int | None = None,
    cue_start: int | None = None,
    cue_end: int | None = None,
) -> Quote:
    """Add a quote the extractor missed; spans are checked against the article text."""
    quote = Quote(
        article=article,
        kind=kind,
        content_start=content_start,
        content_end=content_end,
        speaker=speaker,
        speaker_start=speaker_start,
        speaker_end=speaker_end,
        cue_start=cue_start,
        cue_end=cue_end,
        origin=Quote.Origin.MANUAL,
        edited_by=editor,
        edited_at=timezone.now(),
    )
    _validate_quote(quote)
    quote.save()
    QuoteEdit.objects.create(
        quote=quote, editor=editor, action=QuoteEdit.Action.CREATE, after=_quote_state(quote)
    )
    return quote


@transaction.atomic
def quote_update(*, quote: Quote, editor, **changes) -> Quote:
    """Correct a quote (span, kind, speaker, cue, or "not a quote"), recording who and when.

    Only the fields given change; the edit is kept with the values before and after.
    """
    unknown = set(changes) - {*_QUOTE_EDITABLE_FIELDS, "speaker"}
    if unknown:
        raise ValidationError({field: "This field cannot be changed." for field in unknown})
    quote = Quote.objects.select_for_update().select_related("article").get(pk=quote.pk)
    before = _quote_state(quote)
    for field, value in changes.items():
        setattr(quote, field, value)
    after = _quote_state(quote)
    if after == before:
        return quote
    _validate_quote(quote)
    quote.edited_by = editor
    quote.edited_at = timezone.now()
    quote.save()
    if before["is_rejected"] != after["is_rejected"]:
        action = QuoteEdit.Action.REJECT if after["is_rejected"] else QuoteEdit.Action.RESTORE
    else:
        action = QuoteEdit.Action.UPDATE
    changed = [field for field in after if after[field] != before[field]]
    QuoteEdit.objects.create(
        quote=quote,
        editor=editor,
        action=action,
        before={field: before[field] for field in changed},
        after={field: after[field] for field in changed},
    )
    return quote


def speaker_merge_permitted(*, user) -> bool:
    """Staff and the manager of any project may merge speakers (and undo merges)."""
    from annotations.models import Membership

    if user.is_staff:
        return True
    return Membership.objects.filter(user=user, role=Membership.Role.MANAGER).exists()


@transaction.atomic
def speaker_merge(*, source: Speaker, target: Speaker, merged_by) -> SpeakerMerge:
    """Fold `source` into `target`: its quotes and aliases move over, its name becomes an alias.

    The source is deleted; the returned record keeps its name, kind, description, aliases and
    the ids of the quotes moved, so `speaker_merge_undo` can put everything back.
    """
    if not speaker_merge_permitted(user=merged_by):
        raise PermissionDenied("Only staff or a project manager may merge speakers.")
    if source.pk == target.pk:
        raise ValidationError({"source": "A speaker cannot be merged into itself."})
    locked = {
        speaker.pk: speaker
        for speaker in Speaker.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    if len(locked) != 2:
        raise ValidationError({"source": "One of the speakers no longer exists."})
    source, target = locked[source.pk], locked[target.pk]
    quote_ids = sorted(Quote.objects.filter(speaker=source).values_list("id", flat=True))
    aliases = sorted(source.aliases.values_list("alias", flat=True))
    name_taken = SpeakerAlias.objects.filter(alias__iexact=source.name).exists()
    merge = SpeakerMerge.objects.create(
        target=target,
        target_name=target.name,
        source_speaker_id=source.pk,
        source_name=source.name,
        source_kind=source.kind,
        source_description=source.description,
        source_aliases=aliases,
        added_alias="" if name_taken else source.name,
        quote_ids=quote_ids,
        merged_by=merged_by,
    )
    Quote.objects.filter(id__in=quote_ids).update(speaker=target)
    SpeakerAlias.objects.filter(speaker=source).update(speaker=target)
    source.delete()
    if merge.added_alias:
        SpeakerAlias.objects.create(speaker=target, alias=merge.added_alias)
    return merge


@transaction.atomic
def speaker_merge_undo(*, merge: SpeakerMerge, undone_by=None) -> Speaker:
    """Recreate the merged-away speaker as it was and move exactly its quotes and aliases back.

    Quotes someone has since given to yet another speaker stay where they are.
    """
    if undone_by is not None and not speaker_merge_permitted(user=undone_by):
        raise PermissionDenied("Only staff or a project manager may undo a merge.")
    merge = SpeakerMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.is_undone:
        raise ValidationError({"merge": "This merge has already been undone."})
    if merge.target_id is None:
        raise ValidationError(
            {"merge": f"{merge.target_name} no longer exists (merged on?); undo that first."}
        )
    if Speaker.objects.filter(name__iexact=merge.source_name).exists():
        raise ValidationError({"merge": f"A speaker named {merge.source_name!r} exists again."})
    if merge.added_alias:
        SpeakerAlias.objects.filter(speaker_id=merge.target_id, alias=merge.added_alias).delete()
    clashing = SpeakerAlias.objects.filter(alias__in=merge.source_aliases).exclude(
        speaker_id=merge.target_id
    )
    if clashing.exists():
        raise ValidationError(
            {"merge": f"The alias {clashing.first().alias!r} now belongs to another speaker."}
        )
    fields = {
        "name": merge.source_name,
        "kind": merge.source_kind,
        "description": merge.source_description,
    }
    # Give the speaker its old id back when free, so links and API clients keep working.
    if not Speaker.objects.filter(pk=merge.source_speaker_id).exists():
        fields["id"] = merge.source_speaker_id
    source = Speaker.objects.create(**fields)
    SpeakerAlias.objects.filter(speaker_id=merge.target_id, alias__in=merge.source_aliases).delete()
    SpeakerAlias.objects.bulk_create(
        SpeakerAlias(speaker=source, alias=alias) for alias in merge.source_aliases
    )
    Quote.objects.filter(id__in=merge.quote_ids, speaker_id=merge.target_id).update(speaker=source)
    merge.undone_at = timezone.now()
    merge.undone_by = undone_by
    merge.save(update_fields=["undone_at", "undone_by"])
    return source
