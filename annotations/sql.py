"""Every raw SQL statement of the labelling side.

The labelling loop (queue-next, save-label) runs about fifteen small statements per request.
Building and compiling each through the ORM cost a millisecond or two of Python on the
project machine, several times what PostgreSQL spends running it, so these are written as SQL.
Each function here is one statement (or one statement and its SQLite fallback); services in
annotations/labelling/ call them and keep the rules. Running a statement and turning its rows
into model instances is claims/sql.py's, the one way for every app. Statuses come from the
models' enums, tables and columns from the models' metadata. tests/annotations/test_sql.py
runs every statement on SQLite and PostgreSQL against the ORM's answer.
"""

import datetime
import json
import re

from django.contrib.auth import get_user_model
from django.db import connection

from annotations.models import (
    Assignment,
    Choice,
    Dimension,
    Gold,
    Label,
    LabelHistory,
    Membership,
    Project,
)
from claims.models import Article, Outlet, Quote, Speaker
from claims.sql import (
    columns,
    db_datetime,
    execute,
    fetch_all,
    field_from_db,
    insert_rows,
    instances_from_row,
    placeholders,
    row_lock,
)

Status = Assignment.Status


def _literal(value: str) -> str:
    """An enum value written into a statement (they are lower-case words: nothing to escape)."""
    if not re.fullmatch(r"[a-z][a-z-]*", value):
        raise ValueError(f"not an enum value: {value!r}")
    return f"'{value}'"


ASSIGNED = _literal(Status.ASSIGNED)
SUBMITTED = _literal(Status.SUBMITTED)
SKIPPED = _literal(Status.SKIPPED)

QUOTE = Quote._meta.db_table
ARTICLE = Article._meta.db_table
OUTLET = Outlet._meta.db_table
SPEAKER = Speaker._meta.db_table
PROJECT = Project._meta.db_table
PROJECT_ARTICLES = Project.articles.through._meta.db_table
MEMBERSHIP = Membership._meta.db_table
ASSIGNMENT = Assignment._meta.db_table
DIMENSION = Dimension._meta.db_table
CHOICE = Choice._meta.db_table
LABEL = Label._meta.db_table
LABEL_CHOICES = Label.choices.through._meta.db_table
LABEL_HISTORY = LabelHistory._meta.db_table
GOLD = Gold._meta.db_table
GOLD_CHOICES = Gold.choices.through._meta.db_table

# Shared fragments: an assignment aliased "a", a quote "q"; parameters %(cutoff)s (the expiry
# cutoff) and %(project)s. They are the SQL forms of queue.assignment_expired_q,
# queue.assignment_live_q and scope.quotes_in_project (with and without rejected quotes; a
# quote gone in a later version of its article is in neither).
ASSIGNMENT_EXPIRED = (
    f"(a.status = {ASSIGNED} AND a.completed_at IS NULL AND a.assigned_at < %(cutoff)s)"
)
ASSIGNMENT_LIVE = f"(a.status IN ({SUBMITTED}, {ASSIGNED}) AND NOT {ASSIGNMENT_EXPIRED})"
QUOTE_ARTICLE_IN_PROJECT = (
    f"q.article_id IN (SELECT s.article_id FROM {PROJECT_ARTICLES} s "
    "WHERE s.project_id = %(project)s) AND q.gone_in_version IS NULL"
)
QUOTE_IN_PROJECT = f"{QUOTE_ARTICLE_IN_PROJECT} AND NOT q.is_rejected"


# -- projects and members ---------------------------------------------------------------------
def project_with_membership(*, project_id: int, user_id: int) -> tuple[Project, Membership] | None:
    """The project and the user's membership in it, in one query; None for a non-member."""
    found = fetch_all(
        f"SELECT {', '.join(columns(Project, 'p') + columns(Membership, 'm'))} "
        f"FROM {PROJECT} p JOIN {MEMBERSHIP} m ON m.project_id = p.id "
        "WHERE p.id = %s AND m.user_id = %s",
        [project_id, user_id],
    )
    if not found:
        return None
    project, membership = instances_from_row([Project, Membership], found[0])
    membership.project = project
    return project, membership


def user_lock(*, user_id: int) -> None:
    """Lock a user's row (PostgreSQL), serialising that person's queue calls."""
    if connection.features.has_select_for_update:
        fetch_all(
            f"SELECT u.id FROM {get_user_model()._meta.db_table} u WHERE u.id = %(user)s"
            + row_lock("u"),
            {"user": user_id},
        )


