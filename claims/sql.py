"""The corpus's raw SQL: statements the ORM would build too slowly, each one function.

Both are "write these values to these rows" in one UPDATE … SET column = CASE id WHEN … END:
`bulk_update` builds the same statement through the ORM's expressions, which cost about 4 ms
per row and field group on the project machine — more than the work around it (storing an
article, mapping a quote). Tables and columns come from the models' metadata; values always
travel as parameters. tests/claims/test_import_staging.py and test_article_versions.py check
what they write through the ORM, on SQLite and PostgreSQL.
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from claims.models import ImportItem, Quote

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
