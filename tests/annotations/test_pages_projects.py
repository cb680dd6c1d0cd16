"""The project list: my projects, my role, progress, and the pages my role opens."""

import pytest
from django.urls import reverse

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
URL = reverse("annotations:project-list")


def test_annotator_sees_role_progress_and_only_the_annotate_link(client):
    project, quotes, (annotator, _) = labelling_project(name="Elections")
    label_save(project=project, quote=quotes[0], annotator=annotator, labels=FULL)
    client.force_login(annotator)
    html = client.get(URL).content.decode()
    assert "Elections" in html and "Annotator" in html
    assert reverse("annotations:annotate", args=[project.id]) in html
    assert reverse("annotations:review", args=[project.id]) not in html
    assert reverse("annotations:dashboard", args=[project.id]) not in html  # blind
    assert "1 / 6 submissions" in html
    assert '<progress max="3" value="1">' in html


def test_reviewer_gets_review_and_dashboard_links(client):
    project, _, _ = labelling_project()
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    client.force_login(reviewer)
    html = client.get(URL).content.decode()
    assert reverse("annotations:review", args=[project.id]) in html
    assert reverse("annotations:dashboard", args=[project.id]) in html


def test_other_peoples_projects_are_not_listed(client):
    labelling_project(name="Secret project")
    client.force_login(UserFactory())
    html = client.get(URL).content.decode()
    assert "Secret project" not in html
    assert "not a member of any project" in html


def test_the_nav_links_to_projects(client):
    client.force_login(UserFactory())
    assert f'<a href="{URL}">Projects</a>' in client.get(URL).content.decode()
