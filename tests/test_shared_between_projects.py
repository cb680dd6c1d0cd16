"""What projects share (articles, quotes, speakers) cannot be read or changed through another
project: the attacks of issue #13 items 1 and 2, tried with a project of one's own."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from annotations.labelling.projects import membership_set, project_create
from claims.models import Article, Quote, QuoteEdit, Speaker
from claims.services.speakers import speaker_merge
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "“We will not give up an inch,” Vladimir Zelensky said in Kyiv on Friday."


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def victim():
    """Another team's project: an article quoting Zelensky, a quote added by hand."""
    manager = UserFactory(username="victim")
    project = project_create(name="Victim", created_by=manager)
    article = ArticleFactory(text=TEXT, url="https://example.org/zelensky")
    project.articles.add(article)
    zelensky = SpeakerFactory(name="Vladimir Zelensky")
    quote = QuoteFactory(article=article, content_start=1, content_end=29, speaker=zelensky)
    return project, article, quote, zelensky


@pytest.fixture
def attacker():
    """Anyone logged in: they start a project of their own and manage it."""
    user = UserFactory(username="attacker")
    project = project_create(name="Mine", created_by=user)
    return user, project


def test_importing_another_projects_text_makes_a_new_article_and_reveals_nothing(victim, attacker):
    _, article, quote, _ = victim
    user, project = attacker
    response = api_for(user).post(
        "/api/v1/articles/", {"title": "Copy", "text": TEXT, "project": project.id}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["existing"]) == (1, 0)
    copy_id = body["articles"][0]["id"]
    assert copy_id != article.id
    assert not project.articles.filter(id=article.id).exists()
    assert api_for(user).get(f"/api/v1/articles/{article.id}/").status_code == 404
    assert api_for(user).get(f"/api/v1/quotes/{quote.id}/").status_code == 404


def test_a_url_of_an_article_one_cannot_see_is_not_revealed(victim, attacker):
    _, article, _, _ = victim
    user, project = attacker
    row = {
        "title": "Other text, same link",
        "text": "A different text entirely.",
        "url": article.url,
        "project": project.id,
    }
    response = api_for(user).post("/api/v1/articles/", row, format="json")
    assert response.status_code == 201
    assert f"article {article.id}" not in response.content.decode()


def test_the_same_text_in_ones_own_projects_is_one_article(victim):
    project, article, _, _ = victim
    second = project_create(name="Second", created_by=project.memberships.get().user)
    response = api_for(project.memberships.get().user).post(
        "/api/v1/articles/", {"title": "Again", "text": TEXT, "project": second.id}, format="json"
    )
    assert response.json()["existing"] == 1
    assert second.articles.get() == article
    assert Article.objects.count() == 1


@pytest.fixture
def shared(victim):
    """The victim's article also serves a second project with a member of its own."""
    project, article, quote, _ = victim
    other = project_create(name="Other", created_by=project.memberships.get().user)
    other.articles.add(article)
    outsider = UserFactory(username="only-in-other")
    membership_set(project=other, user=outsider, role="annotator")
    return other, outsider, quote


def test_a_member_of_one_sharing_project_cannot_reject_the_quote_for_all(shared):
    _, outsider, quote = shared
    response = api_for(outsider).patch(
        f"/api/v1/quotes/{quote.id}/", {"is_rejected": True}, format="json"
    )
    assert response.status_code == 403
    assert "1 project(s) you are not a member of" in response.json()["detail"]
    quote.refresh_from_db()
    assert quote.is_rejected is False
    assert not QuoteEdit.objects.exists()


def test_nor_change_its_speaker_span_or_add_a_quote(shared):
    _, outsider, quote = shared
    client = api_for(outsider)
    assert (
        client.patch(f"/api/v1/quotes/{quote.id}/", {"content_end": 20}, format="json").status_code
        == 403
    )
    response = client.post(
        "/api/v1/quotes/",
        {"article": quote.article_id, "kind": "direct", "content_start": 31, "content_end": 48},
        format="json",
    )
    assert response.status_code == 403
    assert Quote.objects.count() == 1


def test_a_member_of_every_project_using_the_article_may_fix_it(shared, victim):
    other, _, quote = shared
    both = UserFactory()
    membership_set(project=victim[0], user=both, role="annotator")
    membership_set(project=other, user=both, role="annotator")
    response = api_for(both).patch(
        f"/api/v1/quotes/{quote.id}/", {"is_rejected": True}, format="json"
    )
    assert response.status_code == 200


def test_merging_a_speaker_quoted_in_projects_one_does_not_manage_is_refused(victim, attacker):
    _, _, quote, zelensky = victim
    user, project = attacker
    mine = ArticleFactory(text="“Hello,” Mickey Mouse said.")
    project.articles.add(mine)
    mickey = SpeakerFactory(name="Mickey Mouse")
    QuoteFactory(article=mine, content_start=0, content_end=8, speaker=mickey)
    with pytest.raises(PermissionDenied):
        speaker_merge(source=zelensky, target=mickey, merged_by=user)
    with pytest.raises(PermissionDenied):
        speaker_merge(source=mickey, target=zelensky, merged_by=user)
    quote.refresh_from_db()
    assert quote.speaker == zelensky
    assert Speaker.objects.count() == 2


def test_the_merge_page_refuses_it_too(client, victim, attacker):
    _, _, quote, zelensky = victim
    user, project = attacker
    mine = ArticleFactory(text="“Hello,” Mickey Mouse said.")
    project.articles.add(mine)
    mickey = SpeakerFactory(name="Mickey Mouse")
    QuoteFactory(article=mine, content_start=0, content_end=8, speaker=mickey)
    client.force_login(user)
    response = client.post(f"/speakers/{mickey.id}/merge/", {"other": zelensky.id})
    assert response.status_code in (400, 403, 404)  # Zelensky is not theirs to pick
    quote.refresh_from_db()
    assert quote.speaker == zelensky


def test_a_manager_of_every_project_quoting_both_may_merge(victim):
    project, article, _, zelensky = victim
    duplicate = SpeakerFactory(name="V. Zelensky")
    QuoteFactory(article=article, content_start=31, content_end=48, speaker=duplicate)
    merge = speaker_merge(
        source=duplicate, target=zelensky, merged_by=project.memberships.get().user
    )
    assert merge.quote_ids
