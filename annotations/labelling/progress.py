"""Progress: a project's submissions against quotes × k, and each annotator's."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.utils import timezone

from annotations import sql
from annotations.labelling.labels import answers_from_rows
from annotations.labelling.queue import assignment_expired_q
from annotations.labelling.scope import quotes_in_project
from annotations.models import Assignment, Membership, Project
from claims.models import Quote

Status = Assignment.Status


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
    """Submissions done against the quotes × k needed (one query: the queue's totals)."""
    k = project.annotators_per_quote
    quotes, quotes_complete, done = sql.project_totals(project_id=project.id)
    return ProjectProgress(
        quotes=quotes,
        annotators_per_quote=k,
        needed=quotes * k,
        done=done,
        quotes_complete=quotes_complete,
    )


def annotator_progress(*, project: Project, annotator: AbstractBaseUser) -> MyProgress:
    """The annotator's submitted count against the quotes available to them (one query).

    Available is what they submitted, what is open for them, and the pool the queue would
    offer them (quotes they never had, with fewer than k places held): the project's open
    quotes from the queue's totals, less those the annotator has had. Places held count
    expired assignments until the next queue call gives them up (assign_next_quote), as it
    does before every quote handed out.
    """
    return _my_progress(sql.annotator_counts(project=project, annotator_id=annotator.pk))


def queue_item_state(
    *, project: Project, quote: Quote, annotator: AbstractBaseUser
) -> tuple[dict[str, list], MyProgress]:
    """What a queue item shows beside its quote: the annotator's own answers on it
    (labels.answers_from_rows) and their progress (as annotator_progress), in one query."""
    rows, counts = sql.answers_and_counts(
        project=project, annotator_id=annotator.pk, quote_id=quote.pk
    )
    return answers_from_rows(rows), _my_progress(counts)


def _my_progress(counts: tuple[int, int, int, int]) -> MyProgress:
    submitted, assigned, skipped, pool = counts
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
