"""Reads for the labelling side: the queue's candidates, progress, agreement, review, comments.

Every function here runs a fixed number of queries, whatever the number of quotes.
"""

import datetime
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from annotations import agreement, sql
from annotations.models import (
    Assignment,
    Choice,
    Comment,
    Dimension,
    Gold,
    Label,
    Membership,
    Project,
)
from annotations.permissions import (
    ADJUDICATING_ROLES,
    LABELLING_ROLES,
    membership_for,
    projects_visible_to,
    sees_all_labels,
)
from claims.models import Article, ImportBatch, Quote
from claims.selectors import article_list_visible

Status = Assignment.Status


# -- the queue ------------------------------------------------------------------------------------
def quotes_in_project(*, project: Project) -> QuerySet[Quote]:
    """Quotes of the project's articles that nobody marked "not a quote"."""
    article_ids = Project.articles.through.objects.filter(project_id=project.id).values(
        "article_id"
    )
    return Quote.objects.filter(article_id__in=article_ids, is_rejected=False)


def assignment_expiry_cutoff(*, project: Project, now: datetime.datetime | None = None):
    """Assignments handed out before this moment and still unfinished have expired."""
    now = now or timezone.now()
    return now - datetime.timedelta(minutes=project.assignment_timeout_minutes)


def assignment_expired_q(*, project: Project, now: datetime.datetime | None = None) -> Q:
    """Open assignments past the project's timeout that were never submitted.

    An assignment reopened by undo keeps its `completed_at` and its labels, so it never
    expires: its labels stand, and handing its slot to someone else would make k + 1.
    """
    return Q(
        status=Status.ASSIGNED,
        completed_at__isnull=True,
        assigned_at__lt=assignment_expiry_cutoff(project=project, now=now),
    )


def assignment_live_q(*, project: Project, now: datetime.datetime | None = None) -> Q:
    """Assignments that hold one of a quote's k places: submitted, or open and not expired."""
    return Q(status__in=[Status.SUBMITTED, Status.ASSIGNED]) & ~assignment_expired_q(
        project=project, now=now
    )


def quote_live_count(*, project: Project, now: datetime.datetime | None = None) -> Coalesce:
    """An expression: how many live assignments the outer quote has in the project."""
    live = (
        Assignment.objects.filter(assignment_live_q(project=project, now=now))
        .filter(project=project, quote=OuterRef("pk"))
        .order_by()
        .values("quote")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(live, output_field=IntegerField()), 0)


def queue_candidates(
    *, project: Project, annotator: AbstractBaseUser, now: datetime.datetime | None = None
) -> QuerySet[Quote]:
    """Quotes the annotator may be handed next, best first.

    Never assigned to this annotator (in any status, so a skipped quote stays away), and with
    fewer than k live assignments. Quotes others have started come first, the closest to k
    first, so items get finished; then article and position in the text.
    """
    mine = Assignment.objects.filter(project=project, annotator=annotator).values("quote_id")
    return (
        quotes_in_project(project=project)
        .exclude(id__in=mine)
        .annotate(live_count=quote_live_count(project=project, now=now))
        .filter(live_count__lt=project.annotators_per_quote)
        .order_by("-live_count", "article_id", "content_start", "id")
    )


def _quotes_by_live_count(
    *, project: Project, now: datetime.datetime | None, full: bool
) -> QuerySet[Assignment]:
    """Ids of the quotes with k or more live assignments (full) or with 1 to k - 1 (not full).

    One aggregate over the project's live assignments, instead of a count per quote.
    """
    k = project.annotators_per_quote
    counted = (
        Assignment.objects.filter(project=project)
        .filter(assignment_live_q(project=project, now=now))
        .order_by()
        .values("quote_id")
        .annotate(live=Count("id"))
    )
    return (counted.filter(live__gte=k) if full else counted.filter(live__lt=k)).values("quote_id")


