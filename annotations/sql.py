"""Every raw SQL statement of the labelling side.

The labelling loop (queue-next, save-label) runs about eight small statements per request on
PostgreSQL. Building and compiling each through the ORM cost a millisecond or two of Python on
the project machine, several times what PostgreSQL spends running it, so these are written as
SQL; and since each statement still costs Python and PostgreSQL a round of their own, the
loop reads and writes what belongs together in one (UNION ALL parts told apart by their first
column; on PostgreSQL, writes as data-modifying WITH parts). Each function here is one
statement (or one statement and its SQLite fallback); services in
annotations/labelling/ call them and keep the rules. Running a statement and turning its rows
into model instances is claims/sql.py's, the one way for every app. Statuses come from the
models' enums, tables and columns from the models' metadata. tests/annotations/test_sql.py
runs every statement on SQLite and PostgreSQL against the ORM's answer.

Why one module of ~1,200 lines: issue #12 asked for every raw statement of an app in one place,
so that a reviewer reads all the SQL the labelling side runs (and the enums it is built from)
at once and test_sql.py covers it whole. Its sections, marked by banner comments, follow the
services: projects and members, the project's quotes, the schema, the queue, labels, gold, the
queue's counts, the dataset export.
"""

import datetime
import json
import re
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from annotations.models import (
    QUEUE_TOTAL_SHARDS,
    Assignment,
    Choice,
    Comment,
    Dimension,
    Gold,
    Label,
    LabelHistory,
    Membership,
    Project,
    QueueAnnotatorCount,
    QueueCount,
    QueueTotal,
    SchemaVersion,
)
from claims.models import Article, Outlet, Quote, SameStory, Speaker
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
UNANIMOUS = _literal(Gold.Method.UNANIMOUS)

QUOTE = Quote._meta.db_table
ARTICLE = Article._meta.db_table
OUTLET = Outlet._meta.db_table
SPEAKER = Speaker._meta.db_table
SAME_STORY = SameStory._meta.db_table
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
COMMENT = Comment._meta.db_table
QUEUE_COUNT = QueueCount._meta.db_table
QUEUE_TOTAL = QueueTotal._meta.db_table
QUEUE_MINE = QueueAnnotatorCount._meta.db_table
SCHEMA_VERSION = SchemaVersion._meta.db_table

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
# scope.quotes_in_project(include_gone=True): the dataset keeps a quote gone in a later version
# with its labels. EXISTS rather than IN: SQLite then walks the quotes in id order (the export
# reads them in id-ordered chunks) instead of revisiting every article's quotes for each chunk.
QUOTE_IN_PROJECT_ANY_VERSION = (
    f"EXISTS (SELECT 1 FROM {PROJECT_ARTICLES} s WHERE s.project_id = %(project)s "
    "AND s.article_id = q.article_id) AND NOT q.is_rejected"
)
# Out of every queue (QueueCount.rejected): marked "not a quote", or gone in a later version.
QUOTE_OUT_OF_QUEUE = "(q.is_rejected OR q.gone_in_version IS NOT NULL)"


# One person's labels on one quote with their dimension keys and choice values.
_ANSWERS_FROM = (
    f"FROM {LABEL} l JOIN {DIMENSION} d ON d.id = l.dimension_id "
    f"LEFT JOIN {LABEL_CHOICES} lc ON lc.label_id = l.id "
    f"LEFT JOIN {CHOICE} c ON c.id = lc.choice_id "
    "WHERE l.project_id = %(project)s AND l.quote_id = %(quote)s "
    "AND l.annotator_id = %(annotator)s"
)


# -- projects and members ---------------------------------------------------------------------
def project_membership_select() -> str:
    """The columns project_membership_of reads: the project, the membership and the project's
    SchemaVersion token, as joined by project_membership_joins."""
    return f"{', '.join(columns(Project, 'p') + columns(Membership, 'm'))}, v.version"


def project_membership_joins(user_alias: str) -> str:
    """From a user row aliased `user_alias`: their membership in project %(project)s, that
    project and its SchemaVersion token (all NULL for a non-member)."""
    return (
        f"LEFT JOIN {MEMBERSHIP} m ON m.user_id = {user_alias}.id AND m.project_id = %(project)s "
        f"LEFT JOIN {PROJECT} p ON p.id = m.project_id "
        f"LEFT JOIN {SCHEMA_VERSION} v ON v.project_id = p.id "
    )


def project_membership_of(row) -> tuple[Project, Membership] | None:
    """The project (carrying `schema_version`) and the membership from the columns of
    project_membership_select; None for a non-member."""
    project, membership = instances_from_row([Project, Membership], row[:-1])
    if project is None:
        return None
    project.schema_version = row[-1]
    membership.project = project
    return project, membership


def project_with_membership(*, project_id: int, user_id: int) -> tuple[Project, Membership] | None:
    """The project and the user's membership in it, in one query; None for a non-member. The
    project carries `schema_version`, its SchemaVersion token (None if it has none), which
    lets a label save use the schema it already read (schema.schema_read). The API's token
    login reads the same columns with its token (config/sql.py), so that an API call on a
    project needs no query of its own for them."""
    found = fetch_all(
        f"SELECT {project_membership_select()} FROM {get_user_model()._meta.db_table} u "
        f"{project_membership_joins('u')}WHERE u.id = %(user)s",
        {"project": project_id, "user": user_id},
    )
    return project_membership_of(found[0]) if found else None


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


# quote_for_labelling's read; the quote's condition follows.
_QUOTE_FOR_LABELLING = [Quote, Article, Outlet, Speaker]


