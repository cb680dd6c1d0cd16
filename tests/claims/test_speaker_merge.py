"""Merging two speakers into one, and undoing it exactly (the service); who may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Quote, Speaker, SpeakerAlias
from claims.services.speakers import speaker_merge, speaker_merge_undo
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory
from tests.insights.insight_data import project_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    article = ArticleFactory(text="x" * 200)
    source = SpeakerFactory(name="Zelenskyy", kind="person", description="President")
    target = SpeakerFactory(name="Volodymyr Zelensky")
    SpeakerAlias.objects.create(speaker=source, alias="Zelenskiy")
    SpeakerAlias.objects.create(speaker=target, alias="Zelensky")
    source_quotes = [
        QuoteFactory(article=article, speaker=source, content_start=s, content_end=s + 5)
        for s in (0, 10, 20)
    ]
    target_quote = QuoteFactory(article=article, speaker=target, content_start=40, content_end=45)
    return {
        "article": article,
        "source": source,
        "target": target,
        "source_quotes": source_quotes,
        "target_quote": target_quote,
    }


@pytest.fixture
def manager(corpus):
    user = UserFactory()
    project_with(user, [corpus["article"]], role="manager")
    return user


def test_merge_moves_quotes_and_aliases_adds_the_name_and_deletes_the_source(corpus, manager):
    source, target = corpus["source"], corpus["target"]
    merge = speaker_merge(source=source, target=target, merged_by=manager)
    assert not Speaker.objects.filter(id=source.id).exists()
    assert Quote.objects.filter(speaker=target).count() == 4
    assert set(target.aliases.values_list("alias", flat=True)) == {
        "Zelensky",
        "Zelenskiy",
        "Zelenskyy",
    }
    assert merge.merged_by == manager and merge.merged_at is not None
    assert merge.quote_ids == sorted(q.id for q in corpus["source_quotes"])
    assert merge.source_aliases == ["Zelenskiy"]


def test_undo_restores_the_speaker_exactly_with_only_its_quotes(corpus, manager):
    source, target = corpus["source"], corpus["target"]
    merge = speaker_merge(source=source, target=target, merged_by=manager)
    added_later = QuoteFactory(
        article=corpus["article"], speaker=target, content_start=60, content_end=65
    )
    restored = speaker_merge_undo(merge=merge, undone_by=manager)
    assert restored.id == source.id
    assert (restored.name, restored.kind, restored.description) == (
        "Zelenskyy",
        "person",
        "President",
    )
    assert list(restored.aliases.values_list("alias", flat=True)) == ["Zelenskiy"]
    assert set(Quote.objects.filter(speaker=restored).values_list("id", flat=True)) == {
        q.id for q in corpus["source_quotes"]
    }
    assert set(Quote.objects.filter(speaker=target).values_list("id", flat=True)) == {
        corpus["target_quote"].id,
        added_later.id,
    }
    assert list(target.aliases.values_list("alias", flat=True)) == ["Zelensky"]
    merge.refresh_from_db()
    assert merge.undone_by == manager and merge.undone_at is not None


def test_undo_twice_is_refused(corpus, manager):
    merge = speaker_merge(source=corpus["source"], target=corpus["target"], merged_by=manager)
    speaker_merge_undo(merge=merge, undone_by=manager)
    with pytest.raises(ValidationError, match="already been undone"):
        speaker_merge_undo(merge=merge, undone_by=manager)


def test_speaker_cannot_be_merged_into_itself(corpus, manager):
    with pytest.raises(ValidationError):
        speaker_merge(source=corpus["target"], target=corpus["target"], merged_by=manager)


def test_annotator_may_not_merge(corpus):
    annotator = UserFactory()
    project_with(annotator, [corpus["article"]], role="annotator")
    with pytest.raises(PermissionDenied):
        speaker_merge(source=corpus["source"], target=corpus["target"], merged_by=annotator)
