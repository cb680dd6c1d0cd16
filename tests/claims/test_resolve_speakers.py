"""`manage.py resolve_speakers`: stored quotes get the speakers the current extractor names,
except quotes a person fixed; labels stay as they are; a dry run changes nothing."""

from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from claims.extraction import extract_quotes
from claims.models import Article, ImportBatch, Quote
from claims.nlp import get_nlp
from claims.services.quotes import quote_update
from claims.services.speakers import speaker_get_or_create
from claims.tasks import resolve_batch_speakers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "issue15_price_cap.txt"
FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def stored():
    """The pasted article of issue #15 as an older extractor stored it: every quote said by
    Robert Habeck (mentions and spans as today's extractor finds them)."""
    text = FIXTURE.read_text(encoding="utf-8").strip()
    batch = ImportBatch.objects.create(name="old run")
    article = Article.objects.create(title="Price cap", text=text, batch=batch)
    habeck = speaker_get_or_create(name="Robert Habeck")
    for found in extract_quotes(text, nlp=get_nlp(), scope="all"):
        Quote.objects.create(
            article=article,
            kind=found.kind,
            content_start=found.content.start,
            content_end=found.content.end,
            speaker=habeck,
            speaker_start=found.speaker_mention.start if found.speaker_mention else None,
            speaker_end=found.speaker_mention.end if found.speaker_mention else None,
            extractor_version="1.3.0",
        )
    return article


def speaker_of(article, words):
    quote = next(q for q in article.quotes.all() if words in q.content)
    return quote.speaker.name if quote.speaker else ""


def test_a_dry_run_prints_the_changes_and_changes_nothing(stored, capsys):
    call_command("resolve_speakers", "--dry-run", "--no-progress")
    out = capsys.readouterr().out
    assert "Robert Habeck -> Gilberto Pichetto Fratin" in out
    assert "would change" in out
    assert speaker_of(stored, "could not wait") == "Robert Habeck"


def test_resolving_again_fixes_the_speakers_but_not_what_a_person_fixed(stored, capsys):
    annotator = UserFactory()
    project = project_create(name="P", created_by=UserFactory())
    membership_set(project=project, user=annotator, role="annotator")
    project.articles.add(stored)
    fixed = next(q for q in stored.quotes.all() if "last-resort" in q.content)
    quote_update(quote=fixed, editor=annotator, speaker=speaker_get_or_create(name="Ursula"))
    labelled = next(q for q in stored.quotes.all() if "could not wait" in q.content)
    label_save(project=project, quote=labelled, annotator=annotator, labels=FULL)
    labels_before = list(labelled.labels.values_list("id", "updated_at"))

    call_command("resolve_speakers", "--no-progress")

    out = capsys.readouterr().out
    assert "[labelled]" in out
    assert speaker_of(stored, "could not wait") == "Gilberto Pichetto Fratin"
    assert speaker_of(stored, "scares off tankers") == "Robert Habeck"
    assert speaker_of(stored, "last-resort") == "Ursula"  # a person's fix stays
    assert list(labelled.labels.values_list("id", "updated_at")) == labels_before
    call_command("resolve_speakers", "--no-progress")
    assert "changed 0 speaker(s)" in capsys.readouterr().out  # idempotent


def test_labelled_quotes_can_be_left_alone(stored, capsys):
    annotator = UserFactory()
    project = project_create(name="P", created_by=UserFactory())
    membership_set(project=project, user=annotator, role="annotator")
    project.articles.add(stored)
    labelled = next(q for q in stored.quotes.all() if "could not wait" in q.content)
    label_save(project=project, quote=labelled, annotator=annotator, labels=FULL)
    call_command("resolve_speakers", "--skip-labelled", "--no-progress")
    assert speaker_of(stored, "could not wait") == "Robert Habeck"


def test_the_worker_task_resolves_one_batch(stored):
    assert resolve_batch_speakers.apply(args=[stored.batch_id]).get() >= 1
    assert speaker_of(stored, "could not wait") == "Gilberto Pichetto Fratin"


def test_no_matching_articles_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No articles match"):
        call_command("resolve_speakers", "--batch", "999", "--no-progress")
