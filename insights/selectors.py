"""What an insight may count for a user, and the rule that turns labels into one value.

Who sees what (`InsightScope`): only quotes in articles of the user's projects (those who see
everything, claims.access.sees_everything: all) — the access module's rule, written with the
projects' ids so that the planner knows how few they are;
only the labels the user may see in each project under its blind rule, and gold labels only
where they see every label. Label-based figures use one *resolved* value per quote and
question, decided by the rule in `resolve_votes`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from annotations.access import sees_all_labels
from annotations.models import Gold, Label, Membership, Project
from claims.access import sees_everything
from claims.models import Article, Outlet, Quote, Speaker
from claims.selectors import articles_visible, quote_list_visible, speaker_list_visible

STANCE = "stance"
SOURCING = "sourcing"
NO_TARGET = "(no target)"


# --- visibility -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InsightScope:
    """What one user's insights may count: which articles (and so quotes), whose labels.

    Articles: the whole corpus for those who see everything (`claims.access.sees_everything`),
    else the articles of the user's projects, named by id so that PostgreSQL can estimate how
    many there are (a per-user subquery looks like half the corpus to the planner, which then
    walks every article to find a small project's few).

    Labels: the labelling app's blind rule (`annotations.access.sees_all_labels`)
    decides per project: where the user sees every label they count everyone's labels and
    the gold labels; in a blind project where they are an annotator only their own labels
    count, and no gold (an annotator there never sees it). Projects they are not in count
    nothing; superusers count every project, as they see every label in the labelling pages.
    """

    user_id: int | None
    whole_corpus: bool = False
    project_ids: frozenset[int] = frozenset()
    every_label: bool = False
    all_labels_in: frozenset[int] = frozenset()
    own_labels_in: frozenset[int] = frozenset()

    def articles(self) -> QuerySet[Article]:
        """The articles the user may see."""
        if self.whole_corpus:
            return Article.objects.all()
        in_projects = Project.articles.through.objects.filter(project_id__in=self.project_ids)
        return Article.objects.filter(id__in=in_projects.values("article_id"))

    def quotes(self) -> QuerySet[Quote]:
        """Non-rejected quotes in the articles the user may see."""
        quotes = Quote.objects.filter(is_rejected=False)
        if self.whole_corpus:
            return quotes
        in_projects = Project.articles.through.objects.filter(project_id__in=self.project_ids)
        return quotes.filter(article_id__in=in_projects.values("article_id"))

    def labels(self, owner: str = "") -> Q:
        """The condition on labels (reached through `owner`, e.g. "label__") that count."""
        if self.every_label:
            return Q()
        return Q(**{f"{owner}project_id__in": self.all_labels_in}) | Q(
            **{f"{owner}project_id__in": self.own_labels_in, f"{owner}annotator_id": self.user_id}
        )

    def gold(self, owner: str = "") -> Q:
        """The condition on gold labels (reached through `owner`) that count."""
        if self.every_label:
            return Q()
        return Q(**{f"{owner}project_id__in": self.all_labels_in})


def insight_scope(*, user: AbstractBaseUser) -> InsightScope:
    """The user's `InsightScope`: one query over their memberships (none for someone who sees
    everything)."""
    if sees_everything(user):
        return InsightScope(user_id=user.pk, whole_corpus=True, every_label=True)
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("project")
        .only("role", "project__blind_mode")
    )
    all_labels, own_labels = set(), set()
    for membership in memberships:
        seen = all_labels if sees_all_labels(membership, membership.project) else own_labels
        seen.add(membership.project_id)
    return InsightScope(
        user_id=user.pk,
        project_ids=frozenset(all_labels | own_labels),
        all_labels_in=frozenset(all_labels),
        own_labels_in=frozenset(own_labels),
    )


def outlets_in_scope(*, scope: InsightScope) -> QuerySet[Outlet]:
    """Outlets of the articles in `scope`, by name, without counts (a filter's choices)."""
    articles = scope.articles()
    return Outlet.objects.filter(id__in=articles.values("outlet_id")).order_by("name", "id")


def speaker_in_scope(*, scope: InsightScope, speaker_id: int) -> Speaker | None:
    """The speaker, if quoted in an article of `scope` (whole corpus: any speaker); found with
    one indexed probe, not by counting their quotes."""
    speakers = Speaker.objects.filter(id=speaker_id)
    if not scope.whole_corpus:
        quoted = scope.quotes().filter(speaker_id=OuterRef("pk"))
        speakers = speakers.filter(Exists(quoted))
    return speakers.first()


def quotes_visible(*, user: AbstractBaseUser) -> QuerySet[Quote]:
    """Non-rejected quotes in articles the user may see."""
    return quote_list_visible(user=user).filter(is_rejected=False)


def speaker_get_visible(*, user: AbstractBaseUser, speaker_id: int) -> Speaker | None:
    """A speaker quoted in an article the user may see (staff: any), with aliases."""
    return speaker_list_visible(user=user).filter(id=speaker_id).first()


def outlets_visible(*, user: AbstractBaseUser) -> QuerySet[Outlet]:
    """Outlets of visible articles, with their visible article and quote counts."""
    articles = articles_visible(user=user)
    visible_articles = Q(articles__id__in=articles.values("id"))
    return (
        Outlet.objects.filter(id__in=articles.values("outlet_id"))
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
    *, scope: InsightScope, quotes: QuerySet[Quote], family: str
) -> dict[tuple[int, str], str]:
    """Resolved values keyed by (quote id, target) for stance, (quote id, "") otherwise.

    Counts the labels and gold labels within `scope`. Two queries, however many quotes: one
    for gold labels, one for annotators' labels. Stance is asked per target (keys stance,
    stance-2, …), so it resolves per target text.
    """
    quote_ids = quotes.order_by().values("id")
    votes: list[dict[tuple, Counter]] = []
    for model in (Gold, Label):
        through = model.choices.through
        owner = "gold" if model is Gold else "label"
        in_scope = scope.gold(f"{owner}__") if model is Gold else scope.labels(f"{owner}__")
        rows = through.objects.filter(
            _family_filter(f"{owner}__", family),
            in_scope,
            **{f"{owner}__quote_id__in": quote_ids},
        ).values_list(f"{owner}__quote_id", f"{owner}__dimension__target", "choice__value")
        counted: dict[tuple, Counter] = defaultdict(Counter)
        for quote_id, target, value in rows:
            group = (target or NO_TARGET) if family == STANCE else ""
            counted[(quote_id, group)][value] += 1
        votes.append(counted)
    return resolve_votes(*votes)
