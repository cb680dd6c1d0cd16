"""The learned source selector (extractor 2.2.0): the noun phrase that reports, not a word of
what is reported, and a source it doubts left without a name; and the source rules for two
misparses (2.3.0)."""

from claims.extraction import extract_quotes, quotes_from_doc
from claims.extraction.sources import SourceModel, load_source_model
from tests.claims.extraction_helpers import quote_with_cue


def test_a_second_verb_takes_the_named_reporter_not_a_pronoun_of_the_first_report(nlp):
    text = (
        "Governor Paul Hartley remembers he met the mayor on Monday and asked him to condemn "
        "the violence."
    )  # "remembers", not "says": a report inside a far likelier one's content is dropped
    asked = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "asked")
    assert asked.speaker_mention.text == "Governor Paul Hartley"
    assert asked.speaker == "Paul Hartley"
    # The rules alone took "he", the subject inside what "remembers" reports.
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


def _parsed(nlp, words, heads, deps, tags, pos, ents):
    """A doc with the parse given (heads as absolute indexes), to pin down a misparse."""
    from spacy.tokens import Doc

    return Doc(
        nlp.vocab,
        words=words,
        spaces=[True] * (len(words) - 2) + [False, False],
        heads=heads,
        deps=deps,
        tags=tags,
        pos=pos,
        ents=ents,
        sent_starts=[True] + [False] * (len(words) - 1),
    )


def test_a_subject_the_parse_split_in_two_is_the_whole_phrase_and_its_last_name(nlp):
    # "Clark top aide Nora Keller said …" misparsed as two subjects of "said", "Clark" first.
    doc = _parsed(
        nlp,
        ["Clark", "top", "aide", "Nora", "Keller", "said", "the", "vote", "was", "delayed", "."],
        [5, 2, 4, 4, 5, 5, 7, 9, 9, 5, 5],
        [
            "nsubj",
            "amod",
            "compound",
            "compound",
            "nsubj",
            "ROOT",
            "det",
            "nsubjpass",
            "auxpass",
            "ccomp",
            "punct",
        ],
        ["NNP", "JJ", "NN", "NNP", "NNP", "VBD", "DT", "NN", "VBD", "VBN", "."],
        ["PROPN", "ADJ", "NOUN", "PROPN", "PROPN", "VERB", "DET", "NOUN", "AUX", "VERB", "PUNCT"],
        ["B-PERSON", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O"],
    )
    for source_model in (False, True):
        said = quote_with_cue(quotes_from_doc(doc, scope="all", source_model=source_model), "said")
        assert said.speaker == "Nora Keller", source_model


def test_a_name_set_off_by_commas_next_to_a_role_subject_is_the_speaker(nlp):
    # "The ambassador at the time, Ann Lee, wrote …" with the name misparsed as an adverbial
    # noun of "wrote" (npadvmod) and the role as the subject.
    words = ["The", "ambassador", "at", "the", "time", ",", "Ann", "Lee", ",", "wrote"]
    words += ["that", "the", "deal", "failed", "."]
    doc = _parsed(
        nlp,
        words,
        [1, 9, 9, 4, 2, 9, 7, 9, 9, 9, 13, 12, 13, 9, 9],
        [
            "det",
            "nsubj",
            "prep",
            "det",
            "pobj",
            "punct",
            "compound",
            "npadvmod",
            "punct",
            "ROOT",
            "mark",
            "det",
            "nsubj",
            "ccomp",
            "punct",
        ],
        ["DT", "NN", "IN", "DT", "NN", ",", "NNP", "NNP", ",", "VBD", "IN", "DT", "NN", "VBD", "."],
        [
            "DET",
            "NOUN",
            "ADP",
            "DET",
            "NOUN",
            "PUNCT",
            "PROPN",
            "PROPN",
            "PUNCT",
            "VERB",
            "SCONJ",
            "DET",
            "NOUN",
            "VERB",
            "PUNCT",
        ],
        ["O"] * 6 + ["B-PERSON", "I-PERSON"] + ["O"] * 7,
    )
    wrote = quote_with_cue(quotes_from_doc(doc, scope="all", source_model=False), "wrote")
    mention = wrote.speaker_mention.text  # the doc has a space before each comma
    assert mention.startswith("The ambassador") and mention.endswith(", Ann Lee")
    assert wrote.speaker == "Ann Lee"
