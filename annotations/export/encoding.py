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
import datetime
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from json.encoder import encode_basestring
from typing import NamedTuple

from annotations.agreement import majority_share
from annotations.export.reading import Chunk, DatasetReader, ExportOptions
from annotations.models import Project
from config.spreadsheets import RISKY_STARTS, spreadsheet_cell, spreadsheet_row

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
    if value[:1] in RISKY_STARTS:  # the rule's own test, without its call for most text
        value = spreadsheet_cell(value)
    if _CSV_SPECIAL.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


def _csv_json_text(text: str) -> str:
    """A JSON object or list as a CSV field: it starts with { or [ (no formula) and holds
    quotes, so csv.writer always quotes it."""
    return '"' + text.replace('"', '""') + '"'


def _csv_quoted_json_text(text: str) -> str:
    """A JSON string as it stands inside a quoted CSV field (its quotes doubled)."""
    return encode_basestring(text).replace('"', '""')


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


class _Answers(NamedTuple):
    """Every annotator's labels on a quote and their agreement, encoded for one format (a
    JSONL export never needs the CSV's pieces, nor the reverse). A tuple: one is made for
    each new combination of answers, most quotes' in a team's project."""

    mean: float | None
    # JSON: '"labels":{…}' ('"agreement":{…}' apart, for the gold between). CSV: the fields
    # agreement_<dimension>…, agreement_mean, labels_json (json.dumps' default separators and
    # sorted keys).
    labels: str
    agreement: str  # JSON only
    # The annotators with their names encoded as keys: JSON in the labels' order (by id),
    # '"name":'; CSV by name, '""name"": ' (as inside a quoted CSV field).
    annotators: tuple[tuple[int, str], ...]
    # No change by anyone, as most quotes have: '"label_changes":{"name":0,…}', or the CSV cell.
    unchanged: str


@dataclass(frozen=True)
class _Part:
    """One annotator's answers on a quote, encoded once for every quote they answered alike."""

    annotator_id: int
    name: str
    key: str  # the name encoded as a JSON key with its colon: '"name":'
    json: str  # '"name":{"key":value,…}'
    csv: str  # '"name": {"key": value, …}' (json.dumps' default separators, sorted keys)


_NO_ANNOTATORS_JSON = '"notes":{},"seconds_spent":{},"label_changes":{}'
_NO_ANNOTATORS_CSV = "{},{},{}"


def _work_members(
    chunk: Chunk,
    quote_id: int,
    annotators: tuple[tuple[int, str], ...],
    separator: str,
    seconds_only: bool,
    encode_note: Callable[[str], str] = encode_basestring,
) -> tuple[str, str, str]:
    """For (annotator id, encoded key and colon) pairs, the JSON members of the notes, seconds
    spent and label changes objects, each list joined by `separator`: a note only where there
    is one (encoded by `encode_note`), null seconds and 0 changes where the annotator's work was
    not measured. With `seconds_only` (no note and no change on the quote) the seconds alone."""
    spent_by = chunk.seconds.get
    noted = seconds = changes = ""
    if seconds_only:
        for annotator_id, key in annotators:
            spent = spent_by((quote_id, annotator_id))
            seconds += f"{separator}{key}{'null' if spent is None else repr(spent)}"
        return "", seconds[len(separator) :], ""
    notes, changed_by = chunk.notes.get, chunk.changes.get
    for annotator_id, key in annotators:
        pair = (quote_id, annotator_id)
        spent = spent_by(pair)
        seconds += f"{separator}{key}{'null' if spent is None else repr(spent)}"
        changes += f"{separator}{key}{changed_by(pair, 0)}"
        note = notes(pair)
        if note is not None:
            noted += f"{separator}{key}{encode_note(note)}"
    cut = len(separator)
    return noted[cut:], seconds[cut:], changes[cut:]


class _Cache(dict):
    """Encoded pieces by what they encode, made by `make` on a miss; emptied past CACHE_LIMIT
    entries, so memory stays bounded. A hit is one dict lookup, no Python call."""

    def __init__(self, make: Callable) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        if len(self) >= CACHE_LIMIT:
            self.clear()
        value = self[key] = self.make(key)
        return value


