"""/api/v1/quotes/ and /api/v1/speakers/: filters, manual quotes, corrections with history."""

import pytest
from rest_framework.test import APIClient

from annotations.labelling.projects import membership_set, project_create
from claims.models import Quote, QuoteEdit
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Mayor Smith said the road would reopen. “Not yet,” the engineer replied."


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def article(member):
    project = project_create(name="P", created_by=UserFactory())
    membership_set(project=project, user=member, role="annotator")
    article = ArticleFactory(text=TEXT)
    project.articles.add(article)
    return article


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


def span(text, part):
    start = TEXT.index(part)
    return start, start + len(part)


def test_list_filters_by_article_speaker_and_kind(api, article):
    smith = SpeakerFactory(name="John Smith")
    QuoteFactory(article=article, kind="indirect", speaker=smith, content_start=17, content_end=38)
    QuoteFactory(article=article, kind="direct", content_start=41, content_end=48)
    other = ArticleFactory()
    QuoteFactory(article=other)

    def kinds(params):
        return sorted(q["kind"] for q in api.get("/api/v1/quotes/", params).json()["results"])

    assert kinds({}) == ["direct", "indirect"]
    assert kinds({"article": article.id, "kind": "direct"}) == ["direct"]
    assert kinds({"speaker": smith.id}) == ["indirect"]


def test_add_a_missed_quote_records_who_added_it(api, article, member):
    start, end = span(TEXT, "Not yet")
    response = api.post(
        "/api/v1/quotes/",
        {"article": article.id, "kind": "direct", "content_start": start, "content_end": end},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["content"] == "Not yet"
    quote = Quote.objects.get(id=response.json()["id"])
    assert quote.origin == "manual" and quote.edited_by == member
    assert QuoteEdit.objects.get(quote=quote).action == "create"


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(10, 5000, "content_start"), (20, 10, "content_start"), (-1, 5, "content_start")],
)
def test_offsets_outside_the_text_are_a_400(api, article, start, end, field):
    response = api.post(
        "/api/v1/quotes/",
        {"article": article.id, "kind": "direct", "content_start": start, "content_end": end},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Quote.objects.exists()


def test_span_limits_hold_through_the_api_as_on_the_page(api, member):
    """A quote of 9,000 characters, or of spaces only, is refused through every door."""
    project = project_create(name="Long", created_by=UserFactory())
    membership_set(project=project, user=member, role="annotator")
    article = ArticleFactory(text="word " * 2000 + "\n\n     \n end.")
    project.articles.add(article)
    spaces = article.text.index("     ")
    for start, end, message in [
        (0, 9000, "at most 5,000 characters"),
        (spaces, spaces + 5, "only spaces"),
    ]:
        response = api.post(
            "/api/v1/quotes/",
            {"article": article.id, "kind": "direct", "content_start": start, "content_end": end},
            format="json",
        )
        assert response.status_code == 400
        assert message in str(response.json()["fields"])
    quote = QuoteFactory(article=article, content_start=0, content_end=4)
    response = api.patch(f"/api/v1/quotes/{quote.id}/", {"content_end": 9000}, format="json")
    assert response.status_code == 400
    assert Quote.objects.count() == 1


def test_cannot_add_quotes_to_articles_outside_my_projects(api):
    response = api.post(
        "/api/v1/quotes/",
        {"article": ArticleFactory().id, "kind": "direct", "content_start": 0, "content_end": 3},
        format="json",
    )
    assert response.status_code == 400
    assert "article" in response.json()["fields"]


def test_correcting_a_span_keeps_before_and_after(api, article, member):
    quote = QuoteFactory(article=article, content_start=17, content_end=38)
    response = api.patch(f"/api/v1/quotes/{quote.id}/", {"content_end": 29}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["content"] == "the road would"[: 29 - 17]
    edit = QuoteEdit.objects.get(quote=quote)
    assert (edit.action, edit.before, edit.after, edit.editor) == (
        "update",
        {"content_end": 38},
        {"content_end": 29},
        member,
    )


def test_marking_not_a_quote(api, article):
    quote = QuoteFactory(article=article, content_start=17, content_end=38)
    api.patch(f"/api/v1/quotes/{quote.id}/", {"is_rejected": True}, format="json")
    quote.refresh_from_db()
    assert quote.is_rejected
    assert QuoteEdit.objects.get(quote=quote).action == "reject"


def test_correcting_with_a_wrong_type_is_a_400(api, article):
    quote = QuoteFactory(article=article, content_start=17, content_end=38)
    response = api.patch(f"/api/v1/quotes/{quote.id}/", {"content_end": "far"}, format="json")
    assert response.status_code == 400
    assert "content_end" in response.json()["fields"]


def test_other_projects_quote_is_404(api):
    quote = QuoteFactory()
    assert (
        api.patch(f"/api/v1/quotes/{quote.id}/", {"kind": "direct"}, format="json").status_code
        == 404
    )


def test_speakers_list_has_aliases_and_quote_counts(api, article):
    smith = SpeakerFactory(name="John Smith")
    smith.aliases.create(alias="Smith")
    QuoteFactory(article=article, speaker=smith, content_start=17, content_end=38)
    QuoteFactory(article=article, speaker=smith, content_start=41, content_end=48)
    SpeakerFactory(name="Quoted Elsewhere")
    body = api.get("/api/v1/speakers/").json()["results"]
    assert body == [
        {
            "id": smith.id,
            "name": "John Smith",
            "kind": "person",
            "description": "",
            "aliases": ["Smith"],
            "quote_count": 2,
        }
    ]
    assert [s["name"] for s in api.get("/api/v1/speakers/", {"q": "smi"}).json()["results"]] == [
        "John Smith"
    ]


def test_openapi_schema_and_docs_are_served(client, member):
    client.force_login(member)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
