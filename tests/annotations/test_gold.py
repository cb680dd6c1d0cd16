"""Gold labels: a reviewer's adjudication, and unanimous gold resolved automatically."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations.labelling.gold import gold_auto_resolve, gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.models import Gold
from tests.factories import ArticleFactory, QuoteFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def member(project, role):
    user = UserFactory()
    membership_set(project=project, user=user, role=role)
    return user


def gold_of(project, quote):
    return {
        gold.dimension.key: (gold.method, sorted(c.value for c in gold.choices.all()))
        for gold in Gold.objects.filter(project=project, quote=quote)
    }


@pytest.mark.parametrize("role", ["reviewer", "manager"])
def test_reviewers_and_managers_set_gold_with_method_reviewer(role):
    project, (quote, *_), _ = labelling_project()
    user = member(project, role)
    gold = gold_set(
        project=project, quote=quote, dimension_key="stance", values="against", reviewer=user
    )
    assert (gold.method, gold.decided_by) == ("reviewer", user)
    assert gold_of(project, quote) == {"stance": ("reviewer", ["against"])}


def test_annotator_cannot_set_gold():
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(PermissionDenied):
        gold_set(project=project, quote=quote, dimension_key="stance", values="favor", reviewer=ann)
    assert not Gold.objects.exists()


def test_non_member_cannot_set_gold():
    project, (quote, *_), _ = labelling_project()
    with pytest.raises(PermissionDenied):
        gold_set(
            project=project,
            quote=quote,
            dimension_key="stance",
            values="favor",
            reviewer=UserFactory(),
        )


def test_setting_gold_again_replaces_the_value():
    project, (quote, *_), _ = labelling_project()
    reviewer = member(project, "reviewer")
    for value in ("favor", "neutral"):
        gold_set(
            project=project, quote=quote, dimension_key="stance", values=value, reviewer=reviewer
        )
    assert gold_of(project, quote) == {"stance": ("reviewer", ["neutral"])}


def test_reviewer_gold_replaces_unanimous_gold():
    project, (quote, *_), (ann1, ann2) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL)
    reviewer = member(project, "reviewer")
    gold_set(
        project=project, quote=quote, dimension_key="stance", values="unclear", reviewer=reviewer
    )
    assert gold_of(project, quote)["stance"] == ("reviewer", ["unclear"])


@pytest.mark.parametrize(
    ("dimension_key", "values", "errors"),
    [
        ("stanse", "favor", {"dimension_key": ["unknown dimension 'stanse'"]}),
        ("stance", "maybe", {"values": ["unknown choice 'maybe' for 'stance'"]}),
        ("stance", "", {"values": ["choose at least one value"]}),
        ("stance", 3, {"values": ["'stance' needs a choice value, not 3"]}),
        ("stance", ["favor", "against"], {"values": ["'stance' takes one choice, not 2"]}),
    ],
)
def test_bad_gold_input_is_refused_with_field_errors(dimension_key, values, errors):
    project, (quote, *_), _ = labelling_project()
    with pytest.raises(ValidationError) as error:
        gold_set(
            project=project,
            quote=quote,
            dimension_key=dimension_key,
            values=values,
            reviewer=member(project, "reviewer"),
        )
    assert error.value.message_dict == errors


def test_gold_for_a_quote_outside_the_project_is_refused():
    project, _, _ = labelling_project()
    stray = QuoteFactory(article=ArticleFactory(), content_start=0, content_end=7)
    with pytest.raises(ValidationError) as error:
        gold_set(
            project=project,
            quote=stray,
            dimension_key="stance",
            values="favor",
            reviewer=member(project, "reviewer"),
        )
    assert "quote" in error.value.message_dict


def test_auto_resolve_sets_unanimous_gold_once_k_annotators_agree():
    project, (quote, *_), (ann1, ann2) = labelling_project(k=3)
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels={**FULL, "stance": "neutral"})
    assert gold_auto_resolve(project=project) == 0  # two of three is not enough
    project.annotators_per_quote = 2
    project.save()
    assert gold_auto_resolve(project=project) == 2
    assert gold_of(project, quote) == {
        "attribution": ("unanimous", ["accurate"]),
        "sourcing": ("unanimous", ["named-official"]),
    }


def test_auto_resolve_does_not_decide_by_majority():
    project, (quote, *_), (ann1, ann2, ann3) = labelling_project(annotators=3, k=3)
    for annotator, stance in ((ann1, "favor"), (ann2, "favor"), (ann3, "against")):
        label_save(
            project=project, quote=quote, annotator=annotator, labels={**FULL, "stance": stance}
        )
    gold_auto_resolve(project=project)
    assert "stance" not in gold_of(project, quote)


def test_auto_resolve_keeps_reviewer_gold_and_restores_missing_unanimous_gold():
    project, (quote, *_), (ann1, ann2) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL)
    reviewer = member(project, "reviewer")
    gold_set(
        project=project, quote=quote, dimension_key="stance", values="neutral", reviewer=reviewer
    )
    Gold.objects.filter(method="unanimous").delete()
    assert gold_auto_resolve(project=project) == 2
    assert gold_of(project, quote) == {
        "stance": ("reviewer", ["neutral"]),
        "attribution": ("unanimous", ["accurate"]),
        "sourcing": ("unanimous", ["named-official"]),
    }


def test_auto_resolve_drops_unanimous_gold_that_no_longer_holds():
    project, (quote, *_), (ann1, ann2) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL)
    project.annotators_per_quote = 3
    project.save()
    gold_auto_resolve(project=project)
    assert gold_of(project, quote) == {}


def test_changing_k_drops_unanimous_gold_that_rested_on_the_old_k():
    """Two annotators agreed with k = 2; with k = 3 the quote waits for a third, so its
    "unanimous" gold goes (through the service every door calls), and comes back at k = 2."""
    from annotations.labelling.projects import project_update

    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    for annotator in (ann1, ann2):
        label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    assert Gold.objects.filter(quote=quote, method="unanimous").count() == 3
    project_update(project=project, annotators_per_quote=3)
    assert not Gold.objects.filter(quote=quote).exists()
    project_update(project=project, annotators_per_quote=2)
    assert Gold.objects.filter(quote=quote, method="unanimous").count() == 3


def test_changing_k_through_the_api_resyncs_gold_too():
    from rest_framework.test import APIClient

    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    for annotator in (ann1, ann2):
        label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    client = APIClient()
    client.force_authenticate(project.memberships.get(role="manager").user)
    response = client.patch(
        f"/api/v1/projects/{project.id}/", {"annotators_per_quote": 3}, format="json"
    )
    assert response.status_code == 200
    assert not Gold.objects.filter(quote=quote).exists()


def test_a_save_below_k_takes_away_unanimous_gold_left_stale():
    """Gold that rested on a submission since removed behind the services' back (an admin
    deleting the assignment) goes at the next save of the quote, though that save alone
    cannot make k."""
    from annotations.models import Assignment

    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    for annotator in (ann1, ann2):
        label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    assert Gold.objects.filter(quote=quote, method="unanimous").count() == 3
    Assignment.objects.filter(quote=quote, annotator=ann2).delete()

    label_save(project=project, quote=quote, annotator=ann1, labels={**FULL, "stance": "against"})

    assert gold_of(project, quote) == {}


def test_a_save_reads_the_gold_once_with_the_places():
    """A save reads the quote's gold in the statement that reads its places (under the quote's
    lock), not in one of its own: the first of k and the k-th alike; the k-th writes it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    for annotator in (ann1, ann2):
        with CaptureQueriesContext(connection) as queries:
            label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
        reads = [q["sql"] for q in queries if "FROM annotations_gold g" in q["sql"]]
        assert len(reads) == 1
        assert "annotations_assignment a" in reads[0]
    assert gold_of(project, quote) == {key: ("unanimous", [value]) for key, value in FULL.items()}
