"""Search over the quotes and articles a user may see: words, filters, a resolved label."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Replace, Substr

from claims.models import Article, Outlet, Quote, Speaker
from claims.selectors import article_list_visible
from insights.selectors import (
    LabelScope,
    label_scope,
    quotes_visible,
    resolved_label_condition,
)


@dataclass
class SearchFilters:
    q: str = ""
    speaker: Speaker | None = None
    outlet: Outlet | None = None
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    label: tuple[str, str] | None = None  # (dimension key, choice value)

    @property
    def filters_quotes(self) -> bool:
        """Whether a filter applies to quotes only (articles then need a matching quote)."""
        return bool(self.speaker or self.kind or self.label)


def full_text_search_available() -> bool:
    return connection.vendor == "postgresql"


def _quote_content():
    return Substr("article__text", F("content_start") + 1, F("content_end") - F("content_start"))


def _searchable(expression):
    """PostgreSQL's parser reads "<...>" as a markup tag and drops the words in it."""
    text = TextField()
    inner = Replace(expression, Value("<"), Value(" "), output_field=text)
    return Replace(inner, Value(">"), Value(" "), output_field=text)


def _ranked(queryset: QuerySet, vector: SearchVector, words: str) -> QuerySet:
    """Keep the rows matching the words (@@) and order them best first."""
    query = SearchQuery(words, search_type="websearch", config="english")
    return queryset.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query)


def _filter_quotes(
    quotes: QuerySet[Quote], *, filters: SearchFilters, scope: LabelScope | None
) -> QuerySet[Quote]:
    if filters.speaker is not None:
        quotes = quotes.filter(speaker=filters.speaker)
    if filters.outlet is not None:
        quotes = quotes.filter(article__outlet=filters.outlet)
    if filters.date_from is not None:
        quotes = quotes.filter(article__published_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        quotes = quotes.filter(article__published_at__date__lte=filters.date_to)
    if filters.kind:
        quotes = quotes.filter(kind=filters.kind)
    if filters.label is not None:
        condition, annotations = resolved_label_condition(
            scope=scope, key=filters.label[0], value=filters.label[1]
        )
        quotes = quotes.annotate(**annotations).filter(condition)
    return quotes


def quote_search(
    *, user: AbstractBaseUser, filters: SearchFilters, scope: LabelScope | None = None
) -> QuerySet[Quote]:
    """Visible quotes matching the filters; best match first on PostgreSQL, else newest first.

    PostgreSQL ranks with full-text search over the quote text (weight A) and the speaker's
    name (B). SQLite has no full-text ranking here: every word must occur (case-insensitively)
    in the quote text or the speaker's name. A label filter counts the labels in `scope`
    (default: the user's `label_scope`).
    """
    if filters.label is not None and scope is None:
        scope = label_scope(user=user)
    quotes = _filter_quotes(
        quotes_visible(user=user).select_related("article__outlet", "speaker"),
        filters=filters,
        scope=scope,
    )
    newest = ["-article__published_at", "-article_id", "content_start", "id"]
    if not filters.q:
        return quotes.order_by(*newest)
    if full_text_search_available():
        vector = SearchVector(
            _searchable(_quote_content()), weight="A", config="english"
        ) + SearchVector(
            _searchable(Coalesce("speaker__name", Value(""))), weight="B", config="english"
        )
        return _ranked(quotes, vector, filters.q).order_by("-rank", *newest)
    quotes = quotes.annotate(content_text=_quote_content())
    for word in filters.q.split()[:10]:
        quotes = quotes.filter(Q(content_text__icontains=word) | Q(speaker__name__icontains=word))
    return quotes.order_by(*newest)


def article_search(
    *, user: AbstractBaseUser, filters: SearchFilters, scope: LabelScope | None = None
) -> QuerySet[Article]:
    """Visible articles matching the words (title weight A, text B) and filters.

    Speaker, kind and label filters keep the articles that have a quote matching them.
    """
    if filters.label is not None and scope is None:
        scope = label_scope(user=user)
    articles = article_list_visible(user=user)
    if filters.outlet is not None:
        articles = articles.filter(outlet=filters.outlet)
    if filters.date_from is not None:
        articles = articles.filter(published_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        articles = articles.filter(published_at__date__lte=filters.date_to)
    if filters.filters_quotes:
        matching = _filter_quotes(quotes_visible(user=user), filters=filters, scope=scope)
        articles = articles.filter(id__in=matching.values("article_id"))
    newest = ["-published_at", "-id"]
    if not filters.q:
        return articles.order_by(*newest)
    if full_text_search_available():
        vector = SearchVector(_searchable(F("title")), weight="A", config="english") + SearchVector(
            _searchable(F("text")), weight="B", config="english"
        )
        return _ranked(articles, vector, filters.q).order_by("-rank", *newest)
    for word in filters.q.split()[:10]:
        articles = articles.filter(Q(title__icontains=word) | Q(text__icontains=word))
    return articles.order_by(*newest)


@dataclass
class SearchResults:
    quotes: QuerySet[Quote]
    articles: QuerySet[Article]


def search(*, user: AbstractBaseUser, filters: SearchFilters) -> SearchResults:
    """Quotes and articles matching the filters, sharing one `label_scope` read."""
    scope = label_scope(user=user) if filters.label is not None else None
    return SearchResults(
        quotes=quote_search(user=user, filters=filters, scope=scope),
        articles=article_search(user=user, filters=filters, scope=scope),
    )
