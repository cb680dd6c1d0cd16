"""On PostgreSQL an export reads its next chunks on a connection of its own while it encodes
the current one (annotations/export/reading.py). The records are the same as when the chunks are
read in turn; an error while reading reaches the caller; a caller that stops early (a client
that went away) leaves no thread and no connection behind."""

import threading
import time

import pytest
from django.db import connection, transaction

from annotations.export import FORMATS, DatasetExporter, ExportOptions, reading
from annotations.labelling.comments import comment_add
from annotations.labelling.labels import label_save
from tests.factories import labelling_project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the read-ahead runs on PostgreSQL (SQLite reads in turn on one connection)",
    ),
]

ANSWERS = [
    {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"},
    {"stance": "against", "attribution": "accurate", "sourcing": "none"},
]


@pytest.fixture
def project(monkeypatch):
    """Seven labelled quotes, read two at a time: four chunks."""
    monkeypatch.setattr(reading, "CHUNK_SIZE", 2)
    project, quotes, annotators = labelling_project(quotes=7)
    for number, quote in enumerate(quotes):
        for annotator in annotators:
            answers = ANSWERS[(number + annotator.id) % 2]
            label_save(project=project, quote=quote, annotator=annotator, labels=answers)
    label_save(project=project, quote=quotes[3], annotator=annotators[0], labels=ANSWERS[0])
    comment_add(project=project, quote=quotes[5], author=annotators[1], text="Sure?")
    return project


def export(project, fmt: str) -> str:
    exporter = DatasetExporter(project=project, options=ExportOptions())
    return "".join(FORMATS[fmt].write(exporter))


def readers_alive() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "export-read-ahead" and t.is_alive()]


def test_records_read_ahead_are_the_records_read_in_turn(project, monkeypatch):
    calls = []
    read_ahead = reading._read_ahead
    monkeypatch.setattr(
        reading, "_read_ahead", lambda chunks: calls.append(1) or read_ahead(chunks)
    )
    for fmt in ("jsonl", "csv"):
        ahead = export(project, fmt)
        with transaction.atomic():  # another connection could not see this block's rows
            in_turn = export(project, fmt)
        assert ahead == in_turn
        assert ahead.count("\n") >= 7
    assert len(calls) == 4  # two stages per format, outside the atomic block only
    assert readers_alive() == []


def test_an_error_while_reading_ahead_reaches_the_caller(project, monkeypatch):
    chunk = reading.DatasetReader._chunk

    def failing(self, rows, *, previous_articles):
        if previous_articles:  # the second chunk
            raise RuntimeError("the database went away")
        return chunk(self, rows, previous_articles=previous_articles)

    monkeypatch.setattr(reading.DatasetReader, "_chunk", failing)
    with pytest.raises(RuntimeError, match="the database went away"):
        export(project, "jsonl")
    assert readers_alive() == []


def test_a_caller_that_stops_early_leaves_no_thread_or_connection(project):
    def connections_open() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return cursor.fetchone()[0]

    before = connections_open()
    pieces = FORMATS["jsonl"].write(DatasetExporter(project=project, options=ExportOptions()))
    assert next(pieces)  # the first chunk's records; the reader is ahead of it
    pieces.close()  # what Django does when the client disconnects
    assert readers_alive() == []
    # The reader closed its connection; PostgreSQL's backend leaves pg_stat_activity a moment
    # after the socket closes (longer on a busy machine), so give it a few seconds.
    deadline = time.monotonic() + 10
    while connections_open() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert connections_open() == before
