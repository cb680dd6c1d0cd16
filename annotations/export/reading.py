"""Reading a project's dataset from the database, a chunk of quotes at a time.

Rows are read in id-ordered chunks as plain tuples (never model instances), so memory stays
flat however large the project is: the quotes with their labels (one statement,
annotations/sql.py), then for the same quotes their gold, their articles and speakers not read
yet, the annotators' notes and label changes (one pass over the labels), the time each spent,
and the discussion's comments.
Each chunk costs the same few queries, whatever the number of quotes in it.

On PostgreSQL, outside a transaction, the chunks are read ahead in a pipeline of two threads,
each on a connection of its own (_read_ahead): one reads the quote rows (the database's largest
share), the other what the records add to them, while this thread encodes. So an export takes
about the longest of the three stages rather than their sum (docs/benchmarks.md). Inside a
transaction (a test, a caller's atomic block) another connection would not see its rows, so the
chunks are read in turn on the caller's connection. The statements are the same either way.
"""

import datetime
import hashlib
import hmac
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import Q

from annotations import sql
from annotations.labelling.labels import seconds_spent
from annotations.models import Choice, Comment, Dimension, Label, Project

CHUNK_SIZE = 2000
# Chunks read ahead of the one being encoded (each is a few MB: memory stays flat).
READ_AHEAD = 2
# Speakers' names kept between chunks (a few are quoted throughout); the dict is emptied past
# this many, so memory stays bounded.
SPEAKERS_KEPT = 20_000


@dataclass(frozen=True)
class ExportOptions:
    gold_only: bool = False
    dimension: str | None = None
    min_agreement: float | None = None
    pseudonymise: bool = True


