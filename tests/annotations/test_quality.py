"""The quality report: each annotator against gold (accuracy and Cohen's kappa per question),
a confusion matrix per question and agreement by week, on the dashboard and in /agreement/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from annotations import agreement
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.review import quality_report
from annotations.models import Label
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def test_gold_agreement_counts_matches_and_kappa():
    result = agreement.gold_agreement(
        {1: "a", 2: "b", 3: "a", 4: "b", 5: "x"}, {1: "a", 2: "b", 3: "b", 4: "b"}
    )
    assert (result.compared, result.matches, result.accuracy) == (4, 3, 0.75)
    assert result.kappa == pytest.approx(0.5)


def test_gold_agreement_is_undefined_with_a_reason():
    assert agreement.gold_agreement({1: "a"}, {}).reason == "None of their answers has gold yet."
    same = agreement.gold_agreement({1: "a", 2: "a"}, {1: "a", 2: "a"})
    assert (same.accuracy, same.kappa) == (1.0, None)
    assert "same answer" in same.reason


def scored_project():
    """Four quotes with reviewer gold on stance (favor, against, favor, against); ann1 gets
    three of four right, ann2 all four; ann2 was timed."""
    project, quotes, (ann1, ann2) = labelling_project(quotes=4)
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    gold = ["favor", "against", "favor", "against"]
    given1 = ["favor", "against", "against", "against"]
    for quote, truth, one in zip(quotes, gold, given1, strict=True):
        label_save(project=project, quote=quote, annotator=ann1, labels={**FULL, "stance": one})
        label_save(
            project=project,
            quote=quote,
            annotator=ann2,
            labels={**FULL, "stance": truth},
            seconds=4,
        )
        gold_set(
            project=project, quote=quote, dimension_key="stance", values=truth, reviewer=reviewer
        )
    return project, quotes, ann1, ann2


def test_each_annotator_against_gold_per_question(django_assert_max_num_queries):
    project, _, ann1, ann2 = scored_project()
    with django_assert_max_num_queries(8):
        report = quality_report(project=project)
    people = {person.username: person for person in report.annotators}
    one, two = people[ann1.username], people[ann2.username]
    assert (one.per_dimension["stance"].compared, one.per_dimension["stance"].accuracy) == (4, 0.75)
    assert one.per_dimension["stance"].kappa == pytest.approx(0.5)
    assert two.per_dimension["stance"].accuracy == 1.0 and two.per_dimension["stance"].kappa == 1.0
    # attribution and sourcing: unanimous gold (both agreed) counts too
    assert one.per_dimension["attribution"].accuracy == 1.0
    assert (one.overall.compared, one.overall.matches) == (12, 11)
    assert (one.submitted, two.submitted) == (4, 4)
    assert (one.median_seconds, two.median_seconds, two.timed_quotes) == (None, 4.0, 4)


def test_a_confusion_matrix_per_question_with_gold_as_rows():
    project, *_ = scored_project()
    stance = next(m for m in quality_report(project=project).confusion if m.key == "stance")
    assert stance.answers == ["Favor", "Against"]
    assert stance.counts == [[3, 1], [0, 4]]  # one favor-gold answered against
    assert stance.compared == 8


def test_agreement_by_week_groups_quotes_by_their_latest_answer():
    project, quotes, _, _ = scored_project()
    earlier = timezone.now() - datetime.timedelta(days=14)
    Label.objects.filter(quote__in=quotes[:2]).update(updated_at=earlier)
    weeks = quality_report(project=project).weeks
    assert [week.quotes for week in weeks] == [2, 2]
    assert weeks[0].week < weeks[1].week and weeks[0].week.weekday() == 0
    assert weeks[0].alpha["stance"].value is not None  # favor/against on both quotes
    assert (weeks[0].gold_compared, weeks[1].gold_compared) == (12, 12)
    assert weeks[1].gold_accuracy == pytest.approx(11 / 12)


def test_no_gold_yet_says_so():
    project, (quote, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    (person,) = quality_report(project=project).annotators
    assert person.overall.accuracy is None
    assert person.overall.reason == "None of their answers has gold yet."
    assert all(matrix.compared == 0 for matrix in quality_report(project=project).confusion)


def test_the_dashboard_and_the_api_show_the_same_figures(client, django_assert_max_num_queries):
    project, _, ann1, _ = scored_project()
    manager = project.memberships.get(role="manager").user
    client.force_login(manager)
    # however many quotes and annotators; one of them counts the export form's quotes
    with django_assert_max_num_queries(17):
        html = client.get(reverse("annotations:dashboard", args=[project.id])).content.decode()
    assert "Each annotator against gold" in html
    assert "0.75 · κ 0.50" in html
    assert "Confusion matrix per question" in html and "Agreement by week" in html
    api = APIClient()
    api.force_authenticate(manager)
    quality = api.get(f"/api/v1/projects/{project.id}/agreement/").json()["quality"]
    one = next(p for p in quality["annotators"] if p["annotator"] == ann1.username)
    assert one["dimensions"]["stance"]["accuracy"] == 0.75
    assert one["dimensions"]["stance"]["kappa"] == pytest.approx(0.5)
    stance = next(m for m in quality["confusion"] if m["key"] == "stance")
    assert stance["counts"] == [[3, 1], [0, 4]]
    assert len(quality["weeks"]) == 1 and quality["weeks"][0]["gold_compared"] == 24
