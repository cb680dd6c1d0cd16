"""Login throttling for every door that takes a password (the login page, the admin's, the API
token), with django-axes counting failures in a store all processes share.

Three counters, each with its own limit (AXES_LOCKOUT_PARAMETERS, in this order):
one username from one address (LOGIN_FAILURE_LIMIT: guessing one password), any usernames from
one address (LOGIN_FAILURE_LIMIT_PER_ADDRESS: one password sprayed over many accounts), and one
username from any address (LOGIN_FAILURE_LIMIT_PER_USERNAME: guessing spread over many machines).
Axes compares all counters with one limit; `LoginThrottle` gives each its own.
"""

import ipaddress
from datetime import timedelta

from axes.handlers.cache import AxesCacheHandler
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_cache_keys,
    get_client_username,
    get_credentials,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# The setting holding each lockout parameter's limit, in AXES_LOCKOUT_PARAMETERS' order.
LIMIT_SETTINGS = {
    ("username", "ip_address"): "LOGIN_FAILURE_LIMIT",
    ("ip_address",): "LOGIN_FAILURE_LIMIT_PER_ADDRESS",
    ("username",): "LOGIN_FAILURE_LIMIT_PER_USERNAME",
}


def _parameter_key(parameter: str | list[str]) -> tuple[str, ...]:
    return (parameter,) if isinstance(parameter, str) else tuple(parameter)


def failure_limits(request=None, credentials=None) -> list[int]:
    """Each lockout parameter's limit (0: not counted), in AXES_LOCKOUT_PARAMETERS' order."""
    return [
        getattr(settings, LIMIT_SETTINGS[_parameter_key(parameter)])
        for parameter in get_lockout_parameters(request, credentials)
    ]


def highest_failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: axes' own single-limit test then never locks early; LoginThrottle
    applies each counter's limit."""
    return max(failure_limits(request, credentials), default=0) or 2**31


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: failures are forgotten this long after the last one."""
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind NUM_PROXIES proxies of ours the address the
    outermost one saw, from X-Forwarded-For (each proxy appends its client), as DRF's throttles
    read it. Anything not an address falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not settings.NUM_PROXIES or not forwarded:
        return remote
    hops = forwarded.split(",")
    candidate = hops[-min(settings.NUM_PROXIES, len(hops))].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottle:
    """Per-parameter limits over an axes handler's failure counts; a successful login forgives
    that username's failures from that address only, so logging into one's own account does not
    reset an address's count (spraying) or a username's (guessing from many machines)."""

    def failure_counts(self, request, credentials) -> list[int]:
        raise NotImplementedError

    def forgive(self, request, username: str) -> None:
        raise NotImplementedError

    def is_locked(self, request, credentials=None) -> bool:
        counts = self.failure_counts(request, credentials)
        limits = failure_limits(request, credentials)
        return any(limit and count >= limit for count, limit in zip(counts, limits, strict=True))

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (
            request is not None
            and not request.axes_locked_out
            and self.is_locked(request, credentials)
        ):
            # This failure reached a limit: it gets the lockout answer (AxesMiddleware).
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        self.forgive(request, user.get_username())


class CacheLoginThrottle(LoginThrottle, AxesCacheHandler):
    """Counters in the cache (Redis with CACHE_URL: shared by every process and machine)."""

    def failure_counts(self, request, credentials) -> list[int]:
        return [self.cache.get(key, 0) for key in get_client_cache_keys(request, credentials)]

    def forgive(self, request, username: str) -> None:
        credentials = get_credentials(username)
        keys = get_client_cache_keys(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        for key, parameter in zip(keys, parameters, strict=True):
            if _parameter_key(parameter) == ("username", "ip_address"):
                self.cache.delete(key)


class DatabaseLoginThrottle(LoginThrottle, AxesDatabaseHandler):
    """Counters as axes' AccessAttempt rows (without CACHE_URL: shared through the database)."""

    def failure_counts(self, request, credentials) -> list[int]:
        return [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]

    def forgive(self, request, username: str) -> None:
        AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()


def lockout_message() -> str:
    return f"Too many failed logins. Wait {settings.LOGIN_COOLOFF_MINUTES} minutes and try again."


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a 429 in the API's error shape, or the login page with the message."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": lockout_message(), "code": "throttled", "fields": {}}, status=429
        )
    else:
        username = get_client_username(request, credentials) or ""
        form = AuthenticationForm(request, initial={"username": username})
        context = {"form": form, "throttled": lockout_message()}
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(settings.LOGIN_COOLOFF_MINUTES * 60)
    return response
