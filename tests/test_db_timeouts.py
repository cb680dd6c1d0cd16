"""A database that stops answering costs a request seconds and a clear 503, never a hung worker:
PostgreSQL connections give up after DB_CONNECT_TIMEOUT_SECONDS and statements are cancelled
after DB_STATEMENT_TIMEOUT_MS."""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement and connect timeouts are PostgreSQL's"
)


def run_django(code: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """`code` in a fresh Django process with these environment variables."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def server_url(database: str) -> str:
    """A URL for another database on the server the tests use."""
    settings = connection.settings_dict
    port = settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{database}"


def test_settings_put_both_timeouts_on_postgresql_connections():
    result = run_django(
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))",
        DATABASE_URL="postgres://u@db.example.org:5432/claims?sslmode=require",
        DB_CONNECT_TIMEOUT_SECONDS="3",
        DB_STATEMENT_TIMEOUT_MS="1500",
    )
    assert json.loads(result.stdout) == {
        "sslmode": "require",
        "connect_timeout": 3,
        "options": "-c statement_timeout=1500",
        "server_side_binding": True,
        "prepare_threshold": 5,
    }, result.stderr


def test_zero_turns_the_timeouts_off():
    result = run_django(
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))",
        DATABASE_URL="postgres://u@db.example.org:5432/claims",
        DB_CONNECT_TIMEOUT_SECONDS="0",
        DB_STATEMENT_TIMEOUT_MS="0",
    )
    assert json.loads(result.stdout) == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }, result.stderr


def test_a_negative_prepare_threshold_turns_preparing_off():
    """For a transaction-pooling PgBouncer that cannot keep prepared statements."""
    result = run_django(
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']['prepare_threshold']))",
        DATABASE_URL="postgres://u@db.example.org:5432/claims",
        DB_PREPARE_THRESHOLD="-1",
    )
    assert json.loads(result.stdout) is None, result.stderr


def test_a_negative_timeout_is_an_error():
    result = run_django("", DB_STATEMENT_TIMEOUT_MS="-1")
    assert result.returncode != 0
    assert "DB_CONNECT_TIMEOUT_SECONDS and DB_STATEMENT_TIMEOUT_MS are >= 0" in result.stderr


@postgres_only
def test_postgresql_cancels_a_statement_past_the_setting():
    result = run_django(
        "from django.db import connection, OperationalError\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])\n"
        "    try:\n"
        "        cursor.execute('SELECT pg_sleep(30)'); print('not cancelled')\n"
        "    except OperationalError as error:\n"
        "        print(type(error.__cause__).__name__, str(error).splitlines()[0])\n",
        DATABASE_URL=server_url("postgres"),
        DB_STATEMENT_TIMEOUT_MS="300",
    )
    assert result.stdout.splitlines() == [
        "300ms",
        "QueryCanceled canceling statement due to statement timeout",
    ], result.stderr


@pytest.fixture
def black_hole():
    """A local port that accepts connections and never says a word; yields the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for sock in [*held, listener]:
        sock.close()


BLACK_HOLE_REQUESTS = """
import json, time
from django.test import Client
client = Client()
client.cookies["sessionid"] = "a" * 32  # a session to look up: the page reads the database
for path in ("/api/v1/articles/", "/"):
    started = time.monotonic()
    response = client.get(path, HTTP_AUTHORIZATION="Token " + "0" * 64)
    print(json.dumps({
        "path": path,
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 1),
        "json": response.json() if path.startswith("/api/") else None,
        "text": response.content.decode()[:500],
    }))
"""


def test_a_database_that_accepts_and_never_answers_is_a_503_within_the_connect_timeout(
    black_hole,
):
    result = run_django(
        BLACK_HOLE_REQUESTS,
        DATABASE_URL=f"postgres://claimlab@127.0.0.1:{black_hole}/claimlab",
        DB_CONNECT_TIMEOUT_SECONDS="2",
        ALLOWED_HOSTS="testserver",
    )
    api, page = (json.loads(line) for line in result.stdout.splitlines())
    assert api["status"] == 503, result.stderr[-2000:]
    assert api["json"]["code"] == "unavailable"
    assert set(api["json"]) == {"detail", "code", "fields"}
    assert page["status"] == 503
    assert "did not answer in time" in page["text"]
    # Without the setting each request would wait for as long as the socket stays open.
    assert api["seconds"] < 15 and page["seconds"] < 15, (api, page)
    assert "timeout expired" in result.stderr


# -- a statement cut off inside a request ---------------------------------------------------------
def sleep_in_the_database() -> None:
    # A savepoint, as the services' atomic blocks are: the cancelled statement leaves the
    # connection usable for the next request.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 200")
        cursor.execute("SELECT pg_sleep(30)")


class SlowApiView(APIView):
    def get(self, request):
        sleep_in_the_database()
        return Response({})


def slow_page(request):
    sleep_in_the_database()
    return HttpResponse("done")


urlpatterns = [
    path("api/v1/slow/", SlowApiView.as_view()),
    path("slow/", slow_page),
]


@postgres_only
@pytest.mark.django_db
@pytest.mark.urls("tests.test_db_timeouts")
def test_a_cancelled_statement_is_a_503_in_the_api_error_shape(client):
    client.force_login(UserFactory())
    response = client.get("/api/v1/slow/")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The database did not answer in time. Try again in a minute.",
        "code": "unavailable",
        "fields": {},
    }
    assert response["Retry-After"] == "60"


@postgres_only
@pytest.mark.django_db
@pytest.mark.urls("tests.test_db_timeouts")
def test_a_cancelled_statement_is_a_503_page(client):
    response = client.get("/slow/")
    assert response.status_code == 503
    assert "did not answer in time" in response.content.decode()
