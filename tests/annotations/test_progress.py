"""Progress: the project's submissions against quotes × k, and each annotator's own count."""

import pytest

from annotations.labelling.labels import label_save
from annotations.labelling.progress import annotator_progress, project_progress
from annotations.labelling.queue import assign_next_quote, assignment_skip
from tests.factories import labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def test_empty_project_has_nothing_done():
    project, _, _ = labelling_project(quotes=0)
    progress = project_progress(project=project)
    assert (progress.quotes, progress.needed, progress.done, progress.percent) == (0, 0, 0, 0.0)


def test_project_progress_counts_submissions_against_quotes_times_k():
    project, quotes, (a, b) = labelling_project(quotes=4, k=2)
    label_save(project=project, quote=quotes[0], annotator=a, labels=FULL)
    label_save(project=project, quote=quotes[0], annotator=b, labels=FULL)
    label_save(project=project, quote=quotes[1], annotator=a, labels=FULL)
    assign_next_quote(project=project, annotator=b)  # open, not done
    quotes[3].is_rejected = True  # a rejected quote needs no labels
    quotes[3].save()
    progress = project_progress(project=project)
    assert (progress.quotes, progress.needed, progress.done, progress.quotes_complete) == (
        3,
        6,
        3,
        1,
    )
    assert progress.percent == pytest.approx(50.0)


def test_submissions_beyond_k_do_not_count_twice():
    project, (quote,), (a, b) = labelling_project(quotes=1, k=2)
    label_save(project=project, quote=quote, annotator=a, labels=FULL)
    label_save(project=project, quote=quote, annotator=b, labels=FULL)
    project.annotators_per_quote = 1
    project.save()
    assert project_progress(project=project).done == 1


def test_annotator_progress_counts_mine_against_what_is_available_to_me():
    project, quotes, (a, b) = labelling_project(quotes=4, k=1)
    label_save(project=project, quote=quotes[0], annotator=a, labels=FULL)
    label_save(project=project, quote=quotes[1], annotator=b, labels=FULL)  # taken by b
    assert assign_next_quote(project=project, annotator=a) == quotes[2]
    assignment_skip(project=project, annotator=a, quote=quotes[2])
    mine = annotator_progress(project=project, annotator=a)
    # Submitted q0; skipped q2; q1 is b's; q3 is still in the pool for me.
    assert (mine.submitted, mine.assigned, mine.skipped, mine.available) == (1, 0, 1, 2)
    assert mine.remaining == 1


@pytest.mark.parametrize("quote_count", [1, 15])
def test_progress_takes_a_fixed_number_of_queries(quote_count, django_assert_num_queries):
    project, quotes, (a, b) = labelling_project(quotes=quote_count)
    for quote in quotes:
        label_save(project=project, quote=quote, annotator=a, labels=FULL)
    with django_assert_num_queries(1):
        project_progress(project=project)
    with django_assert_num_queries(1):
        annotator_progress(project=project, annotator=b)
