"""The queue: handing quotes out (never more than k annotators, never twice to one), skips,
reopening what one skipped or submitted, the list of one's own items, and expiry of abandoned
assignments.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from annotations import sql
from annotations.access import LABELLING_ROLES, require_role
from annotations.labelling.gold import SETTLED_METHODS, gold_unanimous_sync, quote_settled
from annotations.labelling.scope import quote_lock, quotes_in_project
from annotations.models import Assignment, Choice, Dimension, Gold, Label, Project
from claims.models import Quote

Status = Assignment.Status


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


def assign_next_quote(*, project: Project, annotator: AbstractBaseUser) -> Quote | None:
    """The annotator's open quote, or the next one from the pool; None when nothing is left.

    First the project's abandoned assignments are given up (expired_assignments_release, a
    statement of its own), so that the places the queue's counts hold are the live ones;
    an open assignment of the annotator's own past the timeout goes the same way (the quote
    may come straight back if it is still the best free one). Then the pick, in one
    transaction (_assign_next_quote).
    """
    require_role(annotator, project, *LABELLING_ROLES)
    now = timezone.now()
    expired_assignments_release(project=project, now=now)
    return _assign_next_quote(project=project, annotator=annotator, now=now)


def expired_assignments_release(*, project: Project, now: datetime.datetime | None = None) -> int:
    """Give up the project's open assignments past the timeout that were never submitted: their
    places return to the pool. Returns how many.

    One statement, outside the pick's transaction: called outside a transaction (as the
    views call it) it commits at once. Deleting them updates the queue's counts, and the pick
    must not hold those rows' locks while it waits for a quote another caller holds.
    Deleting only ever frees places, so it needs no quote lock (see _assign_next_quote).
    """
    return sql.expired_assignments_release(
        project_id=project.id, cutoff=assignment_expiry_cutoff(project=project, now=now)
    )


def _assign_next_quote(
    *, project: Project, annotator: AbstractBaseUser, now: datetime.datetime
) -> Quote | None:
    """The pick itself, with expired assignments already given up at `now`: attempts, each in
    a transaction of its own (_pick_attempt), until one hands a quote out or none is left.

    Candidates come from the queue's counts (QueueCount: places held per quote, kept by
    database triggers on assignments, quotes and the project's articles), one index walk
    whatever the project's size. The counts only choose; the decision is taken on the
    quote's own assignments under its lock, as before.

    Why this is safe under concurrency (PostgreSQL, READ COMMITTED):
    1. The annotator's own calls are serialised by a lock on their user row, taken first in
       every attempt, so one person never races themselves into two new assignments (double
       clicks, two tabs); each attempt looks for their open assignment again under it.
    2. Every transaction that adds a live assignment to a quote — or makes one live again —
       first locks that quote's row and holds the lock until it commits (assign_next_quote,
       label_save, label_undo_last). Once we hold the lock, a *new* statement (READ COMMITTED
       takes a fresh snapshot per statement) sees every assignment committed by earlier
       holders, and no one can add another until we commit. So the count re-read under the
       lock is exact, and "fewer than k" is still true when our insert commits. The
       candidate query's own count may be stale: it only chooses, it never decides.
    3. Candidates are locked with SKIP LOCKED, so concurrent callers spread over different
       quotes instead of queueing on the best one. Only when every candidate is locked do we
       wait for the best one — otherwise the queue would look empty while places are left.
    4. An attempt that finds its quote full rolls back, which unlocks the quote (and the
       user row) before the next attempt. So this function never waits for a quote while
       holding another, and cannot deadlock with its own kind. The counts rows and total
       shares that our insert updates (through the triggers) are the last locks we take:
       nothing is waited for after them but the commit. (A transaction per attempt rather
       than savepoints inside one: the usual call, whose first candidate has room, then
       sends no SAVEPOINT and RELEASE; called inside a transaction, each attempt is a
       savepoint, with the same effect.)
    5. The unique constraint on (project, quote, annotator) backs up "never twice".
    Expired assignments are deleted, which only ever shrinks a quote's count.
    """
    passed_over: list[int] = []
    while True:
        handed_out, candidate_id = _pick_attempt(
            project=project, annotator=annotator, now=now, passed_over=passed_over
        )
        if handed_out is not None or candidate_id is None:
            return handed_out
        passed_over.append(candidate_id)


def _pick_attempt(
    *, project: Project, annotator: AbstractBaseUser, now: datetime.datetime, passed_over
) -> tuple[Quote | None, int | None]:
    """One attempt of _assign_next_quote, in one transaction: (the quote handed out, None),
    (None, the candidate found full: rolled back), or (None, None) when nothing is left."""
    with transaction.atomic():
        sql.user_lock(user_id=annotator.pk)
        cutoff = assignment_expiry_cutoff(project=project, now=now)
        opened, candidate_id = sql.open_and_candidate(
            project=project, annotator_id=annotator.pk, cutoff=cutoff, passed_over=passed_over
        )
        for _, quote_id, is_expired, in_project in opened:
            if in_project and not is_expired:
                return sql.quote_for_labelling(quote_id=quote_id), None
        candidate_id = candidate_id or sql.queue_candidate_id(
            project=project,
            annotator_id=annotator.pk,
            passed_over=passed_over,
            skip_locked=False,
        )
        if candidate_id is None:
            return None, None
        taken = _place_take(project=project, quote_id=candidate_id, annotator=annotator, now=now)
        if taken is not None:
            return taken, None
        transaction.set_rollback(True)  # unlock the full quote before trying the next
        return None, candidate_id


def _place_take(
    *, project: Project, quote_id: int, annotator: AbstractBaseUser, now: datetime.datetime
) -> Quote | None:
    """With the quote locked: take one of its places if any is left; the quote (as
    sql.quote_for_labelling reads it) or None. The usual case — room, nothing expired, never
    the annotator's — is sql.assignment_take, which reads the quote too (one statement on
    PostgreSQL); otherwise the places are counted, expired ones freed (normally none are left
    after expired_assignments_release), and one taken if the count allows."""
    cutoff = assignment_expiry_cutoff(project=project, now=now)
    taken = sql.assignment_take(
        project_id=project.id,
        quote_id=quote_id,
        annotator_id=annotator.pk,
        k=project.annotators_per_quote,
        cutoff=cutoff,
        now=now,
    )
    if taken is not None:
        return taken
    live, mine, expired = sql.place_counts(
        project_id=project.id, quote_id=quote_id, annotator_id=annotator.pk, cutoff=cutoff
    )
    if expired:
        sql.expired_places_delete(project_id=project.id, quote_id=quote_id, cutoff=cutoff)
    if live >= project.annotators_per_quote or mine:
        return None
    sql.assignment_insert(
        project_id=project.id,
        quote_id=quote_id,
        annotator_id=annotator.pk,
        status=Status.ASSIGNED,
        now=now,
    )
    return sql.quote_for_labelling(quote_id=quote_id)


@transaction.atomic
def assignment_skip(*, project: Project, annotator: AbstractBaseUser, quote: Quote) -> Assignment:
    """Skip the annotator's open quote: the queue never offers it to them again, and its place
    goes back to the pool; they may reopen it themselves (assignment_reopen)."""
    require_role(annotator, project, *LABELLING_ROLES)
    quote_lock(project=project, quote=quote, allow_rejected=True)
    assignment = Assignment.objects.filter(
        project=project, quote=quote, annotator=annotator
    ).first()
    if assignment is None:
        raise ValidationError({"quote": "You have no open assignment for this quote."})
    if assignment.status == Assignment.Status.SKIPPED:
        return assignment
    if assignment.status == Assignment.Status.SUBMITTED or assignment.completed_at is not None:
        raise ValidationError(
            {"quote": "You have labelled this quote already; change your labels instead."}
        )
    assignment.status = Assignment.Status.SKIPPED
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["status", "completed_at"])
    return assignment


@transaction.atomic
def assignment_reopen(*, project: Project, annotator: AbstractBaseUser, quote: Quote) -> Quote:
    """Open again a quote the annotator skipped or submitted, to answer or change it; the queue
    hands it out next (it is their newest open assignment).

    Refused while a reviewer has settled the quote's gold (gold.quote_settled), and for a
    skipped quote whose place went to someone else (it has its k annotators now). A reopened
    submission keeps its labels and its place, and does not expire (as label_undo_last's);
    a reopened skip is a fresh assignment that expires like any other.
    """
    require_role(annotator, project, *LABELLING_ROLES)
    sql.user_lock(user_id=annotator.pk)
    quote_lock(project=project, quote=quote)
    assignment = Assignment.objects.filter(
        project=project, quote=quote, annotator=annotator
    ).first()
    if assignment is None:
        raise ValidationError({"quote": "You have not had this quote; nothing to reopen."})
    if assignment.status == Status.ASSIGNED:
        Assignment.objects.filter(pk=assignment.pk).update(assigned_at=timezone.now())
        return quote
    _reopen(project=project, assignment=assignment)
    return quote


def _reopen(*, project: Project, assignment: Assignment) -> None:
    """With the quote locked: make a skipped or submitted assignment open again."""
    if quote_settled(project=project, quote_id=assignment.quote_id):
        raise ValidationError(
            {"quote": "A reviewer has settled this quote's gold; its labels no longer change."}
        )
    now = timezone.now()
    if assignment.status == Status.SKIPPED:
        cutoff = assignment_expiry_cutoff(project=project, now=now)
        live, _, _ = sql.place_counts(
            project_id=project.id,
            quote_id=assignment.quote_id,
            annotator_id=assignment.annotator_id,
            cutoff=cutoff,
        )
        if live >= project.annotators_per_quote:
            raise ValidationError(
                {
                    "quote": "Since you skipped it this quote found its "
                    f"{project.annotators_per_quote} annotators; it cannot be reopened."
                }
            )
        Assignment.objects.filter(pk=assignment.pk).update(
            status=Status.ASSIGNED, assigned_at=now, completed_at=None
        )
        return
    Assignment.objects.filter(pk=assignment.pk).update(status=Status.ASSIGNED, assigned_at=now)
    gold_unanimous_sync(project=project, quote_ids=[assignment.quote_id])


@transaction.atomic
def label_undo_last(*, project: Project, annotator: AbstractBaseUser) -> Quote | None:
    """Reopen the annotator's most recent submission and return its quote (None if none).

    The labels stay (the form prefills from them) and so does their history; saving again
    appends to it. The reopened assignment keeps its place: it does not expire. Refused, as
    any reopening, when a reviewer has settled the quote's gold.
    """
    require_role(annotator, project, *LABELLING_ROLES)
    sql.user_lock(user_id=annotator.pk)
    last = (
        Assignment.objects.filter(
            project=project,
            annotator=annotator,
            status=Assignment.Status.SUBMITTED,
            quote__in=quotes_in_project(project=project),
        )
        .select_related("quote")
        .order_by("-completed_at", "-id")
        .first()
    )
    if last is None:
        return None
    quote_lock(project=project, quote=last.quote)
    _reopen(project=project, assignment=last)
    return last.quote


@dataclass(frozen=True)
class MyItem:
    """One quote the annotator has had: where it stands and what they answered."""

    assignment: Assignment  # with its quote, the quote's article and speaker
    answers: list[tuple[Dimension, list[Choice]]]  # in question order; archived ones too
    settled: bool  # a reviewer decided its gold: it can no longer be reopened

    @property
    def can_reopen(self) -> bool:
        return not self.settled and self.assignment.status != Status.ASSIGNED


MY_ITEMS_PER_PAGE = 50


def my_items(
    *, project: Project, annotator: AbstractBaseUser, status: str = "", page: object = 1
) -> tuple[Page, list[MyItem], dict[str, int]]:
    """The quotes the annotator has had in the project (of one status, when given): the ones
    never finished first, then the latest finished, a page at a time; with their answers,
    whether each is settled, and how many there are of each status. Five queries, whatever the
    page holds."""
    assignments = Assignment.objects.filter(
        project=project, annotator=annotator, quote__in=quotes_in_project(project=project)
    )
    counts = dict(
        assignments.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    if status:
        assignments = assignments.filter(status=status)
    shown = Paginator(
        assignments.select_related("quote__article", "quote__speaker").order_by(
            F("completed_at").desc(nulls_first=True), "-assigned_at", "-id"
        ),
        MY_ITEMS_PER_PAGE,
    ).get_page(page)
    quote_ids = [assignment.quote_id for assignment in shown.object_list]
    labels = (
        Label.objects.filter(project=project, annotator=annotator, quote_id__in=quote_ids)
        .select_related("dimension")
        .prefetch_related("choices")
        .order_by("dimension__order", "dimension_id")
    )
    answers: dict[int, list] = {quote_id: [] for quote_id in quote_ids}
    for label in labels:
        answers[label.quote_id].append((label.dimension, list(label.choices.all())))
    settled = set(
        Gold.objects.filter(
            project=project,
            quote_id__in=quote_ids,
            method__in=SETTLED_METHODS,
            dimension__archived=False,
        ).values_list("quote_id", flat=True)
    )
    items = [
        MyItem(assignment, answers[assignment.quote_id], assignment.quote_id in settled)
        for assignment in shown.object_list
    ]
    return shown, items, {value: counts.get(value, 0) for value in Status.values}
