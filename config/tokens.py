"""The API's token door: a username and password in, a token out (throttled like the login page,
config/security.py); revoking one's own tokens. Tokens are django-rest-knox's, expiring after
API_TOKEN_TTL_HOURS and bound to the password (config/authentication.py)."""

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.crypto import create_token_string
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.authentication import token_digest


def token_create(*, user) -> tuple[AuthToken, str]:
    """A new token for `user`, valid for API_TOKEN_TTL_HOURS; returns the row and the token
    (shown once, never stored). The user's expired tokens are deleted on the way."""
    now = timezone.now()
    AuthToken.objects.filter(user=user, expiry__lte=now).delete()
    token = create_token_string()
    instance = AuthToken(
        digest=token_digest(token, user),
        token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH],
        user=user,
        expiry=now + settings.REST_KNOX["TOKEN_TTL"],
    )
    instance.save(force_insert=True)
    return instance, token


def tokens_revoke(*, user, digest: str | None = None) -> int:
    """Delete one of the user's tokens (by digest), or all of them; returns how many."""
    tokens = AuthToken.objects.filter(user=user)
    if digest is not None:
        tokens = tokens.filter(digest=digest)
    deleted, _ = tokens.delete()
    return deleted


class TokenLoginInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


class RevokedOutput(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many tokens were deleted.")


class TokenView(APIView):
    """POST a username and password for a token; DELETE revokes the token the request carries."""

    def _logging_in(self) -> bool:
        return getattr(self.request, "method", None) == "POST"  # no request: the schema's mock

    def get_authenticators(self):
        # Logging in needs no login: a stale token sent along must not turn it into a 401.
        return [] if self._logging_in() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._logging_in() else super().get_permissions()

    @extend_schema(request=TokenLoginInput, responses=TokenOutput, auth=[])
    def post(self, request):
        given = TokenLoginInput(data=request.data)
        given.is_valid(raise_exception=True)
        # Django's own request, not DRF's: axes marks a locked-out client on it, and its
        # middleware answers 429 for this door as for the login page.
        http_request = request._request
        user = authenticate(http_request, **given.validated_data)
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}
            )
        instance, token = token_create(user=user)
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response(TokenOutput({"token": token, "expiry": instance.expiry}).data)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Revoked.")})
    def delete(self, request):
        if not isinstance(request.auth, AuthToken):
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        "This request carries no API token (Authorization: Token …); "
                        "DELETE /api/v1/auth/tokens/ revokes all of yours."
                    ]
                }
            )
        tokens_revoke(user=request.user, digest=request.auth.digest)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokensView(APIView):
    """DELETE revokes every token of the caller (logged in by token or by session)."""

    @extend_schema(request=None, responses={200: RevokedOutput})
    def delete(self, request):
        return Response(RevokedOutput({"revoked": tokens_revoke(user=request.user)}).data)
