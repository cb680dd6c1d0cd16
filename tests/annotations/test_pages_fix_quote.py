"""Fixing quotes from the annotator's card: speaker, span, "not a quote", a missed quote."""

import json
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.queue import assign_next_quote
from annotations.labelling.scope import quotes_in_project
from annotations.models import Label, Membership
from annotations.views.quote_fixes import SPEAKER_RESULTS
from claims.models import Quote, QuoteEdit, Speaker, SpeakerAlias
from claims.services.extraction_runs import quotes_store_extracted
from claims.services.quotes import QUOTE_MAX_CHARS
from tests.factories import (
    ArticleFactory,
    QuoteFactory,
    SpeakerFactory,
    UserFactory,
    labelling_project,
)

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
FETCH = {"headers": {"X-Requested-With": "fetch"}}
# Curly quotes, Czech diacritics, an em dash and an emoji (one code point, two in UTF-16)
# before the quotes: offsets are Python string indices into exactly this text.
TRICKY_TEXT = (
    "Premiér 🙂 Fiala řekl, že „jednání budou pokračovat“.\n"
    "“We are ready — truly,” said Zelenskyy in Kyiv.\n"
    "Ms. Müller said the talks had stalled."
)
# Each fix: session, user, project, membership, the quote, the input's own lookups, the write
# (lock, clash check, save, QuoteEdit) and then the card as the page shows it (17 queries).
# Measured the same on SQLite and PostgreSQL, with 3 quotes or 40; none grows with the data.
QUERIES_FIX = {
    "pick speaker": 23,
    "new speaker": 27,
    "span": 19,
    "add quote": 27,
    "reject": 31,  # the card moves on to the next quote (assign_next_quote)
    "restore": 19,
}
QUERIES_SEARCH = 6
QUERIES_ARTICLE = 6


def url(project, name, *args):
    return reverse(f"annotations:{name}", args=[project.id, *args])


def post_json(client, address, data):
    return client.post(address, json.dumps(data), content_type="application/json", **FETCH)


def tricky_project():
    """A project whose one article has curly quotes, diacritics and an emoji; one annotator."""
    project, _quotes, (annotator,) = labelling_project(quotes=1, annotators=1)
    article = ArticleFactory(text=TRICKY_TEXT)
    project.articles.add(article)
    start = TRICKY_TEXT.index("“We")
    quote = QuoteFactory(
        article=article,
        kind=Quote.Kind.DIRECT,
        content_start=start,
        content_end=start + 10,  # a bad extraction: "“We are re"
        speaker=SpeakerFactory(name="Volodymyr Zelenskyy"),
    )
    return project, article, quote, annotator


