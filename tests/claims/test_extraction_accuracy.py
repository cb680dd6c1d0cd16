"""Extraction quality on the seed articles, scored by the vendored official scorer."""

import importlib.util
import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

# Just below what the extractor reaches (F1 0.917, speaker 1.00); a drop means a regression.
MIN_F1 = 0.90
MIN_SPEAKER_ACCURACY = 0.95


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_quotes", FIXTURES / "score_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_articles_reach_quality_targets(tmp_path):
    articles = sorted(str(path) for path in (ROOT / "demo" / "articles").glob("*.txt"))
    out = StringIO()
    call_command("extract_quotes", *articles, "--jsonl", stdout=out)
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(out.getvalue(), encoding="utf-8")
    assert all(json.loads(line)["file"] for line in out.getvalue().splitlines())

    scorer = load_scorer()
    gold = scorer.read_jsonl_gold(FIXTURES / "seed_quotes_gold.jsonl")
    result = scorer.score(gold, scorer.read_predictions(predictions), 0.5)

    assert result["f1"] >= MIN_F1, result
    assert result["speaker_accuracy"] >= MIN_SPEAKER_ACCURACY, result
