"""Inter-annotator agreement measures over plain data (no Django): alpha, kappa, per-quote share.

Every measure takes `units`: quote id → annotator id → the annotator's answer, where an answer
is any hashable value (a choice value, or a sorted tuple of values for multiple-choice
dimensions, so that only identical sets agree). Undefined results are None with a reason,
never NaN.
"""

import dataclasses
import itertools
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

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

    From the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's alpha"): a quote
    with m answers adds 1 / (m - 1) for each ordered pair of answers, so with n_uc answers c in
    quote u, the agreeing coincidences are o_cc = Σ_u n_uc (n_uc - 1) / (m_u - 1), the values'
    totals n_c = Σ_u n_uc and n = Σ_c n_c, and
    alpha = 1 - (n - 1) · (n - Σ_c o_cc) / (n² - Σ_c n_c²).
    Plain Python: the web process that shows a dashboard does not load numpy (the `krippendorff`
    package gives the same values; tests/annotations/test_agreement.py compares them).
    """
    pairable = [Counter(answers.values()) for answers in units.values() if len(answers) >= 2]
    if not pairable:
        return Alpha(None, 0, "No quote has answers from two or more annotators.")
    totals: Counter = Counter()
    for counts in pairable:
        totals.update(counts)
    if len(totals) < 2:
        return Alpha(None, len(pairable), "Every answer is the same value; alpha is undefined.")
    n = sum(totals.values())
    agreeing = sum(
        sum(count * (count - 1) for count in counts.values()) / (counts.total() - 1)
        for counts in pairable
    )
    expected = n * n - sum(count * count for count in totals.values())
    return Alpha(1 - (n - 1) * (n - agreeing) / expected, len(pairable))


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
    """kappa = (p_o - p_e) / (1 - p_e): observed agreement against the agreement expected
    from each annotator's own answer shares (as scikit-learn's cohen_kappa_score computes it;
    plain Python for the same reason as alpha)."""
    if not answers_a:
        return PairKappa(a, b, 0, None, "No quote labelled by both.")
    shared = len(answers_a)
    shares_a, shares_b = Counter(answers_a), Counter(answers_b)
    if len(shares_a.keys() | shares_b.keys()) < 2:
        return PairKappa(a, b, shared, None, "Both gave one and the same answer throughout.")
    observed = sum(x == y for x, y in zip(answers_a, answers_b, strict=True)) / shared
    expected = sum(shares_a[value] * shares_b[value] for value in shares_a) / shared**2
    if expected == 1:
        return PairKappa(a, b, shared, None, "Kappa is undefined for these answers.")
    return PairKappa(a, b, shared, (observed - expected) / (1 - expected))


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

    def as_dict(self) -> dict:
        """The figures as JSON-ready fields: the dataset card and the dashboard's API."""
        return dataclasses.asdict(self)


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
