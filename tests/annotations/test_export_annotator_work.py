"""Each exported record carries what the annotators added beyond their answers — their notes,
the seconds each spent, how often each changed an answer — and the quote's discussion, named
as the labels' annotators are; the dataset card tells how each annotator did against gold."""

import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from annotations.export import RECORD_FIELDS, DatasetExporter, ExportOptions
from annotations.labelling.comments import comment_add
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save, labelling_effort
from annotations.labelling.projects import membership_set
from annotations.models import Label
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
CHANGED = {"stance": "against", "attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def work():
    project, (quote, quiet, _), (ann1, ann2) = labelling_project()
    reviewer = UserFactory(username="olga-reviews")
    membership_set(project=project, user=reviewer, role="reviewer")
    label_save(project=project, quote=quote, annotator=ann1, labels=FULL, note="Hedged", seconds=4)
    label_save(
        project=project, quote=quote, annotator=ann1, labels=CHANGED, note="Hedged", seconds=2
    )
    label_save(project=project, quote=quote, annotator=ann2, labels=FULL, seconds=9.5)
    label_save(project=project, quote=quiet, annotator=ann2, labels=FULL)
    comment_add(project=project, quote=quote, author=ann2, text="Is this sarcasm?")
    comment_add(project=project, quote=quote, author=reviewer, text="No, = literal.")
    gold_set(
        project=project, quote=quote, dimension_key="stance", values="favor", reviewer=reviewer
    )
    return project, quote, quiet, ann1, ann2, reviewer


def records(project, **options) -> dict:
    exporter = DatasetExporter(project=project, options=ExportOptions(**options))
    return {record["quote_id"]: record for record in exporter.records()}


def pseudonyms(record) -> dict:
    """Annotator key by the seconds they spent (the fixture's annotators differ in that)."""
    return {seconds: name for name, seconds in record["seconds_spent"].items()}


def test_records_carry_notes_seconds_and_changes_per_annotator(work):
    project, quote, quiet, *_ = work
    record = records(project)[quote.id]
    first, second = pseudonyms(record)[6.0], pseudonyms(record)[9.5]
    assert set(record["labels"]) == {first, second}
    assert record["notes"] == {first: "Hedged"}
    assert record["seconds_spent"] == {first: 6.0, second: 9.5}
    assert record["label_changes"] == {first: 1, second: 0}
    other = records(project)[quiet.id]
    assert (other["notes"], other["label_changes"], other["comments"]) == (
        {},
        {next(iter(other["labels"])): 0},
        [],
    )
    assert list(other["seconds_spent"].values()) == [None]  # the save measured no time


def test_comments_come_oldest_first_with_authors_named_like_annotators(work):
    project, quote, _, ann1, ann2, _ = work
    record = records(project)[quote.id]
    second = pseudonyms(record)[9.5]
    assert [(c["author"], c["text"]) for c in record["comments"]] == [
        (second, "Is this sarcasm?"),
        (record["comments"][1]["author"], "No, = literal."),
    ]
    assert record["comments"][1]["author"].startswith("annotator-")
    assert "olga-reviews" not in json.dumps(record)
    real = records(project, pseudonymise=False)[quote.id]
    assert [c["author"] for c in real["comments"]] == [ann2.username, "olga-reviews"]
    assert set(real["notes"]) == {ann1.username}
    assert real["comments"][0]["created_at"].startswith("20")


def test_csv_has_the_same_as_json_cells(work):
    project, quote, *_ = work
    exporter = DatasetExporter(project=project, options=ExportOptions())
    header, *rows = list(csv.reader(io.StringIO("".join(exporter.csv()), newline="")))
    cells = {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}[quote.id]
    record = records(project)[quote.id]
    for field in ("notes", "seconds_spent", "label_changes", "comments"):
        assert json.loads(cells[f"{field}_json"]) == record[field]
        assert cells[f"{field}_json"] == json.dumps(
            record[field], ensure_ascii=False, sort_keys=True
        )


def test_names_and_notes_with_quote_marks_and_commas_stay_whole_in_csv(work):
    """The notes, seconds and changes cells are built already escaped for CSV: a name or a
    note holding quote marks and commas reads back as the JSON line has it, and the file is
    what csv.writer would write."""
    project, quote, _, ann1, ann2, _ = work
    type(ann1).objects.filter(id=ann1.id).update(username='o"brien, jr')  # past the validator
    type(ann2).objects.filter(id=ann2.id).update(username='"quoted"')
    Label.objects.filter(quote=quote, annotator=ann1).update(note='He said "no", twice')
    options = {"pseudonymise": False}
    text = "".join(DatasetExporter(project=project, options=ExportOptions(**options)).csv())
    rewritten = io.StringIO()
    csv.writer(rewritten).writerows(csv.reader(io.StringIO(text, newline="")))
    assert text == rewritten.getvalue()
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}[quote.id]
    record = records(project, **options)[quote.id]
    assert record["notes"] == {'o"brien, jr': 'He said "no", twice'}
    assert record["seconds_spent"] == {'o"brien, jr': 6.0, '"quoted"': 9.5}
    for field in ("notes", "seconds_spent", "label_changes"):
        assert json.loads(cells[f"{field}_json"]) == record[field]


