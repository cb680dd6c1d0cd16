"""Where logging in leads (`/projects/start/`, LOGIN_REDIRECT_URL)."""

import pytest
from django.urls import reverse

from annotations.labelling.projects import membership_set
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("annotations:start")


def test_logging_in_goes_to_start(settings):
    assert reverse(settings.LOGIN_REDIRECT_URL) == URL


def test_an_annotator_in_one_project_goes_to_its_queue(client, django_assert_max_num_queries):
    user, project = UserFactory(), ProjectFactory()
    membership_set(project=project, user=user, role="annotator")
    client.force_login(user)
    with django_assert_max_num_queries(3):  # session, user, memberships
        response = client.get(URL)
    assert response["Location"] == reverse("annotations:annotate", args=[project.id])


def test_an_annotator_in_several_projects_goes_to_the_project_list(client):
    user = UserFactory()
    for project in ProjectFactory.create_batch(2):
        membership_set(project=project, user=user, role="annotator")
    client.force_login(user)
    assert client.get(URL)["Location"] == reverse("annotations:project-list")


def test_someone_in_no_project_goes_to_the_project_list(client):
    client.force_login(UserFactory())
    assert client.get(URL)["Location"] == reverse("annotations:project-list")


@pytest.mark.parametrize("role", ["manager", "reviewer"])
def test_managers_and_reviewers_go_to_the_articles(client, role):
    user = UserFactory()
    membership_set(project=ProjectFactory(), user=user, role="annotator")
    membership_set(project=ProjectFactory(), user=user, role=role)
    client.force_login(user)
    assert client.get(URL)["Location"] == reverse("claims:article-list")


def test_staff_go_to_the_articles(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL)["Location"] == reverse("claims:article-list")


def test_start_needs_a_login(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))
