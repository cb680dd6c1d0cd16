"""Single quotation marks, as British and Australian outlets quote: paired as double ones when
a text has no double marks, without taking apostrophes for quotes."""

import pytest

from claims.extraction import extract_quotes
from claims.extraction.quotemarks import find_quoted

STORY = (
    "Albanese rules out early election\n\n"
    "'The election will be held when it is due,' Mr Albanese told reporters in Canberra on "
    "Tuesday.\n\n"
    "Opposition Leader Peter Dutton said the government was 'running scared'.\n\n"
    "'They know they will lose,' Mr Dutton said."
)


def quoted_texts(text: str) -> list[str]:
    return [text[item.inner_start : item.inner_end] for item in find_quoted(text)]


def test_a_story_quoting_with_single_marks_gives_its_direct_and_mixed_quotes(nlp):
    quotes = extract_quotes(STORY, nlp=nlp, scope="all")
    by_kind = {(quote.kind, quote.speaker) for quote in quotes}
    assert ("direct", "Albanese") in by_kind
    assert ("mixed", "Peter Dutton") in by_kind
    lose = [quote for quote in quotes if "will lose" in quote.content.text]
    assert [(quote.kind, quote.speaker) for quote in lose] == [("direct", "Peter Dutton")]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("‘It’s over,’ she said. ‘We’ve lost.’", ["It’s over,", "We’ve lost."]),
        ("'The parents' rights matter,' he said.", ["The parents' rights matter,"]),
        ("'Yes,' said the Jones' lawyer.", ["Yes,"]),
        (
            "'We don't know,' she said of the '90s. 'Rock 'n' roll.'",
            ["We don't know,", "Rock 'n' roll."],
        ),
        ("It's the parents' choice, he said.", []),  # apostrophes only
    ],
)
def test_single_marks_pair_around_apostrophes(text, said):
    assert quoted_texts(text) == said


def test_single_marks_inside_double_quotes_stay_nested():
    text = "\"He called it 'a disgrace', and I agree,\" she said."
    assert quoted_texts(text) == ["He called it 'a disgrace', and I agree,"]


def test_a_content_keeps_the_closing_single_mark_of_a_quotation_it_opens(nlp):
    text = (
        "Ramaphosa rejects Trump's claims of 'genocide'\n\n"
        "JOHANNESBURG — South Africa's president, Cyril Ramaphosa, on Thursday rejected claims "
        "by U.S. President Donald Trump that white farmers were being persecuted, calling them "
        '"completely false".\n\n'
        '"There is no genocide in South Africa," Ramaphosa told a news conference in Pretoria.'
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert quotes[0].content.text == "Trump's claims of 'genocide'"
