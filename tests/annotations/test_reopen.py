"""Skips are not final: an annotator reopens what they skipped or submitted, until a reviewer
settles the quote's gold (assignment_reopen, label_undo_last, label_save)."""

import pytest
from django.core.exceptions import ValidationError

from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.queue import (
    assign_next_quote,
    assignment_reopen,
    assignment_skip,
    label_undo_last,
    my_items,
)
from annotations.models import Assignment, Label, LabelHistory
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
Status = Assignment.Status


def settle(project, quote):
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    gold_set(
        project=project, quote=quote, dimension_key="stance", values="favor", reviewer=reviewer
    )


def test_a_skipped_quote_reopened_is_the_next_one_handed_out():
    project, quotes, (ann, _) = labelling_project()
    skipped = assign_next_quote(project=project, annotator=ann)
    assignment_skip(project=project, annotator=ann, quote=skipped)
    assert assign_next_quote(project=project, annotator=ann) == quotes[1]
    assert assignment_reopen(project=project, annotator=ann, quote=skipped) == skipped
    assert assign_next_quote(project=project, annotator=ann) == skipped
    reopened = Assignment.objects.get(annotator=ann, quote=skipped)
    assert (reopened.status, reopened.completed_at) == (Status.ASSIGNED, None)  # may expire
    label_save(project=project, quote=skipped, annotator=ann, labels=FULL)
    assert assign_next_quote(project=project, annotator=ann) == quotes[1]  # the one left open


def test_a_submitted_quote_reopens_with_its_answers_and_changing_them_keeps_history():
    project, quotes, (ann, _) = labelling_project()
    label_save(project=project, quote=quotes[0], annotator=ann, labels=FULL)
    label_save(project=project, quote=quotes[1], annotator=ann, labels=FULL)
    assignment_reopen(project=project, annotator=ann, quote=quotes[0])
    assert assign_next_quote(project=project, annotator=ann) == quotes[0]
    assert Assignment.objects.get(annotator=ann, quote=quotes[0]).completed_at is not None
    label_save(
        project=project, quote=quotes[0], annotator=ann, labels={**FULL, "stance": "neutral"}
    )
    stance = Label.objects.get(annotator=ann, quote=quotes[0], dimension__key="stance")
    assert list(stance.history.values_list("values", flat=True)) == [["favor"], ["neutral"]]


def test_a_settled_quote_is_neither_reopened_nor_undone_nor_changed():
    project, (quote, *_), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    settle(project, quote)
    for attempt in (
        lambda: assignment_reopen(project=project, annotator=ann, quote=quote),
        lambda: label_undo_last(project=project, annotator=ann),
        lambda: label_save(
            project=project, quote=quote, annotator=ann, labels={**FULL, "stance": "against"}
        ),
    ):
        with pytest.raises(ValidationError, match="settled"):
            attempt()
    assert Assignment.objects.get(annotator=ann).status == Status.SUBMITTED
    assert LabelHistory.objects.count() == 3


def test_first_answers_and_unchanged_resubmissions_are_fine_on_a_settled_quote():
    project, (quote, *_), (ann, _) = labelling_project()
    settle(project, quote)
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    assert LabelHistory.objects.count() == 3


def test_unanimous_gold_settles_nothing():
    project, (quote, *_), (ann1, ann2) = labelling_project(k=2)
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL)
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL)
    assert assignment_reopen(project=project, annotator=ann1, quote=quote) == quote


def test_a_skipped_quote_that_found_its_annotators_cannot_be_reopened():
    project, (quote, *_), (ann1, ann2) = labelling_project(k=1, annotators=2)
    assign_next_quote(project=project, annotator=ann1)
    assignment_skip(project=project, annotator=ann1, quote=quote)
    assert assign_next_quote(project=project, annotator=ann2) == quote
    with pytest.raises(ValidationError, match="found its 1 annotators"):
        assignment_reopen(project=project, annotator=ann1, quote=quote)


def test_a_quote_never_had_cannot_be_reopened():
    project, (quote, *_), (ann, _) = labelling_project()
    with pytest.raises(ValidationError, match="nothing to reopen"):
        assignment_reopen(project=project, annotator=ann, quote=quote)


def test_my_items_lists_what_i_had_with_answers_and_counts(django_assert_max_num_queries):
    project, quotes, (ann, other) = labelling_project(quotes=4)
    label_save(project=project, quote=quotes[0], annotator=ann, labels=FULL)
    label_save(project=project, quote=quotes[1], annotator=ann, labels=FULL)
    settle(project, quotes[1])
    skipped = assign_next_quote(project=project, annotator=ann)
    assignment_skip(project=project, annotator=ann, quote=skipped)
    label_save(project=project, quote=quotes[3], annotator=other, labels=FULL)  # not mine
    with django_assert_max_num_queries(6):
        _, items, counts = my_items(project=project, annotator=ann)
        rows = {item.assignment.quote_id: item for item in items}
        [str(item.assignment.quote.article.title) for item in items]
    assert counts == {"assigned": 0, "submitted": 2, "skipped": 1}
    assert set(rows) == {quotes[0].id, quotes[1].id, skipped.id}
    assert rows[skipped.id].can_reopen and rows[skipped.id].answers == []
    assert rows[quotes[1].id].settled and not rows[quotes[1].id].can_reopen
    assert [(d.key, [c.value for c in cs]) for d, cs in rows[quotes[0].id].answers] == [
        ("stance", ["favor"]),
        ("attribution", ["accurate"]),
        ("sourcing", ["named-official"]),
    ]
    _, only_skipped, _ = my_items(project=project, annotator=ann, status=Status.SKIPPED)
    assert [item.assignment.quote_id for item in only_skipped] == [skipped.id]
