"""export_corpus → empty database → import_corpus: every row of every model comes back with the
same ids, offsets, values and timestamps; a non-empty database or a bad file imports nothing."""

import datetime
import gzip
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from annotations.labelling.comments import comment_add
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from annotations.models import Label
from claims.corpus import corpus_models
from claims.importing import ArticleInput
from claims.models import Article, ImportBatch, Outlet, Quote, SpeakerAlias
from claims.services.import_batches import articles_import_batch
from claims.services.quotes import quote_create_manual, quote_update
from claims.services.speakers import speaker_merge
from tests.factories import ArticleFactory, SpeakerFactory, UserFactory
from tests.versions import REPUBLISHED, WIRE

STORY_URL = "https://wire.example.org/2024/front"
# flush and the empty-database check need real transactions
pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Kyiv — “We are ready to talk,” President Olena Petrenko said on Monday. "
    "Officials said that the talks would resume. According to Reuters, a deal is near. "
    "Émigré groups — 🇺🇦 — said nothing."
)
LABELS = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def build_corpus():
    """A little of everything: every model of claims and annotations has rows."""
    User = get_user_model()
    manager = UserFactory(
        username="manager", email="m@example.org", first_name="Mia", is_staff=True
    )
    one, two, reviewer = (UserFactory(username=name) for name in ("ann1", "ann2", "rev"))
    User.objects.filter(pk=one.pk).update(last_login=timezone.now())
    outlet = Outlet.objects.create(name="Kyiv Independent", domain="kyivindependent.com")
    batch = ImportBatch.objects.create(name="Week 1", created_by=manager)
    article = ArticleFactory(
        outlet=outlet,
        batch=batch,
        title="Talks <resume>",
        text=TEXT,
        url="https://example.org/talks",
        published_at=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC),
    )
    other_article = ArticleFactory(outlet=None, text="A second article. “Yes,” he said.")
    petrenko = SpeakerFactory(name="Olena Petrenko", description="President")
    SpeakerAlias.objects.create(speaker=petrenko, alias="Petrenko")
    duplicate = SpeakerFactory(name="O. Petrenko")
    direct = Quote.objects.create(
        article=article,
        kind="direct",
        content_start=7,
        content_end=29,
        speaker=petrenko,
        speaker_start=30,
        speaker_end=53,
        cue_start=54,
        cue_end=58,
        confidence=0.93,
        extractor_version="rules-1",
    )
    indirect = Quote.objects.create(
        article=article, kind="indirect", content_start=86, content_end=115, speaker=duplicate
    )

    project = project_create(
        name="Peace talks",
        created_by=manager,
        guidelines="# Guide\n\nLabel *carefully*.",
        stance_targets=["negotiations with Russia"],
        annotators_per_quote=2,
        articles=[article, other_article],
    )
    membership_set(project=project, user=one, role="annotator")
    membership_set(project=project, user=two, role="annotator")
    membership_set(project=project, user=reviewer, role="reviewer")
    # Fixes come from members of the project holding the articles.
    manual = quote_create_manual(
        article=other_article, editor=manager, kind="direct", content_start=18, content_end=23
    )
    quote_update(quote=indirect, editor=one, content_end=114)
    speaker_merge(source=duplicate, target=petrenko, merged_by=manager)
    for quote in (direct, indirect):
        label_save(project=project, quote=quote, annotator=one, labels=LABELS, note="first")
        label_save(project=project, quote=quote, annotator=two, labels=LABELS)
    label_save(project=project, quote=direct, annotator=one, labels={**LABELS, "stance": "neutral"})
    gold_set(
        project=project, quote=direct, dimension_key="stance", values="favor", reviewer=reviewer
    )
    comment_add(project=project, quote=manual, author=two, text="Is this <b>really</b> a quote?")
    # Import batches with their items, an article in two versions (its quotes carried and
    # flagged), and the same story told by two outlets (fingerprints, bands, links).
    wire = ArticleInput(title="Wire", text=WIRE, source_name="w", outlet="Wire", url=STORY_URL)
    copy = ArticleInput(title="Copy", text=REPUBLISHED, source_name="c", outlet="Daily")
    first = articles_import_batch(records=[wire, copy], name="Wire").articles[0].article
    project.articles.add(first)
    for quote in first.quotes.all():
        label_save(project=project, quote=quote, annotator=one, labels=LABELS)
    edited = ArticleInput(
        title="Wire", text=WIRE.replace("in May", "in June"), source_name="w2", url=STORY_URL
    )
    articles_import_batch(records=[edited], name="Wire, updated")
    return project


