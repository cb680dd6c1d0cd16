"""The dataset's records as JSON lines and CSV rows, assembled from cached encoded pieces.

Speed (bench/export.py): records are assembled from pre-encoded JSON pieces rather than by
encoding a nested dict per quote. Many quotes share an article, an annotator's combination of
answers, a gold decision and an agreement pattern, so each of those is encoded once and cached;
only the quote's own spans, text, time spent and the rare note or comment are encoded per
record. The output is byte-for-byte what `json.dumps(record, ensure_ascii=False,
separators=(",", ":"))` gives for the record's dict, and what csv.writer (excel dialect) writes
for its row once every text cell went through config.spreadsheets.spreadsheet_cell.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring

from annotations.agreement import majority_share
from annotations.export.reading import Chunk, DatasetReader, ExportOptions
from annotations.models import Project
from config.spreadsheets import spreadsheet_cell, spreadsheet_row

# Records joined into one piece of a streamed response (about 64 KB of JSONL).
RECORDS_PER_PIECE = 100
# Caches of encoded parts are cleared past this many entries, so memory stays bounded even
# when every quote has a combination of answers of its own.
CACHE_LIMIT = 20_000

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_dumps_csv = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _json(value) -> str:
    """One small JSON value: a string, a number or null, as json.dumps writes it."""
    if value is None:
        return "null"
    if value.__class__ is int:  # offsets and ids, most of what passes here (not bool)
        return str(value)
    if isinstance(value, str):
        return encode_basestring(value)
    return _dumps(value)


def _blank(value) -> object:
    return "" if value is None else value


_CSV_SPECIAL = re.compile('[",\r\n]')


def _csv_field(value: str) -> str:
    """One text CSV field as csv.writer writes it (excel dialect, minimal quoting), made safe
    for spreadsheets."""
    value = spreadsheet_cell(value)
    if _CSV_SPECIAL.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


def _csv_json_text(text: str) -> str:
    """A JSON object or list as a CSV field: it starts with { or [ (no formula) and holds
    quotes, so csv.writer always quotes it."""
    return '"' + text.replace('"', '""') + '"'


def _csv_json(value) -> str:
    """A JSON cell (json.dumps' default separators, sorted keys)."""
    return _csv_json_text(_dumps_csv(value))


def _csv_cells(values) -> str:
    """Several CSV fields, written by csv.writer once and then reused as text."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(spreadsheet_row(values))
    return buffer.getvalue()[:-2]  # without the line's "\r\n"


def _cell(value) -> str:
    if value is None:
        return ""
    return "|".join(value) if isinstance(value, list) else value


def item_agreement(values: list) -> float | None:
    """Share of annotators who gave the most common answer (None with fewer than two)."""
    share = majority_share(value if isinstance(value, str) else tuple(value) for value in values)
    return None if share is None else round(share, 4)


@dataclass(frozen=True)
class _Article:
    text: str
    json: str  # '"article":{…}'
    csv: str  # id, title, url, outlet, published_at as CSV fields
    version_csv: str  # article_version, same_story


@dataclass(frozen=True)
class _Answers:
    """Every annotator's labels on a quote and their agreement, encoded for both formats."""

    labels_json: str  # '"labels":{…},"agreement":{…}' is split in two for the gold between
    agreement_json: str
    # The CSV fields agreement_<dimension>…, agreement_mean, labels_json (json.dumps' default
    # separators and sorted keys).
    csv: str
    mean: float | None
    # The annotators, in the labels' order (by id), their names encoded as JSON keys; and
    # the same in the CSV's order (by name).
    annotators: tuple[tuple[int, str, str], ...]  # id, name, '"name":'
    annotators_by_name: tuple[tuple[int, str], ...]  # id, '"name": '


_NO_ANNOTATORS_JSON = '"notes":{},"seconds_spent":{},"label_changes":{}'
_NO_ANNOTATORS_CSV = "{},{},{}"


def _work_members(chunk, quote_id: int, annotators) -> tuple[list[str], list[str], list[str]]:
    """For (annotator id, encoded key + ':') pairs, the JSON members of the notes, seconds
    spent and label changes objects: a note only where there is one, null seconds and 0
    changes where the annotator's work was not measured."""
    notes, spent_by, changed_by = chunk.notes, chunk.seconds, chunk.changes
    noted, seconds, changes = [], [], []
    for annotator_id, key in annotators:
        pair = (quote_id, annotator_id)
        spent = spent_by.get(pair)
        seconds.append(key + ("null" if spent is None else repr(spent)))
        changes.append(key + str(changed_by.get(pair, 0)))
        note = notes.get(pair)
        if note is not None:
            noted.append(key + encode_basestring(note))
    return noted, seconds, changes


class DatasetExporter:
    """Streams a project's labelled quotes; construct once per request."""

    def __init__(self, *, project: Project, options: ExportOptions) -> None:
        self.project = project
        self.options = options
        self.reader = DatasetReader(project=project, options=options)
        self.dimensions = self.reader.dimensions
        self.exported = 0  # records produced so far
        self._articles: dict[int, _Article] = {}
        self._speakers: dict[int | None, str] = {}
        self._strings: dict[str, str] = {}
        self._answers: dict[str | None, _Answers] = {}
        self._gold_parts: dict[str | None, tuple[str, str]] = {None: self._no_gold()}
        self._speakers_csv: dict[int | None, str] = {}
        self._csv_strings: dict[str, str] = {}

    def article_text(self, article_id: int) -> str:
        """The text of an article of the chunk being read."""
        return self._articles[article_id].text

    def _load_articles(self, chunk: Chunk) -> None:
        """Keep the chunk's articles (text and encoded parts): the previous chunk's that it
        shares and the ones it brings; memory is one chunk's worth."""
        article_ids = {row[1] for row in chunk.rows}
        kept = {id_: self._articles[id_] for id_ in article_ids & self._articles.keys()}
        for article in chunk.articles:
            fields = {
                "id": article.id,
                "title": article.title,
                "url": article.url,
                "outlet": article.outlet,
                "published_at": article.published_at,
                "version": article.version,
                "same_story": article.same_story,
            }
            kept[article.id] = _Article(
                text=article.text,
                json='"article":' + _dumps(fields),
                csv=_csv_cells(
                    (
                        article.id,
                        article.title,
                        article.url or "",
                        article.outlet or "",
                        article.published_at or "",
                    )
                ),
                version_csv=_csv_cells((article.version, "|".join(map(str, article.same_story)))),
            )
        self._articles = kept

    # -- decoding and encoding, cached ---------------------------------------------------------
    def _value(self, key: str, values: list[str]):
        return sorted(values) if self.reader.multiple.get(key) else values[0]

    def _answers_for(self, joined: str | None) -> _Answers:
        """Decode "annotator:dimension:choice,…" into the encoded labels and agreement."""
        answers = self._answers.get(joined)
        if answers is not None:
            return answers
        keys, choice, person = self.reader.keys, self.reader.choice, self.reader.person
        chosen: dict[int, dict[str, list[str]]] = {}
        items = (
            sorted(tuple(map(int, item.split(":"))) for item in joined.split(",")) if joined else []
        )
        for annotator_id, dimension_id, choice_id in items:
            by_key = chosen.setdefault(annotator_id, {})
            by_key.setdefault(keys[dimension_id], []).append(choice(choice_id))
        labels = {
            person(annotator_id): {
                key: self._value(key, values) for key, values in sorted(by_key.items())
            }
            for annotator_id, by_key in chosen.items()
        }
        shares = [
            item_agreement([dims[d.key] for dims in labels.values() if d.key in dims])
            for d in self.dimensions
        ]
        scored = [share for share in shares if share is not None]
        mean = round(sum(scored) / len(scored), 4) if scored else None
        agreement = {d.key: share for d, share in zip(self.dimensions, shares, strict=True)}
        agreement["mean"] = mean
        annotators = tuple(
            (annotator_id, person(annotator_id), encode_basestring(person(annotator_id)) + ":")
            for annotator_id in chosen
        )
        answers = _Answers(
            labels_json='"labels":' + _dumps(labels),
            agreement_json='"agreement":' + _dumps(agreement),
            csv=_csv_cells(
                (*(_blank(share) for share in shares), _blank(mean), _dumps_csv(labels))
            ),
            mean=mean,
            annotators=annotators,
            annotators_by_name=tuple(
                (annotator_id, encoded[:-1] + ": ")
                for annotator_id, _, encoded in sorted(annotators, key=lambda a: a[1])
            ),
        )
        if len(self._answers) >= CACHE_LIMIT:
            self._answers.clear()
        self._answers[joined] = answers
        return answers

    def _gold_for(self, joined: str | None) -> tuple[str, str]:
        """Decode "dimension:method:choice,…" into the encoded gold: JSON, and CSV fields
        gold_<dimension>…, gold_method_<dimension>… each followed by a comma."""
        part = self._gold_parts.get(joined)
        if part is not None:
            return part
        entries: dict[str, dict] = {}
        for item in sorted(item.split(":") for item in joined.split(",")):
            dimension_id, method, choice_id = int(item[0]), item[1], int(item[2])
            entry = entries.setdefault(
                self.reader.keys[dimension_id], {"values": [], "method": method}
            )
            entry["values"].append(self.reader.choice(choice_id))
        gold = {
            key: {"value": self._value(key, entry["values"]), "method": entry["method"]}
            for key, entry in sorted(entries.items())
        }
        keys = [d.key for d in self.dimensions]
        cells = (
            *(_cell(gold[key]["value"]) if key in gold else "" for key in keys),
            *(gold[key]["method"] if key in gold else "" for key in keys),
        )
        part = ('"gold":' + _dumps(gold), _csv_cells(cells) + "," if cells else "")
        if len(self._gold_parts) >= CACHE_LIMIT:
            self._gold_parts.clear()
            self._gold_parts[None] = self._no_gold()
        self._gold_parts[joined] = part
        return part

    def _no_gold(self) -> tuple[str, str]:
        cells = ("",) * (2 * len(self.dimensions))
        return '"gold":{}', _csv_cells(cells) + "," if cells else ""

    def _speaker_csv(self, chunk: Chunk, speaker_id: int | None) -> str:
        part = self._speakers_csv.get(speaker_id)
        if part is None:
            # A speaker removed while the export ran has no name.
            name, kind = chunk.speakers.get(speaker_id, ("", ""))
            part = _csv_cells((name or "", kind or ""))
            if len(self._speakers_csv) >= CACHE_LIMIT:
                self._speakers_csv.clear()
            self._speakers_csv[speaker_id] = part
        return part

    def _csv_string(self, value: str) -> str:
        encoded = self._csv_strings.get(value)
        if encoded is None:
            encoded = self._csv_strings[value] = _csv_field(value)
        return encoded

    def _speaker_json(self, chunk: Chunk, speaker_id: int | None) -> str:
        part = self._speakers.get(speaker_id)
        if part is None:
            name, kind = chunk.speakers.get(speaker_id, (None, None))
            part = f'"speaker":{{"id":{_json(speaker_id)},"name":{_json(name)},"kind":{_json(kind)}'
            if len(self._speakers) >= CACHE_LIMIT:
                self._speakers.clear()
            self._speakers[speaker_id] = part
        return part

    def _string(self, value: str) -> str:
        encoded = self._strings.get(value)
        if encoded is None:
            encoded = self._strings[value] = encode_basestring(value)
        return encoded

    # -- what annotators add: notes, time, changes; the discussion ------------------------------
    def _work_json(self, chunk: Chunk, quote_id: int, answers: _Answers) -> str:
        """'"notes":{…},"seconds_spent":{…},"label_changes":{…}' for the labels' annotators."""
        if not answers.annotators:
            return _NO_ANNOTATORS_JSON
        noted, seconds, changes = _work_members(
            chunk, quote_id, ((annotator_id, key) for annotator_id, _, key in answers.annotators)
        )
        return (
            f'"notes":{{{",".join(noted)}}},"seconds_spent":{{{",".join(seconds)}}},'
            f'"label_changes":{{{",".join(changes)}}}'
        )

    def _work_csv(self, chunk: Chunk, quote_id: int, answers: _Answers) -> str:
        """The CSV cells notes_json, seconds_spent_json, label_changes_json."""
        if not answers.annotators_by_name:
            return _NO_ANNOTATORS_CSV
        noted, seconds, changes = _work_members(chunk, quote_id, answers.annotators_by_name)
        return (
            f"{_csv_json_text('{' + ', '.join(noted) + '}') if noted else '{}'},"
            f"{_csv_json_text('{' + ', '.join(seconds) + '}')},"
            f"{_csv_json_text('{' + ', '.join(changes) + '}')}"
        )

    def _comments(self, chunk: Chunk, quote_id: int) -> list[dict] | None:
        thread = chunk.comments.get(quote_id)
        if thread is None:
            return None
        person = self.reader.person
        return [
            {"author": person(author_id), "text": text, "created_at": created_at.isoformat()}
            for author_id, text, created_at in thread
        ]

    # -- records -------------------------------------------------------------------------------
    def _chunks(self, as_json: bool) -> Iterator[list]:
        """Per chunk of quotes, the encoded records: JSON lines or CSV lines."""
        threshold = self.options.min_agreement
        answers_for, gold_for = self._answers_for, self._gold_for
        for chunk in self.reader.chunks():
            self._load_articles(chunk)
            articles = self._articles
            gold_of = chunk.gold.get
            out = []
            for (
                quote_id,
                article_id,
                kind,
                origin,
                start,
                end,
                speaker_id,
                speaker_start,
                speaker_end,
                cue_start,
                cue_end,
                labels,
                changed_in_version,
                gone_in_version,
            ) in chunk.rows:
                answers = answers_for(labels)
                if threshold is not None and (answers.mean is None or answers.mean < threshold):
                    continue
                gold_json, gold_csv = gold_for(gold_of(quote_id))
                article = articles[article_id]
                text = article.text
                mention = text[speaker_start:speaker_end] if speaker_start is not None else None
                cue = text[cue_start:cue_end] if cue_start is not None else None
                comments = self._comments(chunk, quote_id) if chunk.comments else None
                if as_json:
                    out.append(
                        f'{{"quote_id":{quote_id},{article.json},'
                        f'"text":{encode_basestring(text[start:end])},'
                        f'"kind":{self._string(kind)},"origin":{self._string(origin)},'
                        f'"content_start":{start},"content_end":{end},'
                        f"{self._speaker_json(chunk, speaker_id)},"
                        f'"mention":{_json(mention)},"start":{_json(speaker_start)},'
                        f'"end":{_json(speaker_end)}}},'
                        f'"cue":{{"text":{_json(cue)},"start":{_json(cue_start)},'
                        f'"end":{_json(cue_end)}}},'
                        f'"changed_in_version":{_json(changed_in_version)},'
                        f'"gone_in_version":{_json(gone_in_version)},'
                        f"{answers.labels_json},{gold_json},{answers.agreement_json},"
                        f"{self._work_json(chunk, quote_id, answers)},"
                        f'"comments":{_dumps(comments) if comments else "[]"}}}\n'
                    )
                else:
                    out.append(
                        f"{quote_id},{article.csv},{self._csv_string(kind)},"
                        f"{self._csv_string(origin)},{start},{end},"
                        f"{_csv_field(text[start:end])},"
                        f"{self._speaker_csv(chunk, speaker_id)},"
                        f"{_csv_field(mention or '')},{_blank(speaker_start)},"
                        f"{_blank(speaker_end)},{_csv_field(cue or '')},{_blank(cue_start)},"
                        f"{_blank(cue_end)},{gold_csv}{answers.csv},{article.version_csv},"
                        f"{_blank(changed_in_version)},{_blank(gone_in_version)},"
                        f"{self._work_csv(chunk, quote_id, answers)},"
                        f"{_csv_json(comments) if comments else '[]'}\r\n"
                    )
            self.exported += len(out)
            yield out

    # -- output --------------------------------------------------------------------------------
    def records(self) -> Iterator[dict]:
        """The records as dicts (what each JSONL line holds)."""
        loads = json.loads
        for lines in self._chunks(as_json=True):
            for line in lines:
                yield loads(line)

    def jsonl(self) -> Iterator[str]:
        """One JSON line per record."""
        for lines in self._chunks(as_json=True):
            yield from lines

    def jsonl_stream(self) -> Iterator[str]:
        """JSONL in pieces of about 64 KB, for a streamed response or a file."""
        for lines in self._chunks(as_json=True):
            for start in range(0, len(lines), RECORDS_PER_PIECE):
                yield "".join(lines[start : start + RECORDS_PER_PIECE])

    def csv_header(self) -> list[str]:
        keys = [d.key for d in self.dimensions]
        return [
            "quote_id",
            "article_id",
            "article_title",
            "article_url",
            "outlet",
            "published_at",
            "kind",
            "origin",
            "content_start",
            "content_end",
            "text",
            "speaker",
            "speaker_kind",
            "speaker_mention",
            "speaker_start",
            "speaker_end",
            "cue",
            "cue_start",
            "cue_end",
            *(f"gold_{key}" for key in keys),
            *(f"gold_method_{key}" for key in keys),
            *(f"agreement_{key}" for key in keys),
            "agreement_mean",
            "labels_json",
            "article_version",
            "same_story",
            "changed_in_version",
            "gone_in_version",
            "notes_json",
            "seconds_spent_json",
            "label_changes_json",
            "comments_json",
        ]

    def csv(self) -> Iterator[str]:
        """Flat CSV: one row per quote; each annotator's labels as one JSON column.

        Yields the header, then pieces of about 100 rows. The fields are what csv.writer
        writes (excel dialect): fixed parts are written by it once and reused.
        """
        yield _csv_cells(self.csv_header()) + "\r\n"
        for lines in self._chunks(as_json=False):
            for start in range(0, len(lines), RECORDS_PER_PIECE):
                yield "".join(lines[start : start + RECORDS_PER_PIECE])
