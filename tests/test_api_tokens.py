"""API tokens: issued for a password, stored only as digests, expiring after API_TOKEN_TTL_HOURS,
revoked by their owner, and dead as soon as the password changes — whatever door changed it."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from annotations.labelling.queue import assign_next_quote
from tests.factories import PASSWORD, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
PROJECTS = "/api/v1/projects/"


def log_in(user, password=PASSWORD) -> str:
    response = APIClient().post(TOKEN, {"username": user.username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def status_with(token: str, path: str = PROJECTS) -> int:
    return client_with(token).get(path).status_code


def test_logging_in_returns_a_token_and_when_it_expires():
    user = UserFactory()
    before = timezone.now()
    response = APIClient().post(TOKEN, {"username": user.username, "password": PASSWORD})
    body = response.json()
    assert set(body) == {"token", "expiry"}
    assert len(body["token"]) == 64
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    assert (
        before + datetime.timedelta(hours=24)
        <= expiry
        <= timezone.now() + datetime.timedelta(hours=24)
    )
    assert status_with(body["token"]) == 200


def test_the_database_keeps_a_digest_not_the_token():
    user = UserFactory()
    token = log_in(user)
    stored = AuthToken.objects.get(user=user)
    assert stored.token_key == token[:15]
    assert token not in stored.digest and len(stored.digest) == 128


def test_the_lifetime_comes_from_the_setting():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.REST_KNOX['TOKEN_TTL'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "API_TOKEN_TTL_HOURS": "2"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "2:00:00", result.stderr


def test_a_token_that_never_expires_cannot_be_configured():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "API_TOKEN_TTL_HOURS": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "API_TOKEN_TTL_HOURS must be at least 1" in result.stderr


def test_an_expired_token_is_refused_and_deleted():
    user = UserFactory()
    token = log_in(user)
    AuthToken.objects.filter(user=user).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client_with(token).get(PROJECTS)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=user).exists()


def test_logging_in_again_clears_the_users_expired_tokens():
    user = UserFactory()
    log_in(user)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - datetime.timedelta(hours=1))
    log_in(user)
    assert AuthToken.objects.filter(user=user).count() == 1


def test_delete_revokes_the_token_the_request_carries_and_no_other():
    user = UserFactory()
    first, second = log_in(user), log_in(user)
    assert client_with(first).delete(TOKEN).status_code == 204
    assert status_with(first) == 401
    assert status_with(second) == 200


def test_delete_all_revokes_every_token_of_the_caller_and_no_one_elses():
    user, other = UserFactory(), UserFactory()
    first, second, others = log_in(user), log_in(user), log_in(other)
    response = client_with(first).delete(TOKENS)
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert status_with(first) == 401 and status_with(second) == 401
    assert status_with(others) == 200


def test_a_browser_session_can_revoke_all_its_users_tokens(client):
    user = UserFactory()
    token = log_in(user)
    client.force_login(user)
    assert client.delete(TOKENS).json() == {"revoked": 1}
    assert status_with(token) == 401


def test_delete_without_a_token_says_how_to_revoke_them_all(client):
    client.force_login(UserFactory())
    response = client.delete(TOKEN)
    assert response.status_code == 400
    assert "DELETE /api/v1/auth/tokens/" in response.json()["detail"]


def test_logging_in_with_a_stale_token_in_the_header_still_works():
    user = UserFactory()
    token = log_in(user)
    client_with(token).delete(TOKEN)
    response = client_with(token).post(TOKEN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200


# -- a new password kills every token, through every door ------------------------------------
def change_with_set_password(user, password):
    user.set_password(password)
    user.save()


def change_with_the_admin(user, password):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = APIClient()
    client.force_login(admin)
    response = client.post(
        f"/admin/auth/user/{user.id}/password/",
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content[:2000]


def change_with_changepassword(user, password, monkeypatch=None):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": password)
    call_command("changepassword", user.username, stdout=open(os.devnull, "w"))  # noqa: SIM115


def change_with_sql(user, password):
    get_user_model().objects.filter(id=user.id).update(password=make_password(password))


def change_by_setting_an_unusable_password(user, password):
    user.set_unusable_password()
    user.save()


@pytest.mark.parametrize(
    "change",
    [
        change_with_set_password,
        change_with_the_admin,
        change_with_changepassword,
        change_with_sql,
        change_by_setting_an_unusable_password,
    ],
)
def test_a_new_password_kills_every_earlier_token(change, monkeypatch):
    user, other = UserFactory(), UserFactory()
    tokens, others = [log_in(user), log_in(user)], log_in(other)
    new_password = "a-new-password-4711"
    if change is change_with_changepassword:
        change(user, new_password, monkeypatch)
    else:
        change(user, new_password)
    assert [status_with(token) for token in tokens] == [401, 401]
    assert status_with(others) == 200
    if change is not change_by_setting_an_unusable_password:
        assert status_with(log_in(user, new_password)) == 200


def test_other_changes_to_the_user_keep_the_token():
    user = UserFactory()
    token = log_in(user)
    user.email, user.first_name, user.last_login = "new@example.org", "New", timezone.now()
    user.save()
    assert status_with(token) == 200


def test_an_inactive_users_token_is_refused():
    user = UserFactory()
    token = log_in(user)
    get_user_model().objects.filter(id=user.id).update(is_active=False)
    response = client_with(token).get(PROJECTS)
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Token " + "0" * 64,
        "Token " + "g" * 64,
        "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",  # a DRF authtoken key: no longer valid
        "Token a\x00b",
        "Token ünïcode",
        "Token " + "a" * 5000,
    ],
)
def test_a_bad_token_is_a_401_never_a_500(header):
    response = APIClient().get(PROJECTS, HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


# -- the cost of a token on every request ----------------------------------------------------
def queries_of(client, path, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(100) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_token_costs_one_query_per_request_and_none_more_under_a_project(
    django_assert_max_num_queries,
):
    """The token check is one query; under /projects/<id>/ it also reads the caller's
    membership there, which the view would otherwise read: no query more than a forced login."""
    project, _quotes, (annotator,) = labelling_project(quotes=3, annotators=1)
    assign_next_quote(project=project, annotator=annotator)
    forced = APIClient()
    forced.force_authenticate(annotator)
    by_token = client_with(log_in(annotator))
    assert queries_of(by_token, PROJECTS, django_assert_max_num_queries) == (
        queries_of(forced, PROJECTS, django_assert_max_num_queries) + 1
    )
    path = f"/api/v1/projects/{project.id}/queue/next/"
    assert queries_of(by_token, path, django_assert_max_num_queries) == queries_of(
        forced, path, django_assert_max_num_queries
    )


def test_the_membership_read_with_the_token_is_the_projects_own():
    """A token's membership read is for the project in the URL only: a member of one project
    gets 404 on another's, an outsider 404, a superuser without membership still gets in, and
    a membership removed since is gone at the next call."""
    from annotations.labelling.projects import membership_remove
    from annotations.models import Membership

    mine, _, (annotator,) = labelling_project(quotes=2, annotators=1)
    theirs, _, _ = labelling_project(quotes=2, annotators=1)
    outsider = UserFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    member = client_with(log_in(annotator))

    def queue(client, project):
        return client.get(f"/api/v1/projects/{project.id}/queue/next/").status_code

    assert queue(member, mine) == 200
    assert queue(member, theirs) == 404
    assert queue(client_with(log_in(outsider)), mine) == 404
    assert client_with(log_in(admin)).get(f"/api/v1/projects/{mine.id}/labels/").status_code == 200
    membership_remove(membership=Membership.objects.get(project=mine, user=annotator))
    assert queue(member, mine) == 404