def _quote_for_labelling_select() -> str:
    return (
        f"SELECT {', '.join(columns(Quote, 'q') + columns(Article, 'a'))}, "
        f"{', '.join(columns(Outlet, 'o') + columns(Speaker, 's'))} "
        f"FROM {QUOTE} q JOIN {ARTICLE} a ON a.id = q.article_id "
        f"LEFT JOIN {OUTLET} o ON o.id = a.outlet_id "
        f"LEFT JOIN {SPEAKER} s ON s.id = q.speaker_id "
    )


def _quote_for_labelling_of(row) -> Quote:
    quote, article, outlet, speaker = instances_from_row(_QUOTE_FOR_LABELLING, row)
    article.outlet, quote.article, quote.speaker = outlet, article, speaker
    return quote


def quote_for_labelling(*, quote_id: int) -> Quote:
    """The quote with its article (text included), outlet and speaker, in one query."""
    [row] = fetch_all(_quote_for_labelling_select() + "WHERE q.id = %s", [quote_id])
    return _quote_for_labelling_of(row)


# -- the schema ------------------------------------------------------------------------------
def schema_rows(*, project_id: int) -> tuple[int | None, list[tuple[Dimension, list[Choice]]]]:
    """The project's SchemaVersion token as of this read (None when the project has no
    questions) and its questions in order, each with its choices in order (one query)."""
    quote_name = connection.ops.quote_name
    order = quote_name("order")
    rows = fetch_all(
        f"SELECT v.version, {', '.join(columns(Dimension, 'd') + columns(Choice, 'c'))} "
        f"FROM {DIMENSION} d LEFT JOIN {CHOICE} c ON c.dimension_id = d.id "
        f"LEFT JOIN {SCHEMA_VERSION} v ON v.project_id = d.project_id "
        f"WHERE d.project_id = %s ORDER BY d.{order}, d.id, c.{order}, c.id",
        [project_id],
    )
    schema: dict[int, tuple[Dimension, list[Choice]]] = {}
    for row in rows:
        dimension, choice = instances_from_row([Dimension, Choice], row[1:])
        entry = schema.setdefault(dimension.id, (dimension, []))
        if choice is not None:
            entry[1].append(choice)
    return (rows[0][0] if rows else None), list(schema.values())


# -- the queue --------------------------------------------------------------------------------
def _queue_params(*, project: Project, annotator_id: int, cutoff: datetime.datetime) -> dict:
    return {
        "project": project.id,
        "annotator": annotator_id,
        "cutoff": db_datetime(cutoff),
        "k": project.annotators_per_quote,
    }


def expired_assignments_release(*, project_id: int, cutoff: datetime.datetime) -> int:
    """Delete the project's open assignments handed out before `cutoff` and never submitted
    (found through the index of open assignments by age); how many went."""
    return execute(
        f"DELETE FROM {ASSIGNMENT} WHERE id IN (SELECT a.id FROM {ASSIGNMENT} a "
        f"WHERE a.project_id = %(project)s AND {ASSIGNMENT_EXPIRED})",
        {"project": project_id, "cutoff": db_datetime(cutoff)},
    )


def _candidate_select(
    *, project: Project, annotator_id: int, passed_over: list[int], skip_locked: bool, params: dict
) -> str:
    """queue_candidate_id's SELECT (its parameters added to `params`)."""
    params.update(
        {"project": project.id, "annotator": annotator_id, "k": project.annotators_per_quote}
    )
    passed = ""
    if passed_over:
        passed = f" AND c.quote_id NOT IN ({placeholders(passed_over, params, 'passed')})"
    return (
        f"SELECT c.quote_id FROM {QUEUE_COUNT} c JOIN {QUOTE} q ON q.id = c.quote_id "
        "WHERE c.project_id = %(project)s AND NOT c.rejected AND c.held < %(k)s "
        f"AND NOT EXISTS (SELECT 1 FROM {ASSIGNMENT} m WHERE m.project_id = %(project)s "
        "AND m.quote_id = c.quote_id AND m.annotator_id = %(annotator)s)"
        f"{passed} AND {QUOTE_IN_PROJECT} "
        "ORDER BY c.held DESC, c.article_id, c.content_start, c.quote_id LIMIT 1"
        + row_lock("q", skip_locked=skip_locked)
    )


def queue_candidate_id(
    *, project: Project, annotator_id: int, passed_over: list[int], skip_locked: bool
) -> int | None:
    """The id of the best quote to hand the annotator next, locked (PostgreSQL: FOR NO KEY
    UPDATE, skipping rows others hold when `skip_locked`), or None.

    Quotes with fewer than k places held and none of them the annotator's, fullest first, then
    in text order: the order of tests/annotations/queue_reference.py once expired assignments
    are gone (expired_assignments_release), since places held then are the live ones. One
    walk down the queue_counts' candidate index (held descending, then text order), stepping
    over only the annotator's own quotes; the quote itself is checked against the project's
    rule (QUOTE_IN_PROJECT), so rows that lag it are passed over, never handed out.
    """
    params: dict = {}
    statement = _candidate_select(
        project=project,
        annotator_id=annotator_id,
        passed_over=passed_over,
        skip_locked=skip_locked,
        params=params,
    )
    rows = fetch_all(statement, params)
    return rows[0][0] if rows else None


