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

// -- the annotator's card ------------------------------------------------------------------------
function initAnnotate(page) {
  let active = 0;
  let busy = false;

  const card = () => page.querySelector("#annotate-card");
  const dimensions = () => [...page.querySelectorAll("#label-form .dimension")];

  function activate(index) {
    const all = dimensions();
    if (!all.length) return;
    active = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((fieldset, i) => fieldset.classList.toggle("is-active", i === active));
    all[active].focus({ preventScroll: false });
  }

  async function send(form, submitter) {
    if (busy || !form) return;
    busy = true;
    try {
      replaceWith(card(), await postForm(form, submitter));
      active = 0;
      const errors = card().querySelector(".card-errors");
      // After an error, stay on the first question that is still unanswered.
      const all = dimensions();
      const unanswered = all.findIndex((f) => !f.querySelector("input:checked"));
      activate(errors && unanswered >= 0 ? unanswered : 0);
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
    if (input.type === "radio") activate(active + 1);
    return true;
  }

  function toggle(id) {
    const panel = page.querySelector(id);
    panel.hidden = !panel.hidden;
  }

  page.addEventListener("submit", (event) => {
    const form = event.target;
    if (!["label-form", "skip-form", "undo-form"].includes(form.id)) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  // A click on a choice makes its question the active one.
  page.addEventListener("click", (event) => {
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
      if (!dimensions().length) return false;
      if (key === "Tab") return activate(active + (event.shiftKey ? -1 : 1)), true;
      if (key === "ArrowDown" || key === "j") return activate(active + 1), true;
      if (key === "ArrowUp" || key === "k") return activate(active - 1), true;
      if (key === "Enter") return send(page.querySelector("#label-form")), true;
      if (key === "s" || key === "S") return send(page.querySelector("#skip-form")), true;
      if (key === "n" || key === "N") return page.querySelector("#id_note")?.focus(), true;
      return pick(key);
    })();
    if (handled) event.preventDefault();
  });

  wireComments(page);
  activate(0);
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

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.target.closest?.("button, a")) return;
    if (!rows().length) return;
    const key = event.key;
    let handled = true;
    if (key === "Tab") activate(active + (event.shiftKey ? -1 : 1));
    else if (key === "ArrowDown" || key === "j") activate(active + 1);
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
