"""Saving one person's labels for one quote: validation, history, assignment and unanimous gold."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.models import Assignment, Gold, Label, LabelHistory
from tests.factories import ArticleFactory, QuoteFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def answers(labels):
    return {label.dimension.key: label.values for label in labels}


def test_saves_one_label_per_dimension_with_the_chosen_values():
    project, (quote, *_), (ann, _) = labelling_project()
    labels = label_save(project=project, quote=quote, annotator=ann, labels=FULL, note="clear")
    assert answers(labels) == {
        "stance": ["favor"],
        "attribution": ["accurate"],
        "sourcing": ["named-official"],
    }
    assert {label.note for label in labels} == {"clear"}


def test_saving_marks_the_assignment_submitted_creating_it_when_missing():
    project, (quote, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    assignment = Assignment.objects.get(project=project, quote=quote, annotator=ann)
    assert assignment.status == Assignment.Status.SUBMITTED
    assert assignment.completed_at is not None


def test_saving_again_updates_the_labels_and_keeps_every_version_in_history():
    project, (quote, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    label_save(
        project=project,
        quote=quote,
        annotator=ann,
        labels={**FULL, "stance": "against"},
        note="on second reading",
    )
    stance = Label.objects.get(project=project, quote=quote, annotator=ann, dimension__key="stance")
    assert [c.value for c in stance.choices.all()] == ["against"]
    assert Label.objects.filter(project=project, quote=quote, annotator=ann).count() == 3
    history = list(stance.history.values_list("values", "note", "changed_by"))
    assert history == [(["favor"], "", ann.id), (["against"], "on second reading", ann.id)]


def test_unchanged_labels_get_no_new_history_row():
    project, (quote, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann, labels={**FULL, "stance": "neutral"})
    per_dimension = dict(
        LabelHistory.objects.filter(label__annotator=ann)
        .values_list("label__dimension__key")
        .annotate(n=Count("id"))
    )
    assert per_dimension == {"stance": 2, "attribution": 1, "sourcing": 1}


def test_multiple_choice_dimension_takes_a_list_of_values():
    project, (quote, *_), (ann, _) = labelling_project()
    project.dimensions.filter(key="sourcing").update(multiple=True)
    labels = label_save(
        project=project,
        quote=quote,
        annotator=ann,
        labels={**FULL, "sourcing": ["document", "anonymous", "document"]},
    )
    assert answers(labels)["sourcing"] == ["anonymous", "document"]


def test_unknown_dimensions_and_choices_are_all_named_and_nothing_is_written():
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(ValidationError) as error:
        label_save(
            project=project,
            quote=quote,
            annotator=ann,
            labels={**FULL, "stanse": "favor", "stance": "maybe"},
        )
    assert sorted(error.value.message_dict["labels"]) == [
        "unknown choice 'maybe' for 'stance'",
        "unknown dimension 'stanse'",
    ]
    assert not Label.objects.exists()
    assert not Assignment.objects.exists()


def test_archived_dimension_and_archived_choice_are_refused():
    project, (quote, *_), (ann, _) = labelling_project()
    project.dimensions.filter(key="sourcing").update(archived=True)
    project.dimensions.get(key="stance").choices.filter(value="unclear").update(archived=True)
    with pytest.raises(ValidationError) as error:
        label_save(
            project=project,
            quote=quote,
            annotator=ann,
            labels={**FULL, "stance": "unclear"},
        )
    assert error.value.message_dict == {
        "labels": ["archived choice 'unclear' for 'stance'", "archived dimension 'sourcing'"]
    }


def test_missing_required_dimension_is_refused():
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(ValidationError) as error:
        label_save(project=project, quote=quote, annotator=ann, labels={"stance": "favor"})
    assert error.value.message_dict == {
        "labels": [
            "missing required dimension 'attribution'",
            "missing required dimension 'sourcing'",
        ]
    }
    assert not Label.objects.exists()


def test_optional_dimension_may_be_left_out():
    project, (quote, *_), (ann, _) = labelling_project()
    project.dimensions.filter(key="sourcing").update(required=False)
    labels = label_save(
        project=project,
        quote=quote,
        annotator=ann,
        labels={"stance": "favor", "attribution": "accurate"},
    )
    assert set(answers(labels)) == {"stance", "attribution"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "'stance' needs a choice value, not 5"),
        (None, "'stance' needs a choice value, not None"),
        ({"favor": True}, "'stance' needs a choice value, not {'favor': True}"),
        (["favor", "against"], "'stance' takes one choice, not 2"),
        ([1], "'stance' needs a choice value, not [1]"),
    ],
)
def test_answers_of_the_wrong_type_or_shape_are_refused(value, message):
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(ValidationError) as error:
        label_save(project=project, quote=quote, annotator=ann, labels={**FULL, "stance": value})
    assert error.value.message_dict == {"labels": [message]}


def test_labels_that_are_not_a_mapping_are_refused():
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(ValidationError) as error:
        label_save(project=project, quote=quote, annotator=ann, labels=["favor"])
    assert error.value.message_dict == {
        "labels": ["labels must map dimension keys to choice values"]
    }


def test_quote_outside_the_project_is_refused():
    project, _, (ann, _) = labelling_project()
    stray = QuoteFactory(article=ArticleFactory(), content_start=0, content_end=7)
    with pytest.raises(ValidationError) as error:
        label_save(project=project, quote=stray, annotator=ann, labels=FULL)
    assert error.value.message_dict == {"quote": ["This quote is not in the project."]}


def test_rejected_quote_is_refused():
    project, (quote, *_), (ann, _) = labelling_project()
    quote.is_rejected = True
    quote.save()
    with pytest.raises(ValidationError) as error:
        label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    assert "quote" in error.value.message_dict


def test_non_member_cannot_label():
    project, (quote, *_), _ = labelling_project()
    with pytest.raises(PermissionDenied):
        label_save(project=project, quote=quote, annotator=UserFactory(), labels=FULL)
    assert not Label.objects.exists()


@pytest.mark.parametrize("role", ["reviewer", "manager"])
def test_reviewers_and_managers_may_label_too(role):
    project, (quote, *_), _ = labelling_project()
    user = UserFactory()
    membership_set(project=project, user=user, role=role)
    assert len(label_save(project=project, quote=quote, annotator=user, labels=FULL)) == 3


def test_quote_that_already_has_k_annotators_takes_no_more():
    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    late = UserFactory()
    membership_set(project=project, user=late, role="annotator")
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL)
    with pytest.raises(ValidationError) as error:
        label_save(project=project, quote=quote, annotator=late, labels=FULL)
    assert "quote" in error.value.message_dict
    assert not Label.objects.filter(annotator=late).exists()


def test_note_that_is_too_long_is_refused():
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(ValidationError) as error:
        label_save(project=project, quote=quote, annotator=ann, labels=FULL, note="x" * 5001)
    assert "note" in error.value.message_dict


def test_k_agreeing_annotators_make_unanimous_gold_on_the_dimensions_they_agree_on():
    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    assert not Gold.objects.exists()  # one of two is not unanimity yet
    label_save(project=project, quote=quote, annotator=ann2, labels={**FULL, "stance": "against"})
    gold = {
        g.dimension.key: (g.method, [c.value for c in g.choices.all()])
        for g in Gold.objects.filter(project=project, quote=quote)
    }
    assert gold == {
        "attribution": ("unanimous", ["accurate"]),
        "sourcing": ("unanimous", ["named-official"]),
    }


def test_unanimous_gold_goes_when_an_annotator_changes_their_mind():
    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL)
    assert Gold.objects.filter(dimension__key="stance").exists()
    label_save(project=project, quote=quote, annotator=ann2, labels={**FULL, "stance": "neutral"})
    assert not Gold.objects.filter(dimension__key="stance").exists()


def test_unanimous_labels_never_overwrite_reviewer_gold():
    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    gold_set(
        project=project, quote=quote, dimension_key="stance", values="neutral", reviewer=reviewer
    )
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL)
    stance = Gold.objects.get(dimension__key="stance")
    assert stance.method == "reviewer"
    assert [c.value for c in stance.choices.all()] == ["neutral"]


def test_clearing_an_optional_dimension_keeps_its_history():
    project, (quote, *_), (ann, _) = labelling_project()
    project.dimensions.filter(key="sourcing").update(required=False)
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann, labels={**FULL, "sourcing": ""})
    sourcing = Label.objects.get(annotator=ann, dimension__key="sourcing")
    assert list(sourcing.choices.all()) == []
    assert list(sourcing.history.values_list("values", flat=True)) == [["named-official"], []]


def test_an_optional_dimension_left_empty_creates_no_label():
    project, (quote, *_), (ann, _) = labelling_project()
    project.dimensions.filter(key="sourcing").update(required=False)
    label_save(project=project, quote=quote, annotator=ann, labels={**FULL, "sourcing": []})
    assert not Label.objects.filter(dimension__key="sourcing").exists()
