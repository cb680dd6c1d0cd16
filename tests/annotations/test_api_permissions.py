"""The role × endpoint matrix: every API route checks who calls it.

Five callers: anonymous, an outsider (a user in no project), and the project's annotator,
reviewer and manager. On a project's objects anonymous callers get 401, outsiders 404 (the
objects do not exist for them), members without the needed role 403, allowed roles a 2xx.
Lists answer every logged-in user but hold only what they may see. The matrix is checked
against the URL configuration: a new route without a row here fails the suite.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from annotations.models import Membership
from claims.models import ImportBatch, SpeakerAlias
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    OutletFactory,
    QuoteFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "annotator", "reviewer", "manager"]
MEMBERS = {"annotator", "reviewer", "manager"}
ADJUDICATORS = {"reviewer", "manager"}
MANAGER = {"manager"}
LABELS = {"stance": "against", "attribution": "accurate", "sourcing": "named-official"}
TEXT = "The minister said that the talks would resume soon, officials confirmed on Friday."


@dataclass(frozen=True)
class Row:
    """One route and method: who may call it, and what the others get."""

    name: str  # the URL pattern's name
    method: str
    path: str  # under /api/v1/ unless it starts with "/"; {p} project, {q} quote, …
    allowed: set[str]  # roles that get a 2xx
    body: dict | None = None
    # What callers outside `allowed` get, by role, where it differs from 401/404/403.
    others: dict[str, int] = field(default_factory=dict)


# A list answers every logged-in user (with only what they may see); anonymous gets 401.
LOGGED_IN = {"outsider", *MEMBERS}
PUBLIC = {"anonymous", *LOGGED_IN}

MATRIX = [
    Row("api-schema", "get", "/api/schema/", PUBLIC),
    Row("api-docs", "get", "/api/docs/", PUBLIC),
    Row("api-root", "get", "", LOGGED_IN),
    Row("api-token", "post", "auth/token/", PUBLIC, {"username": "{me}", "password": PASSWORD}),
    # Revoking the request's token: these callers are logged in without one (tests/test_api_tokens).
    Row("api-token", "delete", "auth/token/", set(), others=dict.fromkeys(LOGGED_IN, 400)),
    Row("api-tokens", "delete", "auth/tokens/", LOGGED_IN),
    # The corpus.
    Row("article-list", "get", "articles/", LOGGED_IN),
    # Only the project's managers import into it; for outsiders the project is unknown (400).
    Row(
        "article-list",
        "post",
        "articles/",
        MANAGER,
        {"title": "New", "text": TEXT, "project": "{p}"},
        {"outsider": 400},
    ),
    Row("article-detail", "get", "articles/{a}/", MEMBERS),
    # URL imports: managers only (the loopback URL is refused when fetched, never reached).
    Row(
        "article-from-urls",
        "post",
        "articles/from-urls/",
        MANAGER,
        {"urls": ["http://127.0.0.1/x"], "project": "{p}"},
        {"outsider": 403},
    ),
    # A batch is its importer's (and staff's): for everyone else it does not exist.
    Row("batch-detail", "get", "batches/{b}/", MANAGER, others={"annotator": 404, "reviewer": 404}),
    Row(
        "batch-items",
        "get",
        "batches/{b}/items/",
        MANAGER,
        others={"annotator": 404, "reviewer": 404},
    ),
    Row("quote-list", "get", "quotes/", LOGGED_IN),
    # Any member adds a missed quote; for outsiders the article is unknown (400).
    Row(
        "quote-list",
        "post",
        "quotes/",
        MEMBERS,
        {"article": "{a}", "kind": "direct", "content_start": 4, "content_end": 12},
        {"outsider": 400},
    ),
    Row("quote-detail", "get", "quotes/{q}/", MEMBERS),
    Row("quote-detail", "patch", "quotes/{q}/", MEMBERS, {"kind": "direct"}),
    Row("speaker-list", "get", "speakers/", LOGGED_IN),
    Row("speaker-detail", "get", "speakers/{s}/", MEMBERS),
    Row("insights-search", "get", "insights/search/?q=minister", LOGGED_IN),
    Row("insights-speaker", "get", "insights/speakers/{s}/", MEMBERS),
    Row("insights-outlets", "get", "insights/outlets/", LOGGED_IN),
    Row("insights-outlet", "get", "insights/outlets/{o}/", MEMBERS),
    # Projects.
    Row("project-list", "get", "projects/", LOGGED_IN),
    Row("project-list", "post", "projects/", LOGGED_IN, {"name": "Mine"}),
    Row("project-detail", "get", "projects/{p}/", MEMBERS),
    Row("project-detail", "patch", "projects/{p}/", MANAGER, {"description": "x"}),
    Row("project-articles", "post", "projects/{p}/articles/", MANAGER, {"add": []}),
    Row("project-label-schema", "get", "projects/{p}/schema/", MEMBERS),
    Row("project-members", "get", "projects/{p}/members/", MEMBERS),
    Row(
        "project-members",
        "post",
        "projects/{p}/members/",
        MANAGER,
        {"username": "spare", "role": "annotator"},
    ),
    Row("project-member", "patch", "projects/{p}/members/{u}/", MANAGER, {"role": "reviewer"}),
    Row("project-member", "delete", "projects/{p}/members/{u}/", MANAGER),
    # Labelling (the project is in blind mode).
    Row("project-labels", "get", "projects/{p}/labels/", MEMBERS),
    Row(
        "project-labels",
        "post",
        "projects/{p}/labels/",
        MEMBERS,
        {"quote": "{q}", "labels": LABELS},
    ),
    Row("project-queue-next", "get", "projects/{p}/queue/next/", MEMBERS),
    Row("project-queue-skip", "post", "projects/{p}/queue/skip/", MEMBERS, {"quote": "{q}"}),
    Row("project-queue-undo", "post", "projects/{p}/queue/undo/", MEMBERS),
    Row("project-queue-reopen", "post", "projects/{p}/queue/reopen/", MEMBERS, {"quote": "{q}"}),
    Row("project-gold", "get", "projects/{p}/gold/", ADJUDICATORS),
    Row(
        "project-gold",
        "post",
        "projects/{p}/gold/",
        ADJUDICATORS,
        {"quote": "{q}", "dimension": "stance", "values": "favor"},
    ),
    Row("project-agreement", "get", "projects/{p}/agreement/", ADJUDICATORS),
    Row("project-comments", "get", "projects/{p}/quotes/{q}/comments/", MEMBERS),
    Row("project-comments", "post", "projects/{p}/quotes/{q}/comments/", MEMBERS, {"text": "hm"}),
    Row("project-export", "get", "projects/{p}/export/", ADJUDICATORS),
    Row("project-export", "get", "projects/{p}/export/?format=csv", ADJUDICATORS),
    Row("project-export", "get", "projects/{p}/export/?format=spacy", ADJUDICATORS),
    Row("project-export-schema", "get", "projects/{p}/export/schema/", ADJUDICATORS),
]


def api_routes() -> set[tuple[str, str]]:
    """(URL name, method) of every route the API serves, read from the URL configuration:
    everything under /api/ (the v1 namespace, the schema and the docs)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif route.startswith("api/"):
                yield pattern

    routes = set()
    for pattern in walk(get_resolver().url_patterns):
        view = pattern.callback
        actions = getattr(view, "actions", None)
        if actions:
            # DRF adds "head" beside "get" to this dict once the route has been called.
            methods = set(actions) - {"head", "options"}
        else:
            view_class = getattr(view, "cls", None) or view.view_class
            methods = {
                m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
            }
        routes |= {(pattern.name, method) for method in methods}
    return routes


