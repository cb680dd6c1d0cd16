"""/api/v1/projects/: create, list with my role, update, articles in scope, schema."""

import pytest
from rest_framework.test import APIClient

from annotations.labelling.projects import membership_set, project_create
from claims.models import ImportBatch
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def manager():
    return UserFactory()


@pytest.fixture
def project(manager):
    return project_create(name="Claims", created_by=manager, stance_targets=["sanctions"])


def test_create_gives_the_default_schema_and_makes_me_manager(manager):
    staff = UserFactory(is_superuser=True)
    article = ArticleFactory()
    response = client_for(staff).post(
        URL,
        {
            "name": "New",
            "stance_targets": ["ceasefire"],
            "annotators_per_quote": 3,
            "articles": [article.id],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["role"], body["annotators_per_quote"], body["article_count"]) == ("manager", 3, 1)
    schema = client_for(staff).get(f"{URL}{body['id']}/schema/").json()
    assert [d["key"] for d in schema] == ["stance", "attribution", "sourcing"]
    assert schema[0]["target"] == "ceasefire"
    assert [c["value"] for c in schema[0]["choices"]] == ["favor", "against", "neutral", "unclear"]
    assert all(c["description"] and c["shortcut"] for d in schema for c in d["choices"])


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": ""},
        {"name": "X", "annotators_per_quote": 0},
        {"name": "X", "annotators_per_quote": "two"},
        {"name": "X", "stance_targets": "not a list"},
        {"name": "X", "articles": [999999]},
    ],
)
def test_create_rejects_bad_input_with_field_errors(manager, payload):
    response = client_for(manager).post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]


def test_list_shows_only_my_projects_with_my_role(project, manager):
    annotator = UserFactory()
    membership_set(project=project, user=annotator, role="annotator")
    project_create(name="Someone else's", created_by=UserFactory())
    body = client_for(annotator).get(URL).json()["results"]
    assert [(p["name"], p["role"]) for p in body] == [("Claims", "annotator")]


def test_non_member_gets_404_for_a_project_and_its_parts(project):
    outsider = client_for(UserFactory())
    for path in ["", "schema/", "members/", "export/", "export/schema/"]:
        assert outsider.get(f"{URL}{project.id}/{path}").status_code == 404, path


def test_manager_updates_the_project(project, manager):
    response = client_for(manager).patch(
        f"{URL}{project.id}/", {"blind_mode": False, "annotators_per_quote": 3}, format="json"
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.blind_mode, project.annotators_per_quote) == (False, 3)


def test_annotator_cannot_update_the_project(project):
    annotator = UserFactory()
    membership_set(project=project, user=annotator, role="annotator")
    response = client_for(annotator).patch(
        f"{URL}{project.id}/", {"name": "Mine now"}, format="json"
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "Claims"


def test_manager_adds_articles_by_id_by_batch_or_all(project, manager):
    staff_manager = manager
    staff_manager.is_superuser = True
    staff_manager.save()
    batch = ImportBatch.objects.create(name="March")
    in_batch = ArticleFactory.create_batch(2, batch=batch)
    loose = ArticleFactory()
    api = client_for(staff_manager)
    assert (
        api.post(f"{URL}{project.id}/articles/", {"batch": batch.id}, format="json").json()[
            "article_count"
        ]
        == 2
    )
    assert (
        api.post(f"{URL}{project.id}/articles/", {"add": [loose.id]}, format="json").json()[
            "article_count"
        ]
        == 3
    )
    body = api.post(
        f"{URL}{project.id}/articles/", {"remove": [in_batch[0].id]}, format="json"
    ).json()
    assert body["article_count"] == 2
    assert (
        api.post(f"{URL}{project.id}/articles/", {"all": True}, format="json").json()[
            "article_count"
        ]
        == 3
    )


def test_manager_cannot_add_articles_they_cannot_see(project, manager):
    hidden = ArticleFactory()
    response = client_for(manager).post(
        f"{URL}{project.id}/articles/", {"add": [hidden.id]}, format="json"
    )
    assert response.status_code == 400
    assert not project.articles.exists()


def test_members_are_listed_and_managed_by_managers(project, manager):
    newcomer = UserFactory(username="newcomer")
    api = client_for(manager)
    response = api.post(
        f"{URL}{project.id}/members/", {"username": "newcomer", "role": "reviewer"}, format="json"
    )
    assert response.status_code == 201
    assert (
        api.patch(
            f"{URL}{project.id}/members/{newcomer.id}/", {"role": "annotator"}, format="json"
        ).json()["role"]
        == "annotator"
    )
    listed = {m["username"]: m["role"] for m in api.get(f"{URL}{project.id}/members/").json()}
    assert listed == {manager.username: "manager", "newcomer": "annotator"}
    assert api.delete(f"{URL}{project.id}/members/{newcomer.id}/").status_code == 204
    assert not project.memberships.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "ghost", "role": "annotator"},
        {"username": "x", "role": "owner"},
        {"role": "annotator"},
    ],
)
def test_bad_member_input_is_a_400(project, manager, payload):
    UserFactory(username="x")
    response = client_for(manager).post(f"{URL}{project.id}/members/", payload, format="json")
    assert response.status_code == 400


def test_annotator_cannot_add_members(project):
    annotator = UserFactory()
    membership_set(project=project, user=annotator, role="annotator")
    response = client_for(annotator).post(
        f"{URL}{project.id}/members/",
        {"username": annotator.username, "role": "manager"},
        format="json",
    )
    assert response.status_code == 403
    assert project.memberships.get(user=annotator).role == "annotator"


def test_last_manager_cannot_be_removed(project, manager):
    response = client_for(manager).delete(f"{URL}{project.id}/members/{manager.id}/")
    assert response.status_code == 400
    assert project.memberships.filter(user=manager, role="manager").exists()
