"""Attributions beyond speech verbs, found by the learned cue classifier, and its artefact."""

import importlib.util
import json
from pathlib import Path

import pytest

from claims.extraction import extract_quotes
from claims.extraction import extractor as extractor_module
from claims.extraction.cues import WEIGHTS_PATH, CueModel, load_cue_model
from tests.claims.extraction_helpers import quote_with_cue

ROOT = Path(__file__).resolve().parents[2]


def test_belief_is_an_attribution(nlp):
    text = "Senator Maria Lopez believes the tax cut will pay for itself."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp), "believes")
    assert quote.kind == "indirect"
    assert quote.content.text == "the tax cut will pay for itself"
    assert quote.speaker == "Maria Lopez"


def test_stated_intention_is_an_attribution(nlp):
    text = "Governor Tom Hill wants to raise the minimum wage to 15 dollars."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "wants")
    assert quote.content.text == "to raise the minimum wage to 15 dollars"
    assert quote.speaker == "Tom Hill"


def test_according_to_after_the_clause(nlp):
    text = "The economy shrank in the third quarter, according to the central bank."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp), "according to")
    assert quote.content.text == "The economy shrank in the third quarter"
    assert quote.speaker_mention.text == "the central bank"


def test_noun_cue_with_owner_is_an_attribution(nlp):
    text = "Trump's claim that the election had been rigged against him angered his critics."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "claim")
    # Scope "all" follows PolNeAR: the content starts with its "that".
    assert quote.content.text == "that the election had been rigged against him"
    assert quote.speaker_mention.text == "Trump's"


def test_a_report_nested_in_a_stance_is_reported_once(nlp):
    # The two contents nearly coincide: the longer one, "rejected"'s, stays.
    text = "Critics rejected Trump's claim that the election had been rigged against him."
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert len(quotes) == 1
    quote = quote_with_cue(quotes, "rejected")
    assert quote.content.text == "Trump's claim that the election had been rigged against him"
    assert quote.speaker_mention.text == "Critics"


def test_scope_all_keeps_the_leading_that_and_claims_drops_it(nlp):
    text = "Governor Jane Miller said that the budget would be balanced by next year."
    claims = quote_with_cue(extract_quotes(text, nlp=nlp), "said")
    everything = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "said")
    assert claims.content.text == "the budget would be balanced by next year"
    assert everything.content.text == "that the budget would be balanced by next year"
    assert claims.speaker == everything.speaker == "Jane Miller"


def test_trailing_participle_after_a_comma_is_not_content_in_scope_all(nlp):
    text = (
        "Senator Paul Ryan declared that he cannot currently support Donald Trump, "
        "throwing the party into turmoil."
    )
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "declared")
    assert quote.content.text == "that he cannot currently support Donald Trump"
    assert quote.speaker == "Paul Ryan"
    # The seed gold keeps such a participle in the content (scope "claims").
    claims = quote_with_cue(extract_quotes(text, nlp=nlp), "declared")
    assert claims.content.text.startswith("he cannot currently support Donald Trump")


def test_polls_show_is_an_attribution(nlp):
    text = "New polls show that voters trust the senator more than the governor on the economy."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp), "show")
    assert quote.content.text == "voters trust the senator more than the governor on the economy"
    assert quote.speaker_mention.text == "New polls"


def test_reportedly_attributes_to_nobody(nlp):
    text = "The president reportedly plans to fire his chief of staff before the summit."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "reportedly")
    assert "fire his chief of staff" in quote.content.text
    assert quote.speaker_mention is None
    assert quote.speaker_kind == "unnamed"


def test_stance_with_an_object_is_an_attribution_in_scope_all(nlp):
    text = "Senator Ted Cruz criticized the president for attacking the court."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "criticized")
    assert quote.content.text == "the president for attacking the court"
    assert quote.speaker == "Ted Cruz"


def test_claims_scope_leaves_out_stances_intentions_and_hearsay(nlp):
    text = (
        "Senator Ted Cruz criticized the president for attacking the court. "
        "Governor Tom Hill wants to raise the minimum wage to 15 dollars. "
        "The president reportedly plans to fire his chief of staff before the summit."
    )
    assert extract_quotes(text, nlp=nlp) == []
    assert len(extract_quotes(text, nlp=nlp, scope="all")) >= 3


def test_unknown_scope_is_refused(nlp):
    with pytest.raises(ValueError, match="scope"):
        extract_quotes("He said it would rain.", nlp=nlp, scope="everything")


def test_ordinary_actions_are_not_attributions(nlp):
    text = (
        "The river flooded the valley after days of rain. The mayor opened a new bridge "
        "on Tuesday and the council bought three buses for the city."
    )
    assert extract_quotes(text, nlp=nlp, scope="all") == []


def test_shipped_cue_weights_load_and_are_small():
    model = load_cue_model()
    assert isinstance(model, CueModel)
    assert 0.0 < model.threshold < 1.0
    assert len(model.weights) > 1000
    assert WEIGHTS_PATH.stat().st_size < 1_000_000
    artefact = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert artefact["threshold"] == model.threshold


def test_training_recipe_uses_the_run_time_feature_code(nlp):
    spec = importlib.util.spec_from_file_location(
        "train_extractor", ROOT / "bench" / "train_extractor.py"
    )
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    assert recipe.cue_candidates is extractor_module.cue_candidates
    assert recipe.WEIGHTS_PATH == WEIGHTS_PATH
    # The features the recipe learns from are the words the shipped weights know.
    doc = nlp("The minister said that the talks had failed.")
    [(token, features, spans)] = list(extractor_module.cue_candidates(doc))
    assert token.text == "said"
    # Training labels the scope "all" spans, PolNeAR's convention: with the "that".
    assert doc.text[spans[0][0] : spans[0][1]] == "that the talks had failed"
    model = load_cue_model()
    assert model.probability(features) >= model.threshold
    assert sum(feature in model.weights for feature in features) >= len(features) // 2


def test_training_recipe_says_when_the_shared_data_is_missing(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "train_extractor_missing", ROOT / "bench" / "train_extractor.py"
    )
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    recipe.POLNEAR_TRAIN = tmp_path / "absent"
    assert recipe.main(["--output", str(tmp_path / "weights.json")]) == 2
    assert "not present" in capsys.readouterr().out
    assert not (tmp_path / "weights.json").exists()
