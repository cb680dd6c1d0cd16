"""The two calls an annotator makes all day — queue-next and save-label — run a fixed number of
queries, however many quotes, labels and annotators the project has (bench/load.py times them)."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.queue import assign_next_quote
from annotations.models import Membership
from tests.factories import OutletFactory, SpeakerFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

LABELS = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
# Each includes the project with the caller's membership (one query), the savepoint statements
# (the test's transaction turns the services' atomic blocks into savepoints) and the response's
# own reads; force_authenticate skips the token lookup a real client adds (one query, asserted in
# tests/test_api_tokens.py).
# Queue-next: lock the caller, their open assignments with the candidate (a second statement
# when every candidate is locked), the new assignment taken if the quote has room with the
# quote read (one statement on PostgreSQL, two on SQLite, which has no caller lock), then the
# caller's labels with their progress. Save-label: lock the quote, the schema (two),
# the places with the gold and existing labels, the writes (new labels, their choices and
# history, the assignment submitted: one statement on PostgreSQL, four on SQLite), gold.
POSTGRES = connection.vendor == "postgresql"
QUEUE_NEXT_QUERIES = 8
SAVE_LABEL_QUERIES = 9 if POSTGRES else 12
# also updates the changed labels and replaces their choices
CHANGE_LABEL_QUERIES = 13 if POSTGRES else 15


def _project_of_size(quotes: int, labelled_by_others: int):
    """A project with `quotes` quotes (speaker and outlet set) of which `labelled_by_others`
    are already done by two other annotators; returns (project, a fresh annotator)."""
    project, quote_rows, others = labelling_project(quotes=quotes, annotators=2, k=3)
    outlet, speaker = OutletFactory(), SpeakerFactory()
    article = quote_rows[0].article
    article.outlet = outlet
    article.save(update_fields=["outlet"])
    for quote in quote_rows:
        quote.speaker = speaker
        quote.save(update_fields=["speaker"])
    for quote in quote_rows[:labelled_by_others]:
        for person in others:
            label_save(project=project, quote=quote, annotator=person, labels=LABELS)
    me = UserFactory()
    membership_set(project=project, user=me, role=Membership.Role.ANNOTATOR)
    return project, me


@pytest.mark.parametrize(("quotes", "labelled"), [(3, 1), (60, 40)])
def test_queue_next_runs_a_fixed_number_of_queries(quotes, labelled, django_assert_max_num_queries):
    project, me = _project_of_size(quotes, labelled)
    api = APIClient()
    api.force_authenticate(me)

    with django_assert_max_num_queries(QUEUE_NEXT_QUERIES):
        response = api.get(f"/api/v1/projects/{project.id}/queue/next/")

    assert response.status_code == 200
    body = response.json()
    assert body["quote"]["speaker"]["name"]
    assert body["article"]["outlet"]


@pytest.mark.parametrize(("quotes", "labelled"), [(3, 1), (60, 40)])
def test_save_label_runs_a_fixed_number_of_queries(quotes, labelled, django_assert_max_num_queries):
    project, me = _project_of_size(quotes, labelled)
    quote = assign_next_quote(project=project, annotator=me)
    api = APIClient()
    api.force_authenticate(me)

    with django_assert_max_num_queries(SAVE_LABEL_QUERIES):
        response = api.post(
            f"/api/v1/projects/{project.id}/labels/",
            {"quote": quote.id, "labels": LABELS},
            format="json",
        )

    assert response.status_code == 200
    assert {label["dimension"] for label in response.json()} == set(LABELS)


def test_changing_labels_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    project, me = _project_of_size(10, 5)
    quote = assign_next_quote(project=project, annotator=me)
    label_save(project=project, quote=quote, annotator=me, labels=LABELS)
    api = APIClient()
    api.force_authenticate(me)
    changed = {**LABELS, "stance": "against", "sourcing": "anonymous"}

    with django_assert_max_num_queries(CHANGE_LABEL_QUERIES):
        response = api.post(
            f"/api/v1/projects/{project.id}/labels/",
            {"quote": quote.id, "labels": changed, "note": "second thoughts"},
            format="json",
        )

    assert response.status_code == 200
    assert {label["dimension"]: label["values"] for label in response.json()} == {
        key: [value] for key, value in changed.items()
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_the_labelling_loop_reuses_prepared_statements():
    """After a few rounds on one connection PostgreSQL runs the loop's statements from their
    prepared plans (settings: server-side binding, DB_PREPARE_THRESHOLD), not parsed afresh."""
    project, me = _project_of_size(12, 0)
    api = APIClient()
    api.force_authenticate(me)
    for _ in range(8):
        quote_id = api.get(f"/api/v1/projects/{project.id}/queue/next/").json()["quote"]["id"]
        response = api.post(
            f"/api/v1/projects/{project.id}/labels/",
            {"quote": quote_id, "labels": LABELS},
            format="json",
        )
        assert response.status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("annotations_queuecount" in statement for statement in prepared)
    assert any("INSERT INTO annotations_labelhistory" in statement for statement in prepared)