def test_matrix_covers_every_api_route():
    covered = {(row.name, row.method) for row in MATRIX}
    missing = api_routes() - covered
    assert not missing, f"routes without a row in the permission matrix: {sorted(missing)}"
    assert not covered - api_routes(), "rows for routes that no longer exist"


@pytest.fixture
def world():
    users = {
        role: UserFactory(username=role)
        for role in ("manager", "annotator", "reviewer", "outsider")
    }
    UserFactory(username="spare")
    project = project_create(name="P", created_by=users["manager"], blind_mode=True)
    membership_set(project=project, user=users["annotator"], role=Membership.Role.ANNOTATOR)
    membership_set(project=project, user=users["reviewer"], role=Membership.Role.REVIEWER)
    article = ArticleFactory(text=TEXT, outlet=OutletFactory())
    project.articles.add(article)
    speaker = SpeakerFactory(name="Anna Minister")
    SpeakerAlias.objects.create(speaker=speaker, alias="the minister")
    quote = QuoteFactory(article=article, content_start=23, content_end=50, speaker=speaker)
    target = UserFactory(username="target")
    membership_set(project=project, user=target, role=Membership.Role.ANNOTATOR)
    batch = ImportBatch.objects.create(name="Feed", created_by=users["manager"])
    ids = {
        "b": batch.id,
        "p": project.id,
        "q": quote.id,
        "a": article.id,
        "s": speaker.id,
        "o": article.outlet_id,
        "u": target.id,
    }
    return users, ids


def fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


def call(client, method, path, body, ids):
    url = path if path.startswith("/") else "/api/v1/" + path
    return getattr(client, method)(url.format(**ids), fill(body, ids), format="json")


def client_for(users, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(users[role])
    return client


def expected_status(row: Row, role: str) -> set[int]:
    if role in row.allowed:
        return set(range(200, 300))
    if role in row.others:
        return {row.others[role]}
    if role == "anonymous":
        return {401}
    if role == "outsider":
        return {404}
    return {403}


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row.method} {row.path}" for row in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_role_endpoint_matrix(world, role, row):
    users, ids = world
    client = client_for(users, role)
    ids = {**ids, "me": "outsider" if role == "anonymous" else role}
    if row.name in ("project-queue-skip", "project-queue-reopen"):  # one's own quote only
        call(client, "get", "projects/{p}/queue/next/", None, ids)
    if row.name == "project-queue-reopen":  # …and one reopens what one skipped or submitted
        call(client, "post", "projects/{p}/queue/skip/", {"quote": "{q}"}, ids)
    response = call(client, row.method, row.path, row.body, ids)
    assert response.status_code in expected_status(row, role), (
        role,
        response.status_code,
        getattr(response, "data", None),
    )


LISTS = ["articles/", "quotes/", "speakers/", "projects/", "insights/outlets/"]


@pytest.mark.parametrize("path", LISTS)
def test_outsiders_lists_hold_nothing_of_the_project(world, path):
    users, _ = world

    def rows(role):
        data = client_for(users, role).get("/api/v1/" + path).json()
        return data["outlets"] if path.startswith("insights") else data["results"]

    assert rows("outsider") == []
    assert rows("annotator") != []


def test_outsiders_search_finds_nothing_of_the_project(world):
    users, _ = world
    found = client_for(users, "outsider").get("/api/v1/insights/search/?q=minister").json()
    assert found["count"] == 0 and found["articles"] == []
    found = client_for(users, "annotator").get("/api/v1/insights/search/?q=minister").json()
    assert found["count"] == 1


def test_annotator_cannot_read_others_labels_in_blind_mode(world):
    users, ids = world
    project_id, quote_id = ids["p"], ids["q"]
    from annotations.models import Project
    from claims.models import Quote

    project, quote = Project.objects.get(id=project_id), Quote.objects.get(id=quote_id)
    label_save(project=project, quote=quote, annotator=users["reviewer"], labels=LABELS)
    label_save(project=project, quote=quote, annotator=users["annotator"], labels=LABELS)
    url = f"/api/v1/projects/{project_id}/labels/"
    seen_by_annotator = client_for(users, "annotator").get(url).json()
    assert {row["annotator"] for row in seen_by_annotator} == {"annotator"}
    seen_by_reviewer = client_for(users, "reviewer").get(url).json()
    assert {row["annotator"] for row in seen_by_reviewer} == {"annotator", "reviewer"}
    by_name = client_for(users, "annotator").get(url, {"annotator": "reviewer"}).json()
    assert by_name == []


def test_a_quote_cannot_name_a_speaker_from_another_project(world):
    users, ids = world
    elsewhere = QuoteFactory(article=ArticleFactory(), speaker=SpeakerFactory(name="Hidden"))
    client = client_for(users, "annotator")
    created = client.post(
        "/api/v1/quotes/",
        {
            "article": ids["a"],
            "kind": "direct",
            "content_start": 4,
            "content_end": 12,
            "speaker": elsewhere.speaker_id,
        },
        format="json",
    )
    assert created.status_code == 400 and "speaker" in created.json()["fields"]
    patched = client.patch(
        f"/api/v1/quotes/{ids['q']}/", {"speaker": elsewhere.speaker_id}, format="json"
    )
    assert patched.status_code == 400 and "speaker" in patched.json()["fields"]


def test_annotators_and_reviewers_cannot_import_articles_into_their_project(world):
    users, ids = world
    for role in ("annotator", "reviewer"):
        response = client_for(users, role).post(
            "/api/v1/articles/",
            {"title": "New", "text": TEXT + " More.", "project": ids["p"]},
            format="json",
        )
        assert response.status_code == 403, role
    from claims.models import Article

    assert Article.objects.count() == 1
