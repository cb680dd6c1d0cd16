"""Article text and URL are no longer unique across the corpus: an import de-duplicates among
the articles its importer can see, so another project's copy of a text is its own article.

SQLite alters a column by rebuilding the table, which drops the triggers of migration 0002
that mention it; they are dropped before and made again after, exactly as 0002 made them.
"""

from importlib import import_module

from django.db import migrations, models

triggers = import_module("claims.migrations.0002_quote_offsets_and_text_triggers")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_extraction_status_at"),
    ]

    operations = [
        migrations.RunPython(_sqlite(triggers.SQLITE_BACKWARD), _sqlite(triggers.SQLITE_FORWARD)),
        migrations.AlterField(
            model_name="article",
            name="sha256",
            field=models.CharField(db_index=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="article",
            name="url",
            field=models.URLField(blank=True, db_index=True, max_length=2000, null=True),
        ),
        migrations.RunPython(_sqlite(triggers.SQLITE_FORWARD), _sqlite(triggers.SQLITE_BACKWARD)),
    ]
