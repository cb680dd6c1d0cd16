"""Request bodies are bounded: a body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a clear JSON 413
in the API's error shape (never a 500, never read whole into memory), and nothing is written."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotations.labelling.projects import project_create
from annotations.models import Label
from claims.models import Article
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


@pytest.fixture
def manager():
    return UserFactory()


@pytest.fixture
def project(manager):
    return project_create(name="Uploads", created_by=manager)


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


def article(number: int, size: int, project) -> dict:
    return {
        "title": f"Article {number}",
        "text": f"Body {number}. " + "word " * (size // 5),
        "project": project.id,
    }


def test_bulk_article_create_over_the_limit_is_a_413_and_imports_nothing(api, project):
    articles = [article(n, LIMIT // 4, project) for n in range(6)]

    response = api.post("/api/v1/articles/", articles, format="json")

    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert str(LIMIT) in body["detail"]
    assert set(body) == {"detail", "code", "fields"}
    assert not Article.objects.exists()


def test_bulk_article_create_under_the_limit_still_works(api, project):
    articles = [article(n, LIMIT // 8, project) for n in range(3)]

    response = api.post("/api/v1/articles/", articles, format="json")

    assert response.status_code == 201, response.json()
    assert Article.objects.count() == 3


def test_oversized_label_save_is_a_413_and_writes_nothing():
    project, (quote, _, _), (annotator, _) = labelling_project()
    api = APIClient()
    api.force_authenticate(annotator)
    payload = {
        "quote": quote.id,
        "labels": {"stance": "favor", "attribution": "accurate", "sourcing": "none"},
        "note": "x" * (LIMIT + 1),
    }

    response = api.post(f"/api/v1/projects/{project.id}/labels/", payload, format="json")

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Label.objects.exists()


def test_a_body_longer_than_its_content_length_is_never_read_past_the_limit(manager, project):
    # A client may claim a small length and send more: Django reads no further than the claimed
    # length, so the JSON is cut short — a clear 400, nothing imported, never a 500.
    body = json.dumps([article(n, LIMIT // 4, project) for n in range(6)]).encode()
    client = Client()
    client.force_login(manager)

    response = client.generic(
        "POST",
        "/api/v1/articles/",
        data=body,
        content_type="application/json",
        CONTENT_LENGTH=str(LIMIT // 2),
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert not Article.objects.exists()


def test_oversized_form_encoded_body_is_a_413_too(api, project):
    response = api.post(
        "/api/v1/articles/",
        data=f"title=T&project={project.id}&text={'x' * (LIMIT + 10)}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert not Article.objects.exists()


def test_the_limit_is_read_from_the_environment_with_a_ten_mebibyte_default(monkeypatch):
    from config.settings import env_int

    monkeypatch.delenv("DATA_UPLOAD_MAX_MEMORY_SIZE", raising=False)
    assert env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024) == 10 * 1024 * 1024
    monkeypatch.setenv("DATA_UPLOAD_MAX_MEMORY_SIZE", "2048")
    assert env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024) == 2048
