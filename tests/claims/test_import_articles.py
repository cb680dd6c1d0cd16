"""`manage.py import_articles`: formats, idempotence, and bad input reported per file."""

import json
from datetime import UTC
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, ImportBatch, Quote

pytestmark = pytest.mark.django_db

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "demo" / "articles"


def run_import(*paths, **options):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err, **options)
        failed = False
    except CommandError:
        failed = True
    return out.getvalue(), err.getvalue(), failed


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def test_import_seed_folder_stores_articles_with_title_line_and_body():
    out, err, failed = run_import(DEMO_ARTICLES)
    assert not failed, err
    assert Article.objects.count() == 2
    article = Article.objects.get(title="Zelensky admits Ukraine’s backers talking to Russia")
    assert article.text.startswith("6 Nov, 2023 07:57")
    assert article.extraction_status == Article.ExtractionStatus.DONE
    assert "Imported 2 new article(s)" in out


def test_import_extracts_quotes_with_spans_inside_the_text():
    run_import(DEMO_ARTICLES)
    assert Quote.objects.count() >= 10
    for quote in Quote.objects.select_related("article"):
        assert 0 <= quote.content_start < quote.content_end <= len(quote.article.text)
        assert quote.content.strip()


def test_importing_the_same_text_twice_keeps_one_article():
    run_import(DEMO_ARTICLES)
    quotes = Quote.objects.count()
    out, _, failed = run_import(DEMO_ARTICLES)
    assert not failed
    assert Article.objects.count() == 2
    assert Quote.objects.count() == quotes
    assert "0 new article(s)" in out and "2 already present" in out


def test_jsonl_import_reads_all_fields(tmp_path):
    path = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            {
                "title": "Talks",
                "text": "“We will talk,” the minister said.",
                "url": "https://news.example.org/talks",
                "outlet": "Example News",
                "published_at": "2024-03-01T10:00:00Z",
            }
        ],
    )
    _, err, failed = run_import(path)
    assert not failed, err
    article = Article.objects.select_related("outlet").get()
    assert (article.title, article.url, article.outlet.name) == (
        "Talks",
        "https://news.example.org/talks",
        "Example News",
    )
    assert article.published_at.isoformat() == "2024-03-01T10:00:00+00:00"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2023-11-06", "2023-11-06T00:00:00+00:00"),
        ("2023-11-06T07:57:00", "2023-11-06T07:57:00+00:00"),
        ("2023-11-06T07:57:00+03:00", "2023-11-06T04:57:00+00:00"),
    ],
)
def test_a_date_without_time_or_zone_is_read_as_utc(tmp_path, given, stored):
    path = write_jsonl(tmp_path / "dated.jsonl", [{"text": "He said so.", "published_at": given}])
    _, err, failed = run_import(path)
    assert not failed, err
    assert Article.objects.get().published_at.astimezone(UTC).isoformat() == stored


def test_bad_files_are_reported_with_reasons_and_the_rest_imports(tmp_path):
    (tmp_path / "good.txt").write_text("A title\n\nThe mayor said the bridge would open.", "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("Titre\nLe ministre a déclaré".encode("latin-1"))
    (tmp_path / "title-only.txt").write_text("Only a title\n", "utf-8")
    write_jsonl(
        tmp_path / "rows.jsonl",
        [
            {"title": "No text here"},
            {"title": "Bad date", "text": "Some text.", "published_at": "yesterday"},
            "{not json",
            {"title": "Bad url", "text": "Other text.", "url": "javascript:alert(1)"},
            {"title": "Fine row", "text": "The senator said no."},
        ],
    )
    _, err, failed = run_import(tmp_path)
    assert failed
    assert sorted(Article.objects.values_list("title", flat=True)) == ["A title", "Fine row"]
    assert "empty.txt: the file is empty" in err
    assert "binary.txt: the file is binary" in err
    assert "latin1.txt: the file is not UTF-8" in err
    assert "title-only.txt: the file has a title line but no article text" in err
    assert "rows.jsonl:1: missing the 'text' field" in err
    assert "rows.jsonl:2: published_at 'yesterday' is not a valid ISO 8601 date" in err
    assert "rows.jsonl:3: malformed JSON" in err
    assert "rows.jsonl:4: url: 'javascript:alert(1)' is not a valid http(s) URL" in err


def test_missing_path_and_unsupported_type_are_reported(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    _, err, failed = run_import(tmp_path / "nope.txt", tmp_path / "notes.pdf")
    assert failed
    assert "nope.txt: no such file or folder" in err
    assert "notes.pdf: unsupported file type .pdf" in err
    assert not Article.objects.exists()
    assert not ImportBatch.objects.exists()


def test_same_url_with_different_text_becomes_a_new_version(tmp_path):
    path = write_jsonl(
        tmp_path / "rows.jsonl",
        [
            {"title": "One", "text": "First text.", "url": "https://x.example.org/a"},
            {"title": "Two", "text": "Second text.", "url": "https://x.example.org/a"},
        ],
    )
    _, _err, failed = run_import(path)
    assert not failed
    first, second = Article.objects.order_by("id")
    assert (first.version, second.version) == (1, 2)
    assert second.lineage == first and first.replaced_by == second
    assert list(Article.objects.current().values_list("title", flat=True)) == ["Two"]


def test_article_over_the_size_limit_is_refused(tmp_path, settings):
    settings.ARTICLE_MAX_CHARS = 100
    (tmp_path / "long.txt").write_text("Long\n" + "word " * 50, "utf-8")
    _, err, failed = run_import(tmp_path / "long.txt")
    assert failed
    assert "the limit is 100" in err
    assert not Article.objects.exists()


def test_windows_line_endings_are_normalised(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"Title\r\n\r\nLine one.\r\nLine two.\r\n")
    run_import(tmp_path / "crlf.txt")
    assert Article.objects.get().text == "Line one.\nLine two."


def test_import_records_its_batch(tmp_path):
    (tmp_path / "a.txt").write_text("A\nText a.", "utf-8")
    run_import(tmp_path, batch="March batch")
    assert Article.objects.get().batch.name == "March batch"
