"""Odd input is a 400 (or a 404 for a cursor that points nowhere), never a 500: NUL characters,
JSON nested past any sane depth, tampered pagination cursors. The same answer on SQLite, which
stores NUL, and PostgreSQL, which refuses it in text."""

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.labelling.queue import assign_next_quote
from claims.importing import ImportProblem, read_file_data
from config.input_guards import JSON_MAX_DEPTH
from tests.factories import ArticleFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FETCH = {"headers": {"X-Requested-With": "fetch"}}


def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "code", "fields"}
    assert body["code"] == code
    return body


@pytest.fixture
def member():
    """(project, an annotator's API client, the annotator's page client, a quote in hand)."""
    project, _quotes, (annotator,) = labelling_project(quotes=2, annotators=1)
    api = APIClient()
    api.force_authenticate(annotator)
    page = Client()
    page.force_login(annotator)
    quote = assign_next_quote(project=project, annotator=annotator)
    return project, api, page, quote


# -- NUL characters ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/{p}/labels/?annotator=a%00b",
        "/api/v1/speakers/?q=a%00b",
        "/api/v1/articles/?outlet=a%00b",
        "/api/v1/insights/search/?q=a%00b",
        "/api/v1/speakers/?q%00=x",
    ],
)
def test_a_nul_in_the_query_string_is_a_400_on_the_api(member, path):
    project, api, _page, _quote = member
    response = api.get(path.format(p=project.id))
    body = assert_error_shape(response, 400, "invalid")
    assert "NUL" in body["detail"]


@pytest.mark.parametrize(
    "path", ["/speakers/?q=a%00b", "/search/?q=a%00b", "/projects/{p}/annotate/speakers/?q=a%00b"]
)
def test_a_nul_in_the_query_string_is_a_400_page(member, path):
    project, _api, page, _quote = member
    response = page.get(path.format(p=project.id))
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_speaker_name_posted_as_a_form_is_a_400(member):
    project, _api, page, quote = member
    address = reverse("annotations:quote-speaker", args=[project.id, quote.id])
    response = page.post(address, {"name": "Anna\x00Minister"}, **FETCH)
    assert response.status_code == 400
    quote.refresh_from_db()
    assert quote.speaker.name != "Anna\x00Minister"


def test_a_nul_in_a_speaker_name_posted_as_json_is_a_400(member):
    project, _api, page, quote = member
    address = reverse("annotations:quote-speaker", args=[project.id, quote.id])
    response = page.post(
        address,
        json.dumps({"name": "Anna\u0000Minister"}),
        content_type="application/json",
        **FETCH,
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/projects/{p}/labels/", {"quote": "{q}", "labels": {"sta\u0000nce": "favor"}}),
        ("/api/v1/projects/{p}/labels/", {"quote": "{q}", "labels": {"stance": "fa\u0000vor"}}),
        ("/api/v1/projects/", {"name": "Mine\u0000"}),
        ("/api/v1/projects/{p}/members/", {"username": "a\u0000b", "role": "annotator"}),
    ],
)
def test_a_nul_anywhere_in_a_json_body_is_a_400(member, path, body):
    project, api, _page, quote = member
    text = json.dumps(body).replace('"{q}"', str(quote.id))
    response = api.post(path.format(p=project.id), text, content_type="application/json")
    body = assert_error_shape(response, 400, "parse_error")
    assert "NUL" in body["detail"]


def test_an_escaped_backslash_before_u0000_is_not_a_nul(member):
    _project, api, _page, _quote = member
    name = "C:\\u0000 folder"  # a backslash, then the six characters u0000
    response = api.post("/api/v1/projects/", {"name": name}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == name


def test_a_nul_in_a_form_body_on_the_api_is_a_400(member):
    _project, api, _page, _quote = member
    response = api.post("/api/v1/projects/", {"name": "Mine\x00"}, format="multipart")
    assert response.status_code == 400
    response = api.post(
        "/api/v1/projects/", "name=Mine%00", content_type="application/x-www-form-urlencoded"
    )
    assert_error_shape(response, 400, "invalid")


# -- deeply nested JSON ------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [JSON_MAX_DEPTH + 1, 1_000, 100_000])
def test_json_nested_too_deep_is_a_400_on_every_api_body(member, depth):
    project, api, _page, _quote = member
    for path in (
        "/api/v1/projects/",
        f"/api/v1/projects/{project.id}/labels/",
        "/api/v1/articles/",
    ):
        response = api.post(path, nested(depth), content_type="application/json")
        body = assert_error_shape(response, 400, "parse_error")
        assert f"nested deeper than {JSON_MAX_DEPTH} levels" in body["detail"]


def test_json_nested_within_the_limit_is_parsed(member):
    _project, api, _page, _quote = member
    response = api.post(
        "/api/v1/projects/",
        '{"name": "Deep enough", "x": ' + nested(JSON_MAX_DEPTH - 1) + "}",
        content_type="application/json",
    )
    assert response.status_code == 201


def test_brackets_inside_strings_do_not_count_as_nesting(member):
    _project, api, _page, _quote = member
    name = "[[[[{{{{" * 20
    response = api.post("/api/v1/projects/", {"name": name}, format="json")
    assert response.status_code == 201


def test_json_nested_too_deep_is_a_400_on_a_page_that_takes_json(member):
    project, _api, page, quote = member
    address = reverse("annotations:quote-speaker", args=[project.id, quote.id])
    response = page.post(address, nested(1_000), content_type="application/json", **FETCH)
    assert response.status_code == 400
    assert "nested deeper than" in response.content.decode()


def test_a_jsonl_line_nested_too_deep_is_reported_and_the_rest_imports():
    good = json.dumps({"title": "Fine", "text": "The minister said it was fine."})
    data = f"{good}\n{nested(1_000)}\n{good.replace('Fine', 'Also fine')}\n".encode()
    results = list(read_file_data("deep.jsonl", data))
    problems = [item for item in results if isinstance(item, ImportProblem)]
    assert [item.title for item in results if item not in problems] == ["Fine", "Also fine"]
    assert [problem.source_name for problem in problems] == ["deep.jsonl:2"]
    assert f"nested deeper than {JSON_MAX_DEPTH} levels" in problems[0].reason


# -- pagination cursors ------------------------------------------------------------------------
def cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize(
    "value",
    [
        "cj0xJnA9YWJj",  # r=1&p=abc
        cursor("o=0&p=99999999999999999999999999"),
        cursor("p=-5"),
        cursor("p=1e3"),
        "not base64 at all!",
    ],
)
@pytest.mark.parametrize("path", ["articles/", "quotes/", "speakers/", "projects/"])
def test_a_tampered_cursor_is_a_404_not_a_500(path, value):
    ArticleFactory()
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True))
    response = api.get(f"/api/v1/{path}", {"cursor": value})
    body = assert_error_shape(response, 404, "not_found")
    assert body["detail"] == "Invalid cursor"


def test_a_cursor_with_a_huge_offset_is_clamped_not_an_overflow():
    ArticleFactory()
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True))
    response = api.get("/api/v1/articles/", {"cursor": cursor("o=99999999999999999999&p=1")})
    assert response.status_code == 200


def test_a_genuine_cursor_still_pages():
    for _ in range(3):
        ArticleFactory()
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True))
    first = api.get("/api/v1/articles/", {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1
