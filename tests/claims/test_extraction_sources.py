"""The learned source selector (extractor 2.2.0): the noun phrase that reports, not a word of
what is reported, and a source it doubts left without a name."""

from claims.extraction import extract_quotes, quotes_from_doc
from claims.extraction.sources import SourceModel, load_source_model
from tests.claims.extraction_helpers import quote_with_cue


def test_a_second_verb_takes_the_named_reporter_not_a_pronoun_of_the_first_report(nlp):
    text = (
        "Governor Paul Hartley says he met the mayor on Monday and asked him to condemn the "
        "violence."
    )
    asked = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "asked")
    assert asked.speaker_mention.text == "Governor Paul Hartley"
    assert asked.speaker == "Paul Hartley"
    # The rules alone took "he", the subject inside what "says" reports.
    rules = quotes_from_doc(nlp(text), scope="all", source_model=False)
    assert quote_with_cue(rules, "asked").speaker_mention.text == "he"


def test_the_people_holding_signs_are_the_source_not_the_signs(nlp):
    text = (
        'Holding signs calling the governor "a disgrace," the protesters chanted outside '
        "the statehouse."
    )
    calling = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "calling")
    assert calling.speaker_mention.text == "the protesters"
    assert calling.speaker == ""  # a crowd has no name


def test_a_source_the_selector_doubts_keeps_its_mention_but_gets_no_name(nlp):
    text = '"We will not stand by," Governor Paul Hartley told reporters on Friday.'
    doc = nlp(text)
    sure = quote_with_cue(quotes_from_doc(doc, scope="all"), "told")
    assert sure.speaker == "Paul Hartley"
    # A selector that finds "nobody" far likelier than any word of the sentence.
    doubting = SourceModel(weights={"nobody": 6.0}, switch=0.5, add=0.5, named=0.2)
    doubted = quote_with_cue(quotes_from_doc(doc, scope="all", source_model=doubting), "told")
    assert doubted.speaker_mention == sure.speaker_mention
    assert doubted.speaker == ""
    assert doubted.speaker_kind == "unnamed"


def test_the_shipped_selector_loads_and_a_missing_one_leaves_the_rules(nlp, tmp_path):
    model = load_source_model()
    assert model is not None
    assert 0.0 <= model.named < model.switch <= 1.0
    assert load_source_model(tmp_path / "missing.json") is None
    text = '"We will win this state," Governor Ann Lee said on Monday.'
    rules = quote_with_cue(quotes_from_doc(nlp(text), source_model=None), "said")
    assert rules.speaker == "Ann Lee"
