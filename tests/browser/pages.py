"""Steps the browser tests share."""

from tests.factories import PASSWORD


def log_in(page, live_server, username, password=PASSWORD):
    """Log in through the login page and wait for the top bar to name the user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_selector(".topbar .who")


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
