"""Hostile text everywhere a user can type it, rendered in a real browser: nothing runs.

Article title, outlet and text, the quote, a speaker's name and alias, a comment, a label note,
the project's name and guidelines all carry payloads. Every page that shows them must show
them as text: no dialog, no injected element, no javascript: link, no console error (a CSP
violation would be one).
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from annotations.labelling.comments import comment_add
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from claims.models import Outlet, Quote, Speaker, SpeakerAlias
from tests.factories import ArticleFactory, UserFactory

SCRIPT = "<script>window.__xss = 'script'; alert('script')</script>"
IMG = "<img src=x id=xss-img onerror=\"window.__xss = 'img'; alert('img')\">"
SVG = "\"><svg id=xss-svg onload=\"window.__xss = 'svg'; alert('svg')\">"
LINK = "<a id=xss-a href=\"javascript:alert('a')\">a</a>"
PAYLOAD = f"{SCRIPT}{IMG}{SVG}{LINK}"
# Outlet and project names hold 200 characters (PostgreSQL enforces it).
SHORT_PAYLOAD = f"{SCRIPT}{IMG}{SVG}"
MARKDOWN_LINKS = (
    "[click me](javascript:alert('md')) "
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
    "<b onclick=\"alert('b')\" id=xss-b>bold</b>"
)
INJECTED = "#xss-img, #xss-svg, #xss-a, #xss-b, a[href^='javascript:'], a[href^='data:']"
LABELS = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def hostile(transactional_db):
    manager, first, second = UserFactory(), UserFactory(), UserFactory()
    outlet = Outlet.objects.create(name=f"Outlet {SHORT_PAYLOAD}", domain="evil.example.org")
    lead = "The mayor said that "
    text = f"{lead}{PAYLOAD} was fine, officials confirmed."
    article = ArticleFactory(outlet=outlet, title=f"Title {PAYLOAD}", text=text)
    speaker = Speaker.objects.create(name=f"Mayor {PAYLOAD}")
    SpeakerAlias.objects.create(speaker=speaker, alias=f"Alias {PAYLOAD}")
    quote = Quote.objects.create(
        article=article,
        kind="indirect",
        content_start=len(lead),
        content_end=len(lead) + len(PAYLOAD),
        speaker=speaker,
        speaker_start=4,
        speaker_end=9,
        cue_start=10,
        cue_end=14,
    )
    project = project_create(
        name=f"Project {SHORT_PAYLOAD}",
        created_by=manager,
        guidelines=f"# Rules\n\n{PAYLOAD}\n\n{MARKDOWN_LINKS}",
        annotators_per_quote=3,
        blind_mode=False,
        articles=[article],
    )
    for person in (first, second):
        membership_set(project=project, user=person, role="annotator")
    label_save(project=project, quote=quote, annotator=first, labels=LABELS, note=f"Note {PAYLOAD}")
    label_save(
        project=project,
        quote=quote,
        annotator=second,
        labels={**LABELS, "stance": "against"},
        note=f"Other note {PAYLOAD}",
    )
    comment_add(project=project, quote=quote, author=first, text=f"Comment {PAYLOAD}")
    return {
        "manager": manager,
        "project": project,
        "article": article,
        "speaker": speaker,
        "outlet": outlet,
    }


def logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def assert_inert(page, dialogs, *expected_texts):
    page.wait_for_load_state("networkidle")
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    expect(page.locator(INJECTED)).to_have_count(0)
    # No inline script made it into the page (CSP allows none; ours are all files).
    assert page.locator("script:not([src])").count() == 0
    body = page.locator("body").inner_text()
    for text in expected_texts:
        assert text in body, f"{text!r} should be shown as text"
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/articles/{article}/", ["Title <script>", "<img src=x id=xss-img", "Mayor <script>"]),
        ("/search/?q=mayor", ["<script>window.__xss"]),
        ("/speakers/{speaker}/", ["Mayor <script>", "Alias <script>"]),
        ("/outlets/{outlet}/", ["Outlet <script>"]),
        ("/projects/", ["Project <script>"]),
        ("/projects/{project}/annotate/", ["<script>window.__xss", "Comment <script>"]),
        (
            "/projects/{project}/review/",
            ["<script>window.__xss", "Comment <script>", "Note <script>"],
        ),
        ("/projects/{project}/dashboard/", ["Project <script>"]),
    ],
)
def test_payloads_render_as_text_on_every_page(page, live_server, hostile, path, shown):
    dialogs = logged_in(page, live_server, hostile["manager"])
    url = path.format(
        article=hostile["article"].id,
        speaker=hostile["speaker"].id,
        outlet=hostile["outlet"].id,
        project=hostile["project"].id,
    )

    response = page.goto(f"{live_server.url}{url}")

    assert response.status == 200
    assert_inert(page, dialogs, *shown)


def test_guidelines_markdown_keeps_no_script_link_or_handler(page, live_server, hostile):
    dialogs = logged_in(page, live_server, hostile["manager"])
    page.goto(f"{live_server.url}/projects/{hostile['project'].id}/annotate/")

    page.keyboard.press("g")  # the guidelines panel
    panel = page.locator("#guidelines-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h3")).to_have_count(1)  # markdown still renders ("#", under the h2)

    # Clicking every link the guidelines kept runs nothing.
    for link in panel.locator("a").all():
        link.click(no_wait_after=True, modifiers=["Control"])
    assert_inert(page, dialogs, "click me")