# -- the project's quotes -------------------------------------------------------------------
def quote_lock(*, project_id: int, quote_id: int) -> bool | None:
    """Lock a quote of the project's articles; whether it is rejected, None if not there."""
    rows = fetch_all(
        f"SELECT q.is_rejected FROM {QUOTE} q WHERE q.id = %(quote)s "
        f"AND {QUOTE_ARTICLE_IN_PROJECT}" + row_lock("q"),
        {"quote": quote_id, "project": project_id},
    )
    return bool(rows[0][0]) if rows else None


def quote_for_labelling(*, quote_id: int) -> Quote:
    """The quote with its article (text included), outlet and speaker, in one query."""
    models = [Quote, Article, Outlet, Speaker]
    row = fetch_all(
        f"SELECT {', '.join(columns(Quote, 'q') + columns(Article, 'a'))}, "
        f"{', '.join(columns(Outlet, 'o') + columns(Speaker, 's'))} "
        f"FROM {QUOTE} q JOIN {ARTICLE} a ON a.id = q.article_id "
        f"LEFT JOIN {OUTLET} o ON o.id = a.outlet_id "
        f"LEFT JOIN {SPEAKER} s ON s.id = q.speaker_id WHERE q.id = %s",
        [quote_id],
    )[0]
    quote, article, outlet, speaker = instances_from_row(models, row)
    article.outlet, quote.article, quote.speaker = outlet, article, speaker
    return quote


# -- the schema ------------------------------------------------------------------------------
def schema_rows(*, project_id: int) -> list[tuple[Dimension, list[Choice]]]:
    """The project's questions in order, each with its choices in order (one query)."""
    quote_name = connection.ops.quote_name
    order = quote_name("order")
    rows = fetch_all(
        f"SELECT {', '.join(columns(Dimension, 'd') + columns(Choice, 'c'))} "
        f"FROM {DIMENSION} d LEFT JOIN {CHOICE} c ON c.dimension_id = d.id "
        f"WHERE d.project_id = %s ORDER BY d.{order}, d.id, c.{order}, c.id",
        [project_id],
    )
    schema: dict[int, tuple[Dimension, list[Choice]]] = {}
    for row in rows:
        dimension, choice = instances_from_row([Dimension, Choice], row)
        entry = schema.setdefault(dimension.id, (dimension, []))
        if choice is not None:
            entry[1].append(choice)
    return list(schema.values())


# -- the queue --------------------------------------------------------------------------------
def _queue_params(*, project: Project, annotator_id: int, cutoff: datetime.datetime) -> dict:
    return {
        "project": project.id,
        "annotator": annotator_id,
        "cutoff": db_datetime(cutoff),
        "k": project.annotators_per_quote,
    }


def queue_candidate_id(
    *,
    project: Project,
    annotator_id: int,
    cutoff: datetime.datetime,
    passed_over: list[int],
    skip_locked: bool,
) -> int | None:
    """The id of the best quote to hand the annotator next, locked (PostgreSQL: FOR NO KEY
    UPDATE, skipping rows others hold when `skip_locked`), or None.

    Started quotes (fewer than k live assignments, none of them the annotator's) fullest
    first, then untouched ones in text order: the order of tests/annotations/queue_reference.py.
    At most two statements.
    """
    params = _queue_params(project=project, annotator_id=annotator_id, cutoff=cutoff)
    not_mine = (
        f"q.id NOT IN (SELECT m.quote_id FROM {ASSIGNMENT} m "
        "WHERE m.project_id = %(project)s AND m.annotator_id = %(annotator)s)"
    )
    if passed_over:
        not_mine += f" AND q.id NOT IN ({placeholders(passed_over, params, 'passed')})"
    lock = row_lock("q", skip_locked=skip_locked)
    started = (
        f"SELECT q.id FROM {QUOTE} q JOIN ("
        f"SELECT a.quote_id, COUNT(*) AS live FROM {ASSIGNMENT} a "
        f"WHERE a.project_id = %(project)s AND {ASSIGNMENT_LIVE} GROUP BY a.quote_id "
        "HAVING COUNT(*) < %(k)s) c ON c.quote_id = q.id "
        f"WHERE {QUOTE_IN_PROJECT} AND {not_mine} "
        f"ORDER BY c.live DESC, q.article_id, q.content_start, q.id LIMIT 1{lock}"
    )
    # The OFFSET keeps the NOT EXISTS a per-quote index probe (walking the quotes in text
    # order and stopping at the first free one) instead of letting the planner turn it into a
    # join: with statistics taken before a project's first assignments (a new project, until
    # autovacuum's next ANALYZE) it chose a nested loop over every live assignment per quote.
    untouched = (
        f"SELECT q.id FROM {QUOTE} q WHERE {QUOTE_IN_PROJECT} AND {not_mine} "
        f"AND NOT EXISTS (SELECT 1 FROM {ASSIGNMENT} a WHERE a.project_id = %(project)s "
        f"AND a.quote_id = q.id AND {ASSIGNMENT_LIVE} LIMIT 1 OFFSET 0) "
        f"ORDER BY q.article_id, q.content_start, q.id LIMIT 1{lock}"
    )
    with connection.cursor() as cursor:
        for statement in (started, untouched):
            cursor.execute(statement, params)
            if (row := cursor.fetchone()) is not None:
                return row[0]
    return None


