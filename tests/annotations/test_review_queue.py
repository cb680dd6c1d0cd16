"""The review queue: disagreements without reviewer gold, worst first, labels side by side."""

import pytest

from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.review import review_queue
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def save(project, quote, annotator, **changes):
    label_save(project=project, quote=quote, annotator=annotator, labels={**FULL, **changes})


def reviewer_of(project):
    user = UserFactory()
    membership_set(project=project, user=user, role="reviewer")
    return user


def test_only_quotes_with_disagreement_are_listed_worst_first():
    project, (agreed, mild, worst), (a, b) = labelling_project(quotes=3)
    for quote in (agreed, mild, worst):
        save(project, quote, a)
    save(project, agreed, b)
    save(project, mild, b, stance="against")
    save(project, worst, b, stance="against", sourcing="anonymous")
    items = review_queue(project=project)
    assert [item.quote for item in items] == [worst, mild]
    assert items[0].disagreeing_dimensions == ["stance", "sourcing"]
    assert items[0].agreement.mean == pytest.approx((0.5 + 1 + 0.5) / 3)


def test_each_annotators_labels_and_notes_come_side_by_side():
    project, (quote, *_), (a, b) = labelling_project()
    label_save(project=project, quote=quote, annotator=a, labels=FULL, note="clearly for")
    save(project, quote, b, stance="neutral")
    (item,) = review_queue(project=project)
    side_by_side = {entry.annotator: entry.values["stance"] for entry in item.annotators}
    assert side_by_side == {a: ["favor"], b: ["neutral"]}
    notes = {entry.annotator: entry.notes["stance"] for entry in item.annotators}
    assert notes == {a: "clearly for", b: ""}


def test_quote_leaves_the_queue_once_every_disagreement_has_reviewer_gold():
    project, (quote, *_), (a, b) = labelling_project()
    save(project, quote, a)
    save(project, quote, b, stance="against", sourcing="none")
    reviewer = reviewer_of(project)
    gold_set(
        project=project, quote=quote, dimension_key="stance", values="favor", reviewer=reviewer
    )
    (item,) = review_queue(project=project)
    assert item.disagreeing_dimensions == ["sourcing"]
    assert item.gold["stance"].method == "reviewer"
    gold_set(
        project=project, quote=quote, dimension_key="sourcing", values="none", reviewer=reviewer
    )
    assert review_queue(project=project) == []


def test_limit_keeps_the_worst():
    project, quotes, (a, b) = labelling_project(quotes=3)
    for quote in quotes:
        save(project, quote, a)
    save(project, quotes[0], b, stance="against")
    save(project, quotes[1], b, stance="against", attribution="unnamed")
    save(project, quotes[2], b, stance="against")
    assert [item.quote for item in review_queue(project=project, limit=1)] == [quotes[1]]


@pytest.mark.parametrize("quote_count", [1, 12])
def test_query_count_does_not_grow_with_the_number_of_quotes(
    quote_count, django_assert_max_num_queries
):
    project, quotes, (a, b) = labelling_project(quotes=quote_count)
    for quote in quotes:
        save(project, quote, a)
        save(project, quote, b, stance="against")
    gold_set(
        project=project,
        quote=quotes[0],
        dimension_key="attribution",
        values="accurate",
        reviewer=reviewer_of(project),
    )
    with django_assert_max_num_queries(8):
        items = review_queue(project=project)
        for item in items:  # reading what a page shows must not query either
            for entry in item.annotators:
                str(entry.annotator)
            str(item.quote.article.title)
            [gold.choices.all()[0].value for gold in item.gold.values()]
    assert len(items) == quote_count