def snapshot(*, passwords: bool = True) -> dict:
    """Every row of every corpus model (and its many-to-many pairs), as plain values."""
    rows = {}
    User = get_user_model()
    for model in corpus_models():
        values = list(model._base_manager.order_by("pk").values())
        if model is User and not passwords:
            for row in values:
                row.pop("password")
        rows[model._meta.label] = values
        for field in model._meta.many_to_many:
            if model is User:
                continue
            through = field.remote_field.through
            pairs = through._base_manager.values_list(
                field.m2m_column_name(), field.m2m_reverse_name()
            )
            rows[f"{model._meta.label}.{field.name}"] = sorted(pairs)
    return rows


def empty_database():
    call_command("flush", interactive=False, verbosity=0)


def test_every_row_of_every_model_survives_export_and_import(tmp_path):
    build_corpus()
    before = snapshot(passwords=False)
    # Every model of the corpus has something in it, so the comparison covers them all.
    assert [label for label, rows in before.items() if not rows] == []
    out = tmp_path / "corpus.jsonl"

    call_command("export_corpus", str(out), verbosity=0)
    empty_database()
    assert not Article.objects.exists()
    call_command("import_corpus", str(out), verbosity=0)

    assert snapshot(passwords=False) == before


def test_users_come_back_without_passwords_unless_asked(tmp_path):
    build_corpus()
    out = tmp_path / "corpus.jsonl"
    call_command("export_corpus", str(out), verbosity=0)
    assert '"password"' not in out.read_text(encoding="utf-8")
    empty_database()

    call_command("import_corpus", str(out), verbosity=0)

    assert not any(user.has_usable_password() for user in get_user_model().objects.all())


def test_with_passwords_keeps_the_hashes_and_gzip_works(tmp_path):
    build_corpus()
    before = snapshot(passwords=True)
    out = tmp_path / "corpus.jsonl.gz"
    call_command("export_corpus", str(out), "--with-passwords", verbosity=0)
    with gzip.open(out, "rt", encoding="utf-8") as stream:
        assert json.loads(stream.readline())["model"] == "auth.user"
    empty_database()

    call_command("import_corpus", str(out), verbosity=0)

    assert snapshot(passwords=True) == before


def test_new_rows_after_an_import_get_fresh_ids(tmp_path):
    project = build_corpus()
    highest = Label.objects.order_by("-pk").first().pk
    out = tmp_path / "corpus.jsonl"
    call_command("export_corpus", str(out), verbosity=0)
    empty_database()
    call_command("import_corpus", str(out), verbosity=0)

    quote = Quote.objects.get(content_start=18)
    label_save(
        project=project,
        quote=quote,
        annotator=get_user_model().objects.get(username="ann1"),
        labels=LABELS,
    )

    assert Label.objects.order_by("-pk").first().pk > highest


def test_a_database_with_data_is_refused_and_left_alone(tmp_path):
    build_corpus()
    out = tmp_path / "corpus.jsonl"
    call_command("export_corpus", str(out), verbosity=0)
    before = snapshot()

    with pytest.raises(CommandError, match="not empty"):
        call_command("import_corpus", str(out), verbosity=0)

    assert snapshot() == before


def test_a_broken_file_imports_nothing(tmp_path):
    build_corpus()
    out = tmp_path / "corpus.jsonl"
    call_command("export_corpus", str(out), verbosity=0)
    lines = out.read_text(encoding="utf-8").splitlines()
    empty_database()

    # A quote whose span runs past its article's text: the database trigger refuses it after
    # users, outlets and articles were already inserted; all of it is rolled back.
    for index, line in enumerate(lines):
        record = json.loads(line)
        if record["model"] == "claims.quote":
            record["fields"]["content_end"] = 10_000
            lines[index] = json.dumps(record)
            break
    bad_offsets = tmp_path / "bad-offsets.jsonl"
    bad_offsets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_corpus", str(bad_offsets), verbosity=0)
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()

    truncated = tmp_path / "truncated.jsonl"
    truncated.write_text("\n".join(lines[:5]) + '\n{"model": "claims.article", "pk"', "utf-8")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_corpus", str(truncated), verbosity=0)
    assert not get_user_model().objects.exists()

    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"model": "auth.permission", "pk": 1, "fields": {}}\n', "utf-8")
    with pytest.raises(CommandError, match="not part of a Claimlab corpus"):
        call_command("import_corpus", str(foreign), verbosity=0)

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_corpus", str(tmp_path / "missing.jsonl"), verbosity=0)


def test_the_database_vendor_is_what_the_suite_runs_on():
    # Runs on both SQLite and PostgreSQL (make test / make test-postgres): triggers differ.
    assert connection.vendor in {"sqlite", "postgresql"}
