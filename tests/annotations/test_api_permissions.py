"""The role × endpoint matrix: every API endpoint checks membership and role.

Anonymous callers get 401, non-members 404 (a project's objects do not exist for them), members
without the needed role 403, and allowed roles a 2xx.
"""

import pytest
from rest_framework.test import APIClient

from annotations.services import membership_set, project_create
from tests.factories import ArticleFactory, QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL = {"annotator", "reviewer", "manager"}
ADJUDICATORS = {"reviewer", "manager"}
LABELS = {"stance": "against", "attribution": "accurate", "sourcing": "named-official"}

# (method, path template, body, roles allowed). {p} project id, {q} quote id, {u} a user id.
MATRIX = [
    ("get", "projects/{p}/", None, ALL),
    ("patch", "projects/{p}/", {"description": "x"}, {"manager"}),
    ("post", "projects/{p}/articles/", {"add": []}, {"manager"}),
    ("get", "projects/{p}/schema/", None, ALL),
    ("get", "projects/{p}/members/", None, ALL),
    ("post", "projects/{p}/members/", {"username": "spare", "role": "annotator"}, {"manager"}),
    ("patch", "projects/{p}/members/{u}/", {"role": "reviewer"}, {"manager"}),
    ("delete", "projects/{p}/members/{u}/", None, {"manager"}),
    ("get", "projects/{p}/labels/", None, ALL),
    ("post", "projects/{p}/labels/", {"quote": "{q}", "labels": LABELS}, ALL),
    ("get", "projects/{p}/queue/next/", None, ALL),
    ("post", "projects/{p}/queue/skip/", {"quote": "{q}"}, ALL),
    ("post", "projects/{p}/queue/undo/", None, ALL),
    ("get", "projects/{p}/gold/", None, ADJUDICATORS),  # blind mode
    (
        "post",
        "projects/{p}/gold/",
        {"quote": "{q}", "dimension": "stance", "values": "favor"},
        ADJUDICATORS,
    ),
    ("get", "projects/{p}/agreement/", None, ADJUDICATORS),  # blind mode
    ("get", "projects/{p}/quotes/{q}/comments/", None, ALL),
    ("post", "projects/{p}/quotes/{q}/comments/", {"text": "hm"}, ALL),
    ("get", "projects/{p}/export/", None, ADJUDICATORS),
    ("get", "projects/{p}/export/schema/", None, ADJUDICATORS),
    ("get", "articles/{a}/", None, ALL),
    ("get", "quotes/{q}/", None, ALL),
    ("patch", "quotes/{q}/", {"kind": "direct"}, ALL),
]


@pytest.fixture
def world():
    users = {
        role: UserFactory(username=role)
        for role in ("manager", "annotator", "reviewer", "outsider")
    }
    UserFactory(username="spare")
    project = project_create(name="P", created_by=users["manager"], blind_mode=True)
    membership_set(project=project, user=users["annotator"], role="annotator")
    membership_set(project=project, user=users["reviewer"], role="reviewer")
    article = ArticleFactory(text="x" * 100)
    project.articles.add(article)
    quote = QuoteFactory(article=article, content_start=0, content_end=5)
    target = UserFactory(username="target")
    membership_set(project=project, user=target, role="annotator")
    ids = {"p": project.id, "q": quote.id, "a": article.id, "u": target.id}
    return users, ids


def fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def call(client, method, template, body, ids):
    path = "/api/v1/" + template.format(**ids)
    return getattr(client, method)(path, fill(body, ids), format="json")


@pytest.mark.parametrize(
    ("method", "template", "body", "allowed"), MATRIX, ids=[f"{m} {t}" for m, t, _, _ in MATRIX]
)
@pytest.mark.parametrize("role", ["anonymous", "outsider", "annotator", "reviewer", "manager"])
def test_role_endpoint_matrix(world, role, method, template, body, allowed):
    users, ids = world
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(users[role])
    if template.endswith("queue/skip/"):  # one can only skip the quote one was handed
        call(client, "get", "projects/{p}/queue/next/", None, ids)
    response = call(client, method, template, body, ids)
    if role == "anonymous":
        expected = {401}
    elif role == "outsider":
        expected = {404}
    elif role in allowed:
        expected = set(range(200, 300))
    else:
        expected = {403}
    assert response.status_code in expected, (
        role,
        response.status_code,
        getattr(response, "data", None),
    )
