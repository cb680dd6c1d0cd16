"""Article versions: an edited article is a new row in its lineage (the text stays immutable);
quotes carried to it may be flagged changed, or stay behind gone."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

# SQLite adds these columns by rebuilding claims_article, which drops migration 0002's
# triggers that mention it: they are dropped before and made again after (as in 0005).
triggers = import_module("claims.migrations.0002_quote_offsets_and_text_triggers")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_import_staging")]

    operations = [
        migrations.RunPython(_sqlite(triggers.SQLITE_BACKWARD), _sqlite(triggers.SQLITE_FORWARD)),
        migrations.AddField(
            model_name="article",
            name="lineage",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="later_versions",
                to="claims.article",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="replaced_by",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="replaces",
                to="claims.article",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="quote",
            name="changed_in_version",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="quote",
            name="gone_in_version",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("lineage__isnull", True), ("version", 1)),
                    models.Q(("lineage__isnull", False), ("version__gt", 1)),
                    _connector="OR",
                ),
                name="article_version_in_lineage",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("lineage", "version"), name="article_version_unique_in_lineage"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["outlet", "title"], name="article_outlet_title_idx"),
        ),
        migrations.RunPython(_sqlite(triggers.SQLITE_FORWARD), _sqlite(triggers.SQLITE_BACKWARD)),
    ]
