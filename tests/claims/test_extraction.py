"""Quote extraction through its public API: what is found, who said it, and exact offsets."""

import logging

import pytest

from claims.extraction import (
    ExtractedQuote,
    canonical_speaker_name,
    extract_quotes,
    extract_quotes_many,
    load_pipeline,
)


def only(quotes: list[ExtractedQuote]) -> ExtractedQuote:
    assert len(quotes) == 1, quotes
    return quotes[0]


def assert_offsets_exact(text: str, quotes: list[ExtractedQuote]) -> None:
    for quote in quotes:
        for span in (quote.content, quote.cue, quote.speaker_mention):
            if span is not None:
                assert text[span.start : span.end] == span.text


def test_direct_quote_with_curly_marks_and_speaker_after(nlp):
    text = "“We will never give up our land,” the minister said on Monday."
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.kind == "direct"
    assert quote.content.text == "We will never give up our land"
    assert quote.cue.text == "said"
    assert quote.speaker_mention.text == "the minister"


def test_direct_quote_with_speaker_before_and_colon(nlp):
    text = 'Senator Maria Lopez told reporters: "The bill is dead and everyone knows it."'
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.kind == "direct"
    assert quote.content.text == "The bill is dead and everyone knows it."
    assert quote.speaker == "Maria Lopez"
    assert quote.speaker_kind == "person"


def test_quote_split_around_its_attribution_is_one_quote(nlp):
    text = "“The talks are over,” he said, “and nobody should pretend otherwise.”"
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.kind == "direct"
    assert quote.content.text.startswith("The talks are over")
    assert quote.content.text.endswith("nobody should pretend otherwise.")
    assert quote.cue.text == "said"
    assert quote.speaker_mention.text == "he"


def test_multi_paragraph_quote_continues_without_closing_mark(nlp):
    text = (
        "The mayor spoke at length.\n\n"
        "“We have rebuilt the bridges and the schools. Nobody thought we could.\n\n"
        "“Now we will rebuild the hospital,” she said.\n"
    )
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.content.text.startswith("We have rebuilt the bridges")
    assert quote.content.text.endswith("rebuild the hospital")
    assert quote.cue.text == "said"


def test_indirect_quote_with_that(nlp):
    text = "Prime Minister John Carter said that the economy would recover next year."
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.kind == "indirect"
    assert quote.content.text == "the economy would recover next year"
    assert quote.speaker == "John Carter"
    assert quote.speaker_description == "Prime Minister"


def test_indirect_quote_without_that(nlp):
    text = "The company admitted its figures were wrong."
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.kind == "indirect"
    assert quote.content.text == "its figures were wrong"
    assert quote.cue.text == "admitted"


def test_according_to_attributes_the_clause(nlp):
    text = "According to the Kremlin, the talks will resume in March."
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.cue.text == "According to"
    assert quote.content.text == "the talks will resume in March"
    assert quote.speaker == "Kremlin"
    assert quote.speaker_kind == "government"


def test_mixed_quote_keeps_quoted_fragment_inside_indirect_content(nlp):
    text = "The newspaper reported that officials held “delicate” talks with the rebels."
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.kind == "mixed"
    assert quote.content.text == "officials held “delicate” talks with the rebels"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            'Orban argued that the conflict "cannot be solved on the battlefield".',
            'the conflict "cannot be solved on the battlefield"',
        ),
        (
            "Orban argued that the conflict “cannot be solved on the battlefield”.",
            "the conflict “cannot be solved on the battlefield”",
        ),
        (
            "Orban argued that the conflict “cannot be solved on the battlefield.”",
            "the conflict “cannot be solved on the battlefield.”",
        ),
        (
            "She said Europe would back Ukraine “for as long as it takes”, adding little.",
            "Europe would back Ukraine “for as long as it takes”",
        ),
    ],
)
def test_mixed_quote_ending_on_its_quotation_keeps_the_closing_mark(nlp, text, content):
    quote = next(quote for quote in extract_quotes(text, nlp=nlp) if quote.kind == "mixed")
    assert quote.content.text == content


