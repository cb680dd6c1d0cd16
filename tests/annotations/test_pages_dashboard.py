"""The agreement dashboard: alpha per dimension (or why not), pairwise kappa, progress."""

import pytest
from django.urls import reverse

from annotations.labelling.labels import label_save
from annotations.labelling.projects import project_update
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def url(project):
    return reverse("annotations:dashboard", args=[project.id])


def test_annotator_of_a_blind_project_gets_403(client):
    project, _, (annotator, _) = labelling_project()
    client.force_login(annotator)
    assert client.get(url(project)).status_code == 403


def test_annotator_of_an_open_project_may_look(client):
    project, _, (annotator, _) = labelling_project(blind_mode=False)
    client.force_login(annotator)
    assert client.get(url(project)).status_code == 200


def test_non_member_gets_404(client):
    project, _, _ = labelling_project()
    client.force_login(UserFactory())
    assert client.get(url(project)).status_code == 404


def test_undefined_alpha_shows_its_reason(client):
    project, _, _ = labelling_project()
    client.force_login(project.memberships.get(role="manager").user)
    html = client.get(url(project)).content.decode()
    assert "undefined:" in html
    assert "No pair of annotators has labelled the same quotes yet." in html


def test_kappa_table_and_counts_after_two_annotators_label(client):
    project, quotes, (a, b) = labelling_project(quotes=2)
    for quote in quotes:
        label_save(project=project, quote=quote, annotator=a, labels=FULL)
    label_save(project=project, quote=quotes[0], annotator=b, labels=FULL)
    label_save(project=project, quote=quotes[1], annotator=b, labels={**FULL, "stance": "against"})
    project_update(project=project, blind_mode=False)
    client.force_login(a)
    response = client.get(url(project))
    html = response.content.decode()
    assert f'<td class="reflow-head">{a.username} · {b.username}</td>' in html
    assert response.context["result"].quotes_with_disagreement == 1
    assert (
        f'<td class="reflow-head">{a.username}</td><td class="num" data-label="Submitted">2</td>'
        in html
    )
