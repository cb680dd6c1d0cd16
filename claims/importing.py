"""Reading article files (.txt, .jsonl, .html, folders, uploads) and fetched pages and feeds
into import records, with problems.

This layer only parses: it turns bytes (on disk, uploaded or fetched by claims/fetching.py)
into `ArticleInput` records or `ImportProblem`s naming the file (and line) and the reason. A
web page's text, title, author, outlet, date and canonical URL come from trafilatura, a feed's
entries from feedparser. Storing is claims/services/articles.py and import_batches.py.
"""

import contextlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from config.input_guards import InputRefused, json_loads_bounded

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")


@dataclass(frozen=True)
class ArticleInput:
    title: str
    text: str
    source_name: str
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    author: str = ""


@dataclass(frozen=True)
class ImportProblem:
    source_name: str
    reason: str


def parse_published_at(value: object) -> datetime | None:
    """ISO 8601 date or date-time (naive means UTC); raises ValueError with a readable reason."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(
            f"published_at must be an ISO 8601 date string, not {type(value).__name__}"
        )
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.combine(day, time.min) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"published_at {value!r} is not a valid ISO 8601 date (e.g. 2023-11-06)")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ValueError("the file is empty")
    if b"\x00" in data:
        raise ValueError("the file is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"the file is not UTF-8 (invalid byte at position {error.start}); "
            "convert it, e.g. with iconv -t UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text_record(source_name: str, data: bytes) -> ArticleInput:
    text = _decode(data)
    title, _, body = text.strip().partition("\n")
    body = body.strip()
    if not body:
        raise ValueError("the file has a title line but no article text after it")
    return ArticleInput(title=title.strip(), text=body, source_name=source_name)


def _jsonl_record(source_name: str, line: str) -> ArticleInput:
    try:
        row = json_loads_bounded(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"malformed JSON ({error.msg} at column {error.colno})") from None
    except InputRefused as error:
        raise ValueError(f"refused JSON ({error})") from None
    if not isinstance(row, dict):
        raise ValueError("each line must be a JSON object")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing the 'text' field (a non-empty string)")
    title = row.get("title")
    if title is not None and not isinstance(title, str):
        raise ValueError("'title' must be a string")
    text = text.replace("\r\n", "\n").strip()
    if not title or not title.strip():
        title = text.split("\n", 1)[0][:200]
    for field in ("url", "outlet"):
        if row.get(field) is not None and not isinstance(row[field], str):
            raise ValueError(f"'{field}' must be a string")
    return ArticleInput(
        title=title.strip(),
        text=text,
        source_name=source_name,
        url=(row.get("url") or "").strip() or None,
        outlet=(row.get("outlet") or "").strip() or None,
        published_at=parse_published_at(row.get("published_at")),
    )


def _read_jsonl(source_name: str, data: bytes) -> Iterator[ArticleInput | ImportProblem]:
    text = _decode(data)
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        line_name = f"{source_name}:{number}"
        try:
            yield _jsonl_record(line_name, line)
        except ValueError as error:
            yield ImportProblem(line_name, str(error))


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | ImportProblem]:
    """Files as given, and the supported files inside folders (sorted, recursive)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not found:
                yield ImportProblem(str(path), "the folder holds no .txt, .jsonl or .html files")
            yield from found
        elif path.is_file():
            yield path
        else:
            yield ImportProblem(str(path), "no such file or folder")


def read_articles(paths: Iterable[str | Path]) -> Iterator[ArticleInput | ImportProblem]:
    """Every article record in the given files and folders, or the problem with each."""
    for path in expand_paths(paths):
        if isinstance(path, ImportProblem):
            yield path
            continue
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            yield ImportProblem(
                str(path), f"unsupported file type {suffix or '(none)'}; use .txt, .jsonl or .html"
            )
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            yield ImportProblem(str(path), f"cannot read the file ({error.strerror})")
            continue
        yield from read_file_data(str(path), data)


