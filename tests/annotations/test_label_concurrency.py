"""Label saves under real concurrency: threads with their own PostgreSQL connections.

label_save locks the quote's row before it reads the caller's labels, so concurrent saves on
one quote take turns: each leaves one Label per (quote, annotator, dimension) and one complete
LabelHistory row per dimension it changed. SQLite lets one writer in at a time, so these run on
PostgreSQL only.
"""

from collections import Counter, defaultdict

import pytest
from django.db import connection

from annotations.labelling.labels import label_save
from annotations.models import Assignment, Label, LabelHistory
from tests.concurrency import run_in_threads
from tests.factories import labelling_project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; SQLite serialises writers, so there is no race",
    ),
]

STANCES = ["favor", "against", "neutral", "unclear"]


def labels_for(number: int) -> dict[str, str]:
    return {
        "stance": STANCES[number % 4],
        "attribution": "accurate",
        "sourcing": "named-official",
    }


def history_by_dimension(annotator) -> dict[str, list[LabelHistory]]:
    rows = defaultdict(list)
    for row in LabelHistory.objects.filter(label__annotator=annotator).select_related(
        "label__dimension"
    ):
        rows[row.label.dimension.key].append(row)
    return rows


def test_concurrent_saves_by_one_annotator_keep_one_label_and_every_change():
    project, (quote,), (annotator, _) = labelling_project(quotes=1)
    saves = list(range(10))

    # Every save changes its note, so every save is a change on every dimension.
    run_in_threads(
        lambda number: label_save(
            project=project,
            quote=quote,
            annotator=annotator,
            labels=labels_for(number),
            note=f"save {number}",
        ),
        saves,
    )

    labels = Label.objects.filter(quote=quote, annotator=annotator).select_related("dimension")
    assert sorted(label.dimension.key for label in labels) == [
        "attribution",
        "sourcing",
        "stance",
    ]
    history = history_by_dimension(annotator)
    for key, rows in history.items():
        # One entry per save, each complete (values, note, who) and consistent with its save.
        assert sorted(row.note for row in rows) == sorted(f"save {n}" for n in saves), key
        for row in rows:
            number = int(row.note.removeprefix("save "))
            assert row.values == [labels_for(number)[key]]
            assert row.changed_by_id == annotator.id
    # The label's current state is the last save's.
    last = max(history["stance"], key=lambda row: (row.changed_at, row.id))
    stance = labels.get(dimension__key="stance")
    assert stance.note == last.note
    assert [choice.value for choice in stance.choices.all()] == last.values
    assert Assignment.objects.filter(quote=quote, annotator=annotator).count() == 1


def test_concurrent_saves_by_different_annotators_lose_nothing():
    rounds = 4
    project, (quote,), annotators = labelling_project(quotes=1, annotators=6, k=6)

    def annotate(annotator):
        for number in range(rounds):
            label_save(
                project=project,
                quote=quote,
                annotator=annotator,
                labels=labels_for(number),
                note=f"{annotator.username} round {number}",
            )

    run_in_threads(annotate, annotators)

    per_key = Counter(Label.objects.filter(quote=quote).values_list("annotator_id", "dimension_id"))
    assert len(per_key) == len(annotators) * 3
    assert set(per_key.values()) == {1}
    for annotator in annotators:
        history = history_by_dimension(annotator)
        assert set(history) == {"stance", "attribution", "sourcing"}
        for rows in history.values():
            assert sorted(row.note for row in rows) == [
                f"{annotator.username} round {n}" for n in range(rounds)
            ]
    assert Assignment.objects.filter(quote=quote, status="submitted").count() == len(annotators)


def test_concurrent_first_saves_for_the_last_place_admit_exactly_k():
    project, (quote,), annotators = labelling_project(quotes=1, annotators=8, k=3)
    admitted = []

    def annotate(annotator):
        try:
            label_save(project=project, quote=quote, annotator=annotator, labels=labels_for(0))
            admitted.append(annotator.id)
        except Exception as error:  # noqa: BLE001 — only "already has its k" may be refused
            assert "already has its 3 annotators" in str(error), error

    run_in_threads(annotate, annotators)

    assert len(admitted) == 3
    assert set(Label.objects.filter(quote=quote).values_list("annotator_id", flat=True)) == set(
        admitted
    )
    assert LabelHistory.objects.filter(label__quote=quote).count() == 3 * 3