def open_assignments(
    *, project_id: int, annotator_id: int, cutoff: datetime.datetime
) -> list[tuple[int, int, bool, bool]]:
    """The annotator's open assignments, newest first: id, quote id, whether it expired, and
    whether its quote is still in the project."""
    rows = fetch_all(
        f"SELECT a.id, a.quote_id, {ASSIGNMENT_EXPIRED}, ({QUOTE_IN_PROJECT}) "
        f"FROM {ASSIGNMENT} a JOIN {QUOTE} q ON q.id = a.quote_id "
        "WHERE a.project_id = %(project)s AND a.annotator_id = %(annotator)s "
        f"AND a.status = {ASSIGNED} ORDER BY a.assigned_at DESC, a.id DESC",
        {"project": project_id, "annotator": annotator_id, "cutoff": db_datetime(cutoff)},
    )
    return [(a, q, bool(expired), bool(there)) for a, q, expired, there in rows]


def assignments_delete(*, ids: list[int]) -> None:
    params: dict = {}
    execute(f"DELETE FROM {ASSIGNMENT} WHERE id IN ({placeholders(ids, params, 'id')})", params)


def place_counts(
    *, project_id: int, quote_id: int, annotator_id: int, cutoff: datetime.datetime
) -> tuple[int, int, int]:
    """On one quote: live places, the annotator's own unexpired assignments, expired ones."""
    [(live, mine, expired)] = fetch_all(
        f"SELECT COUNT(CASE WHEN {ASSIGNMENT_LIVE} THEN 1 END), "
        f"COUNT(CASE WHEN a.annotator_id = %(annotator)s AND NOT {ASSIGNMENT_EXPIRED} THEN 1 END), "
        f"COUNT(CASE WHEN {ASSIGNMENT_EXPIRED} THEN 1 END) "
        f"FROM {ASSIGNMENT} a WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s",
        _place_params(project_id, quote_id, annotator_id, cutoff),
    )
    return live, mine, expired


def expired_places_delete(*, project_id: int, quote_id: int, cutoff: datetime.datetime) -> None:
    execute(
        f"DELETE FROM {ASSIGNMENT} WHERE id IN (SELECT a.id FROM {ASSIGNMENT} a "
        f"WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s AND {ASSIGNMENT_EXPIRED})",
        _place_params(project_id, quote_id, None, cutoff),
    )


def _place_params(project_id, quote_id, annotator_id, cutoff) -> dict:
    return {
        "project": project_id,
        "quote": quote_id,
        "annotator": annotator_id,
        "cutoff": db_datetime(cutoff),
    }


def quote_places(
    *, project_id: int, quote_id: int, cutoff: datetime.datetime
) -> list[tuple[int, bool, str]]:
    """Who holds an assignment on the quote: annotator id, whether it is live, its status."""
    rows = fetch_all(
        f"SELECT a.annotator_id, {ASSIGNMENT_LIVE}, a.status FROM {ASSIGNMENT} a "
        "WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s",
        _place_params(project_id, quote_id, None, cutoff),
    )
    return [(annotator_id, bool(live), status) for annotator_id, live, status in rows]


def assignment_insert(
    *,
    project_id: int,
    quote_id: int,
    annotator_id: int,
    status: str,
    now: datetime.datetime,
    seconds: float | None = None,
) -> None:
    """A new assignment; a submitted one is completed at `now`, with the seconds it took."""
    completed = db_datetime(now) if status == Status.SUBMITTED else None
    insert_rows(
        ASSIGNMENT,
        (
            "project_id",
            "quote_id",
            "annotator_id",
            "status",
            "assigned_at",
            "completed_at",
            "seconds_spent",
        ),
        [(project_id, quote_id, annotator_id, status, db_datetime(now), completed, seconds)],
    )


