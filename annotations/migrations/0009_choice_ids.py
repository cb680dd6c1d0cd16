# ruff: noqa: S608 - trigger SQL built from this file's own constants, never from input
"""Label.choice_ids and Gold.choice_ids: the ids of a label's (a gold row's) choices as one text
("12 15"), kept by triggers on their choices' tables whatever writes them — the save's
statements, the ORM, the admin, a bench's bulk insert — and filled here for the rows there are.
The export reads an answer from it instead of looking up the choices' table once per row.

On PostgreSQL the triggers are per statement, over the statement's transition table (a save
writes a label's choices in one statement); SQLite has only row triggers.
"""

from django.db import migrations, models

# (table, its choices' table, the choices' column pointing at it)
TABLES = [
    ("annotations_label", "annotations_label_choices", "label_id"),
    ("annotations_gold", "annotations_gold_choices", "gold_id"),
]
# A row's choice ids, ascending, separated by spaces; '' when it has none.
IDS_OF = {
    "postgresql": (
        "COALESCE((SELECT STRING_AGG(CAST(c.choice_id AS TEXT), ' ' ORDER BY c.choice_id) "
        "FROM {choices} c WHERE c.{owner} = {table}.id), '')"
    ),
    "sqlite": (
        "COALESCE((SELECT GROUP_CONCAT(choice_id, ' ') FROM (SELECT c.choice_id FROM "
        "{choices} c WHERE c.{owner} = {table}.id ORDER BY c.choice_id)), '')"
    ),
}
# One pass over the choices, grouped: a lookup per row is too slow for a large project.
BACKFILL = (
    "UPDATE {table} t SET choice_ids = c.ids FROM (SELECT {owner}, "
    "STRING_AGG(CAST(choice_id AS TEXT), ' ' ORDER BY choice_id) AS ids "
    "FROM {choices} GROUP BY {owner}) c WHERE t.id = c.{owner}"
)
SQLITE_EVENTS = {"insert": ["NEW"], "delete": ["OLD"], "update": ["OLD", "NEW"]}
# Per statement, each over the rows it wrote (one function per table: the transition tables
# carry the names it reads).
POSTGRES_EVENTS = {
    "insert": "NEW TABLE AS written",
    "delete": "OLD TABLE AS written",
    "update": "OLD TABLE AS written NEW TABLE AS moved",
}


def _set(vendor: str, table: str, choices: str, owner: str, rows: str) -> str:
    """Set these rows' choice_ids, writing only those that differ (a writer that set it
    already, or a statement that left the choices as they were, costs no new row version)."""
    ids = IDS_OF[vendor].format(choices=choices, owner=owner, table=table)
    return f"UPDATE {table} SET choice_ids = {ids} WHERE id IN ({rows}) AND choice_ids <> {ids}"


def _sqlite() -> list[str]:
    statements = []
    for table, choices, owner in TABLES:
        for event, rows in SQLITE_EVENTS.items():
            body = " ".join(
                _set("sqlite", table, choices, owner, f"SELECT {row}.{owner}") + ";" for row in rows
            )
            statements.append(
                f"CREATE TRIGGER {table}_choice_ids_{event} AFTER {event.upper()} ON {choices} "
                f"BEGIN {body} END"
            )
    return statements


def _postgres() -> list[str]:
    statements = []
    for table, choices, owner in TABLES:
        written = _set("postgresql", table, choices, owner, f"SELECT {owner} FROM written")
        moved = _set("postgresql", table, choices, owner, f"SELECT {owner} FROM moved")
        statements.append(
            f"""CREATE FUNCTION {table}_choice_ids() RETURNS trigger AS $$
            BEGIN
              {written};
              IF TG_OP = 'UPDATE' THEN
                {moved};
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql"""
        )
        for event, tables in POSTGRES_EVENTS.items():
            statements.append(
                f"CREATE TRIGGER {table}_choice_ids_{event} AFTER {event.upper()} ON {choices} "
                f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {table}_choice_ids()"
            )
    return statements


def _forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite, "postgresql": _postgres}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"choice_ids triggers for {vendor}")
    # Every row is written once: on a large project longer than the web's statement timeout.
    statements = (
        [*statements(), "SET LOCAL statement_timeout = 0"]
        if vendor == "postgresql"
        else statements()
    )
    for table, choices, owner in TABLES:
        if vendor == "postgresql":
            statements.append(BACKFILL.format(table=table, choices=choices, owner=owner))
        else:
            statements.append(_set(vendor, table, choices, owner, f"SELECT {owner} FROM {choices}"))
    for statement in statements:
        schema_editor.execute(statement, params=None)  # no parameters: "%" is modulo here


def _backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, choices, _ in TABLES:
        for event in SQLITE_EVENTS:
            suffix = f" ON {choices}" if vendor == "postgresql" else ""
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_choice_ids_{event}{suffix}", params=None
            )
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_choice_ids()", params=None)


def _choice_ids() -> models.TextField:
    return models.TextField(
        db_default="",
        editable=False,
        help_text="The ids of the choices, ascending, separated by spaces.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_schema_version"),
    ]

    operations = [
        migrations.AddField(model_name="label", name="choice_ids", field=_choice_ids()),
        migrations.AddField(model_name="gold", name="choice_ids", field=_choice_ids()),
        migrations.RunPython(_forward, _backward),
    ]
