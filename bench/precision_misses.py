"""Why predictions match no gold attribution: boundary misses and false positives on PolNeAR train.

Usage: .venv/bin/python bench/precision_misses.py [--part four-fifths|fifth|all]
           [--scope all|claims] [--examples N] [--out FILE]

Every prediction the scorer's greedy matching (character Jaccard >= 0.5) leaves unmatched is put
in one group: "boundaries" when an unmatched gold attribution has the same cue (the spans
overlap), described by which edge is off and how (the content starts early or late, ends early
or late, and the words in the difference); else a false positive, by origin (indirect with a cue
word and what the word reports, direct with a cue, mixed, "according to", a poll, an
impression, a colon line, a direct quote without a cue) and by cue word. Per origin and per cue
word it prints matched / predicted, so a rule that is mostly wrong shows. ``--out`` writes
every unmatched prediction with its group and the gold it is closest to.
Reads the cached parses of bench/speaker_misses.py (train only: dev's misses are not read).
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from speaker_misses import jaccard, matched_pairs, parsed, part_indexes  # noqa: E402
from train_extractor import (  # noqa: E402
    DEFAULT_MODEL,
    SHARED,
    article_paths,
    load_scorer,
)

from claims.extraction import load_pipeline, quotes_from_doc  # noqa: E402
from claims.extraction.attribution import APPEARANCE_VERBS  # noqa: E402
from claims.extraction.cues import SCOPES, content_kind  # noqa: E402


def origin(doc, quote) -> str:
    """Which rule made the quote, as far as its kind and cue tell."""
    if quote.cue is None:
        return f"{quote.kind} without cue"
    cue = quote.cue.text.lower()
    if cue == ":":
        return "colon line"
    if cue.startswith("according"):
        return "according to"
    if cue == "in":
        return "poll"
    if cue in APPEARANCE_VERBS and quote.speaker_mention is None:
        return "impression"
    if quote.kind != "indirect":
        return f"{quote.kind} with cue"
    token = next((t for t in doc if t.idx == quote.cue.start), None)
    kind = content_kind(token)[0] if token is not None else "?"
    return f"indirect: {kind}"


def edge(text: str, predicted: tuple[int, int], gold: tuple[int, int]) -> tuple[str, str]:
    """How the predicted span's edges differ from the gold's: a label and the differing text."""
    (ps, pe), (gs, ge) = predicted, gold
    labels, words = [], []
    if ps < gs:
        labels.append("starts early")
        words.append("+[" + text[ps:gs][:80] + "]")
    elif ps > gs:
        labels.append("starts late")
        words.append("-[" + text[gs:ps][:80] + "]")
    if pe > ge:
        labels.append("ends late")
        words.append("+[" + text[ge:pe][:80] + "]")
    elif pe < ge:
        labels.append("ends early")
        words.append("-[" + text[pe:ge][:80] + "]")
    return ", ".join(labels) or "same edges, gaps", " ".join(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", default="four-fifths", choices=["four-fifths", "fifth", "all"])
    parser.add_argument("--scope", default="all", choices=SCOPES)
    parser.add_argument("--examples", type=int, default=15)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = SHARED / "data" / "polnear" / "train"
    gold = load_scorer().read_polnear(folder)
    paths = article_paths(folder)
    docs = parsed(paths, load_pipeline(DEFAULT_MODEL), "train")
    indexes = part_indexes(len(paths), args.part)
    by_origin: dict[str, Counter] = defaultdict(Counter)
    by_cue: dict[str, Counter] = defaultdict(Counter)
    edges: Counter = Counter()
    rows = []
    for i in indexes:
        doc, name = docs[i], paths[i].stem
        text, items = doc.text, gold[name]
        quotes = quotes_from_doc(doc, scope=args.scope)
        spans = [set(range(q.content.start, q.content.end)) for q in quotes]
        cues = [set(range(q.cue.start, q.cue.end)) if q.cue else set() for q in quotes]
        pairs = matched_pairs(spans, [item["content"] for item in items])
        used_p, used_g = {a for a, _ in pairs}, {b for _, b in pairs}
        for a, quote in enumerate(quotes):
            where = origin(doc, quote)
            cue_word = quote.cue.text.lower() if quote.cue else "-"
            matched = a in used_p
            by_origin[where]["predicted"] += 1
            by_origin[where]["matched"] += matched
            by_cue[f"{cue_word} | {where}"]["predicted"] += 1
            by_cue[f"{cue_word} | {where}"]["matched"] += matched
            if matched:
                continue
            same_cue = [
                (jaccard(spans[a], item["content"]), b)
                for b, item in enumerate(items)
                if b not in used_g and item["cue"] & cues[a]
            ]
            overlapping = [
                (jaccard(spans[a], item["content"]), b)
                for b, item in enumerate(items)
                if item["content"] & spans[a]
            ]
            row = {
                "article": name,
                "origin": where,
                "cue": cue_word,
                "content": quote.content.text[:300],
            }
            if same_cue:
                overlap, b = max(same_cue)
                content = items[b]["content"]
                gold_span = (min(content), max(content) + 1)
                label, words = edge(text, (quote.content.start, quote.content.end), gold_span)
                edges[(where, label)] += 1
                by_origin[where]["boundaries"] += 1
                row.update(
                    group="boundaries",
                    jaccard=round(overlap, 2),
                    edge=label,
                    difference=words,
                    gold=text[gold_span[0] : gold_span[1]][:300],
                    gold_gaps=len(content) != gold_span[1] - gold_span[0],
                )
            else:
                by_origin[where]["false positive"] += 1
                by_cue[f"{cue_word} | {where}"]["false positive"] += 1
                group = "overlaps a gold content" if overlapping else "overlaps nothing"
                by_origin[where][group] += 1
                row.update(group=group)
                if overlapping:
                    overlap, b = max(overlapping)
                    content = items[b]["content"]
                    cue = items[b]["cue"]
                    row.update(
                        jaccard=round(overlap, 2),
                        gold=text[min(content) : max(content) + 1][:300],
                        gold_cue=text[min(cue) : max(cue) + 1] if cue else "",
                        gold_matched=b in used_g,
                    )
            rows.append(row)
    total = Counter()
    for counts in by_origin.values():
        total.update(counts)
    print(
        f"train {args.part} scope {args.scope}: matched {total['matched']} / predicted "
        f"{total['predicted']}; unmatched: boundaries {total['boundaries']}, false positives "
        f"{total['false positive']} (overlapping a gold content {total['overlaps a gold content']}"
        f", nothing {total['overlaps nothing']})"
    )
    print("\norigin: matched / predicted (precision), boundaries, FP overlapping gold, FP alone")
    for where, counts in sorted(by_origin.items(), key=lambda item: -item[1]["predicted"]):
        print(
            f"  {where:32s} {counts['matched']:5d} / {counts['predicted']:5d} "
            f"({counts['matched'] / counts['predicted']:.2f})  {counts['boundaries']:4d}  "
            f"{counts['overlaps a gold content']:4d}  {counts['overlaps nothing']:4d}"
        )
    print("\nboundary misses by edge")
    for (where, label), count in edges.most_common(args.examples * 2):
        print(f"  {count:5d}  {where:32s} {label}")
    print("\ncue words with the most false positives: matched / predicted, false positives")
    worst = sorted(by_cue.items(), key=lambda item: -item[1]["false positive"])
    for key, counts in worst[: args.examples * 3]:
        print(
            f"  {key:48s} {counts['matched']:5d} / {counts['predicted']:5d}  "
            f"{counts['false positive']:4d}"
        )
    if args.out:
        args.out.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
