"""Speaker resolution rules of extractor 2.4.0: a person the text names through a naming
verb ("a man calling himself X", "a woman later identified as X") is X, a naming verb with no
person's name is nobody, and a place behind "in"/"at" is where, not who."""

from claims.extraction import ExtractedQuote, extract_quotes, resolve_speakers


def quote_saying(quotes: list[ExtractedQuote], words: str) -> ExtractedQuote:
    matches = [quote for quote in quotes if words in quote.content.text]
    assert len(matches) == 1, quotes
    return matches[0]


def test_a_person_later_identified_as_a_name_is_that_person(nlp):
    text = (
        "Clinton was working a rope line on Thursday. A woman later identified as Eva "
        "Resnick-Day, an activist for the environmental group Greenpeace, demanded to know "
        "whether Clinton would forsake campaign donations from oil companies."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "forsake")
    assert quote.speaker_mention.text == "A woman"
    assert quote.speaker == "Eva Resnick-Day"


def test_a_person_calling_himself_a_name_is_that_name(nlp):
    text = (
        "The comments poured in overnight. A man calling himself Paul Paul wrote that the "
        "borders had been opened to everyone."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "borders")
    assert quote.speaker == "Paul Paul"


def test_a_person_named_by_no_name_stays_unnamed(nlp):
    text = (
        "Governor Ann Lee spoke on Monday. A woman identified as a local teacher said that "
        "the schools were underfunded."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "underfunded")
    assert quote.speaker == ""


def test_a_place_behind_a_locative_preposition_is_no_speaker(nlp):
    text = "Donald Trump told a town hall in Cincinnati on Monday that the plan was fine."
    start = text.index("Cincinnati")
    resolved = resolve_speakers(text, [(start, start + len("Cincinnati"))], nlp=nlp)
    assert resolved[0].name == ""
    start = text.index("Donald Trump")
    resolved = resolve_speakers(text, [(start, start + len("Donald Trump"))], nlp=nlp)
    assert resolved[0].name == "Donald Trump"
