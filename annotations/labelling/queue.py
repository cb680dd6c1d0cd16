"""The queue: handing quotes out (never more than k annotators, never twice to one), skips,
reopening a submission, and expiry of abandoned assignments.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from annotations import sql
from annotations.access import LABELLING_ROLES, require_role
from annotations.labelling.gold import gold_unanimous_sync
from annotations.labelling.scope import quote_lock, quotes_in_project
from annotations.models import Assignment, Project
from claims.models import Article, Outlet, Quote, Speaker

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


def queue_sql_parts(*, project: Project, annotator: AbstractBaseUser, now: datetime.datetime):
    """Table names, the shared WHERE fragments and their parameters."""
    ops = connection.ops
    tables = {
        "quote": Quote._meta.db_table,
        "assignment": Assignment._meta.db_table,
    }
    cutoff = ops.adapt_datetimefield_value(assignment_expiry_cutoff(project=project, now=now))
    live = sql.ASSIGNMENT_LIVE_SQL
    in_project = sql.QUOTE_ARTICLE_IN_PROJECT_SQL + " AND NOT q.is_rejected"
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
    tables, live, in_project, params = queue_sql_parts(
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


def _lock_annotator(annotator: AbstractBaseUser) -> None:
    """Serialise one person's queue calls (double clicks, two tabs) so they never race."""
    if connection.features.has_select_for_update:
        sql.fetch_all(
            f"SELECT u.id FROM {get_user_model()._meta.db_table} u "  # noqa: S608
            "WHERE u.id = %(user)s" + sql.row_lock("u"),
            {"user": annotator.pk},
        )


@transaction.atomic
def assign_next_quote(*, project: Project, annotator: AbstractBaseUser) -> Quote | None:
    """The annotator's open quote, or the next one from the pool; None when nothing is left.

    An open assignment past the project's timeout is given up first (it may come straight
    back if the quote is still the best free one).

    Why this is safe under concurrency (PostgreSQL, READ COMMITTED):
    1. The annotator's own calls are serialised by a lock on their user row, so one person
       never races themselves into two new assignments (double clicks, two tabs).
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
    4. Each attempt runs in a savepoint; a quote found full is unlocked again (rolling back
       to a savepoint releases its row locks) before the next attempt. So this function never
       waits for a quote while holding another, and cannot deadlock with its own kind.
    5. The unique constraint on (project, quote, annotator) backs up "never twice".
    Expired assignments are deleted, which only ever shrinks a quote's count.
    """
    require_role(annotator, project, *LABELLING_ROLES)
    _lock_annotator(annotator)
    now = timezone.now()
    cutoff = assignment_expiry_cutoff(project=project, now=now)

    # One query for the open assignments, those still in the project and those expired alike.
    params = {
        "project": project.id,
        "annotator": annotator.pk,
        "cutoff": sql.db_datetime(cutoff),
    }
    open_assignments = sql.fetch_all(
        f"SELECT a.id, a.quote_id, {sql.ASSIGNMENT_EXPIRED_SQL}, "  # noqa: S608
        f"(NOT q.is_rejected AND {sql.QUOTE_ARTICLE_IN_PROJECT_SQL}) "
        f"FROM {Assignment._meta.db_table} a JOIN {Quote._meta.db_table} q ON q.id = a.quote_id "
        "WHERE a.project_id = %(project)s AND a.annotator_id = %(annotator)s "
        "AND a.status = 'assigned' ORDER BY a.assigned_at DESC, a.id DESC",
        params,
    )
    expired = []
    for assignment_id, quote_id, is_expired, in_project in open_assignments:
        if is_expired:
            expired.append(assignment_id)
        elif in_project:
            return _quote_for_labelling(quote_id)
    if expired:
        ids = sql.placeholders(expired, params, "expired")
        sql.execute(f"DELETE FROM {Assignment._meta.db_table} WHERE id IN ({ids})", params)  # noqa: S608

    passed_over: list[int] = []
    while True:
        with transaction.atomic():
            candidate_id = queue_candidate_id(
                project=project,
                annotator=annotator,
                now=now,
                passed_over=passed_over,
                skip_locked=True,
            ) or queue_candidate_id(
                project=project,
                annotator=annotator,
                now=now,
                passed_over=passed_over,
                skip_locked=False,
            )
            if candidate_id is None:
                return None
            if _place_take(project=project, quote_id=candidate_id, annotator=annotator, now=now):
                return _quote_for_labelling(candidate_id)
            transaction.set_rollback(True)  # unlock the full quote before trying the next
        passed_over.append(candidate_id)


