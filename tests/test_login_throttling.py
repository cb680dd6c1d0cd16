"""Failed logins are counted where every process sees them (the database, or Redis in
production), per username and address, per address and per username, through every door that
takes a password; a client over a limit waits LOGIN_COOLOFF_MINUTES."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from asgiref.local import Local
from axes.handlers.proxy import AxesProxyHandler
from django.core.cache import caches
from django.core.cache.backends import locmem
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/10"
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 5
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 7


def page_login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def token_login(username, password, address="10.0.0.1"):
    return APIClient().post(
        TOKEN, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def assert_page_locked(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins. Wait 15 minutes and try again." in page
    assert 'name="password"' in page  # the login form, with the message above it
    assert response["Retry-After"] == "900"


def assert_api_locked(response):
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed logins. Wait 15 minutes and try again.",
        "code": "throttled",
        "fields": {},
    }
    assert response["Retry-After"] == "900"


def test_the_login_page_refuses_at_the_limit_even_the_right_password(client):
    user = UserFactory()
    for _ in range(2):
        response = page_login(client, user.username, "wrong")
        assert response.status_code == 200
        assert "didn't match" in response.content.decode()
    assert_page_locked(page_login(client, user.username, "wrong"))
    assert_page_locked(page_login(client, user.username, PASSWORD))
    assert "_auth_user_id" not in client.session


def test_the_api_token_login_refuses_at_the_limit_with_a_429(client):
    user = UserFactory()
    for _ in range(2):
        assert token_login(user.username, "wrong").status_code == 400
    assert_api_locked(token_login(user.username, "wrong"))
    assert_api_locked(token_login(user.username, PASSWORD))


def test_failures_at_either_door_count_together(client):
    user = UserFactory()
    page_login(client, user.username, "wrong")
    token_login(user.username, "wrong")
    assert_api_locked(token_login(user.username, "wrong"))
    assert_page_locked(page_login(client, user.username, PASSWORD))


def test_the_admin_login_is_throttled_too(client):
    user = UserFactory(is_staff=True)
    for _ in range(3):
        client.post("/admin/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429


def test_a_successful_login_forgives_that_usernames_failures_from_that_address(client):
    user = UserFactory()
    for _ in range(2):
        page_login(client, user.username, "wrong")
    assert page_login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        page_login(client, user.username, "wrong")
    assert page_login(client, user.username, PASSWORD).status_code == 302


def test_spraying_one_password_over_many_usernames_from_one_address_is_limited(client):
    victims = UserFactory.create_batch(6)
    for victim in victims[:5]:
        page_login(client, victim.username, "Summer2026!")
    # The sixth account is refused from that address, even with its right password…
    assert_page_locked(page_login(client, victims[5].username, PASSWORD))
    assert_api_locked(token_login(victims[5].username, PASSWORD))
    # …while its owner elsewhere logs in.
    assert token_login(victims[5].username, PASSWORD, address="10.0.0.2").status_code == 200


def test_a_limit_of_zero_does_not_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 0
    victims = UserFactory.create_batch(7)
    for victim in victims[:6]:
        page_login(client, victim.username, "Summer2026!")
    assert page_login(client, victims[6].username, PASSWORD).status_code == 302


def test_logging_into_ones_own_account_does_not_reset_an_address_count(client):
    me, victims = UserFactory(), UserFactory.create_batch(5)
    for victim in victims[:4]:
        token_login(victim.username, "Summer2026!")
    assert token_login(me.username, PASSWORD).status_code == 200
    assert_api_locked(token_login(victims[4].username, "Summer2026!"))
    assert_api_locked(token_login(me.username, PASSWORD))


def test_guessing_one_username_from_many_addresses_is_limited(client):
    user = UserFactory()
    for number in range(7):
        # two tries from each address: never three, the per-address limit for one username
        page_login(client, user.username, "wrong", address=f"10.0.1.{number // 2}")
    assert_api_locked(token_login(user.username, PASSWORD, address="10.0.2.1"))


def test_the_lockout_ends_after_the_cool_off(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    user = UserFactory()
    for _ in range(3):
        page_login(client, user.username, "wrong")
    assert page_login(client, user.username, PASSWORD).status_code == 429
    time.sleep(1.5)
    assert page_login(client, user.username, PASSWORD).status_code == 302


def test_behind_our_proxy_the_address_comes_from_x_forwarded_for(client, settings):
    settings.NUM_PROXIES = 1
    user = UserFactory()
    for _ in range(3):
        client.post(
            LOGIN,
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",  # the proxy
            HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.20",  # spoofed, then what it saw
        )
    other_client = {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "198.51.100.21"}
    data = {"username": user.username, "password": PASSWORD}
    assert client.post(LOGIN, data, **other_client).status_code == 302


def test_a_negative_limit_is_an_error():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOGIN_FAILURE_LIMIT_PER_ADDRESS": "-1",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT… settings are >= 0" in result.stderr


def forget_everything_in_this_process() -> None:
    """What a second gunicorn worker would not have: this process's caches and axes' handler."""
    for cache in caches.all(initialized_only=True):
        cache.close()
    locmem._caches.clear()
    locmem._expire_info.clear()
    locmem._locks.clear()
    caches._connections = Local(caches.thread_critical)
    AxesProxyHandler.get_implementation(force=True)


def test_without_a_cache_server_failures_are_kept_in_the_database(client):
    user = UserFactory()
    for _ in range(3):
        page_login(client, user.username, "wrong")
    forget_everything_in_this_process()
    assert_page_locked(page_login(client, user.username, PASSWORD))


@pytest.fixture
def redis_counts(settings):
    """Production's set-up: the counts in Redis (a database of its own, emptied around the test)."""
    connection = redis.Redis.from_url(REDIS)
    connection.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    settings.AXES_HANDLER = "config.security.CacheLoginThrottle"
    yield connection
    connection.flushdb()


def test_with_redis_failures_are_kept_in_redis(client, redis_counts):
    user = UserFactory()
    for _ in range(3):
        page_login(client, user.username, "wrong")
    assert redis_counts.dbsize() == 3  # one counter per parameter
    forget_everything_in_this_process()
    assert_page_locked(page_login(client, user.username, PASSWORD))
    assert_api_locked(token_login(user.username, PASSWORD))


LOGIN_IN_ANOTHER_PROCESS = """
from django.test import Client
response = Client().post("/accounts/login/", {"username": "%s", "password": "anything"},
                         REMOTE_ADDR="10.0.0.1")
print(response.status_code)
"""


def test_with_redis_another_process_sees_the_lockout(client, redis_counts):
    user = UserFactory()
    for _ in range(3):
        page_login(client, user.username, "wrong")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n" + LOGIN_IN_ANOTHER_PROCESS % user.username,
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CACHE_URL": REDIS,
            "DATABASE_URL": "sqlite:///:memory:",  # the lockout is decided before any lookup
            "ALLOWED_HOSTS": "testserver",
            "LOGIN_FAILURE_LIMIT": "3",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "429", result.stderr[-2000:]