def annotator_pseudonym(*, project_id: int, user_id: int) -> str:
    """A stable, non-reversible name for an annotator within one project."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{project_id}:{user_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"annotator-{digest[:10]}"


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    url: str | None
    outlet: str | None
    published_at: str | None  # ISO 8601
    text: str
    version: int
    same_story: list[int]  # the project's articles telling the same story


@dataclass(frozen=True)
class Chunk:
    """Up to CHUNK_SIZE quotes in id order (rows as sql.export_quote_rows gives them) and what
    the records add to them, keyed by quote id and (quote id, annotator id); with the articles
    of these quotes that the previous chunk did not have."""

    rows: list[tuple]
    articles: list[ArticleRow]
    speakers: dict[int, tuple[str, str]]  # name and kind of (at least) these quotes' speakers
    gold: dict[int, str]  # "dimension:method:choice,…" (sql.export_gold)
    notes: dict[tuple[int, int], str]
    seconds: dict[tuple[int, int], float | None]  # null: not measured
    changes: dict[tuple[int, int], int]  # over the quote's questions; absent: none
    comments: dict[int, list[tuple[int, str, datetime.datetime]]]  # author id, text, time


class DatasetReader:
    """The project's questions, choices and people, read once; then the quotes by chunks."""

    def __init__(self, *, project: Project, options: ExportOptions) -> None:
        self.project = project
        self.options = options
        dimensions = project.dimensions.filter(archived=False).order_by("order", "id")
        if options.dimension:
            dimensions = dimensions.filter(key=options.dimension)
        self.dimensions: list[Dimension] = list(dimensions)
        self.dimension_ids = [d.id for d in self.dimensions]
        self.keys = {d.id: d.key for d in self.dimensions}
        self.multiple = {d.key: d.multiple for d in self.dimensions}
        self._choice_values: dict[int, str] = dict(
            Choice.objects.filter(dimension_id__in=self.dimension_ids).values_list("id", "value")
        )
        self._names: dict[int, str] = {}
        self._speakers: dict[int, tuple[str, str]] = {}
        if not options.pseudonymise:
            annotators = Label.objects.filter(project=project).values("annotator_id")
            authors = Comment.objects.filter(project=project).values("author_id")
            self._names = dict(
                get_user_model()
                .objects.filter(Q(id__in=annotators) | Q(id__in=authors))
                .values_list("id", "username")
            )

    def chunks(self) -> Iterator[Chunk]:
        """The project's quotes (any version, not rejected: scope.quotes_in_project with
        include_gone) in id order, CHUNK_SIZE at a time; read ahead where that can be done."""
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            return _read_ahead(lambda: self._completed(_read_ahead(self._quote_rows)))
        return self._completed(self._quote_rows())

    def _quote_rows(self) -> Iterator[list[tuple]]:
        """The quotes with their labels and gold, a chunk's rows at a time."""
        last_id = 0
        while True:
            with sql.export_chunk_reads():
                rows = sql.export_quote_rows(
                    project_id=self.project.id,
                    dimension_ids=self.dimension_ids,
                    after_id=last_id,
                    limit=CHUNK_SIZE,
                    gold_only=self.options.gold_only,
                )
            if not rows:
                return
            last_id = rows[-1][0]
            yield rows

    def _completed(self, row_chunks: Iterator[list[tuple]]) -> Iterator[Chunk]:
        """Each chunk's rows with what the records add to them."""
        previous_articles: set[int] = set()
        with closing(row_chunks):
            for rows in row_chunks:
                chunk = self._chunk(rows, previous_articles=previous_articles)
                previous_articles = {row[1] for row in rows}
                yield chunk

    def _chunk(self, rows: list[tuple], *, previous_articles: set[int]) -> Chunk:
        project = self.project
        first_id, last_id = rows[0][0], rows[-1][0]
        notes: dict[tuple[int, int], str] = {}
        changes: dict[tuple[int, int], int] = {}
        for quote_id, annotator_id, note, changed in sql.export_notes_and_changes(
            project_id=project.id, first_id=first_id, last_id=last_id
        ):
            if note:
                notes[quote_id, annotator_id] = note
            if changed:
                changes[quote_id, annotator_id] = changes.get((quote_id, annotator_id), 0) + changed
        comments: dict[int, list] = {}
        for quote_id, author_id, text, created_at in sql.export_comments(
            project_id=project.id, first_id=first_id, last_id=last_id
        ):
            comments.setdefault(quote_id, []).append((author_id, text, created_at))
        seconds = seconds_spent(project=project, quote_ids=(first_id, last_id))
        gold = dict(
            sql.export_gold(
                project_id=project.id,
                dimension_ids=self.dimension_ids,
                first_id=first_id,
                last_id=last_id,
            )
        )
        articles = self.articles({row[1] for row in rows} - previous_articles)
        return Chunk(
            rows=rows,
            articles=articles,
            speakers=self.speakers({row[6] for row in rows}),
            gold=gold,
            notes=notes,
            seconds=seconds,
            changes=changes,
            comments=comments,
        )

    def articles(self, article_ids: set[int]) -> list[ArticleRow]:
        """These articles, with the project's other articles telling the same story (versions:
        claims/services/versions.py; a record's offsets index the version it names)."""
        if not article_ids:
            return []
        ids = sorted(article_ids)
        same_story: dict[int, list[int]] = {}
        for article_id, other_id in sql.export_same_story(
            project_id=self.project.id, article_ids=ids
        ):
            same_story.setdefault(article_id, []).append(other_id)
        return [
            ArticleRow(
                id=article_id,
                title=title,
                url=url,
                outlet=outlet,
                published_at=published_at.isoformat() if published_at else None,
                text=text,
                version=version,
                same_story=same_story.get(article_id, []),
            )
            for article_id, title, url, outlet, published_at, text, version in sql.export_articles(
                article_ids=ids
            )
        ]

    def speakers(self, speaker_ids: set[int | None]) -> dict[int, tuple[str, str]]:
        """Name and kind of these speakers, read once for the export (while few enough to keep).

        The dict returned is the one kept, also held by chunks already handed to the encoding
        thread: it only gains entries, or is replaced by a new one, so theirs stay complete.
        """
        kept = self._speakers
        missing = [id_ for id_ in speaker_ids if id_ is not None and id_ not in kept]
        if missing:
            if len(kept) + len(missing) > SPEAKERS_KEPT:
                kept = self._speakers = {id_: kept[id_] for id_ in speaker_ids if id_ in kept}
            for speaker_id, name, kind in sql.export_speakers(speaker_ids=missing):
                kept[speaker_id] = (name, kind)
        return kept

    def choice(self, choice_id: int) -> str:
        value = self._choice_values.get(choice_id)
        if value is None:
            # Only a hand-edited label points at a choice of another dimension: read it.
            value = Choice.objects.values_list("value", flat=True).get(id=choice_id)
            self._choice_values[choice_id] = value
        return value

    def person(self, user_id: int) -> str:
        """An annotator's or comment author's name in the export: a pseudonym by default."""
        name = self._names.get(user_id)
        if name is None:
            if self.options.pseudonymise:
                name = annotator_pseudonym(project_id=self.project.id, user_id=user_id)
            else:  # labelled or commented since the export began
                name = get_user_model().objects.values_list("username", flat=True).get(id=user_id)
            self._names[user_id] = name
        return name


_DONE = object()


def _read_ahead(chunks: Callable[[], Iterator[Chunk]]) -> Iterator[Chunk]:
    """The chunks, read by a thread on a database connection of its own, READ_AHEAD ahead of
    the consumer. An error in the thread is raised here; a consumer that stops early (a client
    that went away) stops the thread, and the thread's connection is closed either way."""
    ready: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
    stop = threading.Event()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        last: object = RuntimeError("The export's reading thread stopped unexpectedly.")
        try:
            for chunk in chunks():
                if not hand_over(chunk):
                    return
            last = _DONE
        except Exception as error:  # noqa: BLE001 - handed to the consumer, which raises it
            last = error
        finally:
            connections.close_all()  # this thread's connections only
            hand_over(last)

    thread = threading.Thread(target=read, name="export-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()
