"""Time spent on each quote (seconds from display to submit, stored per project, quote and
annotator on Assignment) and the label changes read from LabelHistory (labelling_effort)."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from annotations.labelling.labels import label_save, labelling_effort
from annotations.labelling.queue import assignment_reopen
from annotations.models import Assignment
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
