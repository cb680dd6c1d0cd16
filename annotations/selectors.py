"""Reads for the labelling side: the queue's candidates, progress, agreement, review, comments.

Every function here runs a fixed number of queries, whatever the number of quotes.
"""

import datetime
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from annotations import agreement
from annotations.models import Assignment, Comment, Dimension, Gold, Label, Membership, Project
from annotations.permissions import membership_for, sees_all_labels
from claims.models import Quote

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
    """The annotator's submitted count against the quotes available to them (two queries)."""
    counts = dict(
        Assignment.objects.filter(
            project=project, annotator=annotator, quote__in=quotes_in_project(project=project)
        )
        .order_by()
        .values_list("status")
        .annotate(count=Count("id"))
    )
    pool = queue_candidates(project=project, annotator=annotator).count()
    submitted = counts.get(Status.SUBMITTED, 0)
    assigned = counts.get(Status.ASSIGNED, 0)
    return MyProgress(
        submitted=submitted,
        assigned=assigned,
        skipped=counts.get(Status.SKIPPED, 0),
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
