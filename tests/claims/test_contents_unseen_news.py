"""What a quote reports, in news styles PolNeAR lacks (sports and court reports): one small
article each, real spaCy."""

from claims.extraction import extract_quotes


def test_a_name_the_parser_took_for_the_clause_is_not_what_was_said(nlp):
    """In "told the local radio station WHCR that …" the parser hangs WHCR on "told" as a
    clause of its own; the quote is the clause after it, never the station's name."""
    text = (
        "The club's sporting director, Anna Kowalski, told the local radio station WHCR that "
        "the board continued to back the coach."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert [quote.content.text for quote in quotes] == [
        "that the board continued to back the coach"
    ]
    assert quotes[0].speaker == "Anna Kowalski"


def test_a_clause_complement_still_reports_when_it_is_a_verb(nlp):
    text = "Prosecutors told the jury that the mayor had steered contracts to his family."
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert [quote.content.text for quote in quotes] == [
        "that the mayor had steered contracts to his family"
    ]


def test_a_that_clause_after_the_document_the_words_are_in_is_what_was_said(nlp):
    """In "wrote in a 14-page order that …" and "wrote in a letter that …" the parser hangs the
    clause on the document; it is what the judge or the senator wrote."""
    text = (
        "U.S. District Judge Patricia Moreno wrote in a 14-page order that the defense's "
        "arguments misread the law. The senator wrote in a letter that the plan would raise "
        "costs for families."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert [(quote.content.text, quote.speaker) for quote in quotes] == [
        ("that the defense's arguments misread the law", "Patricia Moreno"),
        ("that the plan would raise costs for families", ""),
    ]


def test_a_relative_clause_on_the_document_is_not_what_was_said(nlp):
    text = "The ministry said in a statement that was released on Monday that prices would fall."
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert all("was released" not in quote.content.text for quote in quotes)


def test_an_apposition_inside_what_was_said_does_not_cut_it_in_two(nlp):
    """The apposition's commas led the parser to make "shares" a second clause of "said"."""
    text = (
        "European regulators said on Monday that they had opened an investigation into how "
        "Zephyr, the messaging app, shares user data with advertisers."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert [quote.content.text for quote in quotes] == [
        "that they had opened an investigation into how Zephyr, the messaging app, shares "
        "user data with advertisers"
    ]
