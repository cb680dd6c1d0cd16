"""Agreement: Krippendorff's alpha and Cohen's kappa against hand-computed values, per-quote
majority share, and the project report built from saved labels."""

import random

import pytest

from annotations.agreement import (
    cohen_kappa_pairs,
    krippendorff_alpha_nominal,
    majority_share,
    quote_agreement,
)
from annotations.labelling.labels import label_save
from annotations.labelling.queue import assign_next_quote, assignment_skip
from annotations.labelling.review import project_agreement, quote_agreements
from tests.factories import labelling_project

# Three annotators A, B, C; stance answers f(avor), a(gainst), n(eutral); "-" = not labelled.
#
#          q1  q2  q3  q4  q5
#     A    f   f   a   n   f
#     B    f   a   a   -   -
#     C    f   -   a   n   -
#
# q5 has one answer and is not pairable. Coincidence matrix: each ordered pair of answers in a
# quote with m answers adds 1 / (m - 1):
#   q1: 6 pairs (f,f) × 1/2 → o_ff += 3        q2: (f,a), (a,f) × 1 → o_fa += 1, o_af += 1
#   q3: 6 pairs (a,a) × 1/2 → o_aa += 3        q4: 2 pairs (n,n) × 1 → o_nn += 2
# Marginals n_f = 3 + 1 = 4, n_a = 1 + 3 = 4, n_n = 2, n = 10.
# alpha = 1 - (n - 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k
#       = 1 - 9 · 2 / (2 · (4·4 + 4·2 + 4·2)) = 1 - 18/64 = 46/64 = 0.71875
STANCE = {
    "q1": {"A": "favor", "B": "favor", "C": "favor"},
    "q2": {"A": "favor", "B": "against"},
    "q3": {"A": "against", "B": "against", "C": "against"},
    "q4": {"A": "neutral", "C": "neutral"},
    "q5": {"A": "favor"},
}
ALPHA = 46 / 64
# Cohen's kappa, A and B over their shared quotes q1-q3: A = f f a, B = f a a.
#   p_o = 2/3; p_e = P_A(f)·P_B(f) + P_A(a)·P_B(a) = 2/3·1/3 + 1/3·2/3 = 4/9
#   kappa = (2/3 - 4/9) / (1 - 4/9) = (2/9) / (5/9) = 0.4
# A and C share q1, q3, q4 and agree on all three; B and C share q1, q3: both kappa = 1.
KAPPA_AB = 0.4


def test_alpha_matches_the_hand_computed_coincidence_matrix():
    alpha = krippendorff_alpha_nominal(STANCE)
    assert alpha.value == pytest.approx(ALPHA)
    assert alpha.pairable_quotes == 4
    assert alpha.reason == ""


def test_kappa_for_every_pair_over_their_shared_quotes():
    kappas = {
        (k.annotator_a, k.annotator_b): (k.shared_quotes, k.value)
        for k in cohen_kappa_pairs(STANCE)
    }
    assert kappas == {
        ("A", "B"): (3, pytest.approx(KAPPA_AB)),
        ("A", "C"): (3, pytest.approx(1.0)),
        ("B", "C"): (2, pytest.approx(1.0)),
    }


def test_kappa_of_a_second_hand_computed_example():
    # A = f f a a f, B = f a a a f: p_o = 4/5; P_A = (3/5, 2/5), P_B = (2/5, 3/5),
    # p_e = 3/5·2/5 + 2/5·3/5 = 12/25; kappa = (4/5 - 12/25) / (1 - 12/25) = 8/13.
    units = {i: {"A": a, "B": b} for i, (a, b) in enumerate(zip("ffaaf", "faaaf", strict=True))}
    (kappa,) = cohen_kappa_pairs(units)
    assert kappa.value == pytest.approx(8 / 13)


def test_alpha_with_one_annotator_only_is_none_with_a_reason():
    alpha = krippendorff_alpha_nominal({"q1": {"A": "favor"}, "q2": {"A": "against"}})
    assert alpha.value is None
    assert "two or more annotators" in alpha.reason


def test_alpha_without_variation_is_none_with_a_reason():
    alpha = krippendorff_alpha_nominal({"q1": {"A": "favor", "B": "favor"}, "q2": {"A": "favor"}})
    assert alpha.value is None
    assert "same value" in alpha.reason


def test_alpha_of_no_labels_is_none():
    assert krippendorff_alpha_nominal({}).value is None


def test_kappa_without_shared_quotes_or_variation_is_none_with_a_reason():
    units = {"q1": {"A": "favor", "B": "favor"}, "q2": {"C": "against"}}
    kappas = {(k.annotator_a, k.annotator_b): k for k in cohen_kappa_pairs(units)}
    assert kappas["A", "B"].value is None and "same answer" in kappas["A", "B"].reason
    assert kappas["A", "C"].value is None and kappas["A", "C"].shared_quotes == 0


