"""Why gold attributions are missed: a categorisation of PolNeAR train misses by cause.

Usage: .venv/bin/python bench/recall_misses.py [--part four-fifths|fifth|all] [--scope all|claims]
           [--examples N] [--out FILE]

Every gold attribution that no prediction matches (character Jaccard >= 0.5, the scorer's
greedy matching) is put in one category: no gold cue; a prediction with the right cue and
other boundaries; the cue word a candidate whose content matches but scored below the cue
model's threshold (by probability), or accepted and dropped later (de-duplication, direct
quotes); a candidate whose content does not match; or no candidate at all, by the cue
word's part of speech and how the gold content hangs on it in the parse. Counts per
category and the commonest cue words print; ``--out`` writes every miss with its category
(and, for the right cue, what was predicted).
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
from claims.extraction.attribution import candidate, cue_drafts  # noqa: E402
from claims.extraction.cues import SCOPES, load_cue_model  # noqa: E402
from claims.extraction.document import ArticleDoc  # noqa: E402
from claims.extraction.quotemarks import find_quoted, merge_split_quotes  # noqa: E402


def content_relation(doc, cue_token, content: set[int]) -> str:
    """How the gold content hangs on the cue word in the parse: the dependency path from the
    cue to the content's top word (the content word whose head lies outside it)."""
    tokens = [token for token in doc if token.idx in content]
    if not tokens:
        return "none"
    inside = {token.i for token in tokens}
    tops = [token for token in tokens if token.head.i not in inside or token.head.i == token.i]
    top = max(tops, key=lambda token: len(list(token.subtree)))
    if top.head.i == cue_token.i:
        return f"child:{top.dep_}"
    if top.head.head.i == cue_token.i and top.head.i != top.i:
        return f"grandchild:{top.head.dep_}>{top.dep_}"
    if cue_token.head.i == top.i:
        return f"parent:{cue_token.dep_}"
    if top.head.i == cue_token.head.i:
        return f"sibling:{top.dep_}"
    if cue_token.i in inside:
        return "cue inside content"
    if top.sent.start != cue_token.sent.start:
        return "other sentence"
    return "further"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", default="four-fifths", choices=["four-fifths", "fifth", "all"])
    parser.add_argument("--scope", default="all", choices=SCOPES)
    parser.add_argument("--examples", type=int, default=12)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = SHARED / "data" / "polnear" / "train"
    scorer = load_scorer()
    gold = scorer.read_polnear(folder)
    paths = article_paths(folder)
    nlp = load_pipeline(DEFAULT_MODEL)
    docs = parsed(paths, nlp, "train")
    model = load_cue_model()
    indexes = part_indexes(len(paths), args.part)
    categories: Counter = Counter()
    cue_words: dict[str, Counter] = defaultdict(Counter)
    rows = []
    total_gold = 0
    for i in indexes:
        doc, name = docs[i], paths[i].stem
        items = gold[name]
        total_gold += len(items)
        predictions = []
        for quote in quotes_from_doc(doc, scope=args.scope):
            cue = set(range(quote.cue.start, quote.cue.end)) if quote.cue else set()
            predictions.append((set(range(quote.content.start, quote.content.end)), cue))
        used_g = {
            b for _, b in matched_pairs([p[0] for p in predictions], [g["content"] for g in items])
        }
        article = ArticleDoc(
            doc, merge_split_quotes(doc.text, find_quoted(doc.text)), model, args.scope
        )
        for b, item in enumerate(items):
            if b in used_g:
                continue
            content, cue = item["content"], item["cue"]
            cue_tokens = [token for token in doc if token.idx in cue]
            same_cue = [
                (jaccard(p[0], content), min(p[0]), max(p[0]) + 1)
                for p in predictions
                if p[1] & cue
            ]
            best_other, first, last = max(same_cue, default=(0.0, 0, 0))
            other_content = doc.text[first:last][:300] if best_other > 0 else None
            overlapping = any(p[0] & content for p in predictions)
            word = " ".join(token.lower_ for token in cue_tokens) or "-"
            category, detail = "", ""
            if not cue_tokens:
                category = "no gold cue"
            elif best_other > 0:
                category = "right cue, other boundaries"
                detail = f"J={min(int(best_other * 10), 4) / 10:.1f}+"
            else:
                found = []
                for token in cue_tokens:
                    candidate_found = candidate(article, token)
                    if candidate_found is None:
                        continue
                    kind, head, features = candidate_found
                    probability = model.probability(features)
                    spans = [
                        set(range(*draft.content))
                        for draft in cue_drafts(article, token, kind, head, probability)
                    ]
                    best = max((jaccard(span, content) for span in spans), default=0.0)
                    found.append((best, probability, kind))
                if found:
                    best, probability, kind = max(found)
                    if best >= 0.5 and probability < model.threshold:
                        category = "candidate below threshold"
                        detail = f"p={int(probability * 10) / 10:.1f}"
                    elif best >= 0.5:
                        category = "candidate accepted, dropped later"
                        detail = kind
                    else:
                        category = "candidate, content does not match"
                        detail = (
                            f"{kind}, {'accepted' if probability >= model.threshold else 'below'}"
                        )
                else:
                    head = max(cue_tokens, key=lambda token: len(list(token.subtree)))
                    around = article.quote_at(head.idx)
                    if around is not None and not around.in_aside(head.idx):
                        category = "no candidate: cue inside a quote"
                    else:
                        category = f"no candidate: {head.pos_}"
                        detail = content_relation(doc, head, content)
            categories[(category, detail)] += 1
            cue_words[category][word] += 1
            rows.append(
                {
                    "article": name,
                    "category": category,
                    "detail": detail,
                    "overlapping": overlapping,
                    "cue": word,
                    "content": doc.text[min(content) : max(content) + 1][:300],
                    "predicted": other_content,
                }
            )
    missed = len(rows)
    print(
        f"train {args.part} scope {args.scope}: {missed} of {total_gold} gold attributions missed"
    )
    by_category: Counter = Counter()
    for (category, _), count in categories.items():
        by_category[category] += count
    for category, count in by_category.most_common():
        print(f"\n{count:5d}  {category}")
        for (name, detail), sub in sorted(categories.items(), key=lambda item: -item[1]):
            if name == category and detail and sub >= 10:
                print(f"         {sub:5d}  {detail}")
        common = ", ".join(f"{w} {n}" for w, n in cue_words[category].most_common(args.examples))
        print(f"         cues: {common}")
    if args.out:
        args.out.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
