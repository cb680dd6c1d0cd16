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
