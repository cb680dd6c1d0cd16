"""Security plumbing shared by pages and API: login throttling."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest
from django.shortcuts import render
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _failure_key(request: HttpRequest, username: str) -> str:
    return f"login-failures:{_client_ip(request)}:{username.strip().lower()[:150]}"


def login_is_throttled(request: HttpRequest, username: str) -> bool:
    return cache.get(_failure_key(request, username), 0) >= settings.LOGIN_FAILURE_LIMIT


def login_failed(request: HttpRequest, username: str) -> None:
    key = _failure_key(request, username)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_succeeded(request: HttpRequest, username: str) -> None:
    cache.delete(_failure_key(request, username))


THROTTLED_MESSAGE = "Too many failed logins. Wait {minutes} minutes and try again."


def _throttled_message() -> str:
    return THROTTLED_MESSAGE.format(minutes=settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)


class ThrottledLoginView(auth_views.LoginView):
    """The login page, refusing further attempts after repeated failures for a user and IP."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if login_is_throttled(request, username):
            return render(
                request,
                "registration/login.html",
                {"form": self.get_form(), "throttled": _throttled_message()},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            login_succeeded(request, username)
        else:
            login_failed(request, username)
        return response


class ThrottledTokenView(ObtainAuthToken):
    """POST username and password, get an API token; throttled like the login page."""

    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", "")) if hasattr(request.data, "get") else ""
        if login_is_throttled(request, username):
            return Response(
                {"detail": _throttled_message(), "code": "throttled", "fields": {}}, status=429
            )
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            login_failed(request, username)
            serializer.is_valid(raise_exception=True)
        login_succeeded(request, username)
        return super().post(request, *args, **kwargs)
