// Keyboard-first labelling and review. Forms work without JavaScript; this module posts them
// with fetch and swaps in the partial the server answers with, so there is no page reload.

const TYPING = "input[type=text], input[type=search], textarea, select, [contenteditable]";

function isTyping(target) {
  return target instanceof Element && target.matches(TYPING);
}

// Post a form (with the button that submitted it) and return the response's HTML.
async function postForm(form, submitter) {
  const body = new FormData(form, submitter || undefined);
  const response = await fetch(form.action, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: {
      "X-Requested-With": "fetch",
      "X-CSRFToken": body.get("csrfmiddlewaretoken") || "",
    },
  });
  const html = await response.text();
  if (!response.ok && response.status !== 400) {
    throw new Error(`The server answered ${response.status}.`);
  }
  return html;
}

function replaceWith(element, html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  const fresh = template.content.firstElementChild;
  element.replaceWith(fresh);
  return fresh;
}

function showError(container, message) {
  let box = container.querySelector(".fetch-error");
  if (!box) {
    box = document.createElement("p");
    box.className = "fetch-error error";
    box.setAttribute("role", "alert");
    container.prepend(box);
  }
  box.textContent = `${message} Try again, or reload the page.`;
}

// Comment forms on either page: post and swap the discussion in place.
function wireComments(root) {
  root.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches(".comment-form")) return;
    event.preventDefault();
    const section = form.closest("[data-swap=comments]");
    try {
      const fresh = replaceWith(section, await postForm(form, event.submitter));
      fresh.querySelector("textarea")?.blur();
    } catch (error) {
      showError(section, error.message);
    }
  });
}

// -- text selections as article offsets ----------------------------------------------------------
// The card shows article text as segments, <span data-start="offset">, each holding a run of the
// text exactly; the marks around them add no characters. A selection is measured inside the
// segment it touches, never by position in the page's text. Offsets count code points, as
// Python's string indices do, so a character outside the BMP (an emoji) counts once.
const codePoints = (text) => [...text].length;

function textContainer(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return element?.closest("[data-text]") || null;
}

// The article offset of a selection boundary; points before or after the segments clamp to them.
function pointOffset(segments, node, offset) {
  const range = document.createRange();
  for (const segment of segments) {
    range.selectNodeContents(segment);
    const where = range.comparePoint(node, offset);
    if (where < 0) return Number(segment.dataset.start);
    if (where === 0) {
      range.setEnd(node, offset);
      return Number(segment.dataset.start) + codePoints(range.toString());
    }
  }
  const last = segments[segments.length - 1];
  return Number(last.dataset.start) + codePoints(last.textContent);
}

// The selected article text as {start, end, text}, or {error} saying what to do instead.
function selectedSpan() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
    return { error: "Select some words in the paragraph or the whole article first." };
  }
  const range = selection.getRangeAt(0);
  const container = textContainer(range.startContainer) || textContainer(range.endContainer);
  const segments = container ? [...container.querySelectorAll("[data-start]")] : [];
  if (!segments.length) {
    return { error: "Select words in the paragraph or in the whole article (W)." };
  }
  let start = pointOffset(segments, range.startContainer, range.startOffset);
  let end = pointOffset(segments, range.endContainer, range.endOffset);
  // A double click or a drag often takes a space at either end: leave it out.
  const base = Number(segments[0].dataset.start);
  const chars = [...segments.map((segment) => segment.textContent).join("")];
  while (start < end && /\s/.test(chars[start - base])) start += 1;
  while (end > start && /\s/.test(chars[end - 1 - base])) end -= 1;
  if (start >= end) return { error: "The selection holds only spaces; select words." };
  return { start, end, text: chars.slice(start - base, end - base).join("") };
}

// -- the speaker search (change the speaker, or the speaker of a new quote) ----------------------
const searches = new WeakMap(); // form → the search in progress (a promise)

function speakerResult(form, speaker) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.className = "speaker-result";
  button.dataset.name = speaker.name;
  if (form.dataset.mode === "submit") {
    Object.assign(button, { type: "submit", name: "speaker", value: String(speaker.id) });
  } else {
    button.type = "button";
    button.dataset.speakerId = String(speaker.id);
  }
  const name = document.createElement("strong");
  name.textContent = speaker.name;
  const meta = document.createElement("span");
  meta.className = "meta";
  const aliases = speaker.aliases.length ? `also ${speaker.aliases.join(", ")}` : "";
  const quotes = `${speaker.quotes} quote${speaker.quotes === 1 ? "" : "s"}`;
  meta.textContent = [aliases, speaker.kind, quotes].filter(Boolean).join(" · ");
  button.append(name, " ", meta);
  item.append(button);
  return item;
}

