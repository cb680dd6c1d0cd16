"""Speaker and outlet figures: resolved stance and sourcing labels counted into tables."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from annotations.default_schema import DEFAULT_SCHEMA
from claims.models import Outlet, Quote, Speaker
from insights.selectors import SOURCING, STANCE, insight_scope, labels_resolved, quotes_visible

UNDATED = "undated"
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


def _ordered_values_all(family: str, values) -> list[str]:
    """Every value of the default schema, plus any other seen: charts keep a stable legend."""
    known = VALUE_ORDER.get(family, [])
    return known + sorted(set(values) - set(known))


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
    """The speaker's visible quotes across articles, newest article first (without article
    text: show `content_text`)."""
    return (
        quotes_visible(user=user)
        .filter(speaker=speaker)
        .select_related("article__outlet")
        .defer("article__text")
        .order_by("-article__published_at", "-article_id", "content_start", "id")
    )


def speaker_insights(*, user: AbstractBaseUser, speaker: Speaker) -> SpeakerInsights:
    """Stance per target by month of publication, and the sourcing mix of the articles
    that quote the speaker (every visible quote in them, not only the speaker's). Seven queries.
    """
    scope = insight_scope(user=user)
    quotes = scope.quotes().filter(speaker=speaker)
    month_of = {
        quote_id: _month(published_at)
        for quote_id, published_at in quotes.values_list("id", "article__published_at")
    }
    stance = labels_resolved(scope=scope, quotes=quotes, family=STANCE)
    in_their_articles = scope.quotes().filter(article_id__in=quotes.values("article_id"))
    sourcing = labels_resolved(scope=scope, quotes=in_their_articles, family=SOURCING)
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
    """The outlet's visible quotes, newest article first (without article text)."""
    return (
        quotes_visible(user=user)
        .filter(article__outlet=outlet)
        .select_related("article", "speaker")
        .defer("article__text")
        .order_by("-article__published_at", "-article_id", "content_start", "id")
    )


def outlet_insights(*, user: AbstractBaseUser, outlet: Outlet) -> OutletInsights:
    """Who the outlet quotes, its sourcing mix and its quotes' stance per target. Seven queries."""
    scope = insight_scope(user=user)
    quotes = scope.quotes().filter(article__outlet=outlet)
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
    stance = labels_resolved(scope=scope, quotes=quotes, family=STANCE)
    by_target = Counter((target, value) for (_quote, target), value in stance.items())
    sourcing = labels_resolved(scope=scope, quotes=quotes, family=SOURCING)
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
    """Resolved sourcing labels per outlet, for the given outlets. Four queries."""
    scope = insight_scope(user=user)
    quotes = scope.quotes().filter(article__outlet__in=[o.id for o in outlets])
    outlet_of = dict(quotes.values_list("id", "article__outlet_id"))
    names = {outlet.id: outlet.name for outlet in outlets}
    resolved = labels_resolved(scope=scope, quotes=quotes, family=SOURCING)
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