def test_perfect_disagreement_gives_negative_alpha():
    # Two quotes, each (f, a): o_fa = o_af = 2, n_f = n_a = 2, n = 4.
    # alpha = 1 - 3 · 4 / (2 · 2 · 2) = 1 - 12/8 = -0.5
    units = {"q1": {"A": "favor", "B": "against"}, "q2": {"A": "against", "B": "favor"}}
    assert krippendorff_alpha_nominal(units).value == pytest.approx(-0.5)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_and_kappa_agree_with_the_reference_libraries(seed):
    """The plain-Python measures give the `krippendorff` package's alpha and scikit-learn's
    kappa on random, unevenly answered data (skewed answers, missing ones, multiple choice)."""
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    metrics = pytest.importorskip("sklearn.metrics")
    chooser = random.Random(seed)
    values = ["favor", "against", "neutral", ("favor", "neutral")]
    annotators = ["A", "B", "C", "D"]
    units = {}
    for quote in range(60):
        answers = {}
        for annotator in chooser.sample(annotators, chooser.randint(1, 4)):
            answers[annotator] = chooser.choices(values, weights=[6, 3, 2, 1])[0]
        units[quote] = answers

    codes = {value: code for code, value in enumerate(values)}
    matrix = np.full((len(annotators), len(units)), np.nan)
    for column, answers in enumerate(units.values()):
        for annotator, value in answers.items():
            matrix[annotators.index(annotator), column] = codes[value]
    expected_alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(units).value == pytest.approx(expected_alpha)

    for kappa in cohen_kappa_pairs(units):
        shared = [q for q, a in units.items() if kappa.annotator_a in a and kappa.annotator_b in a]
        expected_kappa = metrics.cohen_kappa_score(
            [codes[units[q][kappa.annotator_a]] for q in shared],
            [codes[units[q][kappa.annotator_b]] for q in shared],
        )
        assert kappa.value == pytest.approx(expected_kappa)


def test_majority_share_is_the_share_giving_the_most_common_answer():
    assert majority_share(["favor", "favor", "against"]) == pytest.approx(2 / 3)
    assert majority_share(["favor", "favor"]) == 1.0
    assert majority_share(["favor"]) is None


def test_quote_agreement_averages_the_defined_dimensions():
    result = quote_agreement(
        {"stance": ["favor", "against"], "attribution": ["accurate"] * 2, "sourcing": ["none"]}
    )
    assert result.per_dimension == {"stance": 0.5, "attribution": 1.0, "sourcing": None}
    assert result.mean == pytest.approx(0.75)


# -- from saved labels -------------------------------------------------------------------------
REST = {"attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def labelled_project(db):
    project, quotes, (a, b, c) = labelling_project(quotes=5, annotators=3, k=3)
    people = {"A": a, "B": b, "C": c}
    for quote, (name, answers) in zip(quotes, STANCE.items(), strict=True):
        assert name.startswith("q")
        for person, stance in answers.items():
            label_save(
                project=project,
                quote=quote,
                annotator=people[person],
                labels={"stance": stance, **REST},
            )
    return project, quotes, people


def test_project_report_gives_alpha_kappa_and_counts_per_dimension(labelled_project):
    project, _, people = labelled_project
    report = project_agreement(project=project)
    stance = {d.key: d for d in report.dimensions}["stance"]
    assert stance.alpha.value == pytest.approx(ALPHA)
    kappas = {frozenset((k.annotator_a, k.annotator_b)): k.value for k in stance.kappas}
    assert kappas[frozenset((people["A"].id, people["B"].id))] == pytest.approx(KAPPA_AB)
    assert (stance.quotes_labelled, stance.labels, stance.quotes_with_disagreement) == (5, 11, 1)
    assert (report.quotes_labelled, report.labels, report.quotes_with_disagreement) == (5, 33, 1)


def test_dimension_everyone_answered_alike_has_no_alpha_and_says_why(labelled_project):
    project, _, _ = labelled_project
    attribution = {d.key: d for d in project_agreement(project=project).dimensions}["attribution"]
    assert attribution.alpha.value is None
    assert attribution.alpha.reason


def test_project_report_gives_each_annotators_progress(labelled_project):
    project, quotes, people = labelled_project
    # A submitted all five quotes, B and C three each; B then takes q4, skips it, takes q5.
    assert assign_next_quote(project=project, annotator=people["B"]) == quotes[3]
    assignment_skip(project=project, annotator=people["B"], quote=quotes[3])
    assign_next_quote(project=project, annotator=people["B"])
    progress = {
        p.annotator_id: (p.assigned, p.submitted, p.skipped)
        for p in project_agreement(project=project).annotators
    }
    assert progress == {
        people["A"].id: (0, 5, 0),
        people["B"].id: (1, 3, 1),
        people["C"].id: (0, 3, 0),
    }


def test_per_quote_agreement_for_review_and_export(labelled_project):
    project, quotes, _ = labelled_project
    agreements = quote_agreements(project=project)
    assert agreements[quotes[1].id].per_dimension["stance"] == 0.5
    assert agreements[quotes[1].id].mean == pytest.approx((0.5 + 1 + 1) / 3)
    assert agreements[quotes[0].id].mean == 1.0
    assert agreements[quotes[4].id].mean is None  # one annotator: nothing to agree with


@pytest.mark.django_db
def test_multiple_choice_answers_agree_only_as_identical_sets():
    project, (quote, *_), (a, b, c) = labelling_project(annotators=3, k=3)
    project.dimensions.filter(key="sourcing").update(multiple=True)
    for person, sourcing in (
        (a, ["document", "anonymous"]),
        (b, ["anonymous", "document"]),
        (c, ["document"]),
    ):
        label_save(
            project=project,
            quote=quote,
            annotator=person,
            labels={"stance": "favor", "attribution": "accurate", "sourcing": sourcing},
        )
    assert quote_agreements(project=project)[quote.id].per_dimension["sourcing"] == pytest.approx(
        2 / 3
    )
