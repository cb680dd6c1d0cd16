"""A body named with a capitalised owner ("The Alzheimer's Association", "the U.S. Attorney's
Office") speaks under its whole name, never as "Association" or "Office" alone (which came out
as a person's name)."""

from claims.extraction import extract_quotes
from claims.extraction.names import possessive_body_name


def test_a_body_named_with_its_owner_keeps_the_whole_name(nlp):
    text = (
        'The Alzheimer\'s Association called the results "encouraging" on Wednesday. '
        "The U.S. Attorney's Office declined to comment on the ruling."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert {(quote.speaker, quote.speaker_kind) for quote in quotes} == {
        ("Alzheimer's Association", "organization"),
        ("U.S. Attorney's Office", "government"),
    }


def test_only_a_capitalised_owner_and_a_body_word_make_such_a_name():
    assert possessive_body_name("the Clark County Coroner's Office") == (
        "Clark County Coroner's Office"
    )
    assert possessive_body_name("the company's board") == ""  # an owner in lower case
    assert possessive_body_name("Italy's Foreign Ministry") == ""  # more than the body word
    assert possessive_body_name("Clinton's spokesman") == ""  # no body
    assert possessive_body_name("The Association") == ""  # no owner
