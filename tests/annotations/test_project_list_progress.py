"""The project list computes every project's progress, and the member's own, at once."""

import pytest
from django.urls import reverse

from annotations.labelling.labels import label_save
from annotations.labelling.progress import annotator_progress, project_progress
from annotations.labelling.projects import membership_set, project_list_rows
from annotations.labelling.queue import assign_next_quote, assignment_skip
from tests.factories import ArticleFactory, QuoteFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
URL = reverse("annotations:project-list")


def _busy_projects(count: int, person):
    """`count` projects where `person` annotates, with labels, skips, open and rejected quotes."""
    projects = []
    for number in range(count):
        project, quotes, (first, second) = labelling_project(
            quotes=4, k=1 + number % 2, name=f"P{number:03d}"
        )
        membership_set(project=project, user=person, role="annotator")
        label_save(project=project, quote=quotes[0], annotator=first, labels=FULL)
        label_save(project=project, quote=quotes[0], annotator=second, labels=FULL) if (
            number % 2
        ) else None
        label_save(project=project, quote=quotes[1], annotator=person, labels=FULL)
        assignment_skip(
            project=project,
            annotator=person,
            quote=assign_next_quote(project=project, annotator=person),
        )
        assign_next_quote(project=project, annotator=person)
        quotes[3].is_rejected = True
        quotes[3].save()
        projects.append(project)
    return projects


def test_rows_match_the_per_project_progress():
    person = UserFactory()
    projects = _busy_projects(3, person)
    # An article shared by two projects counts in each.
    shared = ArticleFactory()
    QuoteFactory(article=shared)
    for project in projects[:2]:
        project.articles.add(shared)
    rows = project_list_rows(user=person)
    assert [row.project.id for row in rows] == [p.id for p in projects]
    for row, project in zip(rows, projects, strict=True):
        assert row.progress == project_progress(project=project)
        assert row.mine == annotator_progress(project=project, annotator=person)


def test_only_managers_may_manage():
    project, _, (annotator, _) = labelling_project()
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    (row,) = project_list_rows(user=reviewer)
    assert row.can_review and row.can_annotate and not row.can_manage
    (row,) = project_list_rows(user=project.created_by)
    assert row.can_manage
    (row,) = project_list_rows(user=annotator)
    assert not row.can_manage and not row.can_review


@pytest.mark.parametrize("count", [2, 20])
def test_the_project_list_runs_a_fixed_number_of_queries(
    client, count, django_assert_max_num_queries
):
    person = UserFactory()
    _busy_projects(count, person)
    client.force_login(person)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.content.decode().count("<tr>") == count + 1
