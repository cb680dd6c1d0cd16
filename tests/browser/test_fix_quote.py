"""An annotator fixes quotes from the annotator page: speaker, span, not a quote, missed quote."""

import pytest
from playwright.sync_api import expect

from annotations.labelling.projects import membership_set, project_create
from annotations.models import Membership
from claims.models import Quote, QuoteEdit, SpeakerAlias
from tests.browser.pages import log_in
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

# Curly quotes, Czech diacritics, an em dash and an emoji (two UTF-16 units, one code point)
# ahead of every quote: the page's offsets must still match Python's.
TEXT = (
    "Premiér 🙂 Fiala řekl, že „jednání budou pokračovat“.\n"
    "“We are ready — truly,” said the president in Kyiv on Tuesday.\n"
    "Ms. Müller said the talks had stalled."
)
OTHER_TEXT = "“Peace needs strength,” Zelensky said."


@pytest.fixture
def fix_data(transactional_db, settings):
    settings.DEBUG = True
    annotator = UserFactory(username="fixer")
    project = project_create(name="Fixing", created_by=UserFactory(), annotators_per_quote=2)
    membership_set(project=project, user=annotator, role=Membership.Role.ANNOTATOR)
    article = ArticleFactory(text=TEXT, title="Talks")
    other = ArticleFactory(text=OTHER_TEXT, title="Strength")
    project.articles.add(article, other)
    start = TEXT.index("“We")
    quote = QuoteFactory(  # cut short by the extractor, and given the wrong speaker
        article=article,
        kind=Quote.Kind.DIRECT,
        content_start=start,
        content_end=start + 10,
        speaker=SpeakerFactory(name="Wrong Person"),
        speaker_start=TEXT.index("the president"),
        speaker_end=TEXT.index(" in Kyiv"),
        cue_start=TEXT.index("said"),
        cue_end=TEXT.index("said") + 4,
    )
    zelenskyy = SpeakerFactory(name="Volodymyr Zelenskyy")
    SpeakerAlias.objects.create(speaker=zelenskyy, alias="Zelensky")
    QuoteFactory(article=other, kind=Quote.Kind.DIRECT, content_start=0, content_end=23,
                 speaker=zelenskyy)  # fmt: skip
    return project, quote, zelenskyy


SELECT_TEXT = """([container, needle]) => {
  // Select `needle` inside the container's text, across mark boundaries, as a user would.
  const root = document.querySelector(container);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const at = text.indexOf(needle);
  if (at < 0) throw new Error("not on the page: " + needle);
  const point = (offset) => {
    for (const [node, start] of nodes.slice().reverse()) {
      if (start <= offset) return [node, offset - start];
    }
  };
  const range = document.createRange();
  range.setStart(...point(at));
  range.setEnd(...point(at + needle.length));
  return range;
}"""


def select_with_script(page, container, needle):
    page.evaluate(
        f"""(args) => {{
          const range = ({SELECT_TEXT})(args);
          const selection = document.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }}""",
        [container, needle],
    )


def drag_select(page, container, needle):
    """Select with the mouse: press at the first character's left edge, release at the last's
    right edge."""
    box = page.evaluate(
        f"""(args) => {{
          const rects = [...({SELECT_TEXT})(args).getClientRects()].filter((r) => r.width > 0);
          const first = rects[0], last = rects[rects.length - 1];
          return {{x1: first.left + 1, y1: first.top + first.height / 2,
                   x2: last.right - 1, y2: last.top + last.height / 2}};
        }}""",
        [container, needle],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def test_annotator_fixes_speaker_and_span_rejects_and_adds_a_missed_quote(
    page, live_server, fix_data, screenshot_dir
):
    project, quote, zelenskyy = fix_data
    log_in(page, live_server, "fixer")
    page.goto(f"{live_server.url}/projects/{project.id}/annotate/")
    card = page.locator("#annotate-card")
    expect(card).to_have_attribute("data-quote", str(quote.id))
    expect(card.locator(".paragraph .q")).to_have_text("“We are re")

    # 1. The speaker: P, search by alias, Enter to the match, Enter to pick it.
    page.keyboard.press("p")
    expect(page.locator("#speaker-search")).to_be_focused()
    page.keyboard.type("zelensky")
    expect(card.locator(".speaker-result")).to_contain_text(["Volodymyr Zelenskyy"])
    page.keyboard.press("Enter")
    expect(card.locator(".speaker-result").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(card.locator(".quote-speaker")).to_have_text("Volodymyr Zelenskyy")
    expect(card.locator(".quote-edited")).to_contain_text("edited by fixer")
    quote.refresh_from_db()
    assert quote.speaker == zelenskyy and quote.edited_by.username == "fixer"

    # 2. The span: a selection across the quote mark and the text after it, then T.
    select_with_script(page, "#annotate-card .paragraph", "“We are ready — truly,”")
    page.keyboard.press("t")
    expect(card.locator(".paragraph .q")).to_have_text("“We are ready — truly,”")
    quote.refresh_from_db()
    assert quote.content == "“We are ready — truly,”"
    # Nothing selected: the page says what to do instead of posting.
    page.evaluate("document.getSelection().removeAllRanges()")
    page.keyboard.press("t")
    expect(card.locator("#fix-status")).to_contain_text("Select some words")

    # 3. A missed quote, selected with the mouse in the whole article (W), then A.
    page.keyboard.press("w")
    whole = card.locator("#whole-article .article-text")
    expect(whole).to_contain_text("Ms. Müller said")
    expect(whole.locator(".is-current.q")).to_have_text("“We are ready — truly,”")
    drag_select(page, "#whole-article .article-text", "„jednání budou pokračovat“")
    page.keyboard.press("a")
    form = card.locator("#add-quote-form")
    expect(form).to_be_visible()
    expect(form.locator(".add-preview")).to_have_text("„jednání budou pokračovat“")
    expect(card.locator("#fix-status")).to_contain_text("Select words in the paragraph")
    expect(form.locator("select[name=kind]")).to_have_value("direct")
    form.locator("#add-speaker").fill("Petr Fiala")
    expect(form.locator(".speaker-results")).to_contain_text("No speaker matches")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/annotate-fix.png", full_page=True)
    form.locator("#add-speaker").press("Enter")
    expect(card.locator(".flash")).to_contain_text("Added the new quote")
    expect(card).to_have_attribute("data-quote", str(quote.id))
    added = Quote.objects.get(origin=Quote.Origin.MANUAL)
    assert added.content == "„jednání budou pokračovat“"
    assert (added.kind, added.speaker.name, added.edited_by.username) == (
        "direct",
        "Petr Fiala",
        "fixer",
    )
    expect(card.locator("#whole-article .article-text .q")).to_have_count(2)  # still open

    # 4. Not a quote (X): the card moves on; R restores it.
    page.keyboard.press("x")
    expect(card).not_to_have_attribute("data-quote", str(quote.id))
    expect(card.locator(".flash")).to_contain_text("Marked not a quote.")
    quote.refresh_from_db()
    assert quote.is_rejected
    page.keyboard.press("r")
    expect(card).to_have_attribute("data-quote", str(quote.id))
    expect(card.locator(".flash")).to_contain_text("Restored")
    quote.refresh_from_db()
    assert not quote.is_rejected
    actions = list(QuoteEdit.objects.filter(quote=quote).values_list("action", flat=True))
    assert actions == ["restore", "reject", "update", "update"]
    page.keyboard.press("x")
    expect(card).not_to_have_attribute("data-quote", str(quote.id))
    quote.refresh_from_db()
    assert quote.is_rejected
    assert page.console_errors == []
