"""Headers and throttles that protect every page and the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

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


def test_login_page_refuses_after_repeated_failures_even_with_the_right_password(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        response = client.post(reverse("login"), {"username": user.username, "password": "bad"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_resets_the_failure_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(2):
        client.post(reverse("login"), {"username": user.username, "password": "bad"})
    assert (
        client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code
        == 302
    )
    client.logout()
    for _ in range(2):
        client.post(reverse("login"), {"username": user.username, "password": "bad"})
    assert (
        client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code
        == 302
    )


def test_token_endpoint_is_throttled_too(settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = UserFactory()
    api = APIClient()
    url = reverse("api:api-token")
    for _ in range(2):
        assert api.post(url, {"username": user.username, "password": "bad"}).status_code == 400
    response = api.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_forms_carry_a_csrf_token(client):
    assert 'name="csrfmiddlewaretoken"' in client.get(reverse("login")).content.decode()


def test_post_without_csrf_token_is_refused():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
