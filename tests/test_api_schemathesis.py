"""Property-based API test: schemathesis sends generated requests to every operation of the
OpenAPI schema (bounded) and no input may cause a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from annotations.labelling.projects import membership_set, project_create
from config.tokens import token_create
from tests.factories import ArticleFactory, QuoteFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: a request must not close the test's connection (on
    PostgreSQL that would end the test transaction the data lives in)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def no_fetching(settings):
    """URL imports are fetched right after the response (no broker here): with no time at all
    to fetch, the generated URLs fail before any connection is made — nothing is downloaded."""
    settings.FETCH_TIMEOUT_SECONDS = 0.000_001
    settings.FETCH_HOST_DELAY_SECONDS = 0


@pytest.fixture
def token(db, keep_test_connection, no_fetching):
    manager = UserFactory(username="fuzz-manager", is_superuser=True)
    project = project_create(name="Fuzz", created_by=manager)
    membership_set(project=project, user=UserFactory(username="fuzz-annotator"), role="annotator")
    article = ArticleFactory(text="The envoy said talks would resume. " * 5)
    project.articles.add(article)
    QuoteFactory(article=article, content_start=17, content_end=33)
    return token_create(user=manager)[1]


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_no_request_causes_a_server_error(case, token):
    if case.path in ("/api/v1/auth/token/", "/api/v1/auth/tokens/"):
        # Login throttling would turn the generated attempts into 429s, and a revoked token
        # would make every later case a 401; tests/test_api_tokens.py covers them.
        return
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
