"""The API's token door: a username and password in, a token out (throttled like the login page)."""

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenLoginInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """POST a username and password, get an API token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenLoginInput, responses=TokenOutput)
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
        token, _ = Token.objects.get_or_create(user=user)
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response(TokenOutput({"token": token.key}).data)
