"""Importing one article — the one storing path that every import takes (the batches of the
`import_articles` command, the API and the import page: claims/services/import_batches.py).

De-duplication never crosses what the importer may see: the same text is one article among
the articles the importer can already read (everything, for the command line's operator), and
a text someone else imported elsewhere becomes a new article, not a door into their project.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet

from claims.access import corpus_access
from claims.models import Article, ImportBatch, Outlet, text_sha256
from claims.services.same_story import article_fingerprint
from claims.services.versions import CarryReport, article_version_create


@dataclass
class ArticleImportResult:
    article: Article
    created: bool
    quote_count: int
    # When the article is a new version: the version it replaces and what became of its quotes.
    replaced: Article | None = None
    carried: CarryReport | None = None


def outlet_get_or_create(*, name: str) -> Outlet:
    name = name.strip()
    if len(name) > Outlet._meta.get_field("name").max_length:
        raise ValidationError({"outlet": "The outlet name is longer than 200 characters."})
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
    if url and len(url) > Article._meta.get_field("url").max_length:
        errors["url"] = "The URL is longer than 2,000 characters."
    elif url:
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


@dataclass
class _Related:
    """The articles the importer can see that an import may be: the same text (any version),
    or the current version with the same URL, or with the same outlet and title."""

    same_text: list[Article]
    same_url: list[Article]
    same_title: list[Article]


def _related(
    importer: AbstractBaseUser | None,
    *,
    sha256: str,
    url: str | None,
    outlet: Outlet | None,
    title: str,
) -> _Related:
    """One query over indexed columns (sha256, url, outlet + title); the importer's
    visibility is asked only when it finds something — most imported texts match nothing,
    and the visible articles are a subquery that grows with the importer's projects."""
    wanted = Q(sha256=sha256)
    if url:
        wanted |= Q(url=url, replaced_by__isnull=True)
    if outlet is not None:
        wanted |= Q(outlet=outlet, title=title, replaced_by__isnull=True)
    ids = list(Article.objects.filter(wanted).values_list("id", flat=True)[:50])
    if not ids:
        return _Related([], [], [])
    visible = list(articles_visible_to_importer(importer).filter(id__in=ids).order_by("id"))
    current = [article for article in visible if article.replaced_by_id is None]
    return _Related(
        same_text=[article for article in visible if article.sha256 == sha256],
        same_url=[article for article in current if url and article.url == url],
        same_title=[
            article
            for article in current
            if outlet is not None and article.outlet_id == outlet.id and article.title == title
        ],
    )


def _earlier_version(related: _Related) -> Article | None:
    """The current version of the article this import is a new version of: the one with the
    same canonical URL, else with the same outlet and title. None when there is none; a
    ValidationError when several different articles match."""
    matches = related.same_url or related.same_title
    if len(matches) > 1:
        ids = ", ".join(str(article.id) for article in matches[:5])
        raise ValidationError(
            {
                "url": f"This matches several articles ({ids}) by URL or outlet and title; "
                "it cannot tell which one it is a new version of."
            }
        )
    return matches[0] if matches else None


@transaction.atomic
def article_import(
    *,
    title: str,
    text: str,
    url: str | None = None,
    outlet: str | None = None,
    published_at: datetime | None = None,
    author: str = "",
    source_name: str = "",
    batch: ImportBatch | None = None,
    importer: AbstractBaseUser | None = None,
    outlet_row: Outlet | None = None,
) -> ArticleImportResult:
    """Store one article, find it again by its text, or store it as a new version, among the
    articles the importer can see.

    - the same text as an article (or any of its versions): that article, nothing new;
    - the same canonical URL, else the same outlet and title, as an article with another text:
      a new version of it (claims/services/versions.py), if the importer may change it;
    - otherwise a new article.

    All or nothing: on a validation error nothing is written. A new article (or version) is
    "pending": its quotes come from `extraction_dispatch`, called by whoever imports.
    `outlet_row`, when the caller has already found the outlet named `outlet`, saves a query.
    """
    text = text.replace("\r\n", "\n").strip()
    title = " ".join(title.split())
    author = " ".join(author.split())[:300]
    errors = _validate_article_fields(title=title, text=text, url=url)
    if errors:
        raise ValidationError(errors)

    if outlet_row is None and outlet and outlet.strip():
        outlet_row = outlet_get_or_create(name=outlet)
    related = _related(importer, sha256=text_sha256(text), url=url, outlet=outlet_row, title=title)
    if related.same_text:
        existing = min(related.same_text, key=lambda article: (-article.version, article.id))
        return ArticleImportResult(existing, created=False, quote_count=existing.quotes.count())
    previous = _earlier_version(related)
    if previous is not None:
        refusal = corpus_access().article_change_refusal(importer, previous) if importer else None
        if refusal is not None:
            raise ValidationError(
                {
                    "url": f"This is a new version of article {previous.id}, which you may not "
                    f"change: {refusal}"
                }
            )
        article, carried = article_version_create(
            previous=previous,
            title=title,
            text=text,
            url=url,
            outlet=outlet_row,
            published_at=published_at,
            author=author,
            source_name=source_name,
            batch=batch,
        )
        article_fingerprint(article=article)
        return ArticleImportResult(
            article, created=True, quote_count=0, replaced=previous, carried=carried
        )
    article = Article.objects.create(
        title=title,
        text=text,
        url=url or None,
        outlet=outlet_row,
        published_at=published_at,
        author=author,
        source_name=source_name[:500],
        batch=batch,
    )
    article_fingerprint(article=article)
    return ArticleImportResult(article, created=True, quote_count=0)
