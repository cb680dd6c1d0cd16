"""The queue: "next quote for me", skipping, expiry and undo."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.queue import assign_next_quote, assignment_skip, label_undo_last
from annotations.models import Assignment, Gold, Label, LabelHistory
from tests.factories import ArticleFactory, QuoteFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def submit(project, quote, annotator, **changes):
    return label_save(project=project, quote=quote, annotator=annotator, labels={**FULL, **changes})


def backdate(project, annotator, minutes):
    Assignment.objects.filter(project=project, annotator=annotator).update(
        assigned_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_first_call_assigns_the_first_quote_in_text_order():
    project, quotes, (ann, _) = labelling_project()
    assert assign_next_quote(project=project, annotator=ann) == quotes[0]
    assignment = Assignment.objects.get(annotator=ann)
    assert (assignment.quote, assignment.status) == (quotes[0], Assignment.Status.ASSIGNED)


def test_open_assignment_is_returned_again_until_it_is_submitted():
    project, quotes, (ann, _) = labelling_project()
    first = assign_next_quote(project=project, annotator=ann)
    assert assign_next_quote(project=project, annotator=ann) == first
    assert Assignment.objects.filter(annotator=ann).count() == 1
    submit(project, first, ann)
    assert assign_next_quote(project=project, annotator=ann) == quotes[1]


def test_an_annotator_never_gets_a_quote_twice_and_then_gets_none():
    project, quotes, (ann, _) = labelling_project(quotes=3)
    seen = []
    while (quote := assign_next_quote(project=project, annotator=ann)) is not None:
        seen.append(quote)
        submit(project, quote, ann)
    assert seen == quotes


def test_quotes_started_by_others_come_before_untouched_ones():
    project, (first, second, _), (ann1, ann2) = labelling_project(quotes=3, k=2)
    assign_next_quote(project=project, annotator=ann1)
    assignment_skip(project=project, annotator=ann1, quote=first)
    assert assign_next_quote(project=project, annotator=ann1) == second
    assert assign_next_quote(project=project, annotator=ann2) == second


def test_the_quote_closest_to_k_comes_first():
    project, (_, second, third), (ann1, ann2, ann3) = labelling_project(quotes=3, annotators=3, k=3)
    submit(project, third, ann1)
    submit(project, third, ann2)
    submit(project, second, ann1)
    assert assign_next_quote(project=project, annotator=ann3) == third


def test_a_quote_is_never_handed_to_more_than_k_annotators():
    project, (quote,), annotators = labelling_project(quotes=1, annotators=3, k=2)
    assert assign_next_quote(project=project, annotator=annotators[0]) == quote
    assert assign_next_quote(project=project, annotator=annotators[1]) == quote
    assert assign_next_quote(project=project, annotator=annotators[2]) is None
    assert Assignment.objects.filter(quote=quote).count() == 2


def test_articles_come_in_id_order_and_quotes_by_offset_within_them():
    project, quotes, (ann, _) = labelling_project(quotes=2, k=1)
    later = ArticleFactory()
    project.articles.add(later)
    late_quote = QuoteFactory(article=later, content_start=0, content_end=7)
    order = []
    while (quote := assign_next_quote(project=project, annotator=ann)) is not None:
        order.append(quote)
        submit(project, quote, ann)
    assert order == [*quotes, late_quote]


def test_rejected_quotes_and_quotes_outside_the_project_are_never_offered():
    project, (first, second), (ann, _) = labelling_project(quotes=2)
    first.is_rejected = True
    first.save()
    QuoteFactory(article=ArticleFactory(), content_start=0, content_end=7)  # not in the project
    assert assign_next_quote(project=project, annotator=ann) == second
    submit(project, second, ann)
    assert assign_next_quote(project=project, annotator=ann) is None


def test_expired_assignment_returns_to_the_pool_and_no_longer_counts():
    project, (quote, other), (slow, fast) = labelling_project(quotes=2, k=1)
    assert assign_next_quote(project=project, annotator=slow) == quote
    backdate(project, slow, project.assignment_timeout_minutes + 1)
    assert assign_next_quote(project=project, annotator=fast) == quote
    assert not Assignment.objects.filter(annotator=slow, quote=quote).exists()
    # Back at last, the slow annotator finds the quote taken and moves on.
    assert assign_next_quote(project=project, annotator=slow) == other


def test_annotator_back_after_the_timeout_gets_the_quote_again_if_it_is_still_free():
    project, (quote, _), (slow, _) = labelling_project(quotes=2, k=1)
    assign_next_quote(project=project, annotator=slow)
    backdate(project, slow, project.assignment_timeout_minutes + 1)
    assert assign_next_quote(project=project, annotator=slow) == quote
    assignment = Assignment.objects.get(annotator=slow)
    assert timezone.now() - assignment.assigned_at < datetime.timedelta(minutes=1)


def test_late_labels_for_a_quote_given_to_someone_else_are_refused():
    project, (quote, _), (slow, fast) = labelling_project(quotes=2, k=1)
    assign_next_quote(project=project, annotator=slow)
    backdate(project, slow, project.assignment_timeout_minutes + 1)
    assign_next_quote(project=project, annotator=fast)
    with pytest.raises(ValidationError) as error:
        submit(project, quote, slow)
    assert "quote" in error.value.message_dict


def test_skipped_quote_is_not_offered_to_that_annotator_again():
    project, (first, second), (ann, _) = labelling_project(quotes=2)
    assert assign_next_quote(project=project, annotator=ann) == first
    assignment = assignment_skip(project=project, annotator=ann, quote=first)
    assert assignment.status == Assignment.Status.SKIPPED
    assert assign_next_quote(project=project, annotator=ann) == second
    submit(project, second, ann)
    assert assign_next_quote(project=project, annotator=ann) is None


def test_skipping_frees_the_place_for_another_annotator():
    project, (quote,), (ann1, ann2) = labelling_project(quotes=1, k=1)
    assign_next_quote(project=project, annotator=ann1)
    assert assign_next_quote(project=project, annotator=ann2) is None
    assignment_skip(project=project, annotator=ann1, quote=quote)
    assert assign_next_quote(project=project, annotator=ann2) == quote


def test_skipping_a_quote_someone_else_holds_is_refused_and_changes_nothing():
    project, (quote, _), (owner, intruder) = labelling_project(quotes=2)
    assign_next_quote(project=project, annotator=owner)
    with pytest.raises(ValidationError) as error:
        assignment_skip(project=project, annotator=intruder, quote=quote)
    assert error.value.message_dict == {"quote": ["You have no open assignment for this quote."]}
    assert Assignment.objects.get(quote=quote).status == Assignment.Status.ASSIGNED


def test_skipping_a_submitted_quote_is_refused():
    project, (quote, _), (ann, _) = labelling_project(quotes=2)
    submit(project, quote, ann)
    with pytest.raises(ValidationError):
        assignment_skip(project=project, annotator=ann, quote=quote)
    assert Assignment.objects.get(annotator=ann).status == Assignment.Status.SUBMITTED


def test_undo_reopens_the_last_submission_with_its_labels_kept():
    project, (first, second, _), (ann, _) = labelling_project(quotes=3)
    submit(project, first, ann)
    submit(project, second, ann, stance="against")
    assert label_undo_last(project=project, annotator=ann) == second
    assignment = Assignment.objects.get(annotator=ann, quote=second)
    assert assignment.status == Assignment.Status.ASSIGNED
    assert Label.objects.filter(annotator=ann, quote=second).count() == 3
    assert assign_next_quote(project=project, annotator=ann) == second


def test_resubmitting_after_undo_appends_to_the_history():
    project, (quote, *_), (ann, _) = labelling_project()
    submit(project, quote, ann)
    label_undo_last(project=project, annotator=ann)
    submit(project, quote, ann, stance="neutral")
    history = LabelHistory.objects.filter(label__dimension__key="stance").values_list(
        "values", flat=True
    )
    assert list(history) == [["favor"], ["neutral"]]
    assert Assignment.objects.get(annotator=ann).status == Assignment.Status.SUBMITTED


def test_undo_with_nothing_submitted_returns_none():
    project, _, (ann, _) = labelling_project()
    assert label_undo_last(project=project, annotator=ann) is None


def test_undo_only_reopens_the_callers_own_submission():
    project, (quote, *_), (ann1, ann2) = labelling_project()
    submit(project, quote, ann1)
    assert label_undo_last(project=project, annotator=ann2) is None
    assert Assignment.objects.get(annotator=ann1).status == Assignment.Status.SUBMITTED


def test_reopened_assignment_does_not_expire():
    project, (quote, _), (ann1, ann2) = labelling_project(quotes=2, k=1)
    submit(project, quote, ann1)
    label_undo_last(project=project, annotator=ann1)
    backdate(project, ann1, project.assignment_timeout_minutes + 10)
    assert assign_next_quote(project=project, annotator=ann2) != quote


def test_undo_withdraws_unanimous_gold_until_the_quote_is_submitted_again():
    project, (quote, *_), (ann1, ann2) = labelling_project()
    submit(project, quote, ann1)
    submit(project, quote, ann2)
    assert Gold.objects.filter(quote=quote).count() == 3
    label_undo_last(project=project, annotator=ann2)
    assert not Gold.objects.filter(quote=quote).exists()
    submit(project, quote, ann2)
    assert Gold.objects.filter(quote=quote).count() == 3


def test_non_member_gets_no_quote():
    project, _, _ = labelling_project()
    with pytest.raises(PermissionDenied):
        assign_next_quote(project=project, annotator=UserFactory())
    assert not Assignment.objects.exists()


def test_reviewer_may_take_quotes_from_the_queue():
    project, (quote, *_), _ = labelling_project()
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    assert assign_next_quote(project=project, annotator=reviewer) == quote
