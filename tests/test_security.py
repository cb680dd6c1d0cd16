"""Headers and checks that protect every page and the API (login throttling:
test_login_throttling.py)."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_every_page_sends_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("login"))
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_the_policy_is_the_same_on_pages_api_and_error_pages(client):
    for path in ("/accounts/login/", "/api/v1/", "/no-such-page/", "/api/v1/no-such-route/"):
        assert directives(client.get(path)) == POLICY, path


def test_forms_carry_a_csrf_token(client):
    assert 'name="csrfmiddlewaretoken"' in client.get(reverse("login")).content.decode()


def test_post_without_csrf_token_is_refused():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