async function searchSpeakers(input) {
  const form = input.form;
  const list = form.querySelector(".speaker-results");
  const query = input.value.trim();
  if (!query) {
    list.replaceChildren();
    return;
  }
  const url = new URL(input.dataset.searchUrl, window.location.href);
  url.searchParams.set("q", query);
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch", Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  const { results } = await response.json();
  if (input.value.trim() !== query) return; // a newer search replaces this one
  list.replaceChildren(...results.map((speaker) => speakerResult(form, speaker)));
  if (!results.length) {
    const none = document.createElement("li");
    none.className = "meta";
    none.textContent = "No speaker matches: the name you typed becomes a new speaker.";
    list.append(none);
  }
}

function scheduleSearch(input, delay = 150) {
  const picked = input.form.querySelector(".speaker-id");
  if (picked) picked.value = ""; // typing again drops a speaker picked earlier
  const typed = input.value;
  const search = new Promise((resolve) => {
    setTimeout(() => {
      // Still typing: the search scheduled by the next key press runs instead.
      if (input.value !== typed) return resolve();
      searchSpeakers(input)
        .catch((error) => showError(input.form, error.message))
        .finally(resolve);
    }, delay);
  });
  searches.set(input.form, search);
  return search;
}

// -- the annotator's card ------------------------------------------------------------------------
// Scroll as little as needed to show the viewport-relative span [top, bottom].
function scrollToShow(top, bottom, margin = 8) {
  if (top < margin) window.scrollBy(0, top - margin);
  else if (bottom > window.innerHeight - margin) {
    window.scrollBy(0, Math.min(bottom - window.innerHeight + margin, top - margin));
  }
}

// "Stance", "Stance and Sourcing", "Stance, Attribution and Sourcing".
function humanList(names) {
  if (names.length < 2) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

// Time spent on a quote: from the moment it is shown to its submission, leaving out time the
// page spent hidden (another tab, a locked phone). Sent with the answers as `seconds`.
function quoteClock() {
  let quote = null;
  let shownAt = 0;
  let hiddenSince = null;
  let hidden = 0;
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) hiddenSince = performance.now();
    else if (hiddenSince !== null) {
      hidden += performance.now() - hiddenSince;
      hiddenSince = null;
    }
  });
  return {
    shown(quoteId) {
      if (quoteId === quote) return; // the same quote again (a fix, a refused submit)
      quote = quoteId;
      shownAt = performance.now();
      hidden = 0;
    },
    seconds() {
      return Math.max(0, (performance.now() - shownAt - hidden) / 1000).toFixed(1);
    },
  };
}

