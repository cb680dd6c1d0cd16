"""Importing articles: one article, and a batch of them — the one import path that the
`import_articles` command, the API and the import page all take.

De-duplication never crosses what the importer may see: the same text is one article among
the articles the importer can already read (everything, for the command line's operator), and
a text someone else imported elsewhere becomes a new article, not a door into their project.
"""

from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet

from claims.access import ImportTarget, corpus_access
from claims.importing import ArticleInput, ImportProblem
from claims.models import Article, ImportBatch, Outlet, text_sha256
from claims.services.extraction_queue import extraction_dispatch


@dataclass
class ArticleImportResult:
    article: Article
    created: bool
    quote_count: int


@dataclass
class BatchImportResult:
    """What one import did: the batch (None when nothing new), counts, each stored record's
    result in order, and what was refused."""

    batch: ImportBatch | None
    created: int = 0
    existing: int = 0
    quote_count: int = 0
    articles: list[ArticleImportResult] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


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


def articles_visible_to_importer(importer: AbstractBaseUser | None) -> QuerySet[Article]:
    """What an import may de-duplicate against: the importer's articles; everything for the
    operator at the command line (no importer)."""
    if importer is None:
        return Article.objects.all()
    return corpus_access().articles_visible(importer)


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
    importer: AbstractBaseUser | None = None,
) -> ArticleImportResult:
    """Store one article, or find it again by its text among those the importer can see.

    All or nothing: on a validation error nothing is written. The new article is "pending":
    its quotes come from `extraction_dispatch` (articles_import_batch calls it).
    """
    text = text.replace("\r\n", "\n").strip()
    title = " ".join(title.split())
    errors = _validate_article_fields(title=title, text=text, url=url)
    if errors:
        raise ValidationError(errors)

    visible = articles_visible_to_importer(importer)
    existing = visible.filter(sha256=text_sha256(text)).order_by("id").first()
    if existing is not None:
        return ArticleImportResult(existing, created=False, quote_count=existing.quotes.count())
    if url and (other := visible.filter(url=url).only("id").first()):
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
    return ArticleImportResult(article, created=True, quote_count=0)


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
    return " ".join(error.messages)


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
    n_process: int = 1,
) -> BatchImportResult:
    """Import parsed records as one ImportBatch and extract the new articles' quotes.

    Each article is stored whole or not at all; a record that fails validation becomes a
    problem naming its file (and line) and the reason, and the others still import — unless
    `all_or_nothing`, when the first problem raises a ValidationError (fields prefixed with the
    record's position, "2.title") and nothing stays. Articles join `target` (or each its own
    of `targets`). Extraction is queued for Celery workers, or runs here (no broker), parsed
    in batches by `n_process` processes; `progress(n)` is told of articles done. The batch
    page shows the rest.
    """
    records = list(records)
    if targets is not None and len(targets) != len(records):
        raise ValueError("give one target per record")
    result = BatchImportResult(batch=None)
    inputs = []
    for position, record in enumerate(records):
        if isinstance(record, ImportProblem):
            if all_or_nothing:
                raise ValidationError({f"{position}.{record.source_name}": record.reason})
            result.problems.append(record)
        else:
            inputs.append((position, record))
    if not inputs:
        return result
    # The API's all-or-nothing import is one transaction; otherwise each article commits on
    # its own, so a long import holds no lock for its whole length.
    with transaction.atomic() if all_or_nothing else nullcontext():
        batch = ImportBatch.objects.create(
            name=name[:200] or "Import", created_by=importer if importer else None
        )
        for position, record in inputs:
            record_target = targets[position] if targets is not None else target
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
                        importer=importer,
                    )
                    if record_target is not None:
                        corpus_access().import_link(record_target, [imported.article.id])
            except ValidationError as error:
                if all_or_nothing:
                    raise ValidationError(
                        {f"{position}.{key}": msgs for key, msgs in error.message_dict.items()}
                    ) from None
                result.problems.append(
                    ImportProblem(record.source_name, _validation_message(error))
                )
                continue
            result.articles.append(imported)
            if imported.created:
                result.created += 1
            else:
                result.existing += 1
        if not result.created:
            batch.delete()  # nothing new: no empty batch left behind
            return result
        result.batch = batch
        if extract:
            created = [r.article for r in result.articles if r.created]
            counts = extraction_dispatch(articles=created, progress=progress, n_process=n_process)
            for imported in result.articles:
                if imported.created:
                    imported.quote_count = counts.get(imported.article.id, 0)
            result.quote_count = sum(counts.values())
    return result