def open_and_candidate(
    *, project: Project, annotator_id: int, cutoff: datetime.datetime, passed_over: list[int]
) -> tuple[list[tuple[int, int, bool, bool]], int | None]:
    """In one statement, the annotator's open assignments, newest first (id, quote id, whether
    it expired, whether its quote is still in the project), and queue_candidate_id's pick
    with SKIP LOCKED (locked; None when every candidate is locked or none is left).

    The candidate is looked for, and locked until the transaction ends, even when an open
    assignment will be handed back instead: the usual call (after a submit) has none, and
    the lock only makes a concurrent caller skip that quote for a moment.
    """
    params: dict = {"cutoff": db_datetime(cutoff)}
    candidate = _candidate_select(
        project=project,
        annotator_id=annotator_id,
        passed_over=passed_over,
        skip_locked=True,
        params=params,
    )
    rows = fetch_all(
        f"WITH candidate AS ({candidate}) "
        f"SELECT 1, a.id, a.quote_id, {ASSIGNMENT_EXPIRED}, ({QUOTE_IN_PROJECT}), a.assigned_at "
        f"FROM {ASSIGNMENT} a JOIN {QUOTE} q ON q.id = a.quote_id "
        "WHERE a.project_id = %(project)s AND a.annotator_id = %(annotator)s "
        f"AND a.status = {ASSIGNED} "
        "UNION ALL SELECT 2, NULL, c.quote_id, NULL, NULL, NULL FROM candidate c "
        "ORDER BY 1, 6 DESC, 2 DESC",
        params,
    )
    opened = [
        (assignment_id, quote_id, bool(expired), bool(there))
        for part, assignment_id, quote_id, expired, there, _ in rows
        if part == 1
    ]
    candidates = [quote_id for part, _, quote_id, _, _, _ in rows if part == 2]
    return opened, (candidates[0] if candidates else None)


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


def assignment_take(
    *,
    project_id: int,
    quote_id: int,
    annotator_id: int,
    k: int,
    cutoff: datetime.datetime,
    now: datetime.datetime,
) -> Quote | None:
    """Hand the quote to the annotator when it plainly has room: fewer than k live places,
    none expired and none ever the annotator's. The quote as quote_for_labelling reads it
    when the open assignment went in, None when not (place_counts then tells why,
    queue._place_take). On PostgreSQL one statement (the insert a WITH part, the quote read
    when it returns a row); elsewhere the insert, then quote_for_labelling."""
    params = {
        **_place_params(project_id, quote_id, annotator_id, cutoff),
        "k": k,
        "now": db_datetime(now),
    }
    insert = (
        f"INSERT INTO {ASSIGNMENT} (project_id, quote_id, annotator_id, status, "
        "assigned_at, completed_at, seconds_spent) "
        f"SELECT %(project)s, %(quote)s, %(annotator)s, {ASSIGNED}, %(now)s, NULL, NULL "
        f"WHERE (SELECT COUNT(CASE WHEN {ASSIGNMENT_LIVE} THEN 1 END) < %(k)s "
        f"AND COUNT(CASE WHEN {ASSIGNMENT_EXPIRED} OR a.annotator_id = %(annotator)s "
        f"THEN 1 END) = 0 FROM {ASSIGNMENT} a "
        "WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s)"
    )
    if connection.vendor != "postgresql":
        return quote_for_labelling(quote_id=quote_id) if execute(insert, params) else None
    rows = fetch_all(
        f"WITH taken AS ({insert} RETURNING quote_id) {_quote_for_labelling_select()}"
        "WHERE q.id IN (SELECT quote_id FROM taken)",
        params,
    )
    return _quote_for_labelling_of(rows[0]) if rows else None


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


# A person's labels on one quote: dimension id → (label id, note, updated at, choice ids).
OwnLabels = dict[int, tuple[int, str, datetime.datetime, set[int]]]
# Gold: (quote id, dimension id) → (gold id, method, choice ids).
GoldOf = dict[tuple[int, int], tuple[int, str, set[int]]]


def quote_places(
    *, project_id: int, quote_id: int, annotator_id: int, cutoff: datetime.datetime
) -> tuple[list[tuple[int, bool, str]], GoldOf, OwnLabels]:
    """What a label save reads under the quote's lock, in one statement: who holds an
    assignment on the quote (annotator id, whether it is live, its status), the quote's gold
    (as gold_of gives it), and the annotator's own labels on it (dimension id → (label id,
    note, updated at, choice ids)).

    The three reads are one UNION ALL, its rows told apart by the first column; the labels'
    part comes first, so that PostgreSQL (which types a UNION pair by pair) takes each
    column's type from a part that has one rather than from NULLs.
    """
    rows = fetch_all(
        f"SELECT 3, l.dimension_id, NULL, l.note, l.id, l.updated_at, c.choice_id FROM {LABEL} l "
        f"LEFT JOIN {LABEL_CHOICES} c ON c.label_id = l.id WHERE l.project_id = %(project)s "
        "AND l.quote_id = %(quote)s AND l.annotator_id = %(annotator)s "
        f"UNION ALL SELECT 1, a.annotator_id, {ASSIGNMENT_LIVE}, a.status, NULL, NULL, NULL "
        f"FROM {ASSIGNMENT} a WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s "
        f"UNION ALL SELECT 2, g.dimension_id, NULL, g.method, g.id, NULL, gc.choice_id "
        f"FROM {GOLD} g LEFT JOIN {GOLD_CHOICES} gc ON gc.gold_id = g.id "
        "WHERE g.project_id = %(project)s AND g.quote_id = %(quote)s",
        _place_params(project_id, quote_id, annotator_id, cutoff),
    )
    places: list[tuple[int, bool, str]] = []
    gold: GoldOf = {}
    labels: OwnLabels = {}
    for part, number, live, text, row_id, updated_at, choice_id in rows:
        if part == 1:
            places.append((number, bool(live), text))
        elif part == 2:
            entry = gold.setdefault((quote_id, number), (row_id, text, set()))
            if choice_id is not None:
                entry[2].add(choice_id)
        else:
            updated_at = field_from_db(Label, "updated_at", updated_at)
            entry = labels.setdefault(number, (row_id, text, updated_at, set()))
            if choice_id is not None:
                entry[3].add(choice_id)
    return places, gold, labels


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