def read_file_data(source_name: str, data: bytes) -> Iterator[ArticleInput | ImportProblem]:
    """The records in one file's bytes (an upload, or a file read from disk), by its suffix."""
    suffix = Path(source_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield ImportProblem(
            source_name, f"unsupported file type {suffix or '(none)'}; use .txt, .jsonl or .html"
        )
        return
    try:
        if suffix == ".txt":
            yield _text_record(source_name, data)
        elif suffix == ".jsonl":
            yield from _read_jsonl(source_name, data)
        else:
            if not data.strip():
                raise ValueError("the file is empty")
            yield page_record(data, source_name=source_name)
    except ValueError as error:
        yield ImportProblem(source_name, str(error))


def read_pasted_text(text: str, *, title: str = "") -> ArticleInput | ImportProblem:
    """One pasted article: the given title, or else its first line as in a .txt file."""
    if title.strip():
        body = text.replace("\r\n", "\n").strip()
        if not body:
            return ImportProblem("pasted text", "the pasted text is empty")
        return ArticleInput(title=title.strip(), text=body, source_name="pasted text")
    try:
        return _text_record("pasted text", text.encode("utf-8"))
    except ValueError as error:
        return ImportProblem("pasted text", str(error).replace("the file", "the pasted text"))


# -- web pages and feeds ------------------------------------------------------------------------
def http_url(value: str | None) -> str | None:
    """The value when it is a valid http(s) URL (at most 2,000 characters), else None."""
    if not value or len(value) > 2000:
        return None
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return None
    return value


def _outlet_from(sitename: str | None, url: str | None) -> str | None:
    if sitename and sitename.strip():
        return " ".join(sitename.split())[:200]
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return None


def page_record(
    data: bytes,
    *,
    source_name: str,
    url: str | None = None,
    title_hint: str = "",
    published_hint: datetime | None = None,
) -> ArticleInput:
    """The article in an HTML page (fetched from `url`, or an uploaded file): its main text,
    title, author, outlet (site name, else the domain), date and canonical URL, found by
    trafilatura. Hints (from a feed entry) fill what the page lacks. ValueError when the page
    holds no article text."""
    # Imported here, not at the top: web workers import this module for every import page,
    # and trafilatura with lxml costs each of them ~13 MB and 0.2 s (docs/benchmarks.md).
    import trafilatura

    document = trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    text = (document.text or "").strip() if document is not None else ""
    if not text:
        raise ValueError("no article text found in the page")
    title = " ".join((document.title or title_hint or "").split())
    first_line, _, rest = text.partition("\n")
    if title and first_line.strip() == title and rest.strip():
        text = rest.strip()  # the headline repeated at the top of the body
    if not title:
        title = first_line.strip()[:200]
    canonical = http_url(urljoin(url, document.url) if url and document.url else document.url)
    canonical = canonical or http_url(url)
    published = published_hint
    if document.date:
        with contextlib.suppress(ValueError):
            published = parse_published_at(document.date)
    return ArticleInput(
        title=title[:500],
        text=text,
        source_name=source_name,
        url=canonical,
        outlet=_outlet_from(document.sitename, canonical or url),
        published_at=published,
        author=" ".join((document.author or "").split())[:300],
    )


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published_at: datetime | None


def feed_entries(data: bytes, *, feed_url: str, limit: int) -> list[FeedEntry]:
    """The http(s) links of an RSS or Atom feed's entries (at most `limit`), with their
    titles and dates. ValueError when it is not a feed.

    feedparser reads the bytes given (never a URL or a file name: it would fetch or open it).
    """
    import feedparser  # imported when used, as trafilatura above

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")()
        raise ValueError(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    entries, seen = [], set()
    for entry in parsed.entries:
        link = http_url(urljoin(feed_url, (entry.get("link") or "").strip()))
        if link is None or link in seen:
            continue
        seen.add(link)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*stamp[:6], tzinfo=UTC) if stamp and len(stamp) >= 6 else None
        title = re.sub(r"\s+", " ", entry.get("title") or "").strip()[:500]
        entries.append(FeedEntry(url=link, title=title, published_at=published))
        if len(entries) >= limit:
            break
    return entries
