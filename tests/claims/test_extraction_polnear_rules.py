"""Rules that follow PolNeAR's attributions (extractor 1.3.0, 2.0.0 and 2.3.0): quotation
marks kept in direct contents, one quote per stretch of text, "Name: …" lines, polls, stance
objects without the clause set off after them, split quotes and titles, impressions, dash
signatures, and which quotes continue the previous speaker."""

from claims.extraction import extract_quotes
from claims.extraction.dedup import without_near_duplicates
from claims.extraction.document import Draft
from tests.claims.extraction_helpers import quote_with_cue


def test_scope_all_keeps_the_quotation_marks_of_a_direct_quote(nlp):
    text = '"We will win this state," Governor Ann Lee said on Monday.'
    everything = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "said")
    claims = quote_with_cue(extract_quotes(text, nlp=nlp), "said")
    assert everything.kind == claims.kind == "direct"
    assert everything.content.text == '"We will win this state,"'
    assert claims.content.text == "We will win this state"
    assert text[everything.content.start : everything.content.end] == everything.content.text


def test_near_duplicates_keep_the_longer_quote_unless_the_other_is_clearly_likelier():
    outer = Draft("indirect", (10, 60), (0, 4), None, None, 0.6)
    inner = Draft("indirect", (20, 60), (12, 16), None, None, 0.55)
    apart = Draft("indirect", (70, 90), (62, 66), None, None, 0.5)
    assert without_near_duplicates([inner, outer, apart]) == [outer, apart]
    likelier = Draft("indirect", (20, 60), (12, 16), None, None, 0.9)
    assert without_near_duplicates([outer, likelier]) == [likelier]
    small = Draft("indirect", (50, 60), (44, 48), None, None, 0.9)  # overlap 10/50: kept
    assert without_near_duplicates([outer, small]) == [outer, small]


def test_a_quote_inside_another_s_content_goes_when_its_cue_is_clearly_less_likely():
    outer = Draft("indirect", (10, 90), (0, 4), None, None, 0.8)  # "X said Y wants Z"
    inner = Draft("indirect", (60, 90), (50, 55), None, None, 0.6)  # "wants Z"
    assert without_near_duplicates([outer, inner]) == [outer]
    about_as_likely = Draft("indirect", (60, 90), (50, 55), None, None, 0.7)
    assert without_near_duplicates([outer, about_as_likely]) == [outer, about_as_likely]
    partly_outside = Draft("indirect", (80, 120), (70, 75), None, None, 0.3)  # 10 of 40 inside
    assert without_near_duplicates([outer, partly_outside]) == [outer, partly_outside]


def test_a_name_and_a_colon_open_a_line_of_someone_s_words(nlp):
    text = (
        "The senator spoke to us on Friday.\n\n"
        "Reporter: What will you do about the deficit?\n\n"
        "Harris: Well, we will cut spending first."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    contents = {quote.content.text: quote for quote in quotes}
    assert contents["What will you do about the deficit?"].speaker_mention.text == "Reporter"
    answer = contents["Well, we will cut spending first"]
    assert answer.speaker_mention.text == "Harris"
    assert answer.cue.text == ":"
    # Scope "claims" only reads a headline that way.
    claims = extract_quotes(text, nlp=nlp)
    assert all(quote.cue is None or quote.cue.text != ":" for quote in claims)


def test_a_name_in_capitals_opens_a_transcript_line_but_not_a_headline(nlp):
    text = (
        "BREAKING: The debate is over\n\n"
        "The two candidates spoke on Friday.\n\n"
        "HARRIS: Well, we will cut spending first."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    contents = {quote.content.text: quote for quote in quotes}
    answer = contents["Well, we will cut spending first"]
    assert answer.speaker_mention.text == "HARRIS"
    assert answer.cue.text == ":"
    assert "The debate is over" not in contents


def test_a_poll_opening_the_sentence_reports_the_rest_of_it(nlp):
    text = "In a national poll released Monday, 31 percent of voters backed the governor."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "In")
    assert quote.content.text == "31 percent of voters backed the governor"
    assert "poll" in quote.speaker_mention.text
    assert not [q for q in extract_quotes(text, nlp=nlp) if q.cue and q.cue.text == "In"]


def test_one_poll_later_in_the_sentence_reports_the_sentence_but_polls_in_general_do_not(nlp):
    text = "Governor Ann Lee holds a narrow lead in the latest state poll."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "in")
    assert quote.content.text == "Governor Ann Lee holds a narrow lead"
    assert "poll" in quote.speaker_mention.text
    general = extract_quotes("Governor Ann Lee is far ahead in the polls.", nlp=nlp, scope="all")
    assert not [q for q in general if q.cue and q.cue.text == "in"]


