"""The analyst's session of bench/analyst.py, run by CI against a live server on the demo data:
token, project, labels from two annotators' queues, agreement, export read by pandas, tokens
revoked."""

import pytest
from django.core.management import call_command

from bench.analyst import analyst_session


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True  # setup_demo creates its logins only in development
    articles = str(settings.BASE_DIR / "demo" / "articles")
    call_command("import_articles", articles, "--batch", "Demo articles", "--no-progress")
    call_command("setup_demo")


def test_analyst_session_on_the_demo(demo, live_server):
    steps = []
    figures = analyst_session(live_server.url, quotes=3, say=steps.append)
    assert len(steps) == 11
    assert figures["labelled"] == {"annotator1": 3, "annotator2": 3}
    assert figures["both"] == 3  # k=2: both annotators get the same quotes first
    assert figures["rows"] >= 3
    assert set(figures["alpha"]) == {"stance", "attribution", "sourcing"}
