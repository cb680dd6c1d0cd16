"""Merging two speakers into one, and undoing it exactly; who may, and only by POST with CSRF."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from claims.models import Quote, Speaker, SpeakerAlias, SpeakerMerge
from claims.services.speakers import speaker_merge, speaker_merge_undo
from tests.claims.insight_data import project_with
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

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
def manager(client, corpus):
    user = UserFactory()
    project_with(user, [corpus["article"]], role="manager")
    client.force_login(user)
    return user


def merge_url(speaker):
    return reverse("claims:speaker-merge", args=[speaker.id])


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


def test_manager_merges_from_the_page_by_name_and_undoes_it(client, corpus, manager):
    source, target = corpus["source"], corpus["target"]
    response = client.post(merge_url(target), {"other": "zelenskyy"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merged “Zelenskyy” into “Volodymyr Zelensky”" in html
    assert html.count('class="quote-row"') == 4
    merge = SpeakerMerge.objects.get()
    response = client.post(reverse("claims:speaker-merge-undo", args=[merge.id]), follow=True)
    assert "is back with its quotes" in response.content.decode()
    assert Speaker.objects.get(id=source.id).quotes.count() == 3


def test_merge_by_id_from_the_page(client, corpus, manager):
    client.post(merge_url(corpus["target"]), {"other": str(corpus["source"].id)})
    assert not Speaker.objects.filter(id=corpus["source"].id).exists()


def test_merge_needs_post(client, corpus, manager):
    assert client.get(merge_url(corpus["target"])).status_code == 405


def test_merge_needs_csrf_token(corpus, manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(merge_url(corpus["target"]), {"other": "Zelenskyy"})
    assert response.status_code == 403
    assert Speaker.objects.filter(id=corpus["source"].id).exists()


def test_annotator_gets_403_and_sees_no_merge_form(client, corpus):
    annotator = UserFactory()
    project_with(annotator, [corpus["article"]], role="annotator")
    client.force_login(annotator)
    page = client.get(reverse("claims:speaker-detail", args=[corpus["target"].id]))
    assert "Merge another speaker" not in page.content.decode()
    response = client.post(merge_url(corpus["target"]), {"other": "Zelenskyy"})
    assert response.status_code == 403
    assert Speaker.objects.filter(id=corpus["source"].id).exists()


def test_unknown_other_speaker_is_a_400_with_a_message(client, corpus, manager):
    response = client.post(merge_url(corpus["target"]), {"other": "Nobody Atall"})
    assert response.status_code == 400
    assert "No speaker" in response.content.decode()


def test_merging_into_itself_from_the_page_is_a_400(client, corpus, manager):
    response = client.post(merge_url(corpus["target"]), {"other": "Zelensky"})
    assert response.status_code == 400
    assert "That is this speaker" in response.content.decode()


def test_speaker_outside_my_projects_cannot_be_merged_in(client, corpus, manager):
    hidden = QuoteFactory(speaker=SpeakerFactory(name="Hidden Person")).speaker
    response = client.post(merge_url(corpus["target"]), {"other": "Hidden Person"})
    assert response.status_code == 400
    assert Speaker.objects.filter(id=hidden.id).exists()


def test_undo_twice_from_the_page_is_a_400_with_a_message(client, corpus, manager):
    client.post(merge_url(corpus["target"]), {"other": "Zelenskyy"})
    merge = SpeakerMerge.objects.get()
    url = reverse("claims:speaker-merge-undo", args=[merge.id])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 400
    assert "already been undone" in response.content.decode()


def test_unknown_merge_is_404(client, manager):
    assert client.post(reverse("claims:speaker-merge-undo", args=[999999])).status_code == 404


def test_staff_may_merge(client, corpus):
    staff = UserFactory(is_superuser=True)
    client.force_login(staff)
    client.post(merge_url(corpus["target"]), {"other": "Zelenskyy"})
    assert SpeakerMerge.objects.get().merged_by == staff