function initAnnotate(page) {
  let active = 0;
  let busy = false;
  const clock = quoteClock();

  const card = () => page.querySelector("#annotate-card");
  const dimensions = () => [...page.querySelectorAll("#label-form .dimension")];

  // Highlight a question. Focus follows (so Tab goes on from there), without scrolling the
  // quote away when a new card is shown (`scroll: false`).
  function activate(index, { scroll = true } = {}) {
    const all = dimensions();
    if (!all.length) return;
    active = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((fieldset, i) => fieldset.classList.toggle("is-active", i === active));
    if (document.activeElement !== all[active]) all[active].focus({ preventScroll: !scroll });
  }

  // A newly shown quote is always in view: with its heading, any message above it and the
  // highlighted question when they fit in the window, else the paragraph, else the quote.
  function revealQuote() {
    const shown = (element) => element && !element.hidden && element.getClientRects().length;
    const current = card();
    const paragraph = current.querySelector(".paragraph");
    if (!paragraph) {
      const box = current.getBoundingClientRect();
      scrollToShow(box.top, Math.min(box.bottom, box.top + window.innerHeight / 2));
      return;
    }
    const above = [".flash", ".card-errors", "#label-problem", ".quote-source"]
      .map((selector) => current.querySelector(selector))
      .filter(shown);
    const question = dimensions()[active];
    const mark = paragraph.querySelector(".q") || paragraph;
    const groups = [[...above, paragraph, question], [...above, paragraph], [paragraph], [mark]];
    for (const group of groups) {
      const boxes = group.filter(shown).map((element) => element.getBoundingClientRect());
      const top = Math.min(...boxes.map((box) => box.top));
      const bottom = Math.max(...boxes.map((box) => box.bottom));
      if (bottom - top <= window.innerHeight - 16 || group.length === 1) {
        scrollToShow(top, bottom);
        return;
      }
    }
  }

  // Required questions left unanswered: named in the message above the quote and marked
  // (aria-invalid) until they are answered.
  function unanswered() {
    return dimensions().filter(
      (fieldset) => "required" in fieldset.dataset && !fieldset.querySelector("input:checked"),
    );
  }

  function markUnanswered(missing) {
    const box = card().querySelector("#label-problem");
    if (!box) return;
    for (const fieldset of dimensions()) {
      const invalid = missing.includes(fieldset);
      fieldset.classList.toggle("is-invalid", invalid);
      if (invalid) {
        fieldset.setAttribute("aria-invalid", "true");
        fieldset.setAttribute("aria-describedby", "label-problem");
      } else {
        fieldset.removeAttribute("aria-invalid");
        fieldset.removeAttribute("aria-describedby");
      }
    }
    const names = missing.map((fieldset) => fieldset.dataset.name);
    box.textContent = names.length ? `Answer ${humanList(names)} before submitting.` : "";
    box.hidden = !names.length;
  }

  // After an answer: the message shrinks to what is still missing, and goes when nothing is.
  function refreshUnanswered() {
    const box = card().querySelector("#label-problem");
    if (box && !box.hidden) markUnanswered(unanswered());
  }

  function showCard() {
    clock.shown(card().dataset.quote);
    const invalid = dimensions().findIndex((fieldset) => fieldset.classList.contains("is-invalid"));
    activate(Math.max(invalid, 0), { scroll: false });
    revealQuote();
  }

  async function send(form, submitter) {
    if (busy || !form) return;
    if (form.id === "label-form") {
      const missing = unanswered();
      if (missing.length) {
        // Refused here, without a request: the server would say the same with a 400.
        markUnanswered(missing);
        activate(dimensions().indexOf(missing[0]), { scroll: false });
        revealQuote();
        return;
      }
    }
    busy = true;
    if (form.id === "label-form" && form.elements.seconds) {
      form.elements.seconds.value = clock.seconds();
    }
    const shownQuote = card().dataset.quote;
    const articleOpen = card().querySelector("#whole-article")?.open;
    const moves = ["label-form", "skip-form", "undo-form"].includes(form.id);
    try {
      replaceWith(card(), await postForm(form, submitter));
      const sameQuote = card().dataset.quote === shownQuote;
      // Still on the same quote after a fix: keep the whole article open where it was.
      if (articleOpen && sameQuote) toggleArticle(true);
      if (moves || !sameQuote) showCard();
      else activate(active, { scroll: false });
    } catch (error) {
      showError(card(), error.message);
    } finally {
      busy = false;
    }
  }

  function pick(key) {
    const fieldset = dimensions()[active];
    if (!fieldset) return false;
    const input = [...fieldset.querySelectorAll("input")].find(
      (candidate) => candidate.dataset.shortcut === key,
    );
    if (!input) return false;
    input.checked = input.type === "checkbox" ? !input.checked : true;
    refreshUnanswered();
    if (input.type === "radio") activate(active + 1);
    return true;
  }

  function toggle(id) {
    const panel = page.querySelector(id);
    panel.hidden = !panel.hidden;
  }

  // -- fixing the quote --------------------------------------------------------------------------
  // What to do instead, when a fix cannot start (nothing selected); cleared by the next one.
  function fixStatus(message) {
    const box = card().querySelector("#fix-status");
    if (!box) return;
    box.dataset.hint ??= box.innerHTML;
    box.textContent = message;
    box.classList.add("error");
  }

  function clearFixStatus() {
    const box = card().querySelector("#fix-status");
    if (!box?.dataset.hint) return;
    box.innerHTML = box.dataset.hint;
    delete box.dataset.hint;
    box.classList.remove("error");
  }

  function toggleArticle(open) {
    const details = card().querySelector("#whole-article");
    if (details) details.open = open ?? !details.open;
  }

  async function loadArticle(details) {
    details.dataset.loaded = "loading";
    const body = details.querySelector(".whole-article-body");
    try {
      const response = await fetch(details.dataset.src, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (!response.ok) throw new Error(`The server answered ${response.status}.`);
      body.innerHTML = await response.text();
      details.dataset.loaded = "yes";
    } catch (error) {
      delete details.dataset.loaded;
      showError(body, error.message);
    }
  }

  function closeFixForm(form) {
    form.hidden = true;
    activate(active);
  }

  function openSpeakerSearch() {
    const form = card().querySelector("#speaker-form");
    if (!form) return;
    form.hidden = false;
    const input = form.querySelector(".speaker-search");
    input.focus();
    input.select();
    if (input.value.trim()) scheduleSearch(input, 0);
  }

  function setSpanFromSelection() {
    const span = selectedSpan();
    if (span.error) return fixStatus(span.error);
    clearFixStatus();
    const form = card().querySelector("#span-form");
    form.elements.start.value = span.start;
    form.elements.end.value = span.end;
    send(form);
  }

  function openAddQuote() {
    const span = selectedSpan();
    if (span.error) return fixStatus(span.error);
    clearFixStatus();
    const form = card().querySelector("#add-quote-form");
    form.elements.start.value = span.start;
    form.elements.end.value = span.end;
    form.querySelector(".add-preview").textContent = span.text;
    const quoted = /^[“"«„‘'‹]/.test(span.text) || /[”"»“’'›]$/.test(span.text);
    form.elements.kind.value = quoted ? "direct" : "indirect";
    form.hidden = false;
    form.elements.kind.focus();
  }

  function fix(action) {
    if (action === "speaker") openSpeakerSearch();
    else if (action === "span") setSpanFromSelection();
    else if (action === "add") openAddQuote();
    else if (action === "cancel") closeFixForm(card().querySelector("#add-quote-form"));
  }

  // Keys of the fixes; a choice with the same key in the active question is picked instead.
  function fixKey(key) {
    const action = { p: "speaker", t: "span", a: "add" }[key.toLowerCase()];
    if (action) return fix(action), true;
    if (key === "x" || key === "X") return send(card().querySelector("#reject-form")), true;
    if (key === "w" || key === "W") return toggleArticle(), true;
    return false;
  }

  page.addEventListener("toggle", (event) => {
    const details = event.target;
    if (details.id === "whole-article" && details.open && !details.dataset.loaded) {
      loadArticle(details);
    }
  }, true);

  page.addEventListener("input", (event) => {
    if (event.target.matches?.(".speaker-search")) scheduleSearch(event.target);
  });

  page.addEventListener("change", (event) => {
    if (event.target.closest?.("#label-form .dimension")) refreshUnanswered();
  });

  // Tab moves through the page as everywhere (questions, note, buttons, links); a question
  // reached with Tab, Shift+Tab or a click becomes the highlighted one.
  page.addEventListener("focusin", (event) => {
    const fieldset = event.target.closest?.("#label-form .dimension");
    if (!fieldset) return;
    const index = dimensions().indexOf(fieldset);
    if (index >= 0 && index !== active) activate(index);
  });

  // The speaker search: Enter or ↓ goes to the matches, ↑/↓ move among them, Esc closes.
  page.addEventListener("keydown", async (event) => {
    const form = event.target.closest?.(".speaker-picker, #add-quote-form");
    if (!form || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === "Escape") {
      event.preventDefault();
      closeFixForm(form);
      return;
    }
    const results = [...form.querySelectorAll(".speaker-result")];
    const input = form.querySelector(".speaker-search");
    if (event.target === input && (key === "ArrowDown" || key === "Enter")) {
      event.preventDefault();
      if (key === "Enter" && !input.value.trim()) return;
      await searches.get(form);
      const first = form.querySelector(".speaker-result");
      if (first) first.focus();
      else if (key === "Enter") form.requestSubmit(form.querySelector(".speaker-create"));
      return;
    }
    const at = results.indexOf(event.target);
    if (at >= 0 && (key === "ArrowDown" || key === "ArrowUp")) {
      event.preventDefault();
      const next = at + (key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : results[Math.min(next, results.length - 1)]).focus();
    }
  });

  // Fix buttons keep the text selection (a mouse press would otherwise clear it). A press on a
  // choice does not focus its question yet: that would show the question's definitions and
  // move the choices before the button is released, so the click would miss.
  page.addEventListener("mousedown", (event) => {
    if (event.target.closest?.("[data-fix], #label-form .choice")) event.preventDefault();
  });

  page.addEventListener("submit", (event) => {
    const form = event.target;
    const cardForm = ["label-form", "skip-form", "undo-form"].includes(form.id);
    if (!cardForm && !form.matches("[data-card-form]")) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  page.addEventListener("click", (event) => {
    const fixButton = event.target.closest?.("[data-fix]");
    if (fixButton) return fix(fixButton.dataset.fix);
    // A match picked for a new quote: remember it and go on to the Add button.
    const result = event.target.closest?.("#add-quote-form .speaker-result");
    if (result) {
      const form = result.form;
      form.querySelector(".speaker-id").value = result.dataset.speakerId;
      form.querySelector(".speaker-search").value = result.dataset.name;
      form.querySelector(".speaker-results").replaceChildren();
      form.querySelector("button[type=submit]").focus();
      return;
    }
    // A click on a choice makes its question the active one.
    const fieldset = event.target.closest?.(".dimension");
    if (fieldset) {
      const index = dimensions().indexOf(fieldset);
      if (index !== active) activate(index);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    // Buttons and links keep their own Enter and Space.
    if (event.target.closest?.("button, a, summary")) return;
    const key = event.key;
    const handled = (() => {
      if (key === "?") return toggle("#help-panel"), true;
      if (key === "g" || key === "G") return toggle("#guidelines-panel"), true;
      if (key === "Escape") {
        page.querySelectorAll(".panel").forEach((panel) => (panel.hidden = true));
        return true;
      }
      if (key === "u" || key === "U") return send(page.querySelector("#undo-form")), true;
      const restore = card().querySelector("#restore-form");
      if (restore && (key === "r" || key === "R")) return send(restore), true;
      if (!dimensions().length) return false;
      if (key === "ArrowDown" || key === "j") return activate(active + 1), true;
      if (key === "ArrowUp" || key === "k") return activate(active - 1), true;
      if (key === "Enter") return send(page.querySelector("#label-form")), true;
      if (key === "s" || key === "S") return send(page.querySelector("#skip-form")), true;
      if (key === "n" || key === "N") return page.querySelector("#id_note")?.focus(), true;
      return pick(key) || fixKey(key);
    })();
    if (handled) event.preventDefault();
  });

  wireComments(page);
  showCard();
}

// -- the review page -----------------------------------------------------------------------------
function initReview(page) {
  let active = 0;
  let busy = false;
  const rows = () => [...page.querySelectorAll(".review-dim")];

  function activate(index) {
    const all = rows();
    if (!all.length) return;
    active = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("is-active", i === active));
    all[active].focus();
  }

  async function send(form, submitter) {
    if (busy) return;
    busy = true;
    const item = form.closest("[data-swap=review-item]");
    const key = form.closest(".review-dim")?.dataset.key;
    try {
      const fresh = replaceWith(item, await postForm(form, submitter));
      // Go on to the next question still waiting for gold, here or further down.
      const all = rows();
      const here = all.findIndex((row) => fresh.contains(row) && row.dataset.key === key);
      const next = all.findIndex(
        (row, i) => i > here && row.classList.contains("is-open") && !row.querySelector(".is-gold"),
      );
      activate(next >= 0 ? next : Math.max(here, 0));
    } catch (error) {
      showError(item, error.message);
    } finally {
      busy = false;
    }
  }

  page.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches(".gold-form")) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  page.addEventListener("click", (event) => {
    const row = event.target.closest?.(".review-dim");
    if (row) active = rows().indexOf(row);
  });

  // Tab moves through the page as everywhere; a question reached with it becomes the active one.
  page.addEventListener("focusin", (event) => {
    const row = event.target.closest?.(".review-dim");
    const index = row ? rows().indexOf(row) : -1;
    if (index >= 0 && index !== active) {
      active = index;
      rows().forEach((other, i) => other.classList.toggle("is-active", i === active));
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.target.closest?.("button, a")) return;
    if (!rows().length) return;
    const key = event.key;
    let handled = true;
    if (key === "ArrowDown" || key === "j") activate(active + 1);
    else if (key === "ArrowUp" || key === "k") activate(active - 1);
    else {
      const row = rows()[active];
      const button = row && [...row.querySelectorAll("button[data-shortcut]")].find(
        (candidate) => candidate.dataset.shortcut === key,
      );
      if (button) send(button.form, button);
      else handled = false;
    }
    if (handled) event.preventDefault();
  });

  wireComments(page);
  const firstOpen = rows().findIndex((row) => row.classList.contains("is-open"));
  activate(Math.max(firstOpen, 0));
}

const annotatePage = document.querySelector("#annotate-page");
if (annotatePage) initAnnotate(annotatePage);
const reviewPage = document.querySelector("#review-page");
if (reviewPage) initReview(reviewPage);
