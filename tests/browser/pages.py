"""Steps the browser tests share."""

from tests.factories import PASSWORD


def log_in(page, live_server, username, password=PASSWORD):
    """Log in through the login page and wait for the top bar to name the user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_selector(".topbar .who")


def htmx_settled(page):
    """Wait until htmx has finished swapping and settling what it last loaded.

    htmx binds the forms of swapped-in content only when it settles (20 ms after the swap), so
    a key pressed on a new button before then submits the form without htmx: a full page load.
    """
    from playwright.sync_api import expect

    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    expect(page.locator(busy)).to_have_count(0)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def fully_in_viewport(page, selector) -> bool:
    """Whether the element's whole box lies inside the window as it is scrolled now."""
    box = page.locator(selector).bounding_box()  # relative to the viewport
    viewport = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] + box["width"] <= viewport["width"]
    )


def fits_width(page) -> bool:
    """No sideways scrolling: the document is no wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each.

    axe.min.js comes with the axe-playwright-python package and is injected from disk: the run
    fetches nothing (the accessibility tests check that no request leaves the test server).
    """
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]


def keep_offline(page, live_server) -> list[str]:
    """Abort every request that is not for the test server; the list fills with their URLs."""
    leaving: list[str] = []

    def route(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            leaving.append(route.request.url)
            route.abort()

    page.context.route("**/*", route)
    return leaving


CONTRAST = """(element) => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let background = element;
  while (background && rgb(getComputedStyle(background).backgroundColor)[3] === 0) {
    background = background.parentElement;
  }
  const back = background ? getComputedStyle(background).backgroundColor : "rgb(255, 255, 255)";
  const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(rgb(back))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def contrast_ratios(page, selector) -> list[float]:
    """WCAG contrast of each matching element's text on the background it is drawn on
    (the nearest opaque background up the tree)."""
    return [element.evaluate(CONTRAST) for element in page.locator(selector).all()]