class DatasetExporter:
    """Streams a project's labelled quotes; construct once per request."""

    def __init__(self, *, project: Project, options: ExportOptions) -> None:
        self.project = project
        self.options = options
        self.reader = DatasetReader(project=project, options=options)
        self.dimensions = self.reader.dimensions
        self.exported = 0  # records produced so far
        self._articles: dict[int, _Article] = {}
        self._parts = _Cache(self._part_for)  # (annotator id, answers) → _Part
        self._agreements = _Cache(self._agreement_for)  # the answers given → agreement
        self._answers_json = _Cache(partial(self._answers_for, as_json=True))
        self._answers_csv = _Cache(partial(self._answers_for, as_json=False))
        self._gold_json = _Cache(partial(self._gold_for, as_json=True))
        self._gold_csv = _Cache(partial(self._gold_for, as_json=False))
        self._strings = _Cache(encode_basestring)  # kind, origin
        # kind, origin, and the speaker's mention and the cue, which repeat (a dict lookup is
        # cheaper than the spreadsheet rule's call; for JSON encode_basestring is the cheaper)
        self._csv_strings = _Cache(_csv_field)
        self._speaker_names: dict[int, tuple[str, str]] = {}  # the chunk's (Chunk.speakers)
        self._speakers = _Cache(self._speaker_json)
        self._speakers_csv = _Cache(self._speaker_csv)

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

    def _answers_for(self, joined: str | None, *, as_json: bool) -> _Answers:
        """Decode "annotator:dimension:choice choice…,…" into the encoded labels and
        agreement.

        A team's quotes rarely repeat a whole combination (who answered and what), but each
        annotator's own answers and the set of answers given repeat often: both are encoded
        once (_part_for, _agreement_for) and a new combination is joined from them."""
        # Grouped by annotator without decoding: "dimension:choice choice…" texts are keys
        # enough for the caches (decoded on a miss, in _decoded).
        given: dict[str, list[str]] = {}
        for item in joined.split(",") if joined else ():
            annotator_id, _, answer = item.partition(":")
            if annotator_id in given:
                given[annotator_id].append(answer)
            else:
                given[annotator_id] = [answer]
        answered = sorted([(int(key), tuple(sorted(answers))) for key, answers in given.items()])
        parts = [self._parts[key] for key in answered]
        mean, agreement, shares_csv = self._agreements[tuple(sorted([a for _, a in answered]))]
        if as_json:
            return _Answers(
                mean=mean,
                labels='"labels":{' + ",".join(part.json for part in parts) + "}",
                agreement=agreement,
                annotators=tuple((part.annotator_id, part.key) for part in parts),
                unchanged='"label_changes":{' + ",".join(part.key + "0" for part in parts) + "}",
            )
        by_name = sorted(parts, key=lambda part: part.name)
        return _Answers(
            mean=mean,
            # No labels: "{}", which csv.writer leaves unquoted.
            labels=shares_csv
            + (
                _csv_json_text("{" + ", ".join(part.csv for part in by_name) + "}")
                if parts
                else "{}"
            ),
            agreement="",
            # Keys as they stand inside a quoted CSV field (quotes doubled), so that the
            # notes, seconds and changes cells need no escaping per record (_work_csv).
            annotators=tuple(
                (part.annotator_id, (part.key[:-1] + ": ").replace('"', '""')) for part in by_name
            ),
            unchanged=_csv_json_text(
                "{" + ", ".join(part.key[:-1] + ": 0" for part in by_name) + "}"
            ),
        )

    def _decoded(self, answers: tuple[str, ...]) -> dict[str, object]:
        """One annotator's answers ("dimension:choice choice…" texts) as {key: value} by key: a
        value, or the sorted values of a question with several answers."""
        pairs = []
        for answer in answers:
            dimension_id, choice_ids = answer.split(":")
            pairs += [(int(dimension_id), int(choice_id)) for choice_id in choice_ids.split(" ")]
        pairs.sort()
        keys, choice = self.reader.keys, self.reader.choice
        by_key: dict[str, list[str]] = {}
        for dimension_id, choice_id in pairs:
            by_key.setdefault(keys[dimension_id], []).append(choice(choice_id))
        return {key: self._value(key, values) for key, values in sorted(by_key.items())}

    def _part_for(self, key: tuple[int, tuple[str, ...]]) -> "_Part":
        annotator_id, answers = key
        name = self.reader.person(annotator_id)
        encoded = encode_basestring(name) + ":"
        values = self._decoded(answers)
        return _Part(
            annotator_id=annotator_id,
            name=name,
            key=encoded,
            json=encoded + _dumps(values),
            csv=encoded + " " + _dumps_csv(values),
        )

    def _agreement_for(self, answer_sets: tuple) -> tuple[float | None, str, str]:
        """The agreement of the annotators who gave these answers (one tuple of
        "dimension:choice choice…" texts each): the mean share, the JSON member, and the CSV fields
        agreement_<dimension>…, agreement_mean, each followed by a comma."""
        given = [self._decoded(answers) for answers in answer_sets]
        shares = [
            item_agreement([values[d.key] for values in given if d.key in values])
            for d in self.dimensions
        ]
        scored = [share for share in shares if share is not None]
        mean = round(sum(scored) / len(scored), 4) if scored else None
        agreement = {d.key: share for d, share in zip(self.dimensions, shares, strict=True)}
        agreement["mean"] = mean
        # Written with a stand-in last field, cut off: csv.writer writes a row of one empty field
        # as "" (when there are no questions), which a field following it would not be.
        shares_csv = _csv_cells((*(_blank(share) for share in shares), _blank(mean), "x"))[:-1]
        return mean, '"agreement":' + _dumps(agreement), shares_csv

    def _gold_for(self, joined: str | None, *, as_json: bool) -> str:
        """Decode "dimension:method:choice choice…,…" into the encoded gold: JSON, or the CSV
        fields gold_<dimension>…, gold_method_<dimension>… each followed by a comma."""
        if joined is None:
            if as_json:
                return '"gold":{}'
            cells = ("",) * (2 * len(self.dimensions))
            return _csv_cells(cells) + "," if cells else ""
        entries: dict[str, dict] = {}
        items = []
        for item in joined.split(","):
            dimension_id, method, choice_ids = item.split(":")
            items += [[dimension_id, method, choice_id] for choice_id in choice_ids.split(" ")]
        for item in sorted(items):
            dimension_id, method, choice_id = int(item[0]), item[1], int(item[2])
            entry = entries.setdefault(
                self.reader.keys[dimension_id], {"values": [], "method": method}
            )
            entry["values"].append(self.reader.choice(choice_id))
        gold = {
            key: {"value": self._value(key, entry["values"]), "method": entry["method"]}
            for key, entry in sorted(entries.items())
        }
        if as_json:
            return '"gold":' + _dumps(gold)
        keys = [d.key for d in self.dimensions]
        cells = (
            *(_cell(gold[key]["value"]) if key in gold else "" for key in keys),
            *(gold[key]["method"] if key in gold else "" for key in keys),
        )
        return _csv_cells(cells) + "," if cells else ""

    # A speaker removed while the export ran has no name.
    def _speaker_csv(self, speaker_id: int | None) -> str:
        name, kind = self._speaker_names.get(speaker_id, ("", ""))
        return _csv_cells((name or "", kind or ""))

    def _speaker_json(self, speaker_id: int | None) -> str:
        name, kind = self._speaker_names.get(speaker_id, (None, None))
        return f'"speaker":{{"id":{_json(speaker_id)},"name":{_json(name)},"kind":{_json(kind)}'

    # -- what annotators add: notes, time, changes; the discussion ------------------------------
    def _work_json(self, chunk: Chunk, quote_id: int, answers: _Answers, plain: bool) -> str:
        """'"notes":{…},"seconds_spent":{…},"label_changes":{…}' for the labels' annotators;
        `plain`: no one wrote a note on the quote or changed an answer."""
        if not answers.annotators:
            return _NO_ANNOTATORS_JSON
        noted, seconds, changes = _work_members(chunk, quote_id, answers.annotators, ",", plain)
        if plain:
            return f'"notes":{{}},"seconds_spent":{{{seconds}}},{answers.unchanged}'
        return f'"notes":{{{noted}}},"seconds_spent":{{{seconds}}},"label_changes":{{{changes}}}'

    def _work_csv(self, chunk: Chunk, quote_id: int, answers: _Answers, plain: bool) -> str:
        """The CSV cells notes_json, seconds_spent_json, label_changes_json."""
        if not answers.annotators:
            return _NO_ANNOTATORS_CSV
        noted, seconds, changes = _work_members(
            chunk, quote_id, answers.annotators, ", ", plain, _csv_quoted_json_text
        )
        # The members are CSV-escaped already (the keys by _answers_for, the notes here).
        noted = f'"{{{noted}}}"' if noted else "{}"
        changes = answers.unchanged if plain else f'"{{{changes}}}"'
        return f'{noted},"{{{seconds}}}",{changes}'

    def _comments(self, thread: list[tuple[int, str, datetime.datetime]]) -> list[dict]:
        person = self.reader.person
        return [
            {"author": person(author_id), "text": text, "created_at": created_at.isoformat()}
            for author_id, text, created_at in thread
        ]

    # -- records -------------------------------------------------------------------------------
    def _chunks(self, as_json: bool) -> Iterator[list]:
        """Per chunk of quotes, the encoded records: JSON lines or CSV lines. The loop is the
        export's hottest code: cached pieces are read by indexing (_Cache), the rest inline."""
        threshold = self.options.min_agreement
        if as_json:
            answers_for, gold_for = self._answers_json, self._gold_json
            strings, speakers, work = self._strings, self._speakers, self._work_json
        else:
            answers_for, gold_for = self._answers_csv, self._gold_csv
            strings, speakers, work = self._csv_strings, self._speakers_csv, self._work_csv
        for chunk in self.reader.chunks():
            self._load_articles(chunk)
            self._speaker_names = chunk.speakers
            articles = self._articles
            gold_of, comments_of = chunk.gold.get, chunk.comments.get
            # The quotes with a note or a change (a few): the others' work is their time alone.
            worked = {quote_id for quote_id, _ in chunk.notes}
            worked.update(quote_id for quote_id, _ in chunk.changes)
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
                answers = answers_for[labels]
                if threshold is not None and (answers.mean is None or answers.mean < threshold):
                    continue
                gold = gold_for[gold_of(quote_id)]
                article = articles[article_id]
                text = article.text
                thread = comments_of(quote_id)
                # A quote's speaker span and cue span are both set or both empty (the model's
                # constraints); the versions are integers or null.
                if as_json:
                    if speaker_start is None:
                        speaker_span = '"mention":null,"start":null,"end":null}'
                    else:
                        speaker_span = (
                            f'"mention":{encode_basestring(text[speaker_start:speaker_end])},'
                            f'"start":{speaker_start},"end":{speaker_end}}}'
                        )
                    if cue_start is None:
                        cue = '"cue":{"text":null,"start":null,"end":null}'
                    else:
                        cue = (
                            f'"cue":{{"text":{encode_basestring(text[cue_start:cue_end])},'
                            f'"start":{cue_start},"end":{cue_end}}}'
                        )
                    out.append(
                        f'{{"quote_id":{quote_id},{article.json},'
                        f'"text":{encode_basestring(text[start:end])},'
                        f'"kind":{strings[kind]},"origin":{strings[origin]},'
                        f'"content_start":{start},"content_end":{end},'
                        f"{speakers[speaker_id]},{speaker_span},{cue},"
                        '"changed_in_version":'
                        f"{'null' if changed_in_version is None else changed_in_version},"
                        '"gone_in_version":'
                        f"{'null' if gone_in_version is None else gone_in_version},"
                        f"{answers.labels},{gold},{answers.agreement},"
                        f"{work(chunk, quote_id, answers, quote_id not in worked)},"
                        f'"comments":{_dumps(self._comments(thread)) if thread else "[]"}}}\n'
                    )
                else:
                    if speaker_start is None:
                        speaker_span = ",,"
                    else:
                        speaker_span = (
                            f"{strings[text[speaker_start:speaker_end]]},"
                            f"{speaker_start},{speaker_end}"
                        )
                    if cue_start is None:
                        cue = ",,"
                    else:
                        cue = f"{strings[text[cue_start:cue_end]]},{cue_start},{cue_end}"
                    out.append(
                        f"{quote_id},{article.csv},{strings[kind]},{strings[origin]},"
                        f"{start},{end},{_csv_field(text[start:end])},{speakers[speaker_id]},"
                        f"{speaker_span},{cue},{gold}{answers.labels},{article.version_csv},"
                        f"{'' if changed_in_version is None else changed_in_version},"
                        f"{'' if gone_in_version is None else gone_in_version},"
                        f"{work(chunk, quote_id, answers, quote_id not in worked)},"
                        f"{_csv_json(self._comments(thread)) if thread else '[]'}\r\n"
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