def test_a_clause_set_off_after_a_stance_object_is_not_content(nlp):
    text = "Smith criticized the new tax plan, which the council approved last week."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "criticized")
    assert quote.content.text == "the new tax plan"


def test_a_quote_introduced_anew_after_the_aside_is_not_a_second_half(nlp):
    text = (
        "“That never happened,” Bob Smith said. Then he turned to the crowd and asked, "
        "“Why would I stay behind by myself?”"
    )
    quotes = extract_quotes(text, nlp=nlp)
    assert [quote.content.text for quote in quotes] == [
        "That never happened",
        "Why would I stay behind by myself?",
    ]
    # "“A,” he said. “B.”" is still one quote.
    joined = extract_quotes("“We will win,” he said. “We always do.”", nlp=nlp)
    assert [quote.content.text for quote in joined] == ["We will win,” he said. “We always do."]


def test_urged_reports_who_is_urged_and_what_to_do_in_scope_all(nlp):
    text = "Senator Maria Lopez urged the Commission to present a proposal before the summit."
    quote = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "urged")
    assert quote.content.text == "the Commission to present a proposal before the summit"
    assert quote.speaker == "Maria Lopez"


def test_direct_content_leaves_the_comma_before_the_closing_mark_out_in_scope_claims(nlp):
    text = "“We will not give up an inch,” Governor Ann Lee said on Tuesday."
    claims = quote_with_cue(extract_quotes(text, nlp=nlp), "said")
    assert claims.content.text == "We will not give up an inch"
    everything = quote_with_cue(extract_quotes(text, nlp=nlp, scope="all"), "said")
    assert everything.content.text == "“We will not give up an inch,”"


def test_a_dash_and_a_name_after_a_quote_sign_it(nlp):
    text = (
        "Readers wrote to us about the debate.\n\n"
        "“He cannot even answer a question without scaring people first.” ― Esther Tapia\n"
        "“Trump must stop portraying us as gangsters, most of us work hard.” ― Carla Sanchez\n"
    )
    quotes = extract_quotes(text, nlp=nlp)
    assert [(quote.speaker, quote.speaker_kind) for quote in quotes] == [
        ("Esther Tapia", "person"),
        ("Carla Sanchez", "person"),
    ]


def test_a_quoted_title_after_the_aside_is_not_the_second_half_of_the_quote(nlp):
    text = "“Being a mayor, that is my job,” Tom Reyes said in May on the podcast “Town Hall.”"
    quotes = extract_quotes(text, nlp=nlp)
    quote = quote_with_cue(quotes, "said")
    assert quote.content.text == "Being a mayor, that is my job"
    assert quote.speaker == "Tom Reyes"
    # "“A,” he said, “B.”" is still one quote.
    joined = extract_quotes("“We will win,” he said, “because we always do.”", nlp=nlp)
    assert [quote.content.text for quote in joined] == [
        "We will win,” he said, “because we always do."
    ]


def test_an_impression_with_seems_or_appears_is_an_attribution_with_no_source(nlp):
    text = (
        "The new budget appears to be stalled in the Senate, despite the governor's plea.\n\n"
        "Voters in the county seemed unperturbed by the news."
    )
    quotes = extract_quotes(text, nlp=nlp, scope="all")
    stalled = quote_with_cue(quotes, "appears")
    assert stalled.content.text == "The new budget appears to be stalled in the Senate"
    assert stalled.speaker_mention is None and stalled.speaker == ""
    calm = quote_with_cue(quotes, "seemed")
    assert calm.content.text == "Voters in the county seemed unperturbed by the news"
    # Scope "claims" reports speech and thought only, and "appeared at" is no impression.
    assert not [q for q in extract_quotes(text, nlp=nlp) if q.cue and q.cue.text == "appears"]
    presence = extract_quotes(
        "Governor Ann Lee appeared at the fair on Monday.", nlp=nlp, scope="all"
    )
    assert not [q for q in presence if q.cue and q.cue.text == "appeared"]


