"""Aggregate reads for the insight pages and API: search, speaker and outlet figures.

Who sees what: only quotes in articles of the user's projects (staff: all), and only labels
and gold labels of the user's projects (staff: all projects). Label-based figures use one
*resolved* value per quote and question, decided by the rule in `resolve_votes`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Replace, Substr

from annotations.default_schema import DEFAULT_SCHEMA
from annotations.models import Gold, Label, Project
from claims.models import Article, Outlet, Quote, Speaker
from claims.selectors import article_list_visible, quote_list_visible, speaker_list_visible

STANCE = "stance"
SOURCING = "sourcing"
NO_TARGET = "(no target)"
UNDATED = "undated"
LABEL_FAMILIES = (STANCE, SOURCING)
# The order values appear in charts and tables: the default schema's, then any others.
VALUE_ORDER = {
    spec["key"]: [value for value, _label, _help in spec["choices"]] for spec in DEFAULT_SCHEMA
}


@dataclass
class CountTable:
    """Counts by row (a month, a target) and series (a label value): what one chart shows."""

    key: str
    title: str
    description: str
    row_header: str
    series_header: str
    rows: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def count(self, row: str, series: str) -> int:
        return self.counts.get((row, series), 0)

    def row_total(self, row: str) -> int:
        return sum(self.count(row, series) for series in self.series)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def matrix(self) -> list[tuple[str, list[int], int]]:
        """(row, counts in series order, row total) for templates and CSV."""
        return [
            (row, [self.count(row, series) for series in self.series], self.row_total(row))
            for row in self.rows
        ]

    def share(self, series: str) -> float | None:
        """The fraction of all counts that fall in one series (None when there are none)."""
        total = self.total
        if not total:
            return None
        return sum(self.count(row, series) for row in self.rows) / total


def _ordered_values(family: str, values) -> list[str]:
    known = VALUE_ORDER.get(family, [])
    values = set(values)
    return [v for v in known if v in values] + sorted(values - set(known))


def _ordered_values_all(family: str, values) -> list[str]:
    """Every value of the default schema, plus any other seen: charts keep a stable legend."""
    known = VALUE_ORDER.get(family, [])
    return known + sorted(set(values) - set(known))


# --- visibility -------------------------------------------------------------------------------


def member_projects(*, user: AbstractBaseUser) -> QuerySet[Project]:
    """Projects whose labels count for this user: their own projects; staff, every project."""
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def quotes_visible(*, user: AbstractBaseUser) -> QuerySet[Quote]:
    """Non-rejected quotes in articles the user may see."""
    return quote_list_visible(user=user).filter(is_rejected=False)


def speaker_get_visible(*, user: AbstractBaseUser, speaker_id: int) -> Speaker | None:
    """A speaker quoted in an article the user may see (staff: any), with aliases."""
    return speaker_list_visible(user=user).filter(id=speaker_id).first()


def outlets_visible(*, user: AbstractBaseUser) -> QuerySet[Outlet]:
    """Outlets of visible articles, with their visible article and quote counts."""
    articles = article_list_visible(user=user).values("id")
    visible_articles = Q(articles__id__in=articles)
    return (
        Outlet.objects.filter(id__in=article_list_visible(user=user).values("outlet_id"))
        .annotate(
            article_count=Count("articles", filter=visible_articles, distinct=True),
            quote_count=Count(
                "articles__quotes",
                filter=visible_articles & Q(articles__quotes__is_rejected=False),
                distinct=True,
            ),
        )
        .order_by("name", "id")
    )


def outlet_get_visible(*, user: AbstractBaseUser, outlet_id: int) -> Outlet | None:
    return outlets_visible(user=user).filter(id=outlet_id).first()


# --- label resolution ------------------------------------------------------------------------


def resolve_votes(gold: dict[tuple, Counter], labels: dict[tuple, Counter]) -> dict[tuple, str]:
    """One value per (quote, question): gold where present, else the annotators' majority.

    Gold labels of the user's projects win: if any exists for the quote and question, only
    gold counts. Otherwise every annotator's label is one vote per chosen value. The value
    with strictly more votes than any other wins; a tie leaves the quote unresolved (it is
    not counted in label-based figures).
    """
    resolved = {}
    for unit in gold.keys() | labels.keys():
        votes = gold.get(unit) or labels.get(unit)
        if not votes:
            continue
        ranked = votes.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            resolved[unit] = ranked[0][0]
    return resolved


def _family_filter(prefix: str, family: str) -> Q:
    key = f"{prefix}dimension__key"
    if family == STANCE:
        return Q(**{key: STANCE}) | Q(**{f"{key}__startswith": f"{STANCE}-"})
    return Q(**{key: family})


def labels_resolved(
    *, user: AbstractBaseUser, quotes: QuerySet[Quote], family: str
) -> dict[tuple[int, str], str]:
    """Resolved values keyed by (quote id, target) for stance, (quote id, "") otherwise.

    Two queries, however many quotes: one for gold labels, one for annotators' labels.
    Stance is asked per target (keys stance, stance-2, …), so it resolves per target text.
    """
    projects = member_projects(user=user).values("id")
    quote_ids = quotes.order_by().values("id")
    votes: list[dict[tuple, Counter]] = []
    for model in (Gold, Label):
        through = model.choices.through
        owner = "gold" if model is Gold else "label"
        rows = through.objects.filter(
            _family_filter(f"{owner}__", family),
            **{f"{owner}__quote_id__in": quote_ids, f"{owner}__project_id__in": projects},
        ).values_list(f"{owner}__quote_id", f"{owner}__dimension__target", "choice__value")
        counted: dict[tuple, Counter] = defaultdict(Counter)
        for quote_id, target, value in rows:
            group = (target or NO_TARGET) if family == STANCE else ""
            counted[(quote_id, group)][value] += 1
        votes.append(counted)
    return resolve_votes(*votes)


def _resolved_label_filter(*, user: AbstractBaseUser, key: str, value: str) -> tuple[Q, dict]:
    """SQL for "the quote's resolved `key` label is `value`" (the rule of `resolve_votes`).

    Returns the annotations to add and the condition on them. Resolves per dimension key
    (stance-2 is its own question), over the user's projects.
    """
    projects = member_projects(user=user).values("id")

    def votes(model):
        owner = "gold" if model is Gold else "label"
        return model.choices.through.objects.filter(
            **{
                f"{owner}__quote_id": OuterRef("pk"),
                f"{owner}__project_id__in": projects,
                f"{owner}__dimension__key": key,
            }
        )

    def most_votes(rows):
        """Votes of the most chosen value among `rows` (0 when none)."""
        per_value = rows.order_by().values("choice__value").annotate(n=Count("pk")).order_by("-n")
        return Coalesce(Subquery(per_value.values("n")[:1]), Value(0))

    annotations = {
        "has_gold": Exists(votes(Gold)),
        "gold_for": most_votes(votes(Gold).filter(choice__value=value)),
        "gold_against": most_votes(votes(Gold).exclude(choice__value=value)),
        "labels_for": most_votes(votes(Label).filter(choice__value=value)),
        "labels_against": most_votes(votes(Label).exclude(choice__value=value)),
    }
    condition = Q(has_gold=True, gold_for__gt=F("gold_against")) | Q(
        has_gold=False, labels_for__gt=F("labels_against")
    )
    return condition, annotations


# --- search ----------------------------------------------------------------------------------


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


def _filter_quotes(quotes: QuerySet[Quote], *, user, filters: SearchFilters) -> QuerySet[Quote]:
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
        condition, annotations = _resolved_label_filter(
            user=user, key=filters.label[0], value=filters.label[1]
        )
        quotes = quotes.annotate(**annotations).filter(condition)
    return quotes


def quote_search(*, user: AbstractBaseUser, filters: SearchFilters) -> QuerySet[Quote]:
    """Visible quotes matching the filters; best match first on PostgreSQL, else newest first.

    PostgreSQL ranks with full-text search over the quote text (weight A) and the speaker's
    name (B). SQLite has no full-text ranking here: every word must occur (case-insensitively)
    in the quote text or the speaker's name.
    """
    quotes = _filter_quotes(
        quotes_visible(user=user).select_related("article__outlet", "speaker"),
        user=user,
        filters=filters,
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


def article_search(*, user: AbstractBaseUser, filters: SearchFilters) -> QuerySet[Article]:
    """Visible articles matching the words (title weight A, text B) and filters.

    Speaker, kind and label filters keep the articles that have a quote matching them.
    """
    articles = article_list_visible(user=user)
    if filters.outlet is not None:
        articles = articles.filter(outlet=filters.outlet)
    if filters.date_from is not None:
        articles = articles.filter(published_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        articles = articles.filter(published_at__date__lte=filters.date_to)
    if filters.filters_quotes:
        matching = _filter_quotes(quotes_visible(user=user), user=user, filters=filters)
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


# --- speaker and outlet figures -------------------------------------------------------------


def _month(published_at) -> str:
    return published_at.strftime("%Y-%m") if published_at else UNDATED


def _by_month_key(period: str) -> tuple[int, str]:
    return (1, period) if period == UNDATED else (0, period)


def _stance_tables(
    *, resolved: dict[tuple[int, str], str], row_of: dict[int, str], who: str, row_header: str
) -> list[CountTable]:
    """One table per stance target: rows from `row_of` (quote id → row), series the values."""
    by_target: dict[str, Counter] = defaultdict(Counter)
    for (quote_id, target), value in resolved.items():
        by_target[target][(row_of[quote_id], value)] += 1
    tables = []
    for index, target in enumerate(sorted(by_target), 1):
        counts = by_target[target]
        rows = sorted({row for row, _ in counts}, key=_by_month_key)
        tables.append(
            CountTable(
                key=f"stance-{index}",
                title=f"Stance toward “{target}”",
                description=(
                    f"Resolved stance labels of {who}'s quotes toward “{target}”, "
                    f"counted per {row_header.lower()}."
                ),
                row_header=row_header,
                series_header="stance",
                rows=rows,
                series=_ordered_values_all(STANCE, (v for _, v in counts)),
                counts=dict(counts),
            )
        )
    return tables


def _sourcing_table(*, resolved: dict, key: str, title: str, description: str) -> CountTable:
    counts = Counter(value for value in resolved.values())
    return CountTable(
        key=key,
        title=title,
        description=description,
        row_header="quotes",
        series_header="sourcing",
        rows=["all"] if counts else [],
        series=_ordered_values_all(SOURCING, counts),
        counts={("all", value): n for value, n in counts.items()},
    )


@dataclass
class SpeakerInsights:
    stance_tables: list[CountTable]
    sourcing_table: CountTable
    labelled_quotes: int
    articles_quoting: int

    @property
    def tables(self) -> list[CountTable]:
        return [*self.stance_tables, self.sourcing_table]


def speaker_quotes(*, user: AbstractBaseUser, speaker: Speaker) -> QuerySet[Quote]:
    """The speaker's visible quotes across articles, newest article first."""
    return (
        quotes_visible(user=user)
        .filter(speaker=speaker)
        .select_related("article__outlet")
        .order_by("-article__published_at", "-article_id", "content_start", "id")
    )