def queue_candidate_tiers(
    *, project: Project, annotator: AbstractBaseUser, now: datetime.datetime | None = None
) -> tuple[QuerySet[Quote], QuerySet[Quote]]:
    """queue_candidates in two parts, the same quotes in the same order: quotes others have
    started (fullest first), then untouched quotes in text order.

    The split lets the database stop at the first row: the started part comes from one
    aggregate over live assignments, and the untouched part walks the quotes' (article,
    offset) index, skipping the few started ones, instead of counting every quote's
    assignments and sorting them all. Quote, article, outlet and speaker come in one row.
    """
    now = now or timezone.now()
    mine = Assignment.objects.filter(project=project, annotator=annotator).values("quote_id")
    live_on_quote = Assignment.objects.filter(
        assignment_live_q(project=project, now=now), project=project, quote=OuterRef("pk")
    )
    quotes = (
        quotes_in_project(project=project)
        .exclude(id__in=mine)
        .select_related("article__outlet", "speaker")
    )
    started = (
        quotes.filter(id__in=_quotes_by_live_count(project=project, now=now, full=False))
        .annotate(live_count=quote_live_count(project=project, now=now))
        .order_by("-live_count", "article_id", "content_start", "id")
    )
    untouched = quotes.filter(~Exists(live_on_quote)).order_by("article_id", "content_start", "id")
    return started, untouched


# The queue's two hot reads (every queue-next runs both) are written as SQL: building and
# compiling them through the ORM cost about 10 ms of Python per request on the project machine,
# ten times what PostgreSQL spends running them. They select exactly what queue_candidate_tiers
# and the pool count of queue_candidates select; tests/annotations/test_queue.py (step by step
# against queue_candidate_tiers) and test_progress.py hold them to that on SQLite and PostgreSQL.
# The labelling loop's shared SQL fragments (an assignment aliased "a", a quote "q"; parameters
# %(cutoff)s, the expiry cutoff, and %(project)s): assignment_expired_q, assignment_live_q, and
# "the quote's article is in the project".
ASSIGNMENT_EXPIRED_SQL = (
    "(a.status = 'assigned' AND a.completed_at IS NULL AND a.assigned_at < %(cutoff)s)"
)
ASSIGNMENT_LIVE_SQL = f"(a.status IN ('submitted', 'assigned') AND NOT {ASSIGNMENT_EXPIRED_SQL})"
QUOTE_ARTICLE_IN_PROJECT_SQL = (
    f"q.article_id IN (SELECT s.article_id FROM {Project.articles.through._meta.db_table} s "  # noqa: S608
    "WHERE s.project_id = %(project)s)"
)


def _queue_sql_parts(*, project: Project, annotator: AbstractBaseUser, now: datetime.datetime):
    """Table names, the shared WHERE fragments and their parameters."""
    ops = connection.ops
    tables = {
        "quote": Quote._meta.db_table,
        "assignment": Assignment._meta.db_table,
    }
    cutoff = ops.adapt_datetimefield_value(assignment_expiry_cutoff(project=project, now=now))
    live = ASSIGNMENT_LIVE_SQL
    in_project = QUOTE_ARTICLE_IN_PROJECT_SQL + " AND NOT q.is_rejected"
    params = {
        "project": project.id,
        "annotator": annotator.pk,
        "cutoff": cutoff,
        "k": project.annotators_per_quote,
    }
    return tables, live, in_project, params


def queue_candidate_id(
    *,
    project: Project,
    annotator: AbstractBaseUser,
    now: datetime.datetime,
    passed_over: list[int],
    skip_locked: bool,
) -> int | None:
    """The id of the best quote to hand the annotator next, locked (PostgreSQL: FOR NO KEY
    UPDATE, skipping rows others hold when `skip_locked`), or None.

    The same quotes in the same order as queue_candidate_tiers: started quotes (fewer than k
    live assignments, none of them the annotator's) fullest first, then untouched ones in text
    order. Runs inside the caller's transaction; at most two statements.
    """
    tables, live, in_project, params = _queue_sql_parts(
        project=project, annotator=annotator, now=now
    )
    not_mine = (  # noqa: S608
        "q.id NOT IN (SELECT m.quote_id FROM {assignment} m "
        "WHERE m.project_id = %(project)s AND m.annotator_id = %(annotator)s)"
    ).format(**tables)
    if passed_over:
        params.update({f"passed_{n}": quote_id for n, quote_id in enumerate(passed_over)})
        names = ", ".join(f"%(passed_{n})s" for n in range(len(passed_over)))
        not_mine += f" AND q.id NOT IN ({names})"
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR NO KEY UPDATE OF q" + (" SKIP LOCKED" if skip_locked else "")
    started = (
        "SELECT q.id FROM {quote} q JOIN ("  # noqa: S608
        "SELECT a.quote_id, COUNT(*) AS live FROM {assignment} a "
        "WHERE a.project_id = %(project)s AND " + live + " GROUP BY a.quote_id "
        "HAVING COUNT(*) < %(k)s) c ON c.quote_id = q.id "
        "WHERE " + in_project + " AND " + not_mine + " "
        "ORDER BY c.live DESC, q.article_id, q.content_start, q.id LIMIT 1" + lock
    ).format(**tables)
    # An OFFSET keeps the NOT EXISTS a per-quote index probe (walking the quotes in text order
    # and stopping at the first free one) instead of letting the planner turn it into a join:
    # with statistics taken before a project's first assignments (a new project, until
    # autovacuum's next ANALYZE) it chose a nested loop over every live assignment per quote,
    # 30-60 ms at 1,500 assignments instead of ~2 ms.
    untouched = (
        "SELECT q.id FROM {quote} q WHERE " + in_project + " AND " + not_mine + " "  # noqa: S608
        "AND NOT EXISTS (SELECT 1 FROM {assignment} a WHERE a.project_id = %(project)s "
        "AND a.quote_id = q.id AND " + live + " LIMIT 1 OFFSET 0) "
        "ORDER BY q.article_id, q.content_start, q.id LIMIT 1" + lock
    ).format(**tables)
    with connection.cursor() as cursor:
        for sql in (started, untouched):
            cursor.execute(sql, params)
            if (row := cursor.fetchone()) is not None:
                return row[0]
    return None


