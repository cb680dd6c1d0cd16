"""Playwright on Debian's chromium (or Playwright's own), against pytest-django's live server."""

import os
import shutil
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
    # for set-up are still synchronous and safe there. Restored when the browser closes.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = _launch_chromium(playwright)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch_chromium(playwright):
    """Debian's chromium when on PATH, else Playwright's own; bin/ensure-chromium gets one."""
    debian_chromium = shutil.which("chromium")
    if debian_chromium is not None:
        return playwright.chromium.launch(executable_path=debian_chromium, args=CHROMIUM_FLAGS)
    if os.path.exists(playwright.chromium.executable_path):
        return playwright.chromium.launch()
    pytest.fail(
        "No Chromium for the browser tests: run bin/ensure-chromium (make test runs it).",
        pytrace=False,
    )


@pytest.fixture
def page(browser):
    """A fresh page that records console errors; each test ends by checking there are none."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    """Where to keep screenshots for the docs: set CLAIMLAB_SCREENSHOTS=docs/screenshots."""
    return os.environ.get("CLAIMLAB_SCREENSHOTS")


@pytest.fixture
def demo_data(transactional_db, settings):
    """What `make run` sets up: the demo articles (RT, dated) in the demo project, its logins."""
    settings.DEBUG = True
    demo_file = str(django_settings.BASE_DIR / "demo" / "articles.jsonl")
    call_command("import_articles", demo_file, "--no-progress", stdout=StringIO())
    call_command("setup_demo", stdout=StringIO())
    from annotations.models import Project

    return Project.objects.get()
