"""Time spent on each quote (seconds from display to submit, stored per project, quote and
annotator on Assignment) and the label changes (Label.changes) that labelling_effort reads."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework.test import APIClient

from annotations.labelling.labels import label_save, labelling_effort
from annotations.labelling.queue import assignment_reopen
from annotations.models import Assignment, Label
from tests.factories import labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def spent(annotator):
    return Assignment.objects.get(annotator=annotator).seconds_spent


def test_seconds_add_up_over_submissions_and_an_unmeasured_one_keeps_them():
    project, (quote, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL, seconds=7.44)
    assert spent(ann) == 7.4
    assignment_reopen(project=project, annotator=ann, quote=quote)
    label_save(project=project, quote=quote, annotator=ann, labels=FULL, seconds=3)
    assert spent(ann) == pytest.approx(10.4)
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)  # not measured
    assert spent(ann) == pytest.approx(10.4)


def test_a_submission_without_seconds_stores_none():
    project, (quote, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    assert spent(ann) is None


@pytest.mark.parametrize("seconds", [-1, 86_401, float("inf"), float("nan"), "12", True])
def test_impossible_seconds_are_refused_and_nothing_is_saved(seconds):
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(ValidationError) as refused:
        label_save(project=project, quote=quote, annotator=ann, labels=FULL, seconds=seconds)
    assert "seconds" in refused.value.message_dict
    assert not Assignment.objects.exists()


def test_effort_holds_seconds_and_the_changes_after_each_first_answer():
    project, (first, second, _), (ann, other) = labelling_project()
    label_save(project=project, quote=first, annotator=ann, labels=FULL, seconds=4)
    label_save(project=project, quote=first, annotator=ann, labels={**FULL, "stance": "neutral"})
    changed_two = {**FULL, "stance": "against", "sourcing": "none"}
    label_save(project=project, quote=first, annotator=ann, labels=changed_two, seconds=2)
    label_save(project=project, quote=second, annotator=other, labels=FULL)
    effort = labelling_effort(project=project)
    assert (effort[(first.id, ann.id)].seconds, effort[(first.id, ann.id)].changes) == (6.0, 3)
    assert (effort[(second.id, other.id)].seconds, effort[(second.id, other.id)].changes) == (
        None,
        0,
    )


def test_the_api_takes_seconds_with_the_labels_and_refuses_bad_ones():
    project, (quote, *_), (ann, _) = labelling_project()
    api = APIClient()
    api.force_authenticate(ann)
    url = f"/api/v1/projects/{project.id}/labels/"
    for bad in ["soon", -3, 10**9]:
        response = api.post(url, {"quote": quote.id, "labels": FULL, "seconds": bad}, format="json")
        assert response.status_code == 400 and "seconds" in response.json()["fields"], bad
    response = api.post(url, {"quote": quote.id, "labels": FULL, "seconds": 12.5}, format="json")
    assert response.status_code == 200
    assert spent(ann) == 12.5


def history_changes() -> dict[int, int]:
    """Each label's changes as its history tells them: the rows beyond the first."""
    return {
        label.id: label.history.count() - 1 for label in Label.objects.prefetch_related("history")
    }


def test_each_labels_change_count_is_its_history_beyond_the_first_answer():
    project, (first, second, _), (ann, other) = labelling_project()
    label_save(project=project, quote=first, annotator=ann, labels=FULL)
    label_save(project=project, quote=first, annotator=ann, labels=FULL)  # unchanged: no change
    label_save(project=project, quote=first, annotator=ann, labels=FULL, note="A note")
    label_save(project=project, quote=first, annotator=ann, labels={**FULL, "stance": "against"})
    label_save(project=project, quote=second, annotator=other, labels=FULL)
    stored = dict(Label.objects.values_list("id", "changes"))
    assert stored == history_changes()
    # The note came and went (each time on all three labels), and the stance changed with it.
    assert sorted(stored.values()) == [0, 0, 0, 2, 2, 2]


def test_the_migration_counts_changes_already_in_the_history():
    project, (first, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=first, annotator=ann, labels=FULL)
    label_save(project=project, quote=first, annotator=ann, labels={**FULL, "stance": "against"})
    label_save(project=project, quote=first, annotator=ann, labels={**FULL, "stance": "neutral"})
    expected = history_changes()
    Label.objects.update(changes=0)  # as the column is when migration 0007 adds it
    backfill = importlib.import_module("annotations.migrations.0007_label_changes_counted").BACKFILL
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert dict(Label.objects.values_list("id", "changes")) == expected
    assert sorted(expected.values()) == [0, 0, 2]
