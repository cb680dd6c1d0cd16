"""Candidate cues added for recall in 2.4.0 (scope "all"): a preposition governing a clause or
a gerund, "with"/"as" stances, an adjective after a copula, a gerund complement, and the
context features the cue model weighs."""

from claims.extraction import extract_quotes
from claims.extraction.extractor import cue_candidates
from tests.claims.extraction_helpers import quote_with_cue


def candidates(nlp, text: str) -> dict[str, list[str]]:
    """Each candidate cue word of ``text`` with the contents it would report."""
    doc = nlp(text)
    return {
        token.text: [doc.text[start:end] for start, end in spans]
        for token, _, spans in cue_candidates(doc)
    }


def test_a_preposition_governing_a_gerund_is_what_the_verb_reports(nlp):
    found = candidates(nlp, "Senator Ann Lee cautioned against drawing lessons from the vote.")
    assert found["cautioned"] == ["drawing lessons from the vote"]


def test_a_stance_with_with_or_as_reports_its_object(nlp):
    assert candidates(nlp, "The mayor sided with the protesters.")["sided"] == ["the protesters"]
    found = candidates(nlp, "Critics described the plan as a giveaway to developers.")
    assert found["described"] == ["the plan as a giveaway to developers"]


def test_an_adjective_after_a_copula_reports_its_complement(nlp):
    assert candidates(nlp, "Governor Tom Hill was critical of the new tax plan.") == {
        "critical": ["the new tax plan"]
    }
    found = candidates(nlp, "Mayor Ann Lee was eager to avoid a strike.")
    assert found["eager"] == ["to avoid a strike"]


def test_an_adjective_cue_takes_the_copula_s_subject_as_source_in_scope_all_only(nlp):
    text = "Senator Maria Lopez was critical of the president's plan."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "critical")
    assert quote.content.text == "the president's plan"
    assert quote.speaker_mention.text == "Senator Maria Lopez"
    assert quote.speaker == "Maria Lopez"
    doubt = "Republicans are skeptical that the bill will pass."
    quote = quote_with_cue(extract_quotes(doubt, nlp=nlp, scope="all"), "skeptical")
    assert quote.content.text == "that the bill will pass"
    # Scope "claims" reports speech and thought through verbs only, as the seed gold does.
    for claims_text in (text, doubt):
        assert [q for q in extract_quotes(claims_text, nlp=nlp) if q.cue] == []


def test_a_gerund_complement_is_what_the_verb_reports(nlp):
    found = candidates(nlp, "The council is considering abandoning the plan.")
    assert found["considering"] == ["abandoning the plan"]


def test_the_cue_model_sees_what_a_stance_is_about_and_how_a_clause_opens(nlp):
    doc = nlp("Governor Tom Hill endorsed Ted Cruz. He said that the race was over.")
    features = {token.text: words for token, words, _ in cue_candidates(doc)}
    assert "ce=PERSON" in features["endorsed"]
    assert "c1=that" in features["said"]


def test_a_stance_with_a_quoted_fragment_is_one_mixed_quote(nlp):
    text = (
        'Holding signs calling the governor "a disgrace," the protesters chanted outside '
        "the statehouse."
    )
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "calling")
    assert quote.kind == "mixed"
    assert quote.content.text == 'the governor "a disgrace,"'
    assert quote.speaker_mention.text == "the protesters"