def open_assignment_for(*, project: Project, annotator: AbstractBaseUser) -> Assignment | None:
    """The annotator's open assignment (the most recently handed out), if any."""
    return (
        Assignment.objects.filter(
            project=project,
            annotator=annotator,
            status=Status.ASSIGNED,
            quote__in=quotes_in_project(project=project),
        )
        .select_related("quote")
        .order_by("-assigned_at", "-id")
        .first()
    )


# -- progress -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectProgress:
    quotes: int
    annotators_per_quote: int
    needed: int  # quotes × k submissions
    done: int  # submissions that count toward it (at most k per quote)
    quotes_complete: int  # quotes with k submissions

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.needed if self.needed else 0.0


@dataclass(frozen=True)
class MyProgress:
    submitted: int
    assigned: int
    skipped: int
    available: int  # submitted + open + still in the pool for me

    @property
    def remaining(self) -> int:
        return self.available - self.submitted


@dataclass(frozen=True)
class AnnotatorProgress:
    annotator_id: int
    username: str
    assigned: int
    submitted: int
    skipped: int


def project_progress(*, project: Project) -> ProjectProgress:
    """Submissions done against the quotes × k needed (one query)."""
    k = project.annotators_per_quote
    submitted = Count(
        "assignments",
        filter=Q(assignments__project=project, assignments__status=Status.SUBMITTED),
    )
    totals = (
        quotes_in_project(project=project)
        .annotate(submitted=submitted)
        .aggregate(
            quotes=Count("id"),
            done=Coalesce(Sum(Least("submitted", k)), 0),
            quotes_complete=Count("id", filter=Q(submitted__gte=k)),
        )
    )
    return ProjectProgress(
        quotes=totals["quotes"],
        annotators_per_quote=k,
        needed=totals["quotes"] * k,
        done=totals["done"],
        quotes_complete=totals["quotes_complete"],
    )


def annotator_progress(*, project: Project, annotator: AbstractBaseUser) -> MyProgress:
    """The annotator's submitted count against the quotes available to them (one query).

    Available is what they submitted, what is open for them, and the pool queue_candidates
    would offer them (quotes they never had, with fewer than k live assignments). SQL for
    speed, as queue_candidate_id.
    """
    tables, live, in_project, params = _queue_sql_parts(
        project=project, annotator=annotator, now=timezone.now()
    )
    sql = (
        "SELECT "  # noqa: S608
        "COUNT(CASE WHEN m.status = 'submitted' THEN 1 END), "
        "COUNT(CASE WHEN m.status = 'assigned' THEN 1 END), "
        "COUNT(CASE WHEN m.status = 'skipped' THEN 1 END), "
        "COUNT(CASE WHEN m.quote_id IS NULL AND q.id NOT IN ("
        "SELECT a.quote_id FROM {assignment} a WHERE a.project_id = %(project)s AND " + live + " "
        "GROUP BY a.quote_id HAVING COUNT(*) >= %(k)s) THEN 1 END) "
        "FROM {quote} q LEFT JOIN {assignment} m ON m.quote_id = q.id "
        "AND m.project_id = %(project)s AND m.annotator_id = %(annotator)s "
        "WHERE " + in_project
    ).format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        submitted, assigned, skipped, pool = cursor.fetchone()
    return MyProgress(
        submitted=submitted,
        assigned=assigned,
        skipped=skipped,
        available=submitted + assigned + pool,
    )