def assignment_submit(
    *,
    project_id: int,
    quote_id: int,
    annotator_id: int,
    now: datetime.datetime,
    seconds: float | None = None,
) -> int:
    """Mark the annotator's assignment on the quote submitted, adding `seconds` (when
    measured) to the time spent on it; how many rows changed (0 or 1)."""
    return execute(
        f"UPDATE {ASSIGNMENT} SET status = {SUBMITTED}, completed_at = %(now)s, "
        # seconds_spent + seconds; the seconds alone when none were stored; unchanged without.
        "seconds_spent = COALESCE(seconds_spent + CAST(%(seconds)s AS DOUBLE PRECISION), "
        "CAST(%(seconds)s AS DOUBLE PRECISION), seconds_spent) "
        "WHERE project_id = %(project)s AND quote_id = %(quote)s AND annotator_id = %(annotator)s",
        {
            "project": project_id,
            "quote": quote_id,
            "annotator": annotator_id,
            "now": db_datetime(now),
            "seconds": seconds,
        },
    )


def annotator_counts(
    *, project: Project, annotator_id: int, cutoff: datetime.datetime
) -> tuple[int, int, int, int]:
    """The annotator's submitted, open and skipped assignments on the project's quotes, and
    the quotes still in the pool for them (never theirs, fewer than k live assignments)."""
    row = fetch_all(
        f"SELECT COUNT(CASE WHEN m.status = {SUBMITTED} THEN 1 END), "
        f"COUNT(CASE WHEN m.status = {ASSIGNED} THEN 1 END), "
        f"COUNT(CASE WHEN m.status = {SKIPPED} THEN 1 END), "
        "COUNT(CASE WHEN m.quote_id IS NULL AND q.id NOT IN ("
        f"SELECT a.quote_id FROM {ASSIGNMENT} a WHERE a.project_id = %(project)s "
        f"AND {ASSIGNMENT_LIVE} GROUP BY a.quote_id HAVING COUNT(*) >= %(k)s) THEN 1 END) "
        f"FROM {QUOTE} q LEFT JOIN {ASSIGNMENT} m ON m.quote_id = q.id "
        "AND m.project_id = %(project)s AND m.annotator_id = %(annotator)s "
        f"WHERE {QUOTE_IN_PROJECT}",
        _queue_params(project=project, annotator_id=annotator_id, cutoff=cutoff),
    )
    return row[0]


# -- labels -----------------------------------------------------------------------------------
def labels_of(
    *, project_id: int, quote_id: int, annotator_id: int
) -> dict[int, tuple[int, str, datetime.datetime, set[int]]]:
    """The annotator's labels on one quote: dimension id → (label id, note, updated at,
    choice ids)."""
    labels: dict[int, tuple[int, str, datetime.datetime, set[int]]] = {}
    for label_id, dimension_id, note, updated_at, choice_id in fetch_all(
        f"SELECT l.id, l.dimension_id, l.note, l.updated_at, c.choice_id FROM {LABEL} l "
        f"LEFT JOIN {LABEL_CHOICES} c ON c.label_id = l.id WHERE l.project_id = %(project)s "
        "AND l.quote_id = %(quote)s AND l.annotator_id = %(annotator)s",
        {"project": project_id, "quote": quote_id, "annotator": annotator_id},
    ):
        updated_at = field_from_db(Label, "updated_at", updated_at)
        entry = labels.setdefault(dimension_id, (label_id, note, updated_at, set()))
        if choice_id is not None:
            entry[3].add(choice_id)
    return labels


def labels_insert(
    *,
    project_id: int,
    quote_id: int,
    annotator_id: int,
    dimension_ids: list[int],
    note: str,
    now: datetime.datetime,
) -> dict[int, int]:
    """New labels, one per dimension, in one statement: dimension id → new label id."""
    if not dimension_ids:
        return {}
    stamp = db_datetime(now)
    returning = connection.features.can_return_columns_from_insert
    new_ids = insert_rows(
        LABEL,
        (
            "project_id",
            "quote_id",
            "annotator_id",
            "dimension_id",
            "note",
            "created_at",
            "updated_at",
        ),
        [
            (project_id, quote_id, annotator_id, dimension_id, note, stamp, stamp)
            for dimension_id in dimension_ids
        ],
        returning=("dimension_id", "id") if returning else (),
    )
    if not returning:  # SQLite before 3.35 has no RETURNING
        new_ids = fetch_all(
            f"SELECT dimension_id, id FROM {LABEL} WHERE project_id = %s "
            "AND quote_id = %s AND annotator_id = %s",
            [project_id, quote_id, annotator_id],
        )
    return dict(new_ids)