# assignment_submit's UPDATE, parameters %(project)s, %(quote)s, %(annotator)s, %(now)s and
# %(seconds)s (also run inside label_save_writes).
_ASSIGNMENT_SUBMIT = (
    f"UPDATE {ASSIGNMENT} SET status = {SUBMITTED}, completed_at = %(now)s, "
    # seconds_spent + seconds; the seconds alone when none were stored; unchanged without.
    "seconds_spent = COALESCE(seconds_spent + CAST(%(seconds)s AS DOUBLE PRECISION), "
    "CAST(%(seconds)s AS DOUBLE PRECISION), seconds_spent) "
    "WHERE project_id = %(project)s AND quote_id = %(quote)s AND annotator_id = %(annotator)s"
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
        _ASSIGNMENT_SUBMIT,
        {
            "project": project_id,
            "quote": quote_id,
            "annotator": annotator_id,
            "now": db_datetime(now),
            "seconds": seconds,
        },
    )


def _annotator_counts_parts(params: dict) -> str:
    """annotator_counts' four parts, each row (part, n, n, n, NULL, NULL): the two last
    columns are answers_and_counts' (key, value)."""
    return (
        f"SELECT 1, n.submitted, n.assigned, n.skipped, NULL, NULL FROM {QUEUE_MINE} n "
        "WHERE n.project_id = %(project)s AND n.annotator_id = %(annotator)s "
        f"UNION ALL SELECT 2, COALESCE(SUM(t.quotes_open), 0), 0, 0, NULL, NULL "
        f"FROM {QUEUE_TOTAL} t WHERE t.project_id = %(project)s "
        f"UNION ALL SELECT 3, COUNT(*), 0, 0, NULL, NULL FROM {QUEUE_COUNT} c "
        "WHERE c.project_id = %(project)s AND NOT c.rejected AND c.held >= 1 "
        f"AND c.held < %(k)s AND EXISTS (SELECT 1 FROM {ASSIGNMENT} m "
        "WHERE m.project_id = %(project)s AND m.quote_id = c.quote_id "
        f"AND m.annotator_id = %(annotator)s AND m.status <> {SKIPPED}) "
        f"UNION ALL SELECT 4, COUNT(*), 0, 0, NULL, NULL FROM {ASSIGNMENT} m "
        f"JOIN {QUEUE_COUNT} c ON c.quote_id = m.quote_id AND c.project_id = m.project_id "
        "WHERE m.project_id = %(project)s AND m.annotator_id = %(annotator)s "
        f"AND m.status = {SKIPPED} AND NOT c.rejected AND c.held < %(k)s"
    )


def _annotator_counts_of(rows: list[tuple]) -> tuple[int, int, int, int]:
    parts = {part: values for part, *values in rows}
    submitted, assigned, skipped = parts.get(1, (0, 0, 0, None, None))[:3]
    pool = parts[2][0] - parts[3][0] - parts[4][0]
    return submitted, assigned, skipped, pool


def annotator_counts(*, project: Project, annotator_id: int) -> tuple[int, int, int, int]:
    """The annotator's submitted, open and skipped assignments on the project's quotes, and
    the quotes still in the pool for them (never theirs, fewer than k places held).

    One query of four parts, none counting the annotator's history: their counts by status
    (QueueAnnotatorCount), the project's open quotes (QueueTotal), and the open quotes among
    theirs, which are the started quotes they hold a place on (a walk of the counts' index over
    quotes with 1 to k - 1 places held) and the quotes they skipped that are still open.
    """
    params = {"project": project.id, "annotator": annotator_id, "k": project.annotators_per_quote}
    return _annotator_counts_of(fetch_all(_annotator_counts_parts(params), params))


def answers_and_counts(
    *, project: Project, annotator_id: int, quote_id: int
) -> tuple[list[tuple[str, str | None]], tuple[int, int, int, int]]:
    """The annotator's labels on one quote as (dimension key, choice value) rows, None for a
    label whose choices were cleared, and annotator_counts: in one statement (what a queue
    item shows beside its quote). The answers' part comes first: PostgreSQL types a UNION
    pair by pair, and their key and value columns are NULL in every other part."""
    params = {
        "project": project.id,
        "annotator": annotator_id,
        "k": project.annotators_per_quote,
        "quote": quote_id,
    }
    rows = fetch_all(
        f"SELECT 5, NULL, NULL, NULL, d.key, c.value {_ANSWERS_FROM} UNION ALL "
        + _annotator_counts_parts(params),
        params,
    )
    answers = [(key, value) for part, _, _, _, key, value in rows if part == 5]
    return answers, _annotator_counts_of([row for row in rows if row[0] != 5])


def project_totals(*, project_id: int) -> tuple[int, int, int]:
    """The project's quotes (not rejected), those with k or more submissions, and its
    submissions counting at most k per quote: the sum of its QueueTotal shares."""
    [row] = fetch_all(
        "SELECT COALESCE(SUM(t.quotes), 0), COALESCE(SUM(t.quotes_complete), 0), "
        f"COALESCE(SUM(t.done), 0) FROM {QUEUE_TOTAL} t WHERE t.project_id = %s",
        [project_id],
    )
    return row


# -- labels -----------------------------------------------------------------------------------
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