def annotators_progress(*, project: Project) -> list[AnnotatorProgress]:
    """Assigned (live), submitted and skipped per person: every annotator, and anyone else who
    has worked in the queue (two queries)."""
    now = timezone.now()
    rows = (
        Assignment.objects.filter(project=project, quote__in=quotes_in_project(project=project))
        .exclude(assignment_expired_q(project=project, now=now))
        .order_by()
        .values_list("annotator_id", "status")
        .annotate(count=Count("id"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for annotator_id, status, count in rows:
        counts[annotator_id][status] = count
    people = get_user_model().objects.filter(
        Q(memberships__project=project, memberships__role=Membership.Role.ANNOTATOR)
        | Q(id__in=list(counts))
    )
    return [
        AnnotatorProgress(
            annotator_id=user.id,
            username=user.get_username(),
            assigned=counts[user.id].get(Status.ASSIGNED, 0),
            submitted=counts[user.id].get(Status.SUBMITTED, 0),
            skipped=counts[user.id].get(Status.SKIPPED, 0),
        )
        for user in people.distinct().order_by("username")
    ]


# -- labels ---------------------------------------------------------------------------------------
def labels_visible_to(
    *, project: Project, user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Label]:
    """Labels the user may see: in blind mode annotators see only their own; reviewers,
    managers and superusers see all; non-members see none."""
    labels = (
        Label.objects.filter(project=project)
        .select_related("annotator", "dimension")
        .prefetch_related("choices")
    )
    if not user.is_authenticated:
        return labels.none()
    if user.is_superuser:
        return labels
    membership = membership_for(user, project)
    if membership is None:
        return labels.none()
    if sees_all_labels(membership, project):
        return labels
    return labels.filter(annotator=user)


def my_answers(*, project: Project, quote: Quote, annotator: AbstractBaseUser) -> dict[str, list]:
    """The annotator's own answers on one quote: dimension key → sorted choice values (one
    query; a label whose choices were cleared gives [])."""
    answers: dict[str, list] = {}
    rows = sql.fetch_all(  # SQL for speed: every queue-next runs it (see annotations/sql.py)
        f"SELECT d.key, c.value FROM {Label._meta.db_table} l "  # noqa: S608
        f"JOIN {Dimension._meta.db_table} d ON d.id = l.dimension_id "
        f"LEFT JOIN {Label.choices.through._meta.db_table} lc ON lc.label_id = l.id "
        f"LEFT JOIN {Choice._meta.db_table} c ON c.id = lc.choice_id "
        "WHERE l.project_id = %(project)s AND l.quote_id = %(quote)s "
        "AND l.annotator_id = %(annotator)s",
        {"project": project.id, "quote": quote.pk, "annotator": annotator.pk},
    )
    for key, value in rows:
        answers.setdefault(key, [])
        if value is not None:
            answers[key].append(value)
    return {key: sorted(values) for key, values in answers.items()}


def _answers(
    *, project: Project, dimensions: list[Dimension]
) -> dict[int, dict[int, dict[int, Hashable]]]:
    """dimension id → quote id → annotator id → answer, for quotes still in the project.

    An answer is the choice value, or a sorted tuple of values for a multiple-choice
    dimension (so only identical sets agree). Labels without choices are no answer.
    """
    multiple = {d.id: d.multiple for d in dimensions}
    rows = (
        Label.choices.through.objects.filter(
            label__project=project,
            label__dimension__in=list(multiple),
            label__quote__in=quotes_in_project(project=project),
        )
        .order_by()
        .values_list(
            "label__dimension_id", "label__quote_id", "label__annotator_id", "choice__value"
        )
    )
    values: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for dimension_id, quote_id, annotator_id, value in rows:
        values[dimension_id][quote_id][annotator_id].append(value)
    return {
        dimension_id: {
            quote_id: {
                annotator_id: tuple(sorted(chosen)) if multiple[dimension_id] else chosen[0]
                for annotator_id, chosen in by_annotator.items()
            }
            for quote_id, by_annotator in by_quote.items()
        }
        for dimension_id, by_quote in values.items()
    }


def _active_dimensions(project: Project) -> list[Dimension]:
    return list(project.dimensions.filter(archived=False).order_by("order", "id"))


# -- agreement ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DimensionAgreement:
    key: str
    name: str
    alpha: agreement.Alpha
    kappas: list[agreement.PairKappa]
    quotes_labelled: int
    labels: int
    quotes_with_disagreement: int


@dataclass(frozen=True)
class ProjectAgreement:
    dimensions: list[DimensionAgreement]
    annotators: list[AnnotatorProgress]
    quotes_labelled: int
    labels: int
    quotes_with_disagreement: int


def project_agreement(*, project: Project) -> ProjectAgreement:
    """Alpha and pairwise kappa per dimension, label counts, and each annotator's progress."""
    dimensions = _active_dimensions(project)
    answers = _answers(project=project, dimensions=dimensions)
    results = []
    labelled: set[int] = set()
    disagreeing: set[int] = set()
    for dimension in dimensions:
        units = answers.get(dimension.id, {})
        disagree = {
            quote_id
            for quote_id, by_annotator in units.items()
            if agreement.has_disagreement(by_annotator.values())
        }
        labelled |= units.keys()
        disagreeing |= disagree
        results.append(
            DimensionAgreement(
                key=dimension.key,
                name=dimension.name,
                alpha=agreement.krippendorff_alpha_nominal(units),
                kappas=agreement.cohen_kappa_pairs(units),
                quotes_labelled=len(units),
                labels=sum(len(by_annotator) for by_annotator in units.values()),
                quotes_with_disagreement=len(disagree),
            )
        )
    return ProjectAgreement(
        dimensions=results,
        annotators=annotators_progress(project=project),
        quotes_labelled=len(labelled),
        labels=sum(result.labels for result in results),
        quotes_with_disagreement=len(disagreeing),
    )


def _quote_agreements(
    dimensions: list[Dimension], answers: dict
) -> dict[int, agreement.QuoteAgreement]:
    quote_ids = {quote_id for units in answers.values() for quote_id in units}
    return {
        quote_id: agreement.quote_agreement(
            {d.key: list(answers.get(d.id, {}).get(quote_id, {}).values()) for d in dimensions}
        )
        for quote_id in quote_ids
    }


def quote_agreements(*, project: Project) -> dict[int, agreement.QuoteAgreement]:
    """Per-quote agreement (majority share per dimension and the mean) for labelled quotes."""
    dimensions = _active_dimensions(project)
    return _quote_agreements(dimensions, _answers(project=project, dimensions=dimensions))


# -- review ---------------------------------------------------------------------------------------
@dataclass
class AnnotatorAnswers:
    annotator: AbstractBaseUser
    values: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class ReviewItem:
    quote: Quote
    agreement: agreement.QuoteAgreement
    disagreeing_dimensions: list[str]  # keys still without reviewer gold
    annotators: list[AnnotatorAnswers]
    gold: dict[str, Gold]


def review_queue(*, project: Project, limit: int | None = None) -> list[ReviewItem]:
    """Quotes where annotators disagree on a dimension that has no reviewer gold yet, worst
    agreement first, with every annotator's labels side by side (eight queries)."""
    dimensions = _active_dimensions(project)
    answers = _answers(project=project, dimensions=dimensions)
    reviewed = set(
        Gold.objects.filter(project=project, method=Gold.Method.REVIEWER).values_list(
            "quote_id", "dimension_id"
        )
    )
    open_disagreements: dict[int, list[str]] = defaultdict(list)
    for dimension in dimensions:
        for quote_id, by_annotator in answers.get(dimension.id, {}).items():
            if (quote_id, dimension.id) not in reviewed and agreement.has_disagreement(
                by_annotator.values()
            ):
                open_disagreements[quote_id].append(dimension.key)
    agreements = _quote_agreements(dimensions, answers)
    order = sorted(open_disagreements, key=lambda quote_id: (agreements[quote_id].mean, quote_id))
    if limit is not None:
        order = order[:limit]
    quotes = Quote.objects.filter(id__in=order).select_related("article", "speaker")
    quotes = quotes.prefetch_related(
        Prefetch(
            "labels",
            queryset=Label.objects.filter(project=project, dimension__in=dimensions)
            .select_related("annotator", "dimension")
            .prefetch_related("choices")
            .order_by("annotator_id", "dimension__order"),
        ),
        Prefetch(
            "gold_labels",
            queryset=Gold.objects.filter(project=project)
            .select_related("dimension")
            .prefetch_related("choices"),
        ),
    )
    by_id = {quote.id: quote for quote in quotes}
    items = []
    for quote_id in order:
        quote = by_id[quote_id]
        annotators: dict[int, AnnotatorAnswers] = {}
        for label in quote.labels.all():
            entry = annotators.setdefault(label.annotator_id, AnnotatorAnswers(label.annotator))
            entry.values[label.dimension.key] = [choice.value for choice in label.choices.all()]
            entry.notes[label.dimension.key] = label.note
        items.append(
            ReviewItem(
                quote=quote,
                agreement=agreements[quote_id],
                disagreeing_dimensions=open_disagreements[quote_id],
                annotators=list(annotators.values()),
                gold={gold.dimension.key: gold for gold in quote.gold_labels.all()},
            )
        )
    return items


# -- comments -------------------------------------------------------------------------------------
def comment_list(*, project: Project, quote: Quote) -> QuerySet[Comment]:
    """A quote's discussion in the project, oldest first, with authors."""
    return (
        Comment.objects.filter(project=project, quote=quote)
        .select_related("author")
        .order_by("created_at", "id")
    )


# -- the project list -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectListRow:
    project: Project
    role: str
    progress: ProjectProgress
    mine: MyProgress | None  # None for roles that do not label

    @property
    def can_annotate(self) -> bool:
        return self.role in LABELLING_ROLES

    @property
    def can_review(self) -> bool:
        return self.role in ADJUDICATING_ROLES

    @property
    def can_see_dashboard(self) -> bool:
        return self.can_review or not self.project.blind_mode

    @property
    def can_manage(self) -> bool:
        return self.role == Membership.Role.MANAGER


def project_list_rows(*, user: AbstractBaseUser) -> list[ProjectListRow]:
    """The user's projects with their role, the project's progress and their own, in five
    queries however many projects and quotes there are (project_progress and
    annotator_progress, computed for every project at once)."""
    my_role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    projects = list(
        projects_visible_to(user).annotate(my_role=Subquery(my_role)).order_by("name", "id")
    )
    if not projects:
        return []
    ids = [project.id for project in projects]
    now = timezone.now()

    # Quotes are reached through the project-article link, so one quote in two projects
    # counts in each. The link is joined once and named (pid, k): a later filter naming
    # "article__projects" again would join it a second time.
    def in_projects(project_ids: list[int]) -> QuerySet[Quote]:
        return Quote.objects.filter(is_rejected=False, article__projects__in=project_ids).alias(
            pid=F("article__projects"), k=F("article__projects__annotators_per_quote")
        )

    on_quote = Assignment.objects.filter(project_id=OuterRef("pid"), quote=OuterRef("pk"))
    k = F("k")

    submitted = _count_subquery(on_quote.filter(status=Status.SUBMITTED))
    totals = {
        row["project_id"]: row
        for row in in_projects(ids)
        .values(project_id=F("pid"))
        .annotate(
            quotes=Count("id"),
            done=Coalesce(Sum(Least(submitted, k, output_field=IntegerField())), 0),
            quotes_complete=Coalesce(
                Sum(Case(When(GreaterThanOrEqual(submitted, k), then=1), default=0)), 0
            ),
        )
        .order_by()
    }

    labelling_ids = [
        p.id for p in projects if (p.my_role or Membership.Role.MANAGER) in LABELLING_ROLES
    ]
    mine: dict[int, dict[str, int]] = defaultdict(dict)
    pool: dict[int, int] = {}
    if labelling_ids:
        in_scope = Project.articles.through.objects.filter(
            project_id=OuterRef("project_id"), article_id=OuterRef("quote__article_id")
        )
        rows = (
            Assignment.objects.filter(
                Exists(in_scope),
                annotator=user,
                project_id__in=labelling_ids,
                quote__is_rejected=False,
            )
            .order_by()
            .values_list("project_id", "status")
            .annotate(count=Count("id"))
        )
        for project_id, status, count in rows:
            mine[project_id][status] = count
        # assignment_live_q with each project's own timeout.
        expired = Q()
        for project in projects:
            if project.id in labelling_ids:
                expired |= Q(
                    project_id=project.id,
                    assigned_at__lt=assignment_expiry_cutoff(project=project, now=now),
                )
        live = on_quote.filter(status__in=[Status.SUBMITTED, Status.ASSIGNED]).exclude(
            Q(status=Status.ASSIGNED, completed_at__isnull=True) & expired
        )
        pool = dict(
            in_projects(labelling_ids)
            .exclude(Exists(on_quote.filter(annotator=user)))
            .annotate(live_count=_count_subquery(live))
            .filter(live_count__lt=k)
            .values(project_id=F("pid"))
            .annotate(count=Count("id"))
            .order_by()
            .values_list("project_id", "count")
        )

    result = []
    for project in projects:
        role = project.my_role or Membership.Role.MANAGER  # superusers without a membership
        total = totals.get(project.id, {"quotes": 0, "done": 0, "quotes_complete": 0})
        k_value = project.annotators_per_quote
        progress = ProjectProgress(
            quotes=total["quotes"],
            annotators_per_quote=k_value,
            needed=total["quotes"] * k_value,
            done=total["done"],
            quotes_complete=total["quotes_complete"],
        )
        my_progress = None
        if project.id in labelling_ids:
            counts = mine[project.id]
            my_progress = MyProgress(
                submitted=counts.get(Status.SUBMITTED, 0),
                assigned=counts.get(Status.ASSIGNED, 0),
                skipped=counts.get(Status.SKIPPED, 0),
                available=counts.get(Status.SUBMITTED, 0)
                + counts.get(Status.ASSIGNED, 0)
                + pool.get(project.id, 0),
            )
        result.append(
            ProjectListRow(project=project, role=role, progress=progress, mine=my_progress)
        )
    return result


def _count_subquery(assignments: QuerySet[Assignment]) -> Coalesce:
    counted = assignments.order_by().values("quote").annotate(count=Count("id")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# -- the schema editor ----------------------------------------------------------------------------
def schema_for_editing(*, project: Project) -> list[Dimension]:
    """Every dimension, archived too, in order, with all its choices; each choice carries
    `in_use` (labels or gold give it), which decides between archiving and deleting (three
    queries)."""
    dimensions = list(
        project.dimensions.order_by("order", "id").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
        )
    )
    choice_ids = Choice.objects.filter(dimension__project=project).values("id")
    used = set(
        Label.choices.through.objects.filter(choice_id__in=choice_ids).values_list(
            "choice_id", flat=True
        )
    ) | set(
        Gold.choices.through.objects.filter(choice_id__in=choice_ids).values_list(
            "choice_id", flat=True
        )
    )
    for dimension in dimensions:
        for choice in dimension.choices.all():
            choice.in_use = choice.id in used
    return dimensions


# -- a project's articles -------------------------------------------------------------------------
def article_ids_visible(*, user: AbstractBaseUser, batch_id: int | None = None) -> set[int]:
    """Ids of the articles the user may put in a project (one batch's, when given)."""
    articles = Article.objects.filter(id__in=article_list_visible(user=user).values("id"))
    if batch_id is not None:
        articles = articles.filter(batch_id=batch_id)
    return set(articles.values_list("id", flat=True))


def articles_for_scope(
    *,
    user: AbstractBaseUser,
    project: Project,
    title: str = "",
    batch_id: int | None = None,
    show: str = "",
) -> QuerySet[Article]:
    """The article checklist: visible articles with `in_project`, newest first, filtered by
    title words, import batch, and whether they are in the project."""
    in_project = Project.articles.through.objects.filter(project=project, article_id=OuterRef("pk"))
    articles = article_list_visible(user=user).annotate(in_project=Exists(in_project))
    for word in title.split():
        articles = articles.filter(title__icontains=word)
    if batch_id is not None:
        articles = articles.filter(batch_id=batch_id)
    if show == "in":
        articles = articles.filter(in_project=True)
    elif show == "out":
        articles = articles.filter(in_project=False)
    return articles


def import_batches_visible(*, user: AbstractBaseUser) -> QuerySet[ImportBatch]:
    """Import batches with at least one article the user may see, with their article count."""
    visible = article_list_visible(user=user).values("id")
    return (
        ImportBatch.objects.filter(articles__in=visible)
        .annotate(article_count=Count("articles", distinct=True))
        .order_by("-created_at", "-id")
    )