def test_a_dash_and_a_name_opening_the_next_line_sign_a_quote_that_ends_its_paragraph(nlp):
    text = (
        "Letters from our readers.\n\n"
        '"Our schools need money now, not after the next election."\n\n'
        "- Maria Gonzalez.\n\n"
        '"Nobody here has seen a new factory in ten years."\n\n'
        "\u2012 Peter Novak, Dayton\n\n"
        '"I still have not decided who will get my vote this time."\n\n'
        "-Helen Brooks, a retired teacher\n\n"
        '"The roads in this county have not been repaired for years."\n'
        "\u2e3a Samuel Ortiz\n"
    )
    quotes = extract_quotes(text, nlp=nlp)
    assert [(quote.speaker, quote.speaker_mention.text) for quote in quotes] == [
        ("Maria Gonzalez", "Maria Gonzalez"),
        ("Peter Novak", "Peter Novak"),
        ("Helen Brooks", "Helen Brooks"),
        ("Samuel Ortiz", "Samuel Ortiz"),
    ]
    assert [quote.cue.text for quote in quotes] == ["-", "\u2012", "-", "\u2e3a"]


def test_a_line_that_opens_with_a_dash_and_a_sentence_is_no_signature(nlp):
    text = (
        'Governor Ann Lee said: "We will cut the sales tax by half next year."\n\n'
        "\u2014 Reduce the regulations on small farms.\n\n"
        '"We heard the same promise four years ago, and nothing changed."\n\n'
        "\u2014 Mark Davis said the plan would cost too much.\n"
    )
    quotes = extract_quotes(text, nlp=nlp)
    promise = [quote for quote in quotes if quote.content.text.startswith("We heard")]
    assert promise and promise[0].speaker != "Mark Davis"


def test_a_second_quote_handed_to_its_own_cue_is_not_joined_to_the_first(nlp):
    text = (
        '"He will have to stop the personal insults," said Sen. Laura Finch. "He will have '
        'to earn the job with his temperament," added Rep. Omar Haddad.'
    )
    quotes = extract_quotes(text, nlp=nlp)
    assert [(quote.content.text, quote.speaker) for quote in quotes] == [
        ("He will have to stop the personal insults", "Laura Finch"),
        ("He will have to earn the job with his temperament", "Omar Haddad"),
    ]


def test_a_clause_ending_in_a_colon_introduces_the_quote_after_it(nlp):
    text = (
        '"We will build the bridge this year," Governor Ann Lee said.\n\n'
        'Mayor Tom Reyes delivered a sharp retort: "Nobody in this city believes that."'
    )
    quotes = extract_quotes(text, nlp=nlp)
    retort = [quote for quote in quotes if quote.content.text.startswith("Nobody")]
    assert len(retort) == 1
    assert retort[0].speaker == "Tom Reyes"
    assert retort[0].cue.text == "delivered"


def test_a_quote_its_own_paragraph_introduces_does_not_continue_the_previous_speaker(nlp):
    text = (
        '"We will build the bridge this year," Governor Ann Lee said.\n\n'
        "The crowd stood up and the band played on. "
        '"I have heard these promises for twenty years and nothing has ever changed here."'
    )
    quotes = extract_quotes(text, nlp=nlp)
    last = [quote for quote in quotes if quote.content.text.startswith("I have heard")]
    assert len(last) == 1
    assert last[0].speaker != "Ann Lee"
    # Nor does a quote that a clause ending in a colon introduces.
    letter = extract_quotes(
        '"We will build the bridge this year," Governor Ann Lee said. The council sent a letter. '
        'It went on: "No money has been set aside for any bridge in this budget."',
        nlp=nlp,
    )
    assert [quote.speaker for quote in letter if quote.content.text.startswith("No money")] == [""]
    # A quote opening the next paragraph still continues the speaker before it.
    continued = extract_quotes(
        '"We will build the bridge this year," Governor Ann Lee said.\n\n'
        '"And we will pay for it without raising a single tax in this state."',
        nlp=nlp,
    )
    assert [quote.speaker for quote in continued] == ["Ann Lee", "Ann Lee"]


def test_the_verb_a_quote_is_handed_to_is_its_cue_even_outside_the_lexicon(nlp):
    text = (
        "The bill stalled again on Tuesday.\n\n"
        '"If they were serious about this, they would have voted for the only bill with '
        'support from both parties," Senator Paul Hartley fumed on Tuesday.'
    )
    quote = quote_with_cue(extract_quotes(text, nlp=nlp), "fumed")
    assert quote.speaker == "Paul Hartley"
    assert quote.kind == "direct"
