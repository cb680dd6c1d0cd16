"""The queue under real concurrency: threads with their own PostgreSQL connections.

SQLite lets one writer in at a time, so there is nothing to race there; these tests run on
PostgreSQL, where assign_next_quote relies on row locks (FOR NO KEY UPDATE SKIP LOCKED).
"""

from collections import Counter

import pytest
from django.db import connection

from annotations.labelling.labels import label_save
from annotations.labelling.queue import assign_next_quote
from annotations.models import Assignment
from tests.concurrency import run_in_threads
from tests.factories import labelling_project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; SQLite serialises writers, so there is no race",
    ),
]

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def test_concurrent_annotators_never_exceed_k_per_quote_nor_get_a_quote_twice():
    k, quote_count, rounds = 2, 10, 5
    project, quotes, annotators = labelling_project(quotes=quote_count, annotators=8, k=k)
    handed_out = []

    def annotate(annotator):
        for _ in range(rounds):
            quote = assign_next_quote(project=project, annotator=annotator)
            if quote is None:
                return
            handed_out.append((quote.id, annotator.id))
            label_save(project=project, quote=quote, annotator=annotator, labels=FULL)

    run_in_threads(annotate, annotators)

    per_quote = Counter(Assignment.objects.values_list("quote_id", flat=True))
    per_pair = Counter(Assignment.objects.values_list("quote_id", "annotator_id"))
    assert max(per_quote.values()) <= k
    assert max(per_pair.values()) == 1
    # 8 annotators × 5 rounds ask for 40 quotes but only 10 × k places exist: every place is
    # filled, every assignment submitted, and nothing was handed out that is not recorded.
    assert per_quote == {quote.id: k for quote in quotes}
    assert set(Assignment.objects.values_list("status", flat=True)) == {"submitted"}
    assert Counter(handed_out) == per_pair


def test_concurrent_calls_by_one_annotator_give_one_open_quote():
    project, _, (annotator, _) = labelling_project(quotes=5)
    results = []

    run_in_threads(
        lambda _: results.append(assign_next_quote(project=project, annotator=annotator)),
        range(6),
    )

    assert len({quote.id for quote in results}) == 1
    assert Assignment.objects.filter(annotator=annotator).count() == 1


def test_concurrent_callers_for_the_last_place_leave_exactly_k():
    k = 3
    project, (quote,), annotators = labelling_project(quotes=1, annotators=8, k=k)
    results = []

    run_in_threads(
        lambda annotator: results.append(assign_next_quote(project=project, annotator=annotator)),
        annotators,
    )

    assert sum(result == quote for result in results) == k
    assert results.count(None) == len(annotators) - k
    assert Assignment.objects.filter(quote=quote).count() == k