class SegmentParser(HTMLParser):
    """(data-start, text) of every segment the page renders."""

    def __init__(self):
        super().__init__()
        self.segments, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-start" in attrs:
            self._open = [int(attrs["data-start"]), ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "span" and self._open is not None:
            self.segments.append(tuple(self._open))
            self._open = None


def segments_of(html):
    parser = SegmentParser()
    parser.feed(html)
    return parser.segments


# -- changing the speaker -------------------------------------------------------------------------
def test_annotator_picks_an_existing_speaker_and_the_card_shows_it_with_who_and_when(client):
    project, quotes, (annotator, _) = labelling_project()
    putin = quotes[1].speaker  # a speaker quoted in the project's articles
    putin.name = "Vladimir Putin"
    putin.save()
    client.force_login(annotator)
    client.get(url(project, "annotate"))
    response = client.post(
        url(project, "quote-speaker", quotes[0].id), {"speaker": putin.id}, **FETCH
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-quote="{quotes[0].id}"' in html
    assert '<strong class="quote-speaker">Vladimir Putin</strong>' in html
    assert f"edited by <strong>{annotator.username}</strong>" in html
    quotes[0].refresh_from_db()
    assert quotes[0].speaker == putin and quotes[0].edited_by == annotator
    edit = QuoteEdit.objects.get(quote=quotes[0])
    assert (edit.editor, edit.action, edit.after) == (annotator, "update", {"speaker_id": putin.id})


def test_a_new_name_creates_the_speaker(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    response = client.post(
        url(project, "quote-speaker", quotes[0].id), {"name": "  Olena   Kovalenko "}, **FETCH
    )
    assert response.status_code == 200
    quotes[0].refresh_from_db()
    assert quotes[0].speaker.name == "Olena Kovalenko"
    assert "The speaker is now Olena Kovalenko." in response.content.decode()


def test_a_name_that_is_an_alias_picks_that_speaker_instead_of_a_new_one(client):
    project, quotes, (annotator, _) = labelling_project()
    zelenskyy = SpeakerFactory(name="Volodymyr Zelenskyy")
    SpeakerAlias.objects.create(speaker=zelenskyy, alias="Zelensky")
    client.force_login(annotator)
    speakers_before = Speaker.objects.count()
    post_json(client, url(project, "quote-speaker", quotes[0].id), {"name": "zelensky"})
    quotes[0].refresh_from_db()
    assert quotes[0].speaker == zelenskyy
    assert Speaker.objects.count() == speakers_before


def test_speaker_names_are_escaped_on_the_card(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    response = client.post(
        url(project, "quote-speaker", quotes[0].id),
        {"name": "<img src=x onerror=alert(1)>"},
        **FETCH,
    )
    html = response.content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"speaker": 999999}, "There is no speaker 999999"),
        ({"speaker": "abc"}, "must be a whole number"),
        ({"speaker": -3}, "must be a whole number"),
        ({"speaker": True}, "must be a whole number"),
        ({"name": ""}, "The speaker&#x27;s name is empty"),
        ({"name": "   "}, "The speaker&#x27;s name is empty"),
        ({"name": ["a list"]}, "Pick a speaker from the list or type a name"),
        ({}, "Pick a speaker from the list or type a name"),
        ({"name": "x" * 301}, "at most 300 characters"),
    ],
)
def test_a_bad_speaker_is_a_400_and_changes_nothing(client, data, message):
    project, quotes, (annotator, _) = labelling_project()
    speaker_before = quotes[0].speaker_id
    client.force_login(annotator)
    speakers_before = Speaker.objects.count()
    response = post_json(client, url(project, "quote-speaker", quotes[0].id), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    quotes[0].refresh_from_db()
    assert quotes[0].speaker_id == speaker_before and quotes[0].edited_at is None
    assert Speaker.objects.count() == speakers_before
    assert not QuoteEdit.objects.exists()


def test_a_speaker_the_annotator_cannot_see_cannot_be_picked(client):
    project, quotes, (annotator, _) = labelling_project()
    hidden = QuoteFactory(speaker=SpeakerFactory(name="Secret Source")).speaker  # no project
    client.force_login(annotator)
    response = client.post(
        url(project, "quote-speaker", quotes[0].id), {"speaker": hidden.id}, **FETCH
    )
    assert response.status_code == 400
    quotes[0].refresh_from_db()
    assert quotes[0].speaker != hidden


# -- the speaker search ---------------------------------------------------------------------------
def test_speaker_search_finds_by_name_and_by_alias_names_starting_with_it_first(client):
    project, quotes, (annotator, _) = labelling_project()
    zelenskyy, other = quotes[0].speaker, quotes[1].speaker
    zelenskyy.name = "Volodymyr Zelenskyy"
    zelenskyy.save()
    other.name = "Olena Zelenska"
    other.save()
    SpeakerAlias.objects.create(speaker=zelenskyy, alias="President of Ukraine")
    client.force_login(annotator)
    by_alias = client.get(url(project, "annotate-speakers"), {"q": "president"}).json()
    assert [r["name"] for r in by_alias["results"]] == ["Volodymyr Zelenskyy"]
    assert by_alias["results"][0]["aliases"] == ["President of Ukraine"]
    assert by_alias["results"][0]["quotes"] == 1
    by_name = client.get(url(project, "annotate-speakers"), {"q": "olena"}).json()
    assert [r["name"] for r in by_name["results"]] == ["Olena Zelenska"]
    both = client.get(url(project, "annotate-speakers"), {"q": "zelensk"}).json()
    assert {r["name"] for r in both["results"]} == {"Volodymyr Zelenskyy", "Olena Zelenska"}
    assert client.get(url(project, "annotate-speakers"), {"q": "  "}).json() == {"results": []}


def test_speaker_search_is_bounded_and_shows_only_speakers_of_the_members_projects(client):
    project, _quotes, (annotator, _) = labelling_project(quotes=SPEAKER_RESULTS + 5)
    QuoteFactory(speaker=SpeakerFactory(name="Speaker Number Elsewhere"))  # in no project
    client.force_login(annotator)
    results = client.get(url(project, "annotate-speakers"), {"q": "speaker number"}).json()
    assert len(results["results"]) == SPEAKER_RESULTS
    assert "Speaker Number Elsewhere" not in {r["name"] for r in results["results"]}
    huge = client.get(url(project, "annotate-speakers"), {"q": "x" * 100_000})
    assert huge.status_code == 200 and huge.json() == {"results": []}


# -- adjusting the span ---------------------------------------------------------------------------
def test_the_span_is_set_from_offsets_into_text_with_curly_quotes_and_non_ascii(client):
    project, _article, quote, annotator = tricky_project()
    start = TRICKY_TEXT.index("“We")
    end = TRICKY_TEXT.index(" said Zelenskyy")
    client.force_login(annotator)
    response = client.post(
        url(project, "quote-span", quote.id), {"start": start, "end": end}, **FETCH
    )
    assert response.status_code == 200
    quote.refresh_from_db()
    assert quote.content == "“We are ready — truly,”"
    assert quote.edited_by == annotator
    edit = QuoteEdit.objects.get(quote=quote)
    assert (edit.before, edit.after) == ({"content_end": start + 10}, {"content_end": end})
    html = response.content.decode()
    assert '<span class="q q-direct" data-start="' in html
    assert ">“We are ready — truly,”</span>" in html


def test_every_segment_on_the_card_and_in_the_whole_article_starts_where_its_text_is(client):
    project, article, quote, annotator = tricky_project()
    czech = TRICKY_TEXT.index("„")
    QuoteFactory(article=article, content_start=czech, content_end=czech + 26)
    start = TRICKY_TEXT.index("ready")
    client.force_login(annotator)
    data = {"start": start, "end": start + 13}  # "ready — truly"
    card = client.post(url(project, "quote-span", quote.id), data, **FETCH)
    whole = client.get(url(project, "quote-article", quote.id), **FETCH)
    assert card.status_code == whole.status_code == 200
    line = "“We are ready — truly,” said Zelenskyy in Kyiv."
    for html, expected_text in [(card, line), (whole, TRICKY_TEXT)]:
        segments = segments_of(html.content.decode())
        assert segments, "no segment rendered"
        for start, text in segments:
            assert TRICKY_TEXT[start : start + len(text)] == text
        assert "".join(text for _, text in segments) == expected_text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": 30, "end": 30}, "The quote is empty"),
        ({"start": 40, "end": 30}, "The quote is empty"),
        ({"start": 0, "end": 10_000}, "past the article"),
        ({"start": -1, "end": 10}, "must be a whole number"),
        ({"start": "ten", "end": 20}, "must be a whole number"),
        ({"start": 1.5, "end": 20}, "must be a whole number"),
        ({"start": True, "end": 20}, "must be a whole number"),
        ({"start": [1], "end": 20}, "must be a whole number"),
        ({"start": "9" * 40, "end": 20}, "must be a whole number"),
        ({"end": 20}, "Select the quote&#x27;s text first"),
        ({}, "Select the quote&#x27;s text first"),
        ({"start": TRICKY_TEXT.index("\n"), "end": TRICKY_TEXT.index("\n") + 1}, "only spaces"),
    ],
)
def test_bad_offsets_are_a_400_with_a_clear_message_and_change_nothing(client, data, message):
    project, _article, quote, annotator = tricky_project()
    before = (quote.content_start, quote.content_end)
    client.force_login(annotator)
    response = post_json(client, url(project, "quote-span", quote.id), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    quote.refresh_from_db()
    assert (quote.content_start, quote.content_end) == before and quote.edited_at is None
    assert not QuoteEdit.objects.exists()


def test_a_span_longer_than_the_limit_is_refused(client):
    project, _, (annotator, _) = labelling_project(quotes=1)
    article = ArticleFactory(text="word " * QUOTE_MAX_CHARS)
    project.articles.add(article)
    quote = QuoteFactory(article=article, content_start=0, content_end=4)
    client.force_login(annotator)
    data = {"start": 0, "end": QUOTE_MAX_CHARS + 1}
    response = client.post(url(project, "quote-span", quote.id), data, **FETCH)
    assert response.status_code == 400
    assert f"at most {QUOTE_MAX_CHARS:,} characters" in response.content.decode()
    quote.refresh_from_db()
    assert quote.content_end == 4


def test_the_span_of_another_quote_is_refused(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    data = {"start": quotes[1].content_start, "end": quotes[1].content_end}
    response = client.post(url(project, "quote-span", quotes[0].id), data, **FETCH)
    assert response.status_code == 400
    assert "already has a quote with this span" in response.content.decode()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"start"', "null", "\xff"])
def test_a_malformed_json_body_is_a_400(client, body):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    for name in ("quote-span", "quote-speaker", "quote-reject"):
        response = client.post(
            url(project, name, quotes[0].id), body, content_type="application/json", **FETCH
        )
        assert response.status_code == 400, name
        assert "JSON" in response.content.decode()
    response = client.post(url(project, "quote-add"), body, content_type="application/json")
    assert response.status_code == 400
    quotes[0].refresh_from_db()
    assert not quotes[0].is_rejected and not QuoteEdit.objects.exists()


# -- not a quote ----------------------------------------------------------------------------------
def test_not_a_quote_leaves_the_queue_for_everyone_keeps_labels_and_can_be_restored(client):
    project, quotes, (annotator, other) = labelling_project(quotes=2)
    label_save(project=project, quote=quotes[0], annotator=other, labels=FULL)
    client.force_login(annotator)
    client.get(url(project, "annotate"))
    response = client.post(url(project, "quote-reject", quotes[0].id), **FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Marked not a quote." in html
    assert f'data-quote="{quotes[1].id}"' in html  # on to the next quote
    assert reverse("annotations:quote-restore", args=[project.id, quotes[0].id]) in html
    quotes[0].refresh_from_db()
    assert quotes[0].is_rejected and quotes[0].edited_by == annotator
    assert QuoteEdit.objects.get(quote=quotes[0]).action == "reject"
    assert Label.objects.filter(quote=quotes[0], annotator=other).count() == 3  # kept
    assert quotes[0] not in quotes_in_project(project=project)
    newcomer = UserFactory()
    membership_set(project=project, user=newcomer, role=Membership.Role.ANNOTATOR)
    assert assign_next_quote(project=project, annotator=newcomer) == quotes[1]

    response = client.post(url(project, "quote-restore", quotes[0].id), **FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Restored" in html and f'data-quote="{quotes[0].id}"' in html
    quotes[0].refresh_from_db()
    assert not quotes[0].is_rejected
    assert [e.action for e in QuoteEdit.objects.filter(quote=quotes[0])] == ["restore", "reject"]


def test_the_whole_article_lists_rejected_quotes_with_a_restore_button(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    client.post(url(project, "quote-reject", quotes[2].id), **FETCH)
    response = client.get(url(project, "quote-article", quotes[0].id), **FETCH)
    html = response.content.decode()
    assert "Marked “not a quote” in this article" in html
    assert '<span class="rejected-text">Sentence number 0002</span>' in html
    assert f"by {annotator.username}" in html
    assert reverse("annotations:quote-restore", args=[project.id, quotes[2].id]) in html
    assert "csrfmiddlewaretoken" in html


def test_rejecting_without_javascript_redirects_back_to_the_page(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    response = client.post(url(project, "quote-reject", quotes[0].id))
    assert response.status_code == 302 and response["Location"] == url(project, "annotate")
    quotes[0].refresh_from_db()
    assert quotes[0].is_rejected


def test_an_edited_quote_and_its_labels_survive_re_extraction(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    client.post(url(project, "quote-span", quotes[0].id), {"start": 0, "end": 15}, **FETCH)
    client.post(url(project, "quote-reject", quotes[1].id), **FETCH)
    quotes_store_extracted(article=quotes[0].article, extracted=[])
    kept = Quote.objects.filter(article=quotes[0].article)
    assert set(kept.values_list("id", flat=True)) == {quotes[0].id, quotes[1].id}
    assert kept.get(id=quotes[0].id).content == "Sentence number"


# -- adding a missed quote ------------------------------------------------------------------------
def test_a_missed_quote_is_added_from_a_selection_and_joins_the_queue(client):
    project, article, quote, annotator = tricky_project()
    start, end = TRICKY_TEXT.index("„"), TRICKY_TEXT.index(".\n")
    client.force_login(annotator)
    data = {
        "quote": quote.id,
        "article": article.id,
        "start": start,
        "end": end,
        "kind": "direct",
        "name": "Petr Fiala",
    }
    response = client.post(url(project, "quote-add"), data, **FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Added the new quote" in html
    assert f'data-quote="{quote.id}"' in html  # the card stays on the quote being labelled
    added = Quote.objects.get(origin=Quote.Origin.MANUAL)
    assert added.content == "„jednání budou pokračovat“"
    assert (added.kind, added.speaker.name, added.edited_by) == ("direct", "Petr Fiala", annotator)
    assert QuoteEdit.objects.get(quote=added).action == "create"
    assert added in quotes_in_project(project=project)


def test_a_missed_quote_may_have_no_speaker_or_a_picked_one(client):
    project, article, quote, annotator = tricky_project()
    client.force_login(annotator)
    base = {"article": article.id, "kind": "indirect"}
    start = TRICKY_TEXT.index("the talks")
    first = post_json(
        client, url(project, "quote-add"), {**base, "start": start, "end": start + 22}
    )
    assert first.status_code == 200
    assert Quote.objects.get(content_start=start).content == "the talks had stalled."
    assert Quote.objects.get(content_start=start).speaker is None
    picked = {**base, "start": 0, "end": 7, "speaker": quote.speaker_id, "name": "ignored"}
    assert post_json(client, url(project, "quote-add"), picked).status_code == 200
    assert Quote.objects.get(article=article, content_start=0).speaker == quote.speaker


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "rumour"}, "Pick the kind of quote"),
        ({"kind": None}, "Pick the kind of quote"),
        ({"article": 999999}, "no such article in this project"),
        ({"article": "x"}, "must be a whole number"),
        ({"speaker": 999999}, "There is no speaker 999999"),
        ({"name": "y" * 301}, "at most 300 characters"),
        ({"start": 10, "end": 5}, "The quote is empty"),
        ({"end": 10**6}, "past the article"),
        ({"start": None}, "Select the quote&#x27;s text first"),
    ],
)
def test_a_bad_missed_quote_is_a_400_and_writes_nothing(client, change, message):
    project, article, _quote, annotator = tricky_project()
    client.force_login(annotator)
    data = {"article": article.id, "start": 0, "end": 7, "kind": "direct", "name": "New Person"}
    data.update(change)
    speakers_before = Speaker.objects.count()
    response = post_json(client, url(project, "quote-add"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Quote.objects.filter(origin=Quote.Origin.MANUAL).exists()
    assert Speaker.objects.count() == speakers_before


def test_a_missed_quote_on_an_existing_span_creates_no_speaker_either(client):
    project, article, quote, annotator = tricky_project()
    client.force_login(annotator)
    data = {
        "article": article.id,
        "start": quote.content_start,
        "end": quote.content_end,
        "kind": "direct",
        "name": "Brand New Speaker",
    }
    response = post_json(client, url(project, "quote-add"), data)
    assert response.status_code == 400
    assert "already has a quote with this span" in response.content.decode()
    assert not Speaker.objects.filter(name="Brand New Speaker").exists()


def test_a_missed_quote_cannot_go_into_another_projects_article(client):
    project, _, _, annotator = tricky_project()
    _elsewhere, other_quotes, _ = labelling_project(quotes=1)
    client.force_login(annotator)
    data = {"article": other_quotes[0].article_id, "start": 0, "end": 7, "kind": "direct"}
    response = post_json(client, url(project, "quote-add"), data)
    assert response.status_code == 400
    assert not Quote.objects.filter(origin=Quote.Origin.MANUAL).exists()


# -- permissions, CSRF, methods -------------------------------------------------------------------
def fix_requests(project, quote):
    """(method, url, data) for every fix endpoint."""
    return [
        ("get", url(project, "annotate-speakers"), {"q": "s"}),
        ("get", url(project, "quote-article", quote.id), {}),
        ("post", url(project, "quote-speaker", quote.id), {"name": "Someone"}),
        ("post", url(project, "quote-span", quote.id), {"start": 0, "end": 8}),
        ("post", url(project, "quote-reject", quote.id), {}),
        ("post", url(project, "quote-restore", quote.id), {}),
        (
            "post",
            url(project, "quote-add"),
            {"article": quote.article_id, "start": 0, "end": 8, "kind": "direct"},
        ),
    ]


def assert_untouched(quote):
    quote.refresh_from_db()
    assert quote.edited_at is None and not quote.is_rejected
    assert not QuoteEdit.objects.exists()
    assert not Quote.objects.filter(origin=Quote.Origin.MANUAL).exists()


def test_outsiders_get_404_everywhere_and_nothing_changes(client):
    project, quotes, _ = labelling_project()
    client.force_login(UserFactory())
    for method, address, data in fix_requests(project, quotes[0]):
        assert getattr(client, method)(address, data, **FETCH).status_code == 404, address
    assert_untouched(quotes[0])


def test_anonymous_visitors_are_sent_to_log_in(client):
    project, quotes, _ = labelling_project()
    for method, address, data in fix_requests(project, quotes[0]):
        response = getattr(client, method)(address, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert_untouched(quotes[0])


def test_a_quote_of_another_project_is_a_404_even_for_a_member_of_both(client):
    project, _, (annotator, _) = labelling_project()
    other_project, other_quotes, _ = labelling_project()
    membership_set(project=other_project, user=annotator, role=Membership.Role.ANNOTATOR)
    client.force_login(annotator)
    for method, address, data in fix_requests(project, other_quotes[0])[1:-1]:
        assert getattr(client, method)(address, data, **FETCH).status_code == 404, address
    assert_untouched(other_quotes[0])


@pytest.mark.parametrize("role", [Membership.Role.REVIEWER, Membership.Role.MANAGER])
def test_reviewers_and_managers_may_fix_quotes_too(client, role):
    project, quotes, _ = labelling_project()
    member = UserFactory()
    membership_set(project=project, user=member, role=role)
    client.force_login(member)
    response = client.post(url(project, "quote-reject", quotes[0].id), **FETCH)
    assert response.status_code == 200
    quotes[0].refresh_from_db()
    assert quotes[0].is_rejected and quotes[0].edited_by == member


def test_fixes_without_a_csrf_token_are_refused():
    project, quotes, (annotator, _) = labelling_project()
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator)
    for method, address, data in fix_requests(project, quotes[0]):
        if method == "post":
            assert client.post(address, data, **FETCH).status_code == 403, address
    assert_untouched(quotes[0])


def test_fixes_are_posted_not_fetched(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    for method, address, data in fix_requests(project, quotes[0]):
        if method == "post":
            assert client.get(address, data).status_code == 405, address
    assert_untouched(quotes[0])


# -- the page itself ------------------------------------------------------------------------------
def test_the_card_offers_every_fix_with_its_key_and_the_help_lists_them(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    html = client.get(url(project, "annotate")).content.decode()
    for key, label in [
        ("P", "Change speaker"),
        ("T", "Set selection as the quote’s text"),
        ("A", "Add selection as a new quote"),
        ("X", "Not a quote"),
        ("W", "Whole article"),
    ]:
        assert f"{label} <kbd>{key}</kbd>" in html
        assert f"<dt><kbd>{key}</kbd></dt>" in html  # in the shortcuts help
    assert 'id="speaker-form"' in html and 'id="add-quote-form"' in html
    assert url(project, "quote-article", quotes[0].id) in html


# -- query counts ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [3, 40])
def test_query_counts_of_the_fixes_do_not_grow_with_the_data(
    client, django_assert_max_num_queries, size
):
    project, quotes, (annotator, other) = labelling_project(quotes=size)
    for quote in quotes[:3]:
        label_save(project=project, quote=quote, annotator=other, labels=FULL)
    for number in range(size):
        SpeakerAlias.objects.create(speaker=quotes[number].speaker, alias=f"Alias {number}")
    client.force_login(annotator)
    client.get(url(project, "annotate"))
    quote, article = quotes[0], quotes[0].article
    with django_assert_max_num_queries(QUERIES_SEARCH):
        assert client.get(url(project, "annotate-speakers"), {"q": "speaker"}).status_code == 200
    with django_assert_max_num_queries(QUERIES_ARTICLE):
        assert client.get(url(project, "quote-article", quote.id)).status_code == 200
    new_quote = {"quote": quote.id, "article": article.id, "start": 0, "end": 8, "kind": "direct"}
    steps = [
        ("pick speaker", "quote-speaker", [quote.id], {"speaker": quotes[1].speaker_id}),
        ("new speaker", "quote-speaker", [quote.id], {"name": "A Brand New Person"}),
        ("span", "quote-span", [quote.id], {"start": 0, "end": 15}),
        ("add quote", "quote-add", [], {**new_quote, "name": "Another Person"}),
        ("reject", "quote-reject", [quote.id], {}),
        ("restore", "quote-restore", [quote.id], {}),
    ]
    for step, name, args, data in steps:
        with django_assert_max_num_queries(QUERIES_FIX[step]):
            response = client.post(url(project, name, *args), data, **FETCH)
        assert response.status_code == 200, (step, response.content.decode()[:500])
