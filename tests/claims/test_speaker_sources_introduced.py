"""Speaker rules added in extractor 2.4.0, one small article each: where a direct quote's
speaker stands when no parsed attribution covers the quote (right or empty)."""

from claims.extraction import ExtractedQuote, extract_quotes


def quote_saying(quotes: list[ExtractedQuote], words: str) -> ExtractedQuote:
    matches = [quote for quote in quotes if words in quote.content.text]
    assert len(matches) == 1, quotes
    return matches[0]


def test_a_reporting_clause_ending_in_a_comma_introduces_the_quote_after_it(nlp):
    text = (
        "In discussing the scandals, former UN Ambassador John Bolton told radio host Matt "
        "Boyle, “Hillary’s campaign slogan might as well be Vote for Hillary, Not Indicted.”"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "campaign slogan")
    assert quote.cue.text == "told"
    assert quote.speaker == "John Bolton"


def test_as_someone_said_introduces_the_quote_after_the_comma(nlp):
    text = (
        "Israel excels in many areas. As Michael Dell said last week in Tel Aviv, “Israel is "
        "the center of the digital future and its performance has inspired the world.”"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "digital future")
    assert quote.speaker == "Michael Dell"


def test_any_verb_whose_clause_ends_in_a_comma_introduces_a_long_quote(nlp):
    text = (
        "During their first debate, Hillary Clinton cracked, “I’m a progressive, but I’m a "
        "progressive who likes to get things done.”"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "get things done")
    assert quote.cue.text == "cracked"
    assert quote.speaker == "Hillary Clinton"


def test_a_condition_ending_in_a_comma_does_not_introduce_the_quote(nlp):
    text = (
        "The primary results shook the party. Unless further rivals immediately quit the race, "
        "“it’s very difficult to see how he is stopped on his way to the nomination.”"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "very difficult")
    assert quote.speaker_mention is None or "rivals" not in quote.speaker_mention.text


def test_a_name_after_the_quote_with_an_appositive_set_off_by_commas_is_the_speaker(nlp):
    text = (
        "At times last year, people close to the vice president said, the mere mention of "
        "Mrs. Clinton's name could make him fume.\n\n"
        "''They were professionals, but also competitors,'' William M. Daley, President "
        "Obama's former chief of staff, said of their time in the administration. ''They'd "
        "do the dance. There was respect there, but Joe considered himself the expert on "
        "foreign policy.''"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "professionals")
    assert quote.speaker == "William M. Daley"


def test_a_reporting_verb_later_in_the_sentence_whose_clause_holds_the_quote_reports_it(nlp):
    text = (
        "Clinton has won support from union leaders. She spoke in Ohio on Monday.\n\n"
        "“For rank-and-file teachers, he’s saying a lot of the right things” about fixing "
        "inequality and enabling public-sector unions, said Marla Kilfoyle, executive "
        "director of the activist group Badass Teachers Association."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "right things")
    assert quote.cue.text == "said"
    assert quote.speaker == "Marla Kilfoyle"


def test_a_name_and_a_colon_before_two_spaces_and_the_quote_sign_it(nlp):
    text = (
        "Voter turnout\n\nHIGHER THAN EXPECTED TURNOUT IN IOWA - Michael P. McDonald:  “At long "
        "last the 2016 presidential nomination contests have finally started with the first "
        "contest.”\n"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "At long last")
    assert quote.speaker == "Michael P. McDonald"


def test_a_clause_inside_the_one_ending_in_a_colon_hands_the_speaker_to_its_verb(nlp):
    text = (
        "Trump posted a photo of a taco bowl on Thursday.\n\n"
        "Former Republican presidential candidate Jeb Bush broke down exactly what was wrong "
        "with the image and message to the Dutch newspaper NRC Handelsblad: “What Trump did "
        "was so insensitive. First, not all Hispanics are Mexican.”"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "so insensitive")
    assert quote.cue.text == "broke"
    assert quote.speaker == "Jeb Bush"


def test_an_as_clause_with_a_reporting_verb_gives_the_sentence_s_quote_to_its_subject(nlp):
    text = (
        "The administration waves off the delay as having minimal impact. As White House "
        "press secretary Josh Earnest explained, three taxes were postponed in the budget "
        "deal, depriving the government of $35 billion, “which sounds like a lot of money. "
        "But when you consider the whole period, it is a small share.”"
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "lot of money")
    assert quote.cue.text == "explained"
    assert quote.speaker == "Josh Earnest"


def test_an_as_clause_does_not_attribute_a_few_quoted_words(nlp):
    text = (
        "He was unfit to do his job because of his ethnicity. As House Speaker Paul Ryan has "
        "pointed out, that is basically the “textbook definition” of the problem."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert not [quote for quote in quotes if quote.content.text == "“textbook definition”"]


def test_the_selector_leaves_a_name_and_role_set_off_between_quote_and_verb(nlp):
    text = (
        "Mr. Pinchuk met Mr. Clinton's aides twice, according to reports Mr. Schoen filed as "
        "a registered lobbyist. ''I had breakfast with Pinchuk. He will see you at the "
        "Brookings lunch,'' Melanne Verveer, a Ukrainian-American then working for the State "
        "Department, wrote in a June 2012 email to Mrs. Clinton."
    )
    quote = quote_saying(extract_quotes(text, nlp=nlp, scope="all"), "breakfast")
    assert quote.cue.text == "wrote"
    assert quote.speaker == "Melanne Verveer"