def speaker_insights(*, user: AbstractBaseUser, speaker: Speaker) -> SpeakerInsights:
    """Stance per target by month of publication, and the sourcing mix of the articles
    that quote the speaker (every visible quote in them, not only the speaker's). Five queries.
    """
    quotes = quotes_visible(user=user).filter(speaker=speaker)
    month_of = {
        quote_id: _month(published_at)
        for quote_id, published_at in quotes.values_list("id", "article__published_at")
    }
    stance = labels_resolved(user=user, quotes=quotes, family=STANCE)
    in_their_articles = quotes_visible(user=user).filter(article_id__in=quotes.values("article_id"))
    sourcing = labels_resolved(user=user, quotes=in_their_articles, family=SOURCING)
    articles_quoting = quotes.values("article_id").distinct().count()
    return SpeakerInsights(
        stance_tables=_stance_tables(
            resolved=stance, row_of=month_of, who=speaker.name, row_header="Month"
        ),
        sourcing_table=_sourcing_table(
            resolved=sourcing,
            key="sourcing",
            title="Sourcing in articles quoting them",
            description=(
                f"Resolved sourcing labels of every quote in the {articles_quoting} "
                f"article(s) that quote {speaker.name}."
            ),
        ),
        labelled_quotes=len({quote_id for quote_id, _ in stance}),
        articles_quoting=articles_quoting,
    )


