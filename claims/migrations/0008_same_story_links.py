"""Near-duplicates: MinHash fingerprints, their LSH bands, and "same story" links."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_article_versions")]

    operations = [
        migrations.CreateModel(
            name="ArticleBand",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("band", models.PositiveSmallIntegerField()),
                ("key", models.BigIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="ArticleFingerprint",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="fingerprint",
                        serialize=False,
                        to="claims.article",
                    ),
                ),
                ("minhash", models.BinaryField()),
            ],
        ),
        migrations.CreateModel(
            name="SameStory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("similarity", models.FloatField()),
            ],
            options={
                "verbose_name_plural": "same stories",
                "ordering": ["article_id", "-similarity", "other_id"],
            },
        ),
        migrations.AddField(
            model_name="articleband",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="claims.article"
            ),
        ),
        migrations.AddField(
            model_name="samestory",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="same_story",
                to="claims.article",
            ),
        ),
        migrations.AddField(
            model_name="samestory",
            name="other",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="claims.article"
            ),
        ),
        migrations.AddIndex(
            model_name="articleband",
            index=models.Index(fields=["band", "key"], name="article_band_key_idx"),
        ),
        migrations.AddConstraint(
            model_name="samestory",
            constraint=models.UniqueConstraint(
                fields=("article", "other"), name="same_story_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="samestory",
            constraint=models.CheckConstraint(
                condition=models.Q(("article", models.F("other")), _negated=True),
                name="same_story_not_itself",
            ),
        ),
    ]
