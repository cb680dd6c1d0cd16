"""Label.choice_ids and Gold.choice_ids follow the choices whoever writes them (triggers of
migration 0009): a save, a changed answer, the ORM adding and removing choices, none left."""

import pytest

from annotations.labelling.labels import label_save
from annotations.models import Choice, Gold, Label
from tests.factories import labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def stored_and_actual(row: Label | Gold) -> tuple[str, str]:
    row.refresh_from_db()
    actual = " ".join(str(id_) for id_ in row.choices.order_by("id").values_list("id", flat=True))
    return row.choice_ids, actual


def test_a_saved_label_holds_its_choice_ids():
    project, (quote, *_), (annotator, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    labels = list(Label.objects.filter(quote=quote))
    assert len(labels) == 3
    for label in labels:
        stored, actual = stored_and_actual(label)
        assert stored == actual != ""


def test_a_changed_answer_changes_the_choice_ids():
    project, (quote, *_), (annotator, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    label_save(
        project=project, quote=quote, annotator=annotator, labels=FULL | {"stance": "against"}
    )
    label = Label.objects.get(quote=quote, dimension__key="stance")
    against = Choice.objects.get(
        dimension__key="stance", dimension__project=project, value="against"
    )
    assert stored_and_actual(label) == (str(against.id), str(against.id))


def test_choices_written_through_the_orm_are_followed():
    project, (quote, *_), (annotator, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    label = Label.objects.get(quote=quote, dimension__key="stance")
    others = list(
        Choice.objects.filter(dimension=label.dimension).exclude(labels=label).order_by("-id")[:2]
    )
    label.choices.add(*others)
    stored, actual = stored_and_actual(label)
    assert stored == actual and len(stored.split(" ")) == 3
    label.choices.clear()
    assert stored_and_actual(label) == ("", "")


def test_gold_holds_its_choice_ids_as_they_change():
    project, (quote, *_), annotators = labelling_project()
    for annotator in annotators:  # both agree: unanimous gold on every question
        label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    gold = Gold.objects.get(quote=quote, dimension__key="stance")
    stored, actual = stored_and_actual(gold)
    assert stored == actual != ""
    other = Choice.objects.filter(dimension=gold.dimension).exclude(gold_labels=gold).first()
    gold.choices.set([other])
    assert stored_and_actual(gold) == (str(other.id), str(other.id))


def test_a_choice_row_changed_in_place_is_followed_on_both_labels():
    project, (first, second, *_), (annotator, _) = labelling_project()
    for quote in (first, second):
        label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    moved, kept = (Label.objects.get(quote=q, dimension__key="stance") for q in (first, second))
    other = Choice.objects.filter(dimension=moved.dimension).exclude(labels=moved).first()
    Label.choices.through.objects.filter(label=moved).update(choice=other)
    assert stored_and_actual(moved) == (str(other.id), str(other.id))
    Label.choices.through.objects.filter(label=moved).update(label=kept)
    assert stored_and_actual(moved) == ("", "")
    stored, actual = stored_and_actual(kept)
    assert stored == actual and len(stored.split(" ")) == 2


def test_saving_a_label_read_before_its_choices_changed_keeps_the_new_copy():
    project, (quote, *_), (annotator, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    held = Label.objects.get(quote=quote, dimension__key="stance")  # its copy as read now
    other = Choice.objects.filter(dimension=held.dimension).exclude(labels=held).first()
    held.choices.set([other])  # the triggers rewrite the stored copy, not `held`'s
    held.note = "Rechecked"
    held.save()  # a full save of the stale instance
    assert stored_and_actual(held) == (str(other.id), str(other.id))
    assert held.note == "Rechecked"