def test_every_record_field_is_explained_in_the_card(work):
    project, quote, *_ = work
    record = records(project)[quote.id]
    assert set(record) <= set(RECORD_FIELDS) | {"mention", "start", "end"}
    for field in ("notes", "seconds_spent", "label_changes", "comments"):
        assert field in record and RECORD_FIELDS[field]


def test_the_card_holds_each_annotators_quality_against_gold_pseudonymised(work):
    project, quote, _, ann1, ann2, _ = work
    manager = project.memberships.get(role="manager").user
    api = APIClient()
    api.force_authenticate(manager)
    card = api.get(f"/api/v1/projects/{project.id}/export/schema/").json()
    record = records(project)[quote.id]
    by_name = {person["annotator"]: person for person in card["quality"]}
    first, second = pseudonyms(record)[6.0], pseudonyms(record)[9.5]
    assert {first, second} <= set(by_name)
    # Gold says favor on stance: the first annotator changed to against, the second kept favor.
    assert by_name[first]["dimensions"]["stance"]["accuracy"] == 0.0
    assert by_name[second]["dimensions"]["stance"]["accuracy"] == 1.0
    assert "kappa" in by_name[second]["overall"]
    real = api.get(f"/api/v1/projects/{project.id}/export/schema/", {"pseudonymise": "false"})
    assert {ann1.username, ann2.username} <= {p["annotator"] for p in real.json()["quality"]}


def test_reviewers_cannot_unmask_the_card(work):
    project, *_, reviewer = work
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/v1/projects/{project.id}/export/schema/"
    assert api.get(url).status_code == 200
    assert api.get(url, {"pseudonymise": "false"}).status_code == 403


def test_work_is_read_per_chunk_across_chunk_boundaries(work, monkeypatch):
    """Chunks of one quote each: every record still finds its own notes, time and comments."""
    project, *_ = work
    whole = records(project)
    monkeypatch.setattr("annotations.export.reading.CHUNK_SIZE", 1)
    assert records(project) == whole


def test_effort_read_for_a_range_of_quotes_is_the_whole_projects_for_them(work):
    project, quote, quiet, ann1, *_ = work
    third = labelling_effort(project=project)
    label_save(project=project, quote=quiet, annotator=ann1, labels=FULL, note="Later")
    whole = labelling_effort(project=project)
    assert whole != third  # the later save is seen
    for first, last in ((quote.id, quote.id), (quote.id, quiet.id), (quiet.id, quiet.id + 5)):
        part = labelling_effort(project=project, quote_ids=(first, last))
        assert part == {key: effort for key, effort in whole.items() if first <= key[0] <= last}


def test_the_export_and_the_dashboard_read_the_same_seconds_and_changes(work):
    """The export reads time spent and changes by chunk (sql.seconds_spent,
    sql.export_notes_and_changes), the dashboard through labelling_effort: one figure each."""
    project, _, _, ann1, ann2, _ = work
    effort = labelling_effort(project=project)
    names = {ann1.id: ann1.username, ann2.id: ann2.username}
    exported = {
        (quote_id, annotator): (record["seconds_spent"][annotator], changes)
        for quote_id, record in records(project, pseudonymise=False).items()
        for annotator, changes in record["label_changes"].items()
    }
    assert exported == {
        (quote_id, names[annotator_id]): (item.seconds, item.changes)
        for (quote_id, annotator_id), item in effort.items()
    }
