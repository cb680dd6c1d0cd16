"""Small helpers for the labelling hot paths written as SQL (queue-next, save-label).

Building and compiling a query through the ORM costs a millisecond or two of Python each on
the project machine, several times what PostgreSQL spends running these small statements; a
label save runs about ten. The statements here read and write exactly what the ORM versions
did, on SQLite and PostgreSQL alike (tests run both).
"""

import datetime

from django.db import connection

from annotations.models import Project


def row_lock(alias: str, *, skip_locked: bool = False) -> str:
    """PostgreSQL's row lock clause for `alias` (empty on SQLite, which has one writer)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR NO KEY UPDATE OF {alias}" + (" SKIP LOCKED" if skip_locked else "")


def db_datetime(value: datetime.datetime) -> object:
    """A timezone-aware datetime as the database driver wants it as a parameter."""
    return connection.ops.adapt_datetimefield_value(value)


def fetch_all(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def placeholders(values: list, params: dict, prefix: str) -> str:
    """ "%(prefix_0)s, %(prefix_1)s, …" for an IN list, adding the values to `params`."""
    names = []
    for n, value in enumerate(values):
        params[f"{prefix}_{n}"] = value
        names.append(f"%({prefix}_{n})s")
    return ", ".join(names)


def insert_rows(
    table: str, columns: tuple[str, ...], rows: list[tuple], returning: tuple[str, ...] = ()
) -> list[tuple]:
    """Insert rows in one statement (nothing when there are none); with `returning`, those
    columns of the new rows, in no particular order (PostgreSQL and SQLite 3.35+)."""
    if not rows:
        return []
    quote_name = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    statement = (
        f"INSERT INTO {table} ({', '.join(map(quote_name, columns))}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(rows))}"
    )
    if returning:
        statement += f" RETURNING {', '.join(map(quote_name, returning))}"
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for values in rows for value in values])
        return cursor.fetchall() if returning else []


_CONVERTERS: dict = {}


def _converters(model) -> list[tuple]:
    """Per concrete field: the column and Django's converters for it on this database."""
    key = (connection.vendor, model)
    if key not in _CONVERTERS:
        found = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            found.append(
                (
                    column,
                    connection.ops.get_db_converters(column) + field.get_db_converters(connection),
                )
            )
        _CONVERTERS[key] = found
    return _CONVERTERS[key]


def columns(model, alias: str) -> list[str]:
    """The model's concrete columns, in field order, prefixed with `alias`."""
    quote_name = connection.ops.quote_name
    return [f"{alias}.{quote_name(field.column)}" for field in model._meta.concrete_fields]


def instance_from_row(model, values):
    """A model instance from its concrete columns (as `columns` lists them) read by a raw
    cursor, converted as the ORM would (SQLite gives datetimes as text, booleans as 0/1)."""
    converted = []
    for value, (column, converters) in zip(values, _converters(model), strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(
        connection.alias, [f.attname for f in model._meta.concrete_fields], converted
    )


def field_from_db(model, attname: str, value):
    """One column read by a raw cursor, converted as the ORM would."""
    for field, (column, converters) in zip(
        model._meta.concrete_fields, _converters(model), strict=True
    ):
        if field.attname == attname:
            for converter in converters:
                value = converter(value, column, connection)
            return value
    raise LookupError(f"{model.__name__} has no column {attname!r}")


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
