"""Search over the quotes and articles a user may see: words, filters, a resolved label.

What keeps a search's cost from growing with article length or without end: quote words are
read from the stored `Quote.content_text` (never sliced out of article text per row) and, on
PostgreSQL, matched through GIN-indexed full-text documents (claims migration 0005); words rank
only the newest `RESULT_CAP` matching quotes (`ARTICLES_RANKED` articles); counts and pages
stop at `RESULT_CAP`; the user's projects are named by id (`InsightScope`), so the planner
sizes them; a label filter is resolved once per search; result lists never load article text;
a query has at most `MAX_WORDS` words (the form refuses more). bench/search.py measures it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from claims.models import Article, Outlet, Quote, Speaker
from insights.selectors import InsightScope
from insights.sql import IdIn, SearchDocument, resolved_label_quote_ids

MAX_WORDS = 10
MAX_QUERY_CHARS = 200
# Searches count at most this many quotes ("10,000+") and page through those only; words on
# PostgreSQL rank the newest this many matches.
RESULT_CAP = 10_000
QUOTES_PER_PAGE = 50
ARTICLES_SHOWN = 20
# Articles matching words: the best ARTICLES_SHOWN of the newest this many.
ARTICLES_RANKED = 200
_NEWEST_QUOTES = ("-article__published_at", "-article_id", "content_start", "id")
_NEWEST_ARTICLES = ("-published_at", "-id")


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


def _day_start(day: date) -> datetime:
    """Midnight starting `day` in the current time zone (UTC by default), as the date filters
    of Django's `__date` lookups read it; compared with a plain range so an index can serve."""
    return timezone.make_aware(datetime.combine(day, time.min))


def label_matches(*, scope: InsightScope, filters: SearchFilters) -> list[int] | None:
    """Ids of the quotes whose resolved label is the filter's, counting the labels in `scope`;
    None without a label filter. One query, run once per search and shared by its quote and
    article queries (its cost grows with the votes on that question in scope)."""
    if filters.label is None:
        return None
    key, value = filters.label
    return resolved_label_quote_ids(scope=scope, key=key, value=value)


