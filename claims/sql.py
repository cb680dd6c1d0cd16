"""Raw SQL for every app: the one toolbox (running a statement, and the one way to turn its
rows into model instances, converted exactly as the ORM converts them) and the corpus's own
statements.

The corpus (the bottom layer) holds the toolbox so every app above can use it: annotations/sql.py
(the labelling loop's statements) and config/sql.py (the API token check) build on it. The
corpus's statements below are "write these values to these rows" in one UPDATE … SET column =
CASE id WHEN … END: `bulk_update` builds the same statement through the ORM's expressions, which
cost about 4 ms per row and field group on the project machine — more than the work around it
(storing an article, mapping a quote). tests/claims/test_import_staging.py and
test_article_versions.py check what they write through the ORM, on SQLite and PostgreSQL.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.utils import timezone

from claims.models import ImportItem, Quote


def row_lock(alias: str, *, skip_locked: bool = False) -> str:
    """PostgreSQL's row lock clause for `alias` (empty on SQLite, which has one writer)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR NO KEY UPDATE OF {alias}" + (" SKIP LOCKED" if skip_locked else "")


def db_datetime(value: datetime.datetime) -> object:
    """A timezone-aware datetime as the database driver wants it as a parameter."""
    return connection.ops.adapt_datetimefield_value(value)


def fetch_all(statement: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def execute(statement: str, params) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def placeholders(values: Iterable, params: dict, prefix: str) -> str:
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
        f"INSERT INTO {table} ({', '.join(map(quote_name, columns))}) "
        f"VALUES {', '.join([row] * len(rows))}"
    )
    if returning:
        statement += f" RETURNING {', '.join(map(quote_name, returning))}"
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for values in rows for value in values])
        return cursor.fetchall() if returning else []


# -- rows to model instances ----------------------------------------------------------------
_CONVERTERS: dict = {}
_COLUMNS: dict = {}


def _converters(model) -> tuple[list[str], list[tuple]]:
    """The model's field attnames and, per concrete field, the column and Django's converters
    for it on this database (worked out once per process: the labelling loop turns seven rows
    a request into instances)."""
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
        _CONVERTERS[key] = ([f.attname for f in model._meta.concrete_fields], found)
    return _CONVERTERS[key]


def columns(model, alias: str) -> list[str]:
    """The model's concrete columns, in field order, prefixed with `alias` (kept per process)."""
    key = (connection.vendor, model, alias)
    if key not in _COLUMNS:
        quote_name = connection.ops.quote_name
        _COLUMNS[key] = [
            f"{alias}.{quote_name(field.column)}" for field in model._meta.concrete_fields
        ]
    return list(_COLUMNS[key])


def instance_from_row(model, values):
    """A model instance from its concrete columns (as `columns` lists them) read by a raw
    cursor, converted as the ORM would (SQLite gives datetimes as text, booleans as 0/1)."""
    attnames, converters_of = _converters(model)
    database = connections[DEFAULT_DB_ALIAS]
    converted = []
    for value, (column, converters) in zip(values, converters_of, strict=True):
        for converter in converters:
            value = converter(value, column, database)
        converted.append(value)
    return model.from_db(database.alias, attnames, converted)


def instances_from_row(models: list, row) -> list:
    """Several models side by side in one row (each as `columns` lists it); None for a model
    whose columns are all NULL (the far side of a LEFT JOIN that found nothing)."""
    instances, start = [], 0
    for model in models:
        width = len(model._meta.concrete_fields)
        part = row[start : start + width]
        instances.append(None if part[0] is None else instance_from_row(model, part))
        start += width
    return instances


def field_from_db(model, attname: str, value):
    """One column read by a raw cursor, converted as the ORM would."""
    for field, (column, converters) in zip(
        model._meta.concrete_fields, _converters(model)[1], strict=True
    ):
        if field.attname == attname:
            for converter in converters:
                value = converter(value, column, connection)
            return value
    raise LookupError(f"{model.__name__} has no column {attname!r}")


# -- the corpus's statements ---------------------------------------------------------------
# SQLite takes at most 32,766 parameters per statement; a row takes 2 per column and 1.
ROWS_PER_STATEMENT = 400


def _set_by_id(
    model: type[Model],
    rows: Sequence[Model],
    columns: dict[str, str],
    also: str = "",
    also_params=(),
) -> int:
    """UPDATE the rows' table, setting each column (a name → its placeholder, with a CAST
    where the database must know the type of a NULL) to each row's attribute of that name,
    plus the fixed assignments `also`; the number of rows written."""
    written = 0
    quote_name = connection.ops.quote_name
    table, key = quote_name(model._meta.db_table), quote_name("id")
    for first in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[first : first + ROWS_PER_STATEMENT]
        assignments, params = [], []
        for column, placeholder in columns.items():
            cases = " ".join(f"WHEN %s THEN {placeholder}" for _row in chunk)
            assignments.append(f"{quote_name(column)} = CASE {key} {cases} END")
            for row in chunk:
                params += [row.pk, getattr(row, column)]
        if also:
            assignments.append(also)
            params += list(also_params)
        params += [row.pk for row in chunk]
        statement = (
            f"UPDATE {table} SET {', '.join(assignments)} "
            f"WHERE {key} IN ({', '.join(['%s'] * len(chunk))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            written += cursor.rowcount
    return written


def import_items_finish(items: Sequence[ImportItem]) -> int:
    """Write the outcome of each item — status, reason, retryable, article — empty its staged
    payload and stamp it, in one UPDATE per few hundred items."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    quote_name = connection.ops.quote_name
    return _set_by_id(
        ImportItem,
        items,
        {
            "status": "%s",
            "reason": "%s",
            "retryable": "%s",
            "article_id": "CAST(%s AS BIGINT)",
        },
        also=f"{quote_name('payload')} = '{{}}', {quote_name('status_at')} = %s",
        also_params=[now],
    )


def quotes_move(quotes: Sequence[Quote]) -> int:
    """Write each quote's article, spans and changed-in-version flag (carried to a new version
    of its article, claims/services/versions.py), in one UPDATE per few hundred quotes."""
    number = "CAST(%s AS INTEGER)"
    return _set_by_id(
        Quote,
        quotes,
        {
            "article_id": "CAST(%s AS BIGINT)",
            "content_start": number,
            "content_end": number,
            "speaker_start": number,
            "speaker_end": number,
            "cue_start": number,
            "cue_end": number,
            "changed_in_version": number,
        },
    )
