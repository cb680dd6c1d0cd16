"""The article's text length as a stored column the database computes (the text never changes),
and the quote-span triggers of migration 0002 comparing with it.

Measuring the text in the trigger cost a full scan of it per quote written, three times on
SQLite (about 1.6 ms per quote in a 160,000-character article): carrying 1,000 quotes to a
new version spent more time there than in everything else. The rule is unchanged: every span
ends inside its article's text.

SQLite adds the column by rebuilding claims_article, which drops 0002's triggers: they are
dropped before and made again (the quote ones in their new form) after. A later migration that
rebuilds the table should use SQLITE_FORWARD / SQLITE_BACKWARD from this module.
"""

from importlib import import_module

import django.db.models.functions.text
from django.db import migrations, models

before = import_module("claims.migrations.0002_quote_offsets_and_text_triggers")

_SPAN_OUTSIDE = (
    "WHEN MAX(NEW.content_end, COALESCE(NEW.speaker_end, 0), COALESCE(NEW.cue_end, 0)) > "
    "(SELECT text_length FROM claims_article WHERE id = NEW.article_id) "
    "BEGIN SELECT RAISE(ABORT, 'quote span lies outside the article text'); END;"
)
SQLITE_FORWARD = [
    f"CREATE TRIGGER claims_quote_offsets_insert BEFORE INSERT ON claims_quote {_SPAN_OUTSIDE}",
    f"CREATE TRIGGER claims_quote_offsets_update BEFORE UPDATE ON claims_quote {_SPAN_OUTSIDE}",
    before.SQLITE_FORWARD[2],  # the article text stays immutable, as in 0002
]
SQLITE_BACKWARD = before.SQLITE_BACKWARD

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION claims_quote_check_offsets() RETURNS trigger AS $$
    DECLARE length_of_text integer;
    BEGIN
      SELECT text_length INTO length_of_text FROM claims_article WHERE id = NEW.article_id;
      IF NEW.content_end > length_of_text OR COALESCE(NEW.speaker_end, 0) > length_of_text
         OR COALESCE(NEW.cue_end, 0) > length_of_text THEN
        RAISE EXCEPTION 'quote span lies outside the article text' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
]
POSTGRES_BACKWARD = [
    before.POSTGRES_FORWARD[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_same_story_links")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": before.SQLITE_BACKWARD}),
            _run({"sqlite": before.SQLITE_FORWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.AddField(
            model_name="article",
            name="text_length",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Length("text"),
                output_field=models.PositiveIntegerField(),
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD}),
        ),
    ]