def label_save_writes(
    *,
    project_id: int,
    quote_id: int,
    annotator_id: int,
    created: list[int],
    known: dict[int, int],
    choices: dict[int, list[int]],
    values: dict[int, list[str]],
    note: str,
    now: datetime.datetime,
    seconds: float | None,
) -> tuple[dict[int, int], bool]:
    """A save's writes: new labels for the `created` dimensions, then choices (dimension id →
    choice ids) and a history row (dimension id → choice values) for new labels and for the
    `known` ones (dimension id → label id, already rewritten by labels_rewrite), the history
    written by the annotator; then the annotator's assignment submitted (assignment_submit).
    Returns dimension id → new label id, and whether an assignment was there to submit.

    On PostgreSQL one statement (the writes as data-modifying WITH parts, the choices and
    history joined to the new ids by dimension); elsewhere labels_insert,
    label_choices_insert, label_history_insert and assignment_submit in turn, which write the
    same rows.
    """
    if connection.vendor != "postgresql" or not (created or known):
        # One statement each (the inserts send none when they have no rows: a save of the
        # same answers is only the submission).
        new_ids = labels_insert(
            project_id=project_id,
            quote_id=quote_id,
            annotator_id=annotator_id,
            dimension_ids=created,
            note=note,
            now=now,
        )
        ids = {**known, **new_ids}
        label_choices_insert(
            rows=[
                (ids[dimension_id], choice)
                for dimension_id in choices
                for choice in choices[dimension_id]
            ]
        )
        label_history_insert(
            entries=[(ids[dimension_id], chosen) for dimension_id, chosen in values.items()],
            note=note,
            changed_by=annotator_id,
            now=now,
        )
        submitted = assignment_submit(
            project_id=project_id,
            quote_id=quote_id,
            annotator_id=annotator_id,
            now=now,
            seconds=seconds,
        )
        return new_ids, bool(submitted)
    params: dict = {
        "project": project_id,
        "quote": quote_id,
        "annotator": annotator_id,
        "note": note,
        "now": db_datetime(now),
        "seconds": seconds,
    }

    def rows(name: str, pairs: list[tuple], casts: tuple[str, str]) -> str:
        found = []
        for n, pair in enumerate(pairs):
            cells = []
            for m, (value, cast) in enumerate(zip(pair, casts, strict=True)):
                params[f"{name}_{n}_{m}"] = value
                cells.append(f"CAST(%({name}_{n}_{m})s AS {cast})")
            found.append(f"({', '.join(cells)})")
        return ", ".join(found)

    parts, id_sources = [], []
    if created:
        new_rows = ", ".join(
            f"(%(project)s, %(quote)s, %(annotator)s, %(dimension_{n})s, %(note)s, %(now)s, "
            "%(now)s)"
            for n in range(len(created))
        )
        params.update({f"dimension_{n}": dimension_id for n, dimension_id in enumerate(created)})
        parts.append(
            f"new AS (INSERT INTO {LABEL} (project_id, quote_id, annotator_id, dimension_id, "
            f"note, created_at, updated_at) VALUES {new_rows} RETURNING dimension_id, id)"
        )
        id_sources.append("SELECT dimension_id, id FROM new")
    if known:
        id_sources.append(f"VALUES {rows('known', list(known.items()), ('BIGINT', 'BIGINT'))}")
    parts.append(f"ids (dimension_id, id) AS ({' UNION ALL '.join(id_sources)})")
    chosen = [
        (dimension_id, choice) for dimension_id in choices for choice in choices[dimension_id]
    ]
    if chosen:
        chosen_rows = rows("choice", chosen, ("BIGINT", "BIGINT"))
        parts.append(
            f"chosen AS (INSERT INTO {LABEL_CHOICES} (label_id, choice_id) "
            f"SELECT ids.id, v.choice_id FROM (VALUES {chosen_rows}) "
            "v (dimension_id, choice_id) JOIN ids ON ids.dimension_id = v.dimension_id)"
        )
    if values:
        history = [(dimension_id, json.dumps(given)) for dimension_id, given in values.items()]
        params["by"] = annotator_id
        history_rows = rows("history", history, ("BIGINT", "TEXT"))
        values_column = connection.ops.quote_name("values")
        parts.append(
            f"history AS (INSERT INTO {LABEL_HISTORY} (label_id, {values_column}, note, "
            "changed_by_id, changed_at) SELECT ids.id, CAST(v.given AS JSONB), %(note)s, "
            f"%(by)s, %(now)s FROM (VALUES {history_rows}) "
            "v (dimension_id, given) JOIN ids ON ids.dimension_id = v.dimension_id)"
        )
    parts.append(f"submitted AS ({_ASSIGNMENT_SUBMIT} RETURNING 1)")
    final = "SELECT 1, NULL, COUNT(*) FROM submitted"
    if created:
        final = f"SELECT 0, dimension_id, id FROM new UNION ALL {final}"
    rows = fetch_all(f"WITH {', '.join(parts)} {final}", params)
    new_ids = {dimension_id: label_id for part, dimension_id, label_id in rows if part == 0}
    return new_ids, any(part == 1 and count for part, _, count in rows)


def labels_rewrite(*, label_ids: list[int], note: str, now: datetime.datetime) -> None:
    """Changed labels: their note, time and count of changes, and their old choices gone (new
    ones follow)."""
    params = {"note": note, "now": db_datetime(now)}
    ids = placeholders(label_ids, params, "label")
    execute(
        f"UPDATE {LABEL} SET note = %(note)s, updated_at = %(now)s, changes = changes + 1 "
        f"WHERE id IN ({ids})",
        params,
    )
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


def _quote_range(first_id: int | None, last_id: int | None, params: dict) -> str:
    if first_id is None:
        return ""
    params.update(first=first_id, last=last_id)
    return " AND quote_id BETWEEN %(first)s AND %(last)s"


