"""Inter-annotator agreement measures over plain data (no Django): alpha, kappa, per-quote share.

Every measure takes `units`: quote id → annotator id → the annotator's answer, where an answer
is any hashable value (a choice value, or a sorted tuple of values for multiple-choice
dimensions, so that only identical sets agree). Undefined results are None with a reason,
never NaN.
"""

import itertools
import math
import warnings
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

# numpy, krippendorff and scikit-learn are imported inside the functions that need them:
# scikit-learn alone adds ~100 MB to a process, and the export and queue paths that import
# this module for majority_share must stay lean.

Units = Mapping[Hashable, Mapping[Hashable, Hashable]]


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha (nominal); `value` is None when undefined, `reason` says why."""

    value: float | None
    pairable_quotes: int
    reason: str = ""


@dataclass(frozen=True)
class PairKappa:
    """Cohen's kappa for two annotators over the quotes both labelled."""

    annotator_a: Hashable
    annotator_b: Hashable
    shared_quotes: int
    value: float | None
    reason: str = ""


@dataclass(frozen=True)
class QuoteAgreement:
    """Share of annotators agreeing with the majority answer, per dimension, and their mean."""

    per_dimension: dict[str, float | None]
    mean: float | None


def krippendorff_alpha_nominal(units: Units) -> Alpha:
    """Nominal alpha over the annotator × quote reliability matrix (missing answers are NaN).

    Only quotes with two or more answers carry information (a lone answer has no one to agree
    with), so alpha is undefined when there are none, or when all of them hold one value
    (expected disagreement is zero).
    """
    pairable = {quote: answers for quote, answers in units.items() if len(answers) >= 2}
    if not pairable:
        return Alpha(None, 0, "No quote has answers from two or more annotators.")
    values = {value for answers in pairable.values() for value in answers.values()}
    if len(values) < 2:
        return Alpha(None, len(pairable), "Every answer is the same value; alpha is undefined.")
    codes = {value: code for code, value in enumerate(sorted(values, key=repr))}
    annotators = sorted({a for answers in pairable.values() for a in answers}, key=repr)
    row_of = {annotator: row for row, annotator in enumerate(annotators)}
    import krippendorff
    import numpy as np

    matrix = np.full((len(annotators), len(pairable)), np.nan)
    for column, answers in enumerate(pairable.values()):
        for annotator, value in answers.items():
            matrix[row_of[annotator], column] = codes[value]
    alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    return Alpha(float(alpha), len(pairable))


def cohen_kappa_pairs(units: Units) -> list[PairKappa]:
    """Cohen's kappa for every pair of annotators, over the quotes both of them answered."""
    by_annotator: dict[Hashable, dict[Hashable, Hashable]] = {}
    for quote, answers in units.items():
        for annotator, value in answers.items():
            by_annotator.setdefault(annotator, {})[quote] = value
    results = []
    for a, b in itertools.combinations(sorted(by_annotator, key=repr), 2):
        shared = sorted(by_annotator[a].keys() & by_annotator[b].keys(), key=repr)
        results.append(
            _pair_kappa(
                a, b, [by_annotator[a][q] for q in shared], [by_annotator[b][q] for q in shared]
            )
        )
    return results


def _pair_kappa(a: Hashable, b: Hashable, answers_a: list, answers_b: list) -> PairKappa:
    if not answers_a:
        return PairKappa(a, b, 0, None, "No quote labelled by both.")
    labels = sorted(set(answers_a) | set(answers_b), key=repr)
    if len(labels) < 2:
        return PairKappa(
            a, b, len(answers_a), None, "Both gave one and the same answer throughout."
        )
    from sklearn.metrics import cohen_kappa_score

    codes = {value: code for code, value in enumerate(labels)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = cohen_kappa_score(
            [codes[v] for v in answers_a],
            [codes[v] for v in answers_b],
            labels=list(codes.values()),
        )
    if math.isnan(kappa):
        return PairKappa(a, b, len(answers_a), None, "Kappa is undefined for these answers.")
    return PairKappa(a, b, len(answers_a), float(kappa))


def majority_share(answers: Iterable[Hashable]) -> float | None:
    """Share of answers equal to the most common one; None with fewer than two answers."""
    counts = Counter(answers)
    total = sum(counts.values())
    if total < 2:
        return None
    return max(counts.values()) / total


def quote_agreement(answers_by_dimension: Mapping[str, Iterable[Hashable]]) -> QuoteAgreement:
    """Per-dimension majority share for one quote and the mean of the defined ones."""
    per_dimension = {key: majority_share(answers) for key, answers in answers_by_dimension.items()}
    defined = [share for share in per_dimension.values() if share is not None]
    return QuoteAgreement(per_dimension, sum(defined) / len(defined) if defined else None)


def has_disagreement(answers: Iterable[Hashable]) -> bool:
    """Whether the answers hold more than one distinct value."""
    return len(set(answers)) > 1


@dataclass(frozen=True)
class GoldAgreement:
    """One annotator's answers against gold: how many could be compared, how many matched, the
    share that matched (accuracy) and Cohen's kappa between theirs and gold; None with a
    reason when undefined."""

    compared: int
    matches: int
    accuracy: float | None
    kappa: float | None
    reason: str = ""


def gold_agreement(
    answers: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]
) -> GoldAgreement:
    """Compare `answers` (quote → answer) with `gold` (quote → gold answer) on the quotes both
    have. Kappa is undefined when there is nothing to compare or only one value on both sides."""
    shared = sorted(answers.keys() & gold.keys(), key=repr)
    if not shared:
        return GoldAgreement(0, 0, None, None, "None of their answers has gold yet.")
    given = [answers[quote] for quote in shared]
    truth = [gold[quote] for quote in shared]
    matches = sum(a == b for a, b in zip(given, truth, strict=True))
    kappa = _pair_kappa("annotator", "gold", given, truth)
    reason = kappa.reason.replace("Both gave", "They and gold gave") if kappa.reason else ""
    return GoldAgreement(len(shared), matches, matches / len(shared), kappa.value, reason)