def test_a_hyphen_the_parse_makes_a_subject_is_no_speaker(nlp):
    text = (
        "Ex-aide says governor knew of cover-up\n\n"
        "ALBANY, N.Y. (AP) — A former aide said the governor knew."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    headline = [quote for quote in quotes if "cover-up" in quote.content.text]
    assert [quote.content.text for quote in headline] == ["governor knew of cover-up"]
    # The parse made "Ex", "-" and "aide" three subjects of "says".
    assert headline[0].speaker_mention is None or headline[0].speaker_mention.text != "-"
    assert headline[0].speaker == ""


def test_pronoun_resolves_to_previous_person(nlp):
    text = (
        "Opposition leader Anna Berg arrived in the capital on Friday. "
        "She said the election had been rigged."
    )
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.speaker_mention.text == "She"
    assert quote.speaker == "Anna Berg"


def test_surname_resolves_to_full_name(nlp):
    text = (
        "Finance Minister Peter Olsen met the unions on Monday. Olsen said that wages would rise."
    )
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.speaker_mention.text == "Olsen"
    assert quote.speaker == "Peter Olsen"


def test_description_resolves_to_the_named_person(nlp):
    text = (
        "German Chancellor Karl Weber visited Paris. "
        "The chancellor said that Europe must spend more on defence."
    )
    quote = only(extract_quotes(text, nlp=nlp))
    assert quote.speaker_mention.text == "The chancellor"
    assert quote.speaker == "Karl Weber"


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Ukrainian president Vladimir Zelensky", "Vladimir Zelensky"),
        ("Russian Defense Minister Sergey Shoigu", "Sergey Shoigu"),
        ("Ukraine’s Foreign Minister Andrey Sibiga", "Andrey Sibiga"),
        ("the Kremlin", "Kremlin"),
        ("NBC News", "NBC News"),
        ("Sen. Ted Cruz (R-Texas)", "Ted Cruz"),
        ("the Ukrainian president", ""),
        ("he", ""),
        # An abbreviation keeps its period; punctuation around a word goes.
        ("The U.S. State Department", "U.S. State Department"),
        ("Robert F. Kennedy Jr.", "Robert F. Kennedy Jr."),
        ("Sen. John McCain,", "John McCain"),
        # Local offices are titles too.
        ("City Councilmember Hugo Soto-Martinez", "Hugo Soto-Martinez"),
        ("Assemblywoman Jane Doe", "Jane Doe"),
        ("County Commissioner Bob Smith", "Bob Smith"),
    ],
)
def test_canonical_speaker_name_strips_titles_and_determiners(mention, name):
    assert canonical_speaker_name(mention) == name


def test_offsets_always_index_the_original_text(nlp):
    text = (
        "Ministers met\u00a0in Brussels.\n\n“It is   a  good deal,” said Jean Dupont.  "
        "Critics argued that the deal was rushed. According to the union, jobs are at risk.\n"
    )
    quotes = extract_quotes(text, nlp=nlp)
    assert len(quotes) == 3
    assert_offsets_exact(text, quotes)
    assert [quote.content.start for quote in quotes] == sorted(q.content.start for q in quotes)


def test_crlf_text_keeps_exact_offsets(nlp):
    text = "Headline\r\n\r\n“We are ready,” he said.\r\nShe said that the vote was fair.\r\n"
    quotes = extract_quotes(text, nlp=nlp)
    assert [quote.content.text for quote in quotes] == ["We are ready", "the vote was fair"]
    assert_offsets_exact(text, quotes)


def test_empty_text_gives_no_quotes(nlp):
    assert extract_quotes("", nlp=nlp) == []
    assert extract_quotes("  \n ", nlp=nlp) == []


def test_text_without_quotes_gives_no_quotes(nlp):
    assert extract_quotes("The river flooded the valley after days of rain.", nlp=nlp) == []


def test_text_longer_than_the_model_limit_is_processed(nlp):
    paragraph = "The committee met again on Tuesday to discuss the budget. " * 20
    text = paragraph + "\n“We need more time,” the chairman said.\n"
    original_limit = nlp.max_length
    nlp.max_length = len(text) // 2
    try:
        quote = only(extract_quotes(text, nlp=nlp))
    finally:
        nlp.max_length = original_limit
    assert quote.content.text == "We need more time"
    assert_offsets_exact(text, [quote])


def test_many_texts_give_one_result_list_each(nlp):
    texts = ["“Yes, we will do it,” she said.", "", "Nothing to see here."]
    results = list(extract_quotes_many(texts, nlp=nlp, batch_size=2))
    assert [len(quotes) for quotes in results] == [1, 0, 0]


def test_missing_model_falls_back_to_rules_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="claims.extraction"):
        fallback = load_pipeline("no_such_model")
    assert "no_such_model" in caplog.text
    assert "install" in caplog.text.lower()
    text = "“The plan will not work,” Maria Lopez said. Tom Hill said that prices would fall."
    quotes = extract_quotes(text, nlp=fallback)
    assert [quote.kind for quote in quotes] == ["direct", "indirect"]
    assert quotes[0].content.text == "The plan will not work"
    assert quotes[0].speaker == "Maria Lopez"
    assert quotes[1].content.text == "prices would fall"
    assert_offsets_exact(text, quotes)
