"""/api/v1/articles/: list, filter, detail with quotes, and import of one or many."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.labelling.projects import membership_set, project_create
from annotations.models import Membership
from claims.models import Article, ImportBatch
from tests.factories import ArticleFactory, OutletFactory, QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


@pytest.fixture
def manager():
    return UserFactory()


@pytest.fixture
def project(manager):
    return project_create(name="P", created_by=manager)


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


def test_anonymous_requests_are_refused_with_json(client):
    response = client.get(LIST)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_token_auth_for_scripts(manager, project):
    project.articles.add(ArticleFactory(title="Via token"))
    client = APIClient()
    token = client.post(
        reverse("api:api-token"), {"username": manager.username, "password": "test-password-123"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert [a["title"] for a in client.get(LIST).json()["results"]] == ["Via token"]


def test_token_with_wrong_password_is_a_400_with_fields(manager):
    response = APIClient().post(
        reverse("api:api-token"), {"username": manager.username, "password": "nope"}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["non_field_errors"]


def test_list_shows_only_articles_of_my_projects(api, project):
    project.articles.add(ArticleFactory(title="Mine"))
    ArticleFactory(title="Not mine")
    assert [a["title"] for a in api.get(LIST).json()["results"]] == ["Mine"]


def test_list_filters_by_outlet_and_words(api, project):
    outlet = OutletFactory(name="Daily Planet")
    project.articles.add(
        ArticleFactory(title="Talks", outlet=outlet, text="The envoy said talks resume."),
        ArticleFactory(title="Weather", text="Rain is expected."),
    )

    def titles(params):
        return [a["title"] for a in api.get(LIST, params).json()["results"]]

    assert titles({"outlet": "daily planet"}) == ["Talks"]
    assert titles({"q": "envoy resume"}) == ["Talks"]
    assert titles({"q": "rain"}) == ["Weather"]


def test_list_is_cursor_paginated(api, project):
    project.articles.add(*ArticleFactory.create_batch(5))
    first = api.get(LIST, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert {a["id"] for a in first["results"]}.isdisjoint({a["id"] for a in second["results"]})


def test_list_query_count_is_constant(api, project, django_assert_max_num_queries):
    for article in ArticleFactory.create_batch(20):
        project.articles.add(article)
        QuoteFactory(article=article)
    with django_assert_max_num_queries(4):
        assert api.get(LIST).status_code == 200


def test_detail_has_text_and_quotes(api, project):
    article = ArticleFactory(text="He said yes.")
    QuoteFactory(article=article, content_start=8, content_end=11)
    project.articles.add(article)
    body = api.get(f"{LIST}{article.id}/").json()
    assert body["text"] == "He said yes."
    assert [q["content"] for q in body["quotes"]] == ["yes"]


@pytest.mark.parametrize("article_id", ["999999", "abc"])
def test_unknown_or_malformed_id_is_404(api, article_id):
    response = api.get(f"{LIST}{article_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_other_projects_article_is_404(api):
    other = project_create(name="Other", created_by=UserFactory())
    article = ArticleFactory()
    other.articles.add(article)
    assert api.get(f"{LIST}{article.id}/").status_code == 404


def test_create_one_extracts_quotes_and_joins_the_project(api, project):
    response = api.post(
        LIST,
        {
            "title": "Envoy speaks",
            "text": "“We are ready to talk,” the envoy said on Monday.",
            "outlet": "Daily Planet",
            "published_at": "2024-01-02T03:04:05Z",
            "project": project.id,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 1 and body["quotes_extracted"] >= 1
    article = Article.objects.get(id=body["articles"][0]["id"])
    assert article.quotes.count() == body["quotes_extracted"]
    assert project.articles.filter(id=article.id).exists()


def test_create_many_in_one_request(api, project, client, manager):
    rows = [
        {"title": f"Article {i}", "text": f"The mayor said plan {i} works.", "project": project.id}
        for i in range(3)
    ]
    body = api.post(LIST, rows, format="json").json()
    assert body["created"] == 3
    assert project.articles.count() == 3
    # One batch per request: its page follows the extraction of every article.
    batch = ImportBatch.objects.get(id=body["batch"]["id"])
    assert body["batch"]["url"] == f"/batches/{batch.id}/"
    assert set(batch.articles.values_list("id", flat=True)) == {a["id"] for a in body["articles"]}
    client.force_login(manager)
    assert "Article 2" in client.get(body["batch"]["url"]).content.decode()


def test_same_text_again_is_reported_existing_not_duplicated(api, project):
    row = {"title": "Once", "text": "The mayor said yes.", "project": project.id}
    api.post(LIST, row, format="json")
    response = api.post(LIST, row, format="json")
    assert response.status_code == 200
    assert response.json()["existing"] == 1
    assert response.json()["batch"] is None
    assert Article.objects.count() == 1
    assert ImportBatch.objects.count() == 1  # the first request's; none left empty


def test_one_bad_article_rejects_the_whole_request(api, project):
    rows = [
        {"title": "Good", "text": "Fine text.", "project": project.id},
        {"title": "Bad", "text": "", "project": project.id},
    ]
    response = api.post(LIST, rows, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]
    assert not Article.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "No text"},
        {"title": "Bad date", "text": "x", "published_at": "yesterday"},
        {"title": "Bad url", "text": "x", "url": "javascript:alert(1)"},
        {"title": ["list"], "text": "x"},
        "just a string",
        [],
    ],
)
def test_malformed_input_is_a_400_naming_the_problem(api, project, payload):
    if isinstance(payload, dict):
        payload = {**payload, "project": project.id}
    response = api.post(LIST, payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Article.objects.exists()


def test_malformed_json_body_is_a_400(api):
    response = api.post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_annotators_cannot_import_into_a_project(project):
    annotator = UserFactory()
    membership_set(project=project, user=annotator, role=Membership.Role.ANNOTATOR)
    client = APIClient()
    client.force_authenticate(annotator)
    response = client.post(LIST, {"title": "T", "text": "x", "project": project.id}, format="json")
    assert response.status_code == 403  # a member without the role, as everywhere in the API
    assert not Article.objects.exists()


def test_text_over_the_limit_is_refused(api, project, settings):
    settings.ARTICLE_MAX_CHARS = 50
    response = api.post(
        LIST, {"title": "Long", "text": "x " * 100, "project": project.id}, format="json"
    )
    assert response.status_code == 400
    assert "limit" in response.json()["detail"]