def labels_rewrite(*, label_ids: list[int], note: str, now: datetime.datetime) -> None:
    """Changed labels: their note and time, and their old choices gone (new ones follow)."""
    params = {"note": note, "now": db_datetime(now)}
    ids = placeholders(label_ids, params, "label")
    execute(f"UPDATE {LABEL} SET note = %(note)s, updated_at = %(now)s WHERE id IN ({ids})", params)
    execute(f"DELETE FROM {LABEL_CHOICES} WHERE label_id IN ({ids})", params)


def label_choices_insert(*, rows: list[tuple[int, int]]) -> None:
    """(label id, choice id) pairs."""
    insert_rows(LABEL_CHOICES, ("label_id", "choice_id"), rows)


def label_history_insert(
    *, entries: list[tuple[int, list[str]]], note: str, changed_by: int, now: datetime.datetime
) -> None:
    """One history row per (label id, choice values after the change)."""
    insert_rows(
        LABEL_HISTORY,
        ("label_id", "values", "note", "changed_by_id", "changed_at"),
        [
            (label_id, json.dumps(values), note, changed_by, db_datetime(now))
            for label_id, values in entries
        ],
    )


def answers_of(
    *, project_id: int, quote_id: int, annotator_id: int
) -> list[tuple[str, str | None]]:
    """(dimension key, choice value) of one person's labels on one quote; None for a label
    whose choices were cleared."""
    return fetch_all(
        f"SELECT d.key, c.value FROM {LABEL} l "
        f"JOIN {DIMENSION} d ON d.id = l.dimension_id "
        f"LEFT JOIN {LABEL_CHOICES} lc ON lc.label_id = l.id "
        f"LEFT JOIN {CHOICE} c ON c.id = lc.choice_id "
        "WHERE l.project_id = %(project)s AND l.quote_id = %(quote)s "
        "AND l.annotator_id = %(annotator)s",
        {"project": project_id, "quote": quote_id, "annotator": annotator_id},
    )


# -- gold -------------------------------------------------------------------------------------
def _quote_filter(alias: str, quote_ids: list[int] | None, params: dict) -> str:
    if quote_ids is None:
        return ""
    return f" AND {alias}.quote_id IN ({placeholders(quote_ids, params, 'quote')})"


def submitters(*, project_id: int, quote_ids: list[int] | None) -> list[tuple[int, int]]:
    """(quote id, annotator id) of every submitted assignment (on these quotes, if given)."""
    params: dict = {"project": project_id}
    return fetch_all(
        f"SELECT a.quote_id, a.annotator_id FROM {ASSIGNMENT} a "
        f"WHERE a.project_id = %(project)s AND a.status = {SUBMITTED}"
        + _quote_filter("a", quote_ids, params),
        params,
    )


def label_answers(*, project_id: int, quote_ids: list[int]) -> list[tuple[int, int, int, int]]:
    """(quote id, dimension id, annotator id, choice id) of the labels on these quotes, for
    questions still asked."""
    params: dict = {"project": project_id}
    return fetch_all(
        "SELECT l.quote_id, l.dimension_id, l.annotator_id, c.choice_id "
        f"FROM {LABEL_CHOICES} c JOIN {LABEL} l ON l.id = c.label_id "
        f"JOIN {DIMENSION} d ON d.id = l.dimension_id "
        "WHERE l.project_id = %(project)s AND NOT d.archived"
        + _quote_filter("l", quote_ids, params),
        params,
    )


def gold_of(
    *, project_id: int, quote_ids: list[int] | None
) -> dict[tuple[int, int], tuple[int, str, set[int]]]:
    """(quote id, dimension id) → the gold there: its id, method and choice ids."""
    params: dict = {"project": project_id}
    gold: dict[tuple[int, int], tuple[int, str, set[int]]] = {}
    for gold_id, quote_id, dimension_id, method, choice_id in fetch_all(
        "SELECT g.id, g.quote_id, g.dimension_id, g.method, c.choice_id "
        f"FROM {GOLD} g LEFT JOIN {GOLD_CHOICES} c ON c.gold_id = g.id "
        "WHERE g.project_id = %(project)s" + _quote_filter("g", quote_ids, params),
        params,
    ):
        entry = gold.setdefault((quote_id, dimension_id), (gold_id, method, set()))
        if choice_id is not None:
            entry[2].add(choice_id)
    return gold
