"""Token login cost: Python CPU, wall time and queries of authenticating one API request.

Builds a scratch PostgreSQL database (`claimlab_token_bench`, dropped afterwards) with 50 users
holding 3 tokens each (scripts that logged in several times), then authenticates requests
carrying a token, round-robin over the users, with django-rest-knox's own TokenAuthentication
and with ours (config/authentication.py: one raw query, the digest bound to the password).
Production settings (DEBUG off). Run: .venv/bin/python bench/token_auth.py [--calls 4000]
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import database_drop, database_recreate  # noqa: E402

USERS, TOKENS_EACH = 50, 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=4000, help="authentications per class")
    parser.add_argument("--requests", type=int, default=1000, help="whole requests (GET)")
    parser.add_argument(
        "--server-url",
        default=os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default="claimlab_token_bench")
    args = parser.parse_args()

    database_url = database_recreate(args.server_url, args.database)
    try:
        os.environ.update(
            {
                "DATABASE_URL": database_url,
                "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "testserver",
                "SECURE_SSL_REDIRECT": "false",
                "LOG_LEVEL": "WARNING",
                "DATABASE_CONN_MAX_AGE": "600",
                "DJANGO_SETTINGS_MODULE": "config.settings",
            }
        )
        import django

        django.setup()
        run(args)
    finally:
        from django.db import connection

        connection.close()
        database_drop(args.server_url, args.database)
    return 0


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from knox import auth as knox_auth
    from knox.models import AuthToken
    from rest_framework.request import Request

    from config import authentication
    from config.tokens import token_create

    call_command("migrate", verbosity=0)
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"bench-{n:03d}") for n in range(USERS))
    ours = [token_create(user=user)[1] for user in users for _ in range(TOKENS_EACH)]
    stock = [AuthToken.objects.create(user=user)[1] for user in users for _ in range(TOKENS_EACH)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    factory = RequestFactory()
    print(f"{USERS} users × {TOKENS_EACH} tokens each; {args.calls} authentications per class")
    print(f"{'class':<44} {'CPU µs':>8} {'wall µs':>8} {'queries':>8}")
    for name, authenticator, tokens in (
        ("knox.auth.TokenAuthentication", knox_auth.TokenAuthentication(), stock),
        ("config.authentication.TokenAuthentication", authentication.TokenAuthentication(), ours),
    ):
        requests = [
            Request(factory.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}"))
            for token in tokens
        ]
        for request in requests[:20]:  # warm up: imports, the connection, plans
            authenticator.authenticate(request)
        cpu, wall = time.process_time(), time.perf_counter()
        for number in range(args.calls):
            authenticator.authenticate(requests[number % len(requests)])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        with CaptureQueriesContext(connection) as captured:
            authenticator.authenticate(requests[0])
        print(
            f"{name:<44} {cpu / args.calls * 1e6:>8.0f} {wall / args.calls * 1e6:>8.0f} "
            f"{len(captured.captured_queries):>8}"
        )

    # A whole request through every middleware, with our class (the settings' one).
    client = Client()
    for token in ours[:20]:
        client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token}")
    cpu = time.process_time()
    for number in range(args.requests):
        response = client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {ours[number % 150]}")
    cpu = time.process_time() - cpu
    assert response.status_code == 200, response.content
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {ours[0]}")
    print(
        f"GET /api/v1/projects/ with a token: {cpu / args.requests * 1e3:.2f} ms CPU per "
        f"request, {len(captured.captured_queries)} queries (1 of them the token)"
    )


if __name__ == "__main__":
    sys.exit(main())
