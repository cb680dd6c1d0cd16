"""Canonical speakers right or empty (issue 15): who each quote is attributed to, and as what.

The two fixtures are the article pasted into the issue (completed where it was cut) and a
short article with the cases the issue saw on PolNeAR (datelines, appositives after a person
named just before). Both are our own text.
"""

from pathlib import Path

import pytest

from claims.extraction import ExtractedQuote, extract_quotes, resolve_speakers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read_fixture(name: str) -> str:
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def quote_saying(quotes: list[ExtractedQuote], words: str) -> ExtractedQuote:
    """The one quote whose content contains ``words``."""
    matches = [quote for quote in quotes if words in quote.content.text]
    assert len(matches) == 1, quotes
    return matches[0]


@pytest.fixture(scope="module", params=["claims", "all"])
def price_cap(request, nlp) -> list[ExtractedQuote]:
    return extract_quotes(read_fixture("issue15_price_cap.txt"), nlp=nlp, scope=request.param)


@pytest.fixture(scope="module", params=["claims", "all"])
def election(request, nlp) -> list[ExtractedQuote]:
    text = read_fixture("issue15_us_election.txt")
    return extract_quotes(text, nlp=nlp, scope=request.param)


def test_name_after_a_job_title_is_the_speaker(price_cap):
    quote = quote_saying(price_cap, "scares off tankers")
    assert quote.speaker == "Robert Habeck"
    assert quote.speaker_kind == "person"
    assert quote.speaker_description == "German economy minister"


def test_name_after_a_possessive_job_title_is_the_speaker(price_cap):
    quote = quote_saying(price_cap, "could not wait")
    assert quote.speaker == "Gilberto Pichetto Fratin"
    assert quote.speaker_kind == "person"
    assert quote.speaker_mention.text == "Italy's energy minister Gilberto Pichetto Fratin"


def test_an_institution_s_spokesperson_is_not_the_person_named_before(price_cap):
    quote = quote_saying(price_cap, "last-resort safety net")
    assert quote.speaker_mention.text == "the Commission's spokesperson"
    assert quote.speaker != "Robert Habeck"
    # The spokesperson speaks for the Commission.
    assert quote.speaker == "Commission"
    assert quote.speaker_kind == "government"


def test_a_coordination_of_countries_is_one_speaker_of_its_own(price_cap):
    quote = quote_saying(price_cap, "divert shipments")
    assert quote.speaker == "Germany and the Netherlands"
    assert quote.speaker_kind == "government"


def test_a_name_after_a_role_and_a_comma_is_the_speaker(price_cap):
    quote = quote_saying(price_cap, "back a cap only with safeguards")
    assert quote.speaker == "Rob Jetten"
    assert quote.speaker_kind == "person"


def test_she_with_no_woman_named_before_stays_unnamed(price_cap):
    # Nobody named before it is known to be a woman (Mrs., spokeswoman, a first name).
    quote = quote_saying(price_cap, "talks would resume")
    assert quote.speaker_mention.text == "She"
    assert quote.speaker == ""
    assert quote.speaker_kind == "unnamed"


def test_the_dateline_is_never_a_speaker(price_cap, election):
    for quote in [*price_cap, *election]:
        assert quote.speaker not in ("BRUSSELS", "WASHINGTON", "PHILADELPHIA")
        if quote.speaker_mention is not None:
            assert not quote.speaker_mention.text.isupper()


def test_speaker_after_a_dateline_is_the_person_named(election):
    assert quote_saying(election, "run its course").speaker == "Barack Obama"
    quote = quote_saying(election, "confident about the outcome")
    assert quote.speaker == "Hillary Clinton"
    assert quote.speaker_mention.text == "Hillary Clinton"


def test_appositive_name_wins_over_the_person_named_before(election):
    quote = quote_saying(election, "found new emails")
    assert quote.speaker == "James B. Comey"
    assert quote.speaker_kind == "person"
    assert quote.speaker_description == "F.B.I. director"


def test_appositive_name_wins_over_the_owner_of_the_job_title(election):
    quote = quote_saying(election, "had not been told")
    assert quote.speaker == "Jennifer Palmieri"
    assert quote.speaker_description == "Clinton's communications director"


@pytest.mark.parametrize(
    "subject", ["Italy's energy minister Marco Rossi", "Marco Rossi", "Energy minister Marco Rossi"]
)
def test_the_same_person_with_or_without_a_job_title(nlp, subject):
    text = (
        "“A price cap that scares off tankers will leave us colder, not safer,” German economy "
        f"minister Robert Habeck told reporters in Brussels. {subject} said that the cap must be "
        "binding."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp), "must be binding")
    assert quote.speaker == "Marco Rossi"
    assert quote.speaker_kind == "person"


def test_a_role_nobody_in_the_article_holds_stays_unnamed(nlp):
    text = (
        "German economy minister Robert Habeck arrived in Brussels on Monday. "
        "The spokesperson said that talks would continue."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp), "talks would continue")
    assert quote.speaker_mention.text == "The spokesperson"
    assert quote.speaker == ""
    assert quote.speaker_kind == "unnamed"


def test_a_role_resolves_to_the_person_who_holds_it(nlp):
    text = (
        "German economy minister Robert Habeck met his Italian counterpart on Monday. "
        "The minister said that the cap would not pass."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp), "would not pass")
    assert quote.speaker == "Robert Habeck"


def test_a_person_s_spokeswoman_is_not_that_person(nlp):
    text = "A spokeswoman for Hillary Clinton said that the campaign had no comment."
    quote = quote_saying(extract_quotes(text, nlp=nlp), "no comment")
    assert quote.speaker_mention.text == "A spokeswoman for Hillary Clinton"
    assert quote.speaker == ""
    assert quote.speaker_kind == "unnamed"


def test_a_pronoun_resolves_to_the_nearest_person_of_its_gender(nlp):
    text = "Mr. Smith met Ms. Jones in Rome on Monday. She said that the deal was fair."
    quote = quote_saying(extract_quotes(text, nlp=nlp), "deal was fair")
    assert quote.speaker_mention.text == "She"
    assert quote.speaker == "Jones"


def test_an_organisation_owning_a_campaign_is_named_with_it(nlp):
    text = "Donald Trump's campaign said that it would spend $10 million on advertising."
    quote = quote_saying(extract_quotes(text, nlp=nlp), "spend $10 million")
    assert quote.speaker == "Donald Trump campaign"
    assert quote.speaker_kind == "organization"


def test_resolve_speakers_gives_what_extraction_gives(nlp):
    text = read_fixture("issue15_us_election.txt")
    quotes = extract_quotes(text, nlp=nlp)
    mentions = [
        (quote.speaker_mention.start, quote.speaker_mention.end) if quote.speaker_mention else None
        for quote in quotes
    ]
    resolved = resolve_speakers(text, mentions, nlp=nlp)
    assert [(item.name, item.kind) for item in resolved] == [
        (quote.speaker, quote.speaker_kind) for quote in quotes
    ]
    assert resolve_speakers(text, [None], nlp=nlp)[0].kind == "unnamed"
