"""Quote and canonical speaker figures on a PolNeAR split from cached parses, with the misses.

Usage: .venv/bin/python bench/speaker_misses.py [--split train|dev] [--part four-fifths|fifth|all]
           [--scope all|claims] [--misses FILE] [--missed FILE]

A quicker loop than ``make eval`` for speaker and source work: the articles are parsed once
and cached as a DocBin (the same cache as ``make train-extractor``), the gold sources' named
persons are found once (as ``score_speakers.py`` finds them) and cached as JSON, and the
figures are computed in-process with the shared scorer's matching. ``--misses`` writes every
canonical miss (gold source, predicted mention, predicted name, the sentence); ``--missed``
writes every gold attribution no prediction matched, with its cue. The four-fifths/fifth parts
are train_extractor.py's split (every fifth article is held out).
"""

import argparse
import functools
import hashlib
import json
import re
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from train_extractor import (  # noqa: E402
    DEFAULT_CACHE,
    DEFAULT_MODEL,
    HELD_OUT_EVERY,
    SHARED,
    article_paths,
    load_scorer,
)

from claims.extraction import load_pipeline, quotes_from_doc  # noqa: E402
from claims.extraction.records import quote_record  # noqa: E402


def parsed(paths: list[Path], nlp, split: str) -> list:
    from spacy.tokens import DocBin

    texts = [path.read_bytes().decode("utf-8") for path in paths]
    digest = hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()[:16]
    cached = DEFAULT_CACHE / f"{DEFAULT_MODEL}-polnear-{split}-{digest}.spacy"
    if cached.exists():
        return list(DocBin().from_disk(cached).get_docs(nlp.vocab))
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    bin_ = DocBin(
        attrs=["ORTH", "TAG", "POS", "MORPH", "HEAD", "DEP", "SENT_START", "ENT_IOB", "ENT_TYPE"]
    )
    for doc in docs:
        bin_.add(doc)
    DEFAULT_CACHE.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(cached)
    print(f"parsed {len(docs)} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return docs


@functools.cache
def _scorer():
    return load_scorer()


def jaccard(first: set[int], second: set[int]) -> float:
    """The shared scorer's overlap of two sets of character offsets."""
    return _scorer().jaccard(first, second)


def part_indexes(count: int, part: str) -> list[int]:
    """The articles of one part of train: all, the four fifths the rules are read off, or the
    fifth held out (every HELD_OUT_EVERY-th, as bench/train_extractor.py holds it out)."""
    if part == "all":
        return list(range(count))
    held = part == "fifth"
    return [i for i in range(count) if (i % HELD_OUT_EVERY == 0) == held]


def matched_pairs(predicted: list[set[int]], gold: list[set[int]]) -> list[tuple[int, int]]:
    """(prediction, gold) index pairs the shared scorer matches: greedily by content Jaccard,
    highest first, each side used once, at 0.5 or more."""
    pairs = sorted(
        ((jaccard(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_p, used_g, matched = set(), set(), []
    for overlap, i, j in pairs:
        if overlap >= 0.5 and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


def gold_surnames(folder: Path, gold: dict, split: str) -> dict:
    """(article, source start, source end) -> surname, exactly as score_speakers.py decides."""
    cached = DEFAULT_CACHE / f"surnames-{split}.json"
    if cached.exists():
        return {
            tuple(key.split("|")): value for key, value in json.loads(cached.read_text()).items()
        }
    import spacy

    nlp = spacy.load(DEFAULT_MODEL, disable=["lemmatizer"])
    surnames = {}
    for article, items in gold.items():
        text = (folder / "text" / f"{article}.txt").read_text(encoding="utf-8")
        for item in items:
            source = item["speaker"]
            if not source:
                continue
            start, end = min(source), max(source) + 1
            if end - start > 200:
                continue
            doc = nlp(text[start:end])
            people = [
                e
                for e in doc.ents
                if e.label_ == "PERSON"
                and len(e) >= 2
                and not (e.end < len(doc) and doc[e.end].text in ("'s", "’s", "’"))
            ]
            if len(people) != 1:
                continue
            names = [
                t.text.lower()
                for t in people[0]
                if t.is_alpha and t.text.lower() not in ("jr", "sr")
            ]
            if names:
                surnames[(article, str(start), str(end))] = names[-1]
    cached.write_text(json.dumps({"|".join(key): value for key, value in surnames.items()}))
    return surnames


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="train", choices=["train", "dev"])
    parser.add_argument("--part", default="four-fifths", choices=["four-fifths", "fifth", "all"])
    parser.add_argument("--scope", default="all", choices=["all", "claims"])
    parser.add_argument("--misses", type=Path)
    parser.add_argument("--missed", type=Path)
    parser.add_argument("--names", type=Path, help="Every matched quote's gold source and name.")
    args = parser.parse_args()
    folder = SHARED / "data" / "polnear" / args.split
    scorer = load_scorer()
    gold = scorer.read_polnear(folder)
    paths = article_paths(folder)
    nlp = load_pipeline(DEFAULT_MODEL)
    docs = parsed(paths, nlp, args.split)
    surnames = gold_surnames(folder, gold, args.split)
    indexes = part_indexes(len(paths), args.part if args.split == "train" else "all")
    predictions, rows_of = {}, {}
    started = time.perf_counter()
    for i in indexes:
        name = paths[i].stem
        rows = [quote_record(q, file=name) for q in quotes_from_doc(docs[i], scope=args.scope)]
        rows_of[name] = rows
        items = []
        for row in rows:
            item = {"content": set(range(row["content_start"], row["content_end"]))}
            for role in ("speaker", "cue"):
                start, end = row[f"{role}_start"], row[f"{role}_end"]
                item[role] = set(range(start, end)) if start is not None else set()
            item["speaker_name"] = row["speaker"] or ""
            items.append(item)
        predictions[name] = items
    elapsed = time.perf_counter() - started
    names = [paths[i].stem for i in indexes]
    result = scorer.score({name: gold[name] for name in names}, predictions, 0.5)
    checked = right = named = named_right = 0
    misses, missed, named_rows = [], [], []
    words = lambda s: {w.lower() for w in re.findall(r"[^\W\d_]+", s)}  # noqa: E731
    for name in names:
        text = docs[paths.index(folder / "text" / f"{name}.txt")].text
        used_g = set()
        for i, j in matched_pairs(
            [p["content"] for p in predictions[name]], [g["content"] for g in gold[name]]
        ):
            used_g.add(j)
            source = gold[name][j]["speaker"]
            if not source:
                continue
            start, end = min(source), max(source) + 1
            row = rows_of[name][i]
            source_text = text[start:end]
            proper = [
                word
                for word in re.findall(r"[A-Z][\w’'.-]*", source_text)
                if word.lower() not in ("he", "she", "they", "it", "we", "i", "the", "a", "an")
            ]
            if proper:
                named_rows.append(
                    {
                        "article": name,
                        "gold": source_text,
                        "mention": row["speaker_mention"],
                        "speaker": row["speaker"],
                    }
                )
            if row["speaker"] and proper:
                # Any name given: is it in the gold source (a word of it, not only a person)?
                named += 1
                named_right += bool(words(row["speaker"]) & words(source_text))
            surname = surnames.get((name, str(start), str(end)))
            if surname is None:
                continue
            checked += 1
            if surname in words(row["speaker"] or ""):
                right += 1
                continue
            cue = gold[name][j]["cue"]
            around = min(min(source), min(gold[name][j]["content"]))
            misses.append(
                {
                    "article": name,
                    "gold": text[start:end],
                    "mention": row["speaker_mention"],
                    "speaker": row["speaker"],
                    "kind": row["kind"],
                    "overlaps": bool(predictions[name][i]["speaker"] & source),
                    "cue": text[min(cue) : max(cue) + 1] if cue else "",
                    "context": text[max(0, around - 150) : around + 250].replace("\n", " / "),
                }
            )
        for j, item in enumerate(gold[name]):
            if j in used_g:
                continue
            cue = item["cue"]
            content = item["content"]
            missed.append(
                {
                    "article": name,
                    "cue": text[min(cue) : max(cue) + 1] if cue else "",
                    "source": text[min(item["speaker"]) : max(item["speaker"]) + 1]
                    if item["speaker"]
                    else "",
                    "content": text[min(content) : max(content) + 1][:300],
                }
            )
    share = right / checked if checked else 0.0
    print(
        f"{args.split} {args.part} scope {args.scope}: {len(names)} articles, "
        f"matched {result['matched']}/{result['predicted']}/{result['gold']} "
        f"P {result['precision']:.3f} R {result['recall']:.3f} F1 {result['f1']:.3f}, "
        f"speaker {result['speaker_accuracy']:.4f}, cue {result['cue_accuracy']:.4f}, "
        f"canonical {right}/{checked} = {share:.3f} "
        f"({sum(1 for miss in misses if miss['speaker'])} misses name someone else; "
        f"rules {elapsed:.1f} s); names given where the gold source names someone: "
        f"{named_right}/{named} share a word with it"
    )
    outputs = ((args.misses, misses), (args.missed, missed), (args.names, named_rows))
    for target, entries in outputs:
        if target:
            target.write_text("".join(json.dumps(entry) + "\n" for entry in entries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
