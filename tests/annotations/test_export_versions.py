"""The export says which version of an article each record's offsets index (and ships that
version's words), flags quotes changed or gone in a later version, and links the project's
articles telling the same story."""

import csv
import io
import json

import pytest

from annotations.export import DatasetExporter, ExportOptions
from claims.importing import ArticleInput
from claims.services.import_batches import articles_import_batch
from tests.versions import REPUBLISHED, URL, V2, WIRE, labelled_first_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return labelled_first_version()


def import_text(text, **fields):
    record = ArticleInput(title="Bridge", text=text, source_name="feed", **fields)
    return articles_import_batch(records=[record], name="feed").articles[0].article


def test_each_record_names_the_version_its_offsets_index(setup):
    project, first = setup["project"], setup["first"]
    second = import_text(V2, url=URL)

    exporter = DatasetExporter(project=project, options=ExportOptions())
    records = {record["quote_id"]: record for record in exporter.records()}

    minister = records[setup["minister"].id]
    assert (minister["article"]["id"], minister["article"]["version"]) == (second.id, 2)
    assert second.text[minister["content_start"] : minister["content_end"]] == minister["text"]
    assert (minister["changed_in_version"], minister["gone_in_version"]) == (None, None)
    mayor = records[setup["mayor"].id]
    assert (mayor["changed_in_version"], mayor["text"]) == (2, "the bridge would reopen in June")
    official = records[setup["official"].id]
    assert (official["article"]["id"], official["article"]["version"]) == (first.id, 1)
    assert official["gone_in_version"] == 2
    assert official["text"] == "Supplies are running low"  # no trailing comma (extractor 2.0)
    assert first.text[official["content_start"] : official["content_end"]] == official["text"]
    assert len(official["labels"]) == 2  # its labels leave with it

    header, *rows = list(csv.reader(io.StringIO("".join(exporter.csv()), newline="")))
    # The version columns, then what annotators added (notes, time, changes, comments).
    assert header[-8:-4] == [
        "article_version",
        "same_story",
        "changed_in_version",
        "gone_in_version",
    ]
    by_id = {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}
    assert by_id[setup["official"].id]["article_version"] == "1"
    assert by_id[setup["official"].id]["gone_in_version"] == "2"
    assert by_id[setup["mayor"].id]["changed_in_version"] == "2"


def test_same_story_lists_only_the_projects_own_articles(setup):
    project = setup["project"]
    wire = import_text(WIRE, outlet="Wire")
    copy = import_text(REPUBLISHED, outlet="Daily")
    elsewhere = import_text(REPUBLISHED.replace("Updated 10:45.", "Breaking."), outlet="Other")
    project.articles.add(wire, copy)

    exporter = DatasetExporter(project=project, options=ExportOptions())
    lines = [json.loads(line) for line in "".join(exporter.jsonl_stream()).splitlines()]
    stories = {line["article"]["id"]: line["article"]["same_story"] for line in lines}
    assert stories[wire.id] == [copy.id]
    assert stories[copy.id] == [wire.id]
    assert elsewhere.id not in {i for ids in stories.values() for i in ids}
