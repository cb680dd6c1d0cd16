"""Tab is not trapped among the questions (WCAG 2.1.1, 2.1.2): it walks the page as anywhere,
while digits, arrows and j/k keep answering and moving between questions (issue 14, item 2)."""

from playwright.sync_api import expect

from tests.browser.pages import log_in

DEMO_PASSWORD = "claimlab-demo"

# What has focus, in words: a question's key, or an element's tag and text.
FOCUSED = """() => {
  const element = document.activeElement;
  if (element.matches(".dimension")) return `question ${element.dataset.key}`;
  const text = (element.innerText || element.placeholder || element.name || "").trim();
  return `${element.tagName.toLowerCase()} ${text.split("\\n")[0]}`.trim();
}"""


def walk(page, key, presses=40):
    seen = []
    for _ in range(presses):
        page.keyboard.press(key)
        seen.append(page.evaluate(FOCUSED))
    return seen


def open_annotate(page, live_server, project):
    log_in(page, live_server, "annotator1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.id}/annotate/")
    expect(page.locator("#label-form .dimension.is-active")).to_have_attribute("data-key", "stance")


def test_tab_goes_on_from_the_questions_to_the_note_and_buttons(page, live_server, demo_data):
    open_annotate(page, live_server, demo_data)
    forward = walk(page, "Tab")
    assert forward[:2] == ["question attribution", "question sourcing"]
    for stop in ("textarea note", "button Submit Enter", "button Skip S", "button Undo last U"):
        assert stop in forward, forward
    assert "button Comment" in forward


def test_shift_tab_reaches_the_fix_buttons_article_and_navigation(page, live_server, demo_data):
    open_annotate(page, live_server, demo_data)
    backward = walk(page, "Shift+Tab")
    for stop in (
        "button Not a quote X",
        "button Add selection as a new quote A",
        "button Set selection as the quote’s text T",
        "button Change speaker P",
        "summary Whole article W",
        "a article page",
        "a all projects",
        "button Log out",
        "a Projects",
        "a Articles",
        "a Claimlab",
    ):
        assert stop in backward, backward


def test_a_question_reached_with_tab_answers_digits_and_arrows_still_move(
    page, live_server, demo_data
):
    open_annotate(page, live_server, demo_data)
    card = page.locator("#annotate-card")
    page.keyboard.press("Tab")
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "attribution")
    page.keyboard.press("2")  # attribution: misattributed, then on to sourcing
    expect(card.locator("input[name=label-attribution][value=misattributed]")).to_be_checked()
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "sourcing")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("k")
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "stance")
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "sourcing")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "attribution")
    assert page.console_errors == []