def _place_take(
    *, project: Project, quote_id: int, annotator: AbstractBaseUser, now: datetime.datetime
) -> bool:
    """With the quote locked: free its expired places, then take one if any is left."""
    table = Assignment._meta.db_table
    params = {
        "project": project.id,
        "quote": quote_id,
        "annotator": annotator.pk,
        "now": sql.db_datetime(now),
        "cutoff": sql.db_datetime(assignment_expiry_cutoff(project=project, now=now)),
    }
    expired = sql.ASSIGNMENT_EXPIRED_SQL
    [(live, mine, expired_count)] = sql.fetch_all(
        f"SELECT COUNT(CASE WHEN {sql.ASSIGNMENT_LIVE_SQL} THEN 1 END), "  # noqa: S608
        f"COUNT(CASE WHEN a.annotator_id = %(annotator)s AND NOT {expired} THEN 1 END), "
        f"COUNT(CASE WHEN {expired} THEN 1 END) "
        f"FROM {table} a WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s",
        params,
    )
    if expired_count:
        sql.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT a.id FROM {table} a "  # noqa: S608
            f"WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s AND {expired})",
            params,
        )
    if live >= project.annotators_per_quote or mine:
        return False
    sql.insert_rows(
        table,
        ("project_id", "quote_id", "annotator_id", "status", "assigned_at", "completed_at"),
        [(project.id, quote_id, annotator.pk, "assigned", params["now"], None)],
    )
    return True


def _quote_for_labelling(quote_id: int) -> Quote:
    """The quote with its article (text included), outlet and speaker, in one SQL query (see
    annotations/sql.py)."""
    tables = [Quote, Article, Outlet, Speaker]
    row = sql.fetch_all(
        f"SELECT {', '.join(sql.columns(Quote, 'q') + sql.columns(Article, 'a'))}, "  # noqa: S608
        f"{', '.join(sql.columns(Outlet, 'o') + sql.columns(Speaker, 's'))} "
        f"FROM {Quote._meta.db_table} q JOIN {Article._meta.db_table} a ON a.id = q.article_id "
        f"LEFT JOIN {Outlet._meta.db_table} o ON o.id = a.outlet_id "
        f"LEFT JOIN {Speaker._meta.db_table} s ON s.id = q.speaker_id WHERE q.id = %s",
        [quote_id],
    )[0]
    instances, start = [], 0
    for model in tables:
        width = len(model._meta.concrete_fields)
        part = row[start : start + width]
        instances.append(None if part[0] is None else sql.instance_from_row(model, part))
        start += width
    quote, article, outlet, speaker = instances
    article.outlet, quote.article, quote.speaker = outlet, article, speaker
    return quote


@transaction.atomic
def assignment_skip(*, project: Project, annotator: AbstractBaseUser, quote: Quote) -> Assignment:
    """Skip the annotator's open quote; it is never offered to them again."""
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
def label_undo_last(*, project: Project, annotator: AbstractBaseUser) -> Quote | None:
    """Reopen the annotator's most recent submission and return its quote (None if none).

    The labels stay (the form prefills from them) and so does their history; saving again
    appends to it. The reopened assignment keeps its place: it does not expire.
    """
    require_role(annotator, project, *LABELLING_ROLES)
    _lock_annotator(annotator)
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
    Assignment.objects.filter(pk=last.pk).update(
        status=Assignment.Status.ASSIGNED, assigned_at=timezone.now()
    )
    gold_unanimous_sync(project=project, quote_ids=[last.quote_id])
    return last.quote