@dataclass
class OutletInsights:
    stance_table: CountTable
    sourcing_table: CountTable
    top_speakers: list[dict]
    speaker_count: int

    @property
    def tables(self) -> list[CountTable]:
        return [self.stance_table, self.sourcing_table]

    @property
    def anonymous_share(self) -> float | None:
        return self.sourcing_table.share("anonymous")

    @property
    def media_report_share(self) -> float | None:
        return self.sourcing_table.share("media-report")

    @property
    def anonymous_count(self) -> int:
        return self.sourcing_table.count("all", "anonymous")

    @property
    def media_report_count(self) -> int:
        return self.sourcing_table.count("all", "media-report")


TOP_SPEAKERS = 20


def outlet_quotes(*, user: AbstractBaseUser, outlet: Outlet) -> QuerySet[Quote]:
    return (
        quotes_visible(user=user)
        .filter(article__outlet=outlet)
        .select_related("article", "speaker")
        .order_by("-article__published_at", "-article_id", "content_start", "id")
    )


def outlet_insights(*, user: AbstractBaseUser, outlet: Outlet) -> OutletInsights:
    """Who the outlet quotes, its sourcing mix and its quotes' stance per target. Five queries."""
    quotes = quotes_visible(user=user).filter(article__outlet=outlet)
    speakers = (
        quotes.filter(speaker__isnull=False)
        .order_by()
        .values("speaker_id", "speaker__name")
        .annotate(quote_count=Count("id"))
        .order_by("-quote_count", "speaker__name")
    )
    top_speakers = [
        {"id": row["speaker_id"], "name": row["speaker__name"], "quote_count": row["quote_count"]}
        for row in speakers[:TOP_SPEAKERS]
    ]
    speaker_count = quotes.filter(speaker__isnull=False).values("speaker_id").distinct().count()
    stance = labels_resolved(user=user, quotes=quotes, family=STANCE)
    by_target = Counter((target, value) for (_quote, target), value in stance.items())
    sourcing = labels_resolved(user=user, quotes=quotes, family=SOURCING)
    stance_table = CountTable(
        key="stance",
        title="Stance per target",
        description=f"Resolved stance labels of quotes in {outlet.name}, per stance target.",
        row_header="Target",
        series_header="stance",
        rows=sorted({target for target, _ in by_target}),
        series=_ordered_values_all(STANCE, (v for _, v in by_target)),
        counts=dict(by_target),
    )
    return OutletInsights(
        stance_table=stance_table,
        sourcing_table=_sourcing_table(
            resolved=sourcing,
            key="sourcing",
            title="Sourcing mix",
            description=f"Resolved sourcing labels of the quotes in {outlet.name}.",
        ),
        top_speakers=top_speakers,
        speaker_count=speaker_count,
    )


def outlet_sourcing_table(*, user: AbstractBaseUser, outlets: list[Outlet]) -> CountTable:
    """Resolved sourcing labels per outlet, for the given outlets. Three queries."""
    quotes = quotes_visible(user=user).filter(article__outlet__in=[o.id for o in outlets])
    outlet_of = dict(quotes.values_list("id", "article__outlet_id"))
    names = {outlet.id: outlet.name for outlet in outlets}
    resolved = labels_resolved(user=user, quotes=quotes, family=SOURCING)
    counts = Counter(
        (names[outlet_of[quote_id]], value) for (quote_id, _), value in resolved.items()
    )
    return CountTable(
        key="sourcing-by-outlet",
        title="Sourcing by outlet",
        description="Resolved sourcing labels of each outlet's quotes.",
        row_header="Outlet",
        series_header="sourcing",
        rows=[outlet.name for outlet in outlets if any(r == outlet.name for r, _ in counts)],
        series=_ordered_values_all(SOURCING, (v for _, v in counts)),
        counts=dict(counts),
    )
