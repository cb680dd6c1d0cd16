"""API login by token (django-rest-knox's tokens), in a module of its own: DRF imports it while
loading its views.

A token is 64 random hex characters, shown once; the database keeps its first 15 characters (to
find it) and a SHA-512 digest of the token and its owner's session auth hash — an HMAC of the
password hash, the value Django keys a user's sessions on. A new password, set through any door
(the admin, `changepassword`, `set_password`, a reset, even SQL), makes every earlier digest
unreachable, as it ends the user's sessions: no signal, nothing any door must remember to call.
"""

import re
from hmac import compare_digest

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions

from config.sql import token_users

_TOKEN = re.compile(r"[0-9a-f]{64}")


def token_digest(token: str, user) -> str:
    """What is stored for `token` of `user`: it matches only while the password is unchanged."""
    return hash_token(token + user.get_session_auth_hash())


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token login (header `Authorization: Token <token>`), read with one raw query.

    knox's own version runs two ORM queries per request (the token with its user, then every
    other token of the user to delete expired ones) and compiling them costs more Python than
    the query takes; expired tokens are deleted here when presented and at the owner's next
    login (config.tokens.token_create).
    """

    project_id: int | None = None

    def authenticate(self, request):
        # Under /projects/<id>/ the view's first step is the caller's membership there
        # (annotations.access.project_for_member): read with the token, in the same statement.
        project_id = (request.parser_context or {}).get("kwargs", {}).get("project_pk")
        self.project_id = project_id if isinstance(project_id, int) else None
        return super().authenticate(request)

    def authenticate_credentials(self, token: bytes):
        token = token.decode("latin-1")
        if not _TOKEN.fullmatch(token):
            raise exceptions.AuthenticationFailed("Invalid token.")
        users = token_users(
            token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH],
            now=timezone.now(),
            project_id=self.project_id,
        )
        for user in users:
            if not compare_digest(user.token_digest, token_digest(token, user)):
                continue  # another token with the same first 15 characters, or a dead one
            if user.token_expired:
                AuthToken.objects.filter(digest=user.token_digest).delete()
                raise exceptions.AuthenticationFailed(
                    "The token has expired; get a new one from POST /api/v1/auth/token/."
                )
            if not user.is_active:
                raise exceptions.AuthenticationFailed("User inactive or deleted.")
            # What revoking needs (the digest); the expiry stays in the database.
            return user, AuthToken(
                digest=user.token_digest, token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH], user=user
            )
        raise exceptions.AuthenticationFailed("Invalid token.")


class TokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema (drf-spectacular knows only knox's own class)."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 - the header's prefix, not a secret
        )
