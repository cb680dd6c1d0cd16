"""Import staging: a batch's records and URLs are rows (ImportItem) stored by a worker;
per-host fetch politeness (FetchHost); an article's author. Existing batches get one stored item
per article, so every batch page reads the same way."""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
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


def items_for_existing_batches(apps, schema_editor):
    Article = apps.get_model("claims", "Article")
    ImportItem = apps.get_model("claims", "ImportItem")
    rows = Article.objects.filter(batch__isnull=False).order_by("batch_id", "id")
    items, position, batch_id = [], 0, None
    for article_id, article_batch, source_name in rows.values_list("id", "batch_id", "source_name"):
        position = position + 1 if article_batch == batch_id else 0
        batch_id = article_batch
        items.append(
            ImportItem(
                batch_id=article_batch,
                position=position,
                kind="record",
                source_name=source_name or f"article {article_id}",
                status="created",
                article_id=article_id,
            )
        )
    ImportItem.objects.bulk_create(items, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_article_dedup_per_importer")]

    operations = [
        migrations.RunPython(_sqlite(triggers.SQLITE_BACKWARD), _sqlite(triggers.SQLITE_FORWARD)),
        migrations.CreateModel(
            name="FetchHost",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("host", models.CharField(max_length=255, unique=True)),
                ("next_fetch_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="ImportItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField()),
                (
                    "kind",
                    models.CharField(choices=[("record", "Record"), ("url", "URL")], max_length=16),
                ),
                (
                    "source_name",
                    models.CharField(help_text="File (and line) or URL.", max_length=2000),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True, help_text="What to fetch (URL items).", max_length=2000
                    ),
                ),
                ("payload", models.JSONField(blank=True, default=dict)),
                ("target_id", models.PositiveBigIntegerField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("staged", "Waiting"),
                            ("fetching", "Fetching"),
                            ("created", "New article"),
                            ("version", "New version"),
                            ("existing", "Already present"),
                            ("feed", "Feed read"),
                            ("failed", "Not imported"),
                        ],
                        default="staged",
                        max_length=16,
                    ),
                ),
                ("reason", models.TextField(blank=True, help_text="Why it was not imported.")),
                (
                    "retryable",
                    models.BooleanField(
                        default=False,
                        help_text="A passing failure (timeout, server error): may be retried.",
                    ),
                ),
                ("status_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["batch_id", "position"],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="author",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="by_operator",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="extract",
            field=models.BooleanField(default=True, help_text="Extract the new articles' quotes."),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="outlet",
            field=models.CharField(
                blank=True, help_text="Outlet for records that name none.", max_length=200
            ),
        ),
        migrations.AddField(
            model_name="importitem",
            name="article",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="claims.article",
            ),
        ),
        migrations.AddField(
            model_name="importitem",
            name="batch",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="claims.importbatch",
            ),
        ),
        migrations.AddIndex(
            model_name="importitem",
            index=models.Index(fields=["batch", "status"], name="import_item_batch_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="importitem",
            constraint=models.UniqueConstraint(
                fields=("batch", "position"), name="import_item_position"
            ),
        ),
        migrations.AddConstraint(
            model_name="importitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["record", "url"])), name="import_item_kind_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="importitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        ["staged", "fetching", "created", "version", "existing", "feed", "failed"],
                    )
                ),
                name="import_item_status_valid",
            ),
        ),
        migrations.RunPython(_sqlite(triggers.SQLITE_FORWARD), _sqlite(triggers.SQLITE_BACKWARD)),
        migrations.RunPython(items_for_existing_batches, migrations.RunPython.noop),
    ]
