"""Label.changes: how many times each label was rewritten, counted from its history once here
and kept from then on by sql.labels_rewrite (the export no longer counts history rows)."""

from django.db import migrations, models

# Works on PostgreSQL and SQLite alike: a label's changes are its history rows beyond the first.
BACKFILL = (
    "UPDATE annotations_label SET changes = ("
    "SELECT COUNT(*) - 1 FROM annotations_labelhistory h WHERE h.label_id = annotations_label.id"
    ") WHERE id IN ("
    "SELECT label_id FROM annotations_labelhistory GROUP BY label_id HAVING COUNT(*) > 1)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_queue_counts_in_bulk"),
    ]

    operations = [
        migrations.AddField(
            model_name="label",
            name="changes",
            field=models.PositiveIntegerField(
                db_default=0,
                help_text="Times the answer or its note was changed after it was given: the "
                "label's history rows beyond the first.",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