def _filter_quotes(
    quotes: QuerySet[Quote], *, filters: SearchFilters, label_ids: list[int] | None
) -> QuerySet[Quote]:
    if filters.speaker is not None:
        quotes = quotes.filter(speaker=filters.speaker)
    if filters.outlet is not None:
        quotes = quotes.filter(article__outlet=filters.outlet)
    if filters.date_from is not None:
        quotes = quotes.filter(article__published_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        next_day = _day_start(filters.date_to + timedelta(days=1))
        quotes = quotes.filter(article__published_at__lt=next_day)
    if filters.kind:
        quotes = quotes.filter(kind=filters.kind)
    if label_ids is not None:
        quotes = quotes.filter(IdIn("id", label_ids))
    return quotes


def _words(q: str) -> list[str]:
    return q.split()[:MAX_WORDS]


def quote_search(
    *, scope: InsightScope, filters: SearchFilters, label_ids: list[int] | None
) -> tuple[QuerySet[Quote], int | None]:
    """Visible quotes matching the filters, and their number when it is already known.

    With words, PostgreSQL matches them against each quote's full-text document (its text,
    weight A, and its speaker's name, B), reads the ids of the newest `RESULT_CAP` matches
    once (their number is the count) and ranks those with ts_rank, best first: ranking every
    match of a word found in half the corpus would cost seconds. SQLite has no ranking: every
    word must occur, case-insensitively, in the quote's stored text or its speaker's name;
    newest first. `label_ids` come from `label_matches`. Article text is not loaded: show
    `content_text`.
    """
    shown = Quote.objects.select_related("article__outlet", "speaker").defer("article__text")
    quotes = _filter_quotes(
        scope.quotes().select_related("article__outlet", "speaker").defer("article__text"),
        filters=filters,
        label_ids=label_ids,
    )
    if not filters.q:
        return quotes.order_by(*_NEWEST_QUOTES), None
    if full_text_search_available():
        query = SearchQuery(filters.q, search_type="websearch", config="english")
        matching = quotes.alias(document=SearchDocument()).filter(document=query)
        newest = list(matching.order_by(*_NEWEST_QUOTES).values_list("id", flat=True)[:RESULT_CAP])
        ranked = (
            shown.filter(IdIn("id", newest))
            .annotate(rank=SearchRank(SearchDocument(), query))
            .order_by("-rank", *_NEWEST_QUOTES)
        )
        return ranked, len(newest)
    for word in _words(filters.q):
        quotes = quotes.filter(Q(content_text__icontains=word) | Q(speaker__name__icontains=word))
    return quotes.order_by(*_NEWEST_QUOTES), None


def article_search(
    *, scope: InsightScope, filters: SearchFilters, label_ids: list[int] | None
) -> QuerySet[Article]:
    """Visible articles matching the words (title weight A, text B) and filters, without their
    text; on PostgreSQL the newest `ARTICLES_RANKED` matches, best first. Speaker, kind and
    label filters keep the articles that have a quote matching them.
    """
    shown = Article.objects.select_related("outlet").defer("text")
    articles = scope.articles().select_related("outlet").defer("text")
    if filters.outlet is not None:
        articles = articles.filter(outlet=filters.outlet)
    if filters.date_from is not None:
        articles = articles.filter(published_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        articles = articles.filter(published_at__lt=_day_start(filters.date_to + timedelta(1)))
    if filters.filters_quotes:
        matching = _filter_quotes(scope.quotes(), filters=filters, label_ids=label_ids)
        articles = articles.filter(id__in=matching.values("article_id"))
    if not filters.q:
        return articles.order_by(*_NEWEST_ARTICLES)
    if full_text_search_available():
        query = SearchQuery(filters.q, search_type="websearch", config="english")
        matching = articles.alias(document=SearchDocument()).filter(document=query)
        newest = matching.order_by(*_NEWEST_ARTICLES).values("id")[:ARTICLES_RANKED]
        return (
            shown.filter(id__in=newest)
            .annotate(rank=SearchRank(SearchDocument(), query))
            .order_by("-rank", *_NEWEST_ARTICLES)
        )
    for word in _words(filters.q):
        articles = articles.filter(Q(title__icontains=word) | Q(text__icontains=word))
    return articles.order_by(*_NEWEST_ARTICLES)


class CappedPaginator(Paginator):
    """Pages through at most `RESULT_CAP` rows: counts them with one bounded COUNT (without
    ordering or ranking) unless the count is already known."""

    def __init__(self, object_list, per_page, *, known_count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return self.object_list.order_by().values("pk")[:RESULT_CAP].count()

    @property
    def is_capped(self) -> bool:
        """Whether more rows match than were counted."""
        return self.count >= RESULT_CAP


@dataclass
class SearchResults:
    quotes: QuerySet[Quote]
    articles: QuerySet[Article]
    quote_count: int | None = None  # when the search already knows it

    def quote_page(self, number):
        """One page of quotes (`QUOTES_PER_PAGE`); a bad or too high number gives a valid page."""
        paginator = CappedPaginator(self.quotes, QUOTES_PER_PAGE, known_count=self.quote_count)
        return paginator.get_page(number)

    def first_articles(self) -> list[Article]:
        """The first `ARTICLES_SHOWN` articles, each with its `quote_count` (counted for
        these rows only)."""
        quotes = (
            Quote.objects.filter(article=OuterRef("pk"), is_rejected=False)
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counted = self.articles.annotate(quote_count=Coalesce(Subquery(quotes), 0))
        return list(counted[:ARTICLES_SHOWN])


def search(*, scope: InsightScope, filters: SearchFilters) -> SearchResults:
    """Quotes and articles in `scope` (`insight_scope`) matching the filters; a label filter
    is resolved once, for both."""
    label_ids = label_matches(scope=scope, filters=filters)
    quotes, quote_count = quote_search(scope=scope, filters=filters, label_ids=label_ids)
    articles = article_search(scope=scope, filters=filters, label_ids=label_ids)
    return SearchResults(quotes=quotes, articles=articles, quote_count=quote_count)
