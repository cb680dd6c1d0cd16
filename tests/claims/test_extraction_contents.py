"""Content boundaries of an accepted cue (2.4.0): a stance's arguments run on over an opening
quotation mark, and a clause the parse hung a reporting verb under is that verb's report;
2.5.0: a passive's infinitive reports its subject too, and a stance takes in a predicate after
"as", a to-infinitive or a gerund that the parse hung on the verb."""

from claims.extraction.extractor import cue_candidates


def candidates(nlp, text: str) -> dict[str, list[str]]:
    """Each candidate cue word of ``text`` with the contents it would report."""
    doc = nlp(text)
    return {
        token.text: [doc.text[start:end] for start, end in spans]
        for token, _, spans in cue_candidates(doc)
    }


def test_an_opening_quotation_mark_does_not_end_a_stance_s_arguments(nlp):
    text = 'Holding signs calling the governor "a disgrace," the protesters chanted outside.'
    assert candidates(nlp, text)["calling"] == ['the governor "a disgrace']


def test_a_clause_the_parse_hung_a_reporting_verb_under_is_not_the_later_verb_s(nlp):
    text = (
        "While the Kremlin maintains it is open to a settlement with Ukraine, Zelensky signed "
        "a decree last autumn banning any negotiation with the current leadership."
    )
    found = candidates(nlp, text)
    assert found["maintains"] == ["it is open to a settlement with Ukraine"]
    assert found["signed"] == []


def test_a_passive_with_an_infinitive_reports_its_subject_too(nlp):
    text = "Trump is expected to attend the rally on Friday."
    assert candidates(nlp, text)["expected"] == ["Trump is expected to attend the rally on Friday"]


def test_a_stance_takes_in_a_predicate_after_as_but_not_a_clause_with_its_own_subject(nlp):
    text = "Many voters describe her as likable and inspiring."
    assert candidates(nlp, text)["describe"] == ["her as likable and inspiring"]
    text = "She praised the plan as she entered the room."
    assert candidates(nlp, text)["praised"] == ["the plan"]


def test_a_stance_takes_in_a_to_infinitive_the_parse_hung_on_the_verb(nlp):
    text = "He praised the efforts of Secretary of State John Kerry to find a political solution."
    assert candidates(nlp, text)["praised"] == [
        "the efforts of Secretary of State John Kerry to find a political solution"
    ]


def test_a_stance_takes_in_a_gerund_straight_after_its_object(nlp):
    text = "A new poll shows Sanders leading Clinton nationally."
    assert candidates(nlp, text)["shows"] == ["Sanders leading Clinton nationally"]
