"""The merge door on the speaker page: merge and undo by POST with CSRF, who may, bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Speaker, SpeakerAlias, SpeakerMerge
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
def manager(client, corpus):
    user = UserFactory()
    project_with(user, [corpus["article"]], role="manager")
    client.force_login(user)
    return user


def merge_url(speaker):
    return reverse("insights:speaker-merge", args=[speaker.id])


def test_manager_merges_from_the_page_by_name_and_undoes_it(client, corpus, manager):
    source, target = corpus["source"], corpus["target"]
    response = client.post(merge_url(target), {"other": "zelenskyy"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merged “Zelenskyy” into “Volodymyr Zelensky”" in html
    assert html.count('class="quote-row"') == 4
    merge = SpeakerMerge.objects.get()
    response = client.post(reverse("insights:speaker-merge-undo", args=[merge.id]), follow=True)
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
    page = client.get(reverse("insights:speaker-detail", args=[corpus["target"].id]))
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
    url = reverse("insights:speaker-merge-undo", args=[merge.id])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 400
    assert "already been undone" in response.content.decode()


def test_unknown_merge_is_404(client, manager):
    assert client.post(reverse("insights:speaker-merge-undo", args=[999999])).status_code == 404


def test_superusers_may_merge(client, corpus):
    staff = UserFactory(is_superuser=True)
    client.force_login(staff)
    client.post(merge_url(corpus["target"]), {"other": "Zelenskyy"})
    assert SpeakerMerge.objects.get().merged_by == staff