def seconds_spent(
    *, project_id: int, first_id: int | None = None, last_id: int | None = None
) -> list[tuple[int, int, float | None]]:
    """(quote id, annotator id, seconds spent) of the project's assignments (of the quotes
    first_id..last_id if given)."""
    params: dict = {"project": project_id}
    within = _quote_range(first_id, last_id, params)
    return fetch_all(
        f"SELECT quote_id, annotator_id, seconds_spent FROM {ASSIGNMENT} "
        f"WHERE project_id = %(project)s{within}",
        params,
    )


def label_changes(
    *, project_id: int, first_id: int | None = None, last_id: int | None = None
) -> list[tuple[int, int, int]]:
    """(quote id, annotator id, changes over the quote's questions) where there were any (of
    the quotes first_id..last_id if given)."""
    params: dict = {"project": project_id}
    within = _quote_range(first_id, last_id, params)
    return fetch_all(
        f"SELECT quote_id, annotator_id, SUM(changes) FROM {LABEL} "
        f"WHERE project_id = %(project)s AND changes > 0{within} GROUP BY quote_id, annotator_id",
        params,
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


def gold_of(*, project_id: int, quote_ids: list[int] | None) -> GoldOf:
    """(quote id, dimension id) → the gold there: its id, method and choice ids."""
    params: dict = {"project": project_id}
    gold: GoldOf = {}
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


def gold_insert(
    *, project_id: int, keys: list[tuple[int, int]], method: str, now: datetime.datetime
) -> dict[tuple[int, int], int]:
    """New gold rows (decided by nobody) for these (quote id, dimension id) pairs, in one
    statement: (quote id, dimension id) → new gold id."""
    if not keys:
        return {}
    returning = connection.features.can_return_columns_from_insert
    stamp = db_datetime(now)
    new_ids = insert_rows(
        GOLD,
        ("project_id", "quote_id", "dimension_id", "method", "decided_by_id", "decided_at"),
        [
            (project_id, quote_id, dimension_id, method, None, stamp)
            for quote_id, dimension_id in keys
        ],
        returning=("quote_id", "dimension_id", "id") if returning else (),
    )
    if not returning:  # SQLite before 3.35 has no RETURNING
        params: dict = {"project": project_id}
        new_ids = fetch_all(
            f"SELECT g.quote_id, g.dimension_id, g.id FROM {GOLD} g "
            "WHERE g.project_id = %(project)s"
            + _quote_filter("g", sorted({quote_id for quote_id, _ in keys}), params),
            params,
        )
    wanted = set(keys)
    return {
        (quote_id, dimension_id): gold_id
        for quote_id, dimension_id, gold_id in new_ids
        if (quote_id, dimension_id) in wanted
    }


def gold_choices_insert(*, rows: list[tuple[int, int]]) -> None:
    """(gold id, choice id) pairs."""
    insert_rows(GOLD_CHOICES, ("gold_id", "choice_id"), rows)


# -- the queue's counts (QueueCount, QueueTotal), recomputed from their sources ------------------
def _project_filter(alias: str, project_id: int | None, params: dict) -> str:
    if project_id is None:
        return ""
    params["project"] = project_id
    return f" AND {alias}.project_id = %(project)s"


def queue_counts_expected(*, project_id: int | None = None) -> list[tuple]:
    """What QueueCount should hold (for one project or all), from the project's articles, the
    quotes and the assignments: (project id, quote id, article id, content start, rejected,
    held, submitted) per quote of each project's articles."""
    params: dict = {}
    return [
        (project, quote, article, start, bool(rejected), held, submitted)
        for project, quote, article, start, rejected, held, submitted in fetch_all(
            f"SELECT s.project_id, q.id, q.article_id, q.content_start, {QUOTE_OUT_OF_QUEUE}, "
            f"COUNT(CASE WHEN a.status <> {SKIPPED} THEN 1 END), "
            f"COUNT(CASE WHEN a.status = {SUBMITTED} THEN 1 END) "
            f"FROM {PROJECT_ARTICLES} s JOIN {QUOTE} q ON q.article_id = s.article_id "
            f"LEFT JOIN {ASSIGNMENT} a ON a.project_id = s.project_id AND a.quote_id = q.id "
            "WHERE 1 = 1"
            + _project_filter("s", project_id, params)
            + " GROUP BY s.project_id, q.id, q.article_id, q.content_start, q.is_rejected, "
            "q.gone_in_version",
            params,
        )
    ]


def queue_counts_stored(*, project_id: int | None = None) -> list[tuple]:
    """What QueueCount holds, in the shape of queue_counts_expected."""
    params: dict = {}
    return [
        (project, quote, article, start, bool(rejected), held, submitted)
        for project, quote, article, start, rejected, held, submitted in fetch_all(
            "SELECT c.project_id, c.quote_id, c.article_id, c.content_start, c.rejected, "
            f"c.held, c.submitted FROM {QUEUE_COUNT} c WHERE 1 = 1"
            + _project_filter("c", project_id, params),
            params,
        )
    ]


def queue_totals_stored(*, project_id: int | None = None) -> list[tuple]:
    """QueueTotal's rows: (project id, shard, k, quotes, open, complete, done)."""
    params: dict = {}
    return fetch_all(
        "SELECT t.project_id, t.shard, t.annotators_per_quote, t.quotes, t.quotes_open, "
        f"t.quotes_complete, t.done FROM {QUEUE_TOTAL} t WHERE 1 = 1"
        + _project_filter("t", project_id, params),
        params,
    )


def annotator_counts_expected(*, project_id: int | None = None) -> list[tuple]:
    """What QueueAnnotatorCount should hold: (project id, annotator id, submitted, assigned,
    skipped) over assignments whose quote is in the project and not rejected."""
    params: dict = {}
    return fetch_all(
        "SELECT a.project_id, a.annotator_id, "
        f"COUNT(CASE WHEN a.status = {SUBMITTED} THEN 1 END), "
        f"COUNT(CASE WHEN a.status = {ASSIGNED} THEN 1 END), "
        f"COUNT(CASE WHEN a.status = {SKIPPED} THEN 1 END) FROM {ASSIGNMENT} a "
        f"JOIN {QUOTE} q ON q.id = a.quote_id AND NOT {QUOTE_OUT_OF_QUEUE} "
        f"JOIN {PROJECT_ARTICLES} s ON s.project_id = a.project_id AND s.article_id = q.article_id "
        "WHERE 1 = 1"
        + _project_filter("a", project_id, params)
        + " GROUP BY a.project_id, a.annotator_id",
        params,
    )


def annotator_counts_stored(*, project_id: int | None = None) -> list[tuple]:
    """QueueAnnotatorCount's rows in the shape of annotator_counts_expected."""
    params: dict = {}
    return fetch_all(
        "SELECT n.project_id, n.annotator_id, n.submitted, n.assigned, n.skipped "
        f"FROM {QUEUE_MINE} n WHERE 1 = 1" + _project_filter("n", project_id, params),
        params,
    )


def project_ks(*, project_id: int | None = None) -> dict[int, int]:
    """Each project's k."""
    params: dict = {}
    return dict(
        fetch_all(
            f"SELECT p.id, p.annotators_per_quote FROM {PROJECT} p WHERE 1 = 1"
            + ("" if project_id is None else " AND p.id = %(project)s"),
            {"project": project_id} if project_id is not None else params,
        )
    )


def queue_counts_lock_sources() -> None:
    """Hold every writer of the queue's counts' sources (assignments, quotes, the projects'
    articles, projects) until the transaction ends, so a rebuild reads a still picture
    (PostgreSQL; SQLite has one writer at a time)."""
    if connection.vendor == "postgresql":
        execute(
            f"LOCK TABLE {ASSIGNMENT}, {QUOTE}, {PROJECT_ARTICLES}, {PROJECT} IN SHARE MODE", []
        )


COUNT_COLUMNS = (
    "project_id",
    "quote_id",
    "article_id",
    "content_start",
    "rejected",
    "held",
    "submitted",
)
TOTAL_COLUMNS = (
    "project_id",
    "shard",
    "annotators_per_quote",
    "quotes",
    "quotes_open",
    "quotes_complete",
    "done",
)


def queue_counts_replace(*, project_id: int | None = None) -> None:
    """Recompute the queue's counts (for one project or all) from their sources: the derived
    rows are deleted — the annotators' counts and the totals first, so that deleting the count
    rows has nothing left to adjust — then the totals are set to zero and the count rows
    inserted again, their triggers refilling the totals and the annotators' counts."""
    params: dict = {}
    for table, alias in ((QUEUE_MINE, "n"), (QUEUE_TOTAL, "t"), (QUEUE_COUNT, "c")):
        execute(
            f"DELETE FROM {table} WHERE id IN (SELECT {alias}.id FROM {table} {alias} "
            f"WHERE 1 = 1{_project_filter(alias, project_id, params)})",
            params,
        )
    insert_rows(
        QUEUE_TOTAL,
        TOTAL_COLUMNS,
        [
            (project, shard, k, 0, 0, 0, 0)
            for project, k in project_ks(project_id=project_id).items()
            for shard in range(QUEUE_TOTAL_SHARDS)
        ],
    )
    expected = queue_counts_expected(project_id=project_id)
    for start in range(0, len(expected), 500):
        insert_rows(
            QUEUE_COUNT,
            COUNT_COLUMNS,
            expected[start : start + 500],
        )


# -- the dataset export ---------------------------------------------------------------------------
def _joined(*columns: str) -> str:
    """The columns' values as one text "a:b:c", and the group's texts joined by commas."""
    text = " || ':' || ".join(f"CAST({column} AS TEXT)" for column in columns)
    function = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    return f"{function}({text}, ',')"


@contextmanager
def export_chunk_reads():
    """One transaction for reading one chunk's quote rows; on PostgreSQL without JIT.

    The planner's cost estimate for a chunk of 2,000 quotes with their label and gold
    subqueries passes jit_above_cost, and compiling took longer (about 90 ms) than running the
    statement. The chunk's other reads (notes, time, changes, comments, articles) are range
    scans estimated far below it, and run without this.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            execute("SET LOCAL jit = off", None)
        yield


def export_quote_rows(
    *, project_id: int, dimension_ids: list[int], after_id: int, limit: int, gold_only: bool
) -> list[tuple]:
    """The next `limit` quotes of the project after `after_id` (any version, not rejected; with
    gold on any question if `gold_only`), in id order: id, article id, kind, origin, content
    start and end, speaker id, speaker start and end, cue start and end, the labels as one
    text "annotator:dimension:choice choice…,…" (on these dimensions; labels with choices
    only), changed_in_version, gone_in_version. Run it inside export_chunk_reads.

    A label's choices are read from Label.choice_ids (kept by triggers), not from the choices'
    table: that lookup, one per label, was half of this statement's time. The speakers' names
    (export_speakers) and the gold (export_gold) are read apart: a speaker is quoted many
    times, and the gold's lookups then run on the other reading connection.
    """
    params: dict = {"project": project_id, "after": after_id, "limit": limit}
    dimensions = placeholders(dimension_ids, params, "dimension") or "NULL"
    gold_filter = (
        f" AND EXISTS (SELECT 1 FROM {GOLD} g WHERE g.project_id = %(project)s "
        "AND g.quote_id = q.id)"
        if gold_only
        else ""
    )
    statement = (
        "SELECT q.id, q.article_id, q.kind, q.origin, q.content_start, q.content_end, "
        "q.speaker_id, q.speaker_start, q.speaker_end, q.cue_start, q.cue_end, "
        f"(SELECT {_joined('l.annotator_id', 'l.dimension_id', 'l.choice_ids')} "
        f"FROM {LABEL} l WHERE l.project_id = %(project)s AND l.quote_id = q.id "
        f"AND l.dimension_id IN ({dimensions}) AND l.choice_ids <> ''), "
        "q.changed_in_version, q.gone_in_version "
        f"FROM {QUOTE} q "
        f"WHERE q.id > %(after)s AND {QUOTE_IN_PROJECT_ANY_VERSION}{gold_filter} "
        "ORDER BY q.id LIMIT %(limit)s"
    )
    return fetch_all(statement, params)


def export_gold(
    *, project_id: int, dimension_ids: list[int], first_id: int, last_id: int
) -> list[tuple[int, str]]:
    """(quote id, the gold as one text "dimension:method:choice choice…,…") for the quotes
    first_id..last_id with gold (with choices) on these dimensions.

    A gold row's choices are read from Gold.choice_ids (kept by triggers), not looked up in
    the choices' table per gold row.
    """
    params: dict = {"project": project_id, "first": first_id, "last": last_id}
    dimensions = placeholders(dimension_ids, params, "dimension") or "NULL"
    return fetch_all(
        f"SELECT g.quote_id, {_joined('g.dimension_id', 'g.method', 'g.choice_ids')} "
        f"FROM {GOLD} g WHERE g.project_id = %(project)s "
        "AND g.quote_id BETWEEN %(first)s AND %(last)s "
        f"AND g.dimension_id IN ({dimensions}) AND g.choice_ids <> '' GROUP BY g.quote_id",
        params,
    )


def export_speakers(*, speaker_ids: list[int]) -> list[tuple[int, str, str]]:
    """(id, name, kind) of these speakers."""
    params: dict = {}
    ids = placeholders(speaker_ids, params, "speaker") or "NULL"
    return fetch_all(
        f"SELECT sp.id, sp.name, sp.kind FROM {SPEAKER} sp WHERE sp.id IN ({ids})", params
    )


def export_notes_and_changes(
    *, project_id: int, first_id: int, last_id: int
) -> list[tuple[int, int, str, int]]:
    """(quote id, annotator id, note, changes) of the labels of the quotes first_id..last_id
    that have a note or were changed, by quote, annotator and time of writing: one pass over
    the labels for both. A save writes one note on each of the annotator's labels of the quote,
    so the labels agree; the newest text is the last should a label predate the last save.
    Changes are summed over the quote's questions by the caller."""
    return fetch_all(
        "SELECT l.quote_id, l.annotator_id, l.note, l.changes FROM "
        f"{LABEL} l WHERE l.project_id = %(project)s "
        "AND l.quote_id BETWEEN %(first)s AND %(last)s AND (l.note <> '' OR l.changes > 0) "
        "ORDER BY l.quote_id, l.annotator_id, l.updated_at, l.id",
        {"project": project_id, "first": first_id, "last": last_id},
    )


def export_comments(
    *, project_id: int, first_id: int, last_id: int
) -> list[tuple[int, int, str, datetime.datetime]]:
    """(quote id, author id, text, created_at) of the discussions on the quotes first..last, in
    the order comment_list gives them (by quote, then time)."""
    rows = fetch_all(
        f"SELECT c.quote_id, c.author_id, c.text, c.created_at FROM {COMMENT} c "
        "WHERE c.project_id = %(project)s AND c.quote_id BETWEEN %(first)s AND %(last)s "
        "ORDER BY c.quote_id, c.created_at, c.id",
        {"project": project_id, "first": first_id, "last": last_id},
    )
    return [
        (quote_id, author_id, text, field_from_db(Comment, "created_at", created_at))
        for quote_id, author_id, text, created_at in rows
    ]


def export_articles(
    *, article_ids: list[int]
) -> list[tuple[int, str, str | None, str | None, datetime.datetime | None, str, int]]:
    """(id, title, url, outlet's name, published_at, text, version) of these articles."""
    params: dict = {}
    ids = placeholders(article_ids, params, "article") or "NULL"
    rows = fetch_all(
        "SELECT a.id, a.title, a.url, o.name, a.published_at, a.text, a.version "
        f"FROM {ARTICLE} a LEFT JOIN {OUTLET} o ON o.id = a.outlet_id WHERE a.id IN ({ids})",
        params,
    )
    return [
        (id_, title, url, outlet, field_from_db(Article, "published_at", published), text, version)
        for id_, title, url, outlet, published, text, version in rows
    ]


def export_same_story(*, project_id: int, article_ids: list[int]) -> list[tuple[int, int]]:
    """(article id, other article id) for these articles and each current article of the
    project linked to them as the same story, by article then other article."""
    params: dict = {"project": project_id}
    ids = placeholders(article_ids, params, "article") or "NULL"
    return fetch_all(
        f"SELECT ss.article_id, ss.other_id FROM {SAME_STORY} ss "
        f"JOIN {ARTICLE} o ON o.id = ss.other_id "
        f"WHERE ss.article_id IN ({ids}) AND o.replaced_by_id IS NULL "
        f"AND ss.other_id IN (SELECT s.article_id FROM {PROJECT_ARTICLES} s "
        "WHERE s.project_id = %(project)s) "
        "ORDER BY ss.article_id, ss.other_id",
        params,
    )
