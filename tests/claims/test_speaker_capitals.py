"""What capitals say about a speaker's name, in news styles PolNeAR has little of: a body named
with a capitalised owner ("The Alzheimer's Association", "the U.S. Attorney's Office") speaks
under its whole name, never as "Association" or "Office" alone (which came out as a person's
name); a common word capitalised because it opens a sentence ("Landlords warned …") names no
one."""

from claims.extraction import extract_quotes
from claims.extraction.names import owned_office_name, owner_inside_name, person_name


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
    assert owned_office_name("the Clark County Coroner's Office", "Office") == (
        "Clark County Coroner's Office"
    )
    assert owned_office_name("The Alzheimer's Association", "Association") == (
        "Alzheimer's Association"
    )
    assert owned_office_name("the company's Board", "Board") == "Board"  # owner in lower case
    assert owned_office_name("Clinton's Kaine", "Kaine") == "Kaine"  # no body word


def test_a_common_word_opening_a_sentence_names_no_one(nlp):
    text = (
        "Council approves rent cap\n\n"
        "The city council voted 7-2 on Tuesday to cap rent increases.\n\n"
        "Landlords warned that the measure would backfire. Greg Hollis, who owns four "
        "buildings, said small landlords would sell."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    by_content = {quote.content.text: quote for quote in quotes}
    assert by_content["that the measure would backfire"].speaker == ""
    assert by_content["that the measure would backfire"].speaker_mention.text == "Landlords"
    assert by_content["small landlords would sell"].speaker == "Greg Hollis"


def test_a_surname_or_a_role_opening_a_sentence_still_resolves(nlp):
    text = (
        "Mayor Marty Small welcomed the plan on Monday. Small said the city was small enough "
        "to change quickly."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert [quote.speaker for quote in quotes if "enough" in quote.content.text] == ["Marty Small"]


def test_a_party_member_is_a_person_the_mention_does_not_name(nlp):
    text = (
        "Her opponent, state Rep. Kevin Marsh, dismissed the event. The Republican said voters "
        "cared more about property taxes. A Nevada Democrat said the race was close. "
        "The Tennessean said the count would take a week."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    by_content = {quote.content.text: quote.speaker for quote in quotes}
    assert by_content["voters cared more about property taxes"] == ""
    assert by_content["the race was close"] == ""
    assert by_content["the count would take a week"] == "Tennessean"  # a newspaper


def test_a_title_led_by_a_word_of_its_own_is_no_part_of_the_name(nlp):
    text = "“We’ve never seen anything like this,” said Fire Chief Ana Morales."
    assert [quote.speaker for quote in extract_quotes(text, nlp=nlp)] == ["Ana Morales"]
    assert person_name("Police Commissioner Dermot Shea") == "Dermot Shea"
    assert person_name("Martin Luther King Jr.") == "Martin Luther King Jr."
    assert person_name("Representative Peter T. King") == "Peter T. King"


def test_an_organisation_named_with_an_owner_inside_keeps_it(nlp):
    text = (
        "An analysis by Moody's Analytics estimated that the tariffs would cost 200,000 jobs. "
        "McDonald's Corp. said on Monday that sales rose."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    assert [quote.speaker for quote in quotes] == ["Moody's Analytics", "McDonald's Corp."]
    assert owner_inside_name("The Women's March", "March") == "Women's March"
    assert owner_inside_name("Bundesbank", "Bundesbank") == "Bundesbank"
