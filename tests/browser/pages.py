"""Steps the browser tests share."""

from tests.factories import PASSWORD


def log_in(page, live_server, username, password=PASSWORD):
    """Log in through the login page and wait for the top bar to name the user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_selector(".topbar .who")
