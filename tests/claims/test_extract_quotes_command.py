"""The extract_quotes command: JSON lines per quote, bad files reported, no database needed."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

KEYS = {
    "file",
    "kind",
    "content_start",
    "content_end",
    "content",
    "speaker_start",
    "speaker_end",
    "speaker_mention",
    "speaker",
    "speaker_kind",
    "cue_start",
    "cue_end",
    "cue",
}


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("extract_quotes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_jsonl_prints_one_object_per_quote_with_exact_offsets(tmp_path):
    path = tmp_path / "article.txt"
    text = (
        "Intro line.\r\n\r\n“We will win,” the governor said.\r\n"
        "She said that taxes would fall.\r\n"
    )
    path.write_bytes(text.encode("utf-8"))
    out, _ = run(str(path), "--jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    for row in rows:
        assert set(row) == KEYS
        assert row["file"] == str(path)
        assert text[row["content_start"] : row["content_end"]] == row["content"]
        assert text[row["speaker_start"] : row["speaker_end"]] == row["speaker_mention"]
        assert text[row["cue_start"] : row["cue_end"]] == row["cue"]
    assert [row["kind"] for row in rows] == ["direct", "indirect"]


def test_quote_without_speaker_has_null_speaker_offsets(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(
        "Above the stage hung a banner: “Nobody here will ever vote for a party that closed "
        "our mine.”\n",
        encoding="utf-8",
    )
    out, _ = run(str(path), "--jsonl")
    row = json.loads(out.splitlines()[0])
    assert row["speaker_start"] is None and row["speaker_end"] is None
    assert row["speaker_mention"] is None


def test_table_output_without_jsonl(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("“We will win,” the governor said.\n", encoding="utf-8")
    out, _ = run(str(path))
    assert "We will win" in out
    assert "said" in out
    assert not out.lstrip().startswith("{")


def test_bad_and_missing_files_are_reported_and_the_rest_processed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("“We will win,” the governor said.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Caf\xe9 \xff\xfe said nothing.\n")
    missing = tmp_path / "missing.txt"
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "extract_quotes", str(bad), str(missing), str(good), "--jsonl", stdout=out, stderr=err
        )
    assert failure.value.returncode == 1
    assert str(bad) in err.getvalue() and "UTF-8" in err.getvalue()
    assert str(missing) in err.getvalue()
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["file"] for row in rows] == [str(good)]


def test_scope_all_adds_stances_that_the_default_claims_scope_leaves_out(tmp_path, settings):
    path = tmp_path / "stance.txt"
    path.write_text("Senator Ted Cruz criticized the president for attacking the court.\n")
    claims, _ = run(str(path), "--jsonl")
    assert claims == ""
    rows = [
        json.loads(line)
        for line in run(str(path), "--jsonl", "--scope", "all")[0].split("\n")
        if line
    ]
    assert [row["cue"] for row in rows] == ["criticized"]
    settings.EXTRACTION_SCOPE = "all"  # the setting is the default
    assert run(str(path), "--jsonl")[0] != ""


def test_unknown_scope_is_refused(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("She said yes.\n")
    with pytest.raises(CommandError, match="scope"):
        run(str(path), "--scope", "everything")
