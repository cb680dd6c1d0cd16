"""Web memory: a gunicorn worker's resident memory and first-request time, broker or not.

Builds a scratch database (the demo articles imported and extracted here, in this process; a
project with the default schema, a manager who labels, and a second annotator so agreement
has pairs), starts gunicorn with one worker (`--workers`/`--threads` to change) and with
CELERY_BROKER_URL set (the production layout: extraction runs in Celery workers) — and, with
`--compare`, again without one — then logs in through the login form and requests every page
family and the API (article, search, speaker, outlet, import and batch pages; project list,
settings, schema editor, annotate, review, dashboard; admin; the API's corpus, labelling,
agreement, insights and schema endpoints), `--rounds` times. It prints each worker's RSS
(/proc/<pid>/status) after start-up, after the first request and after each round, the first
request's time, which heavy libraries the worker holds (from /proc/<pid>/maps: spaCy, numpy,
scikit-learn, scipy), and the machine's load.

Nothing is sent to the broker (no page here queues work), so the broker URL points at a Redis
database no one uses. The spaCy export format is not requested: it loads spaCy by design.
Run: .venv/bin/python bench/web_memory.py [--database-url …] [--compare]
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    database_drop,
    database_recreate,
    free_port,
    gunicorn_start,
    gunicorn_stop,
)

PASSWORD = "webmem-" + secrets.token_hex(8)
HEAVY = {"spacy": "/spacy/", "numpy": "/numpy/", "sklearn": "/sklearn/", "scipy": "/scipy/"}


def collect_static() -> None:
    """DEBUG-off pages need the hashed static files' manifest: built as the Dockerfile does."""
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "collectstatic-only", "ALLOWED_HOSTS": "x"}
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own manage.py


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("CELERY_BROKER_URL", None)  # the builder extracts the demo articles here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # gunicorn runs with DEBUG off and inherits this: one key for the tokens made here and there.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def build() -> dict:
    """Migrate, import the demo articles, make a project with labels; the ids the pages need."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from annotations.labelling.labels import label_save
    from annotations.labelling.projects import membership_set, project_create
    from annotations.labelling.queue import assign_next_quote
    from annotations.models import Membership
    from claims.importing import read_articles
    from claims.models import Article, ImportBatch, Outlet, Quote, Speaker
    from claims.services.import_batches import articles_import_batch
    from config.tokens import token_create

    call_command("migrate", verbosity=0)
    User = get_user_model()
    admin = User.objects.create_superuser(username="webmem-admin", password=PASSWORD)
    other = User.objects.create_user(username="webmem-annotator", password=PASSWORD)
    articles_import_batch(
        records=list(read_articles([str(ROOT / "demo" / "articles")])),
        name="Demo",
        outlet="Demo outlet",
    )
    project = project_create(
        name="Web memory", created_by=admin, stance_targets=["negotiations with Russia"]
    )
    project.articles.add(*Article.objects.all())
    membership_set(project=project, user=admin, role=Membership.Role.MANAGER)
    membership_set(project=project, user=other, role=Membership.Role.ANNOTATOR)
    schema = {d.key: d for d in project.dimensions.prefetch_related("choices")}
    chooser = random.Random(18)  # answers differ, so agreement has something to measure
    for person in (admin, other):
        for _ in range(4):
            quote = assign_next_quote(project=project, annotator=person)
            if quote is None:
                break
            labels = {
                key: chooser.choice([choice.value for choice in dimension.choices.all()])
                for key, dimension in schema.items()
                if dimension.required
            }
            label_save(project=project, quote=quote, annotator=person, labels=labels)
    return {
        "project": project.id,
        "article": Article.objects.order_by("id").first().id,
        "quote": Quote.objects.order_by("id").first().id,
        "speaker": Speaker.objects.order_by("id").first().id,
        "outlet": Outlet.objects.order_by("id").first().id,
        "batch": ImportBatch.objects.order_by("id").first().id,
        "token": token_create(user=admin)[1],
    }


def labelling_paths(ids: dict) -> list[str]:
    """What an annotator's first minutes request (besides logging in and saving labels)."""
    p = ids["project"]
    return ["/projects/", f"/projects/{p}/annotate/", f"/api/v1/projects/{p}/queue/next/"]


def family_paths(ids: dict) -> list[str]:
    """One request per page family and API endpoint family."""
    p, a, q, s, o, b = (
        ids[k] for k in ("project", "article", "quote", "speaker", "outlet", "batch")
    )
    return [
        "/",
        f"/articles/{a}/",
        "/search/?q=said",
        "/speakers/",
        f"/speakers/{s}/",
        "/outlets/",
        f"/outlets/{o}/",
        "/import/",
        "/batches/",
        f"/batches/{b}/",
        "/projects/",
        f"/projects/{p}/settings/",
        f"/projects/{p}/settings/articles/",
        f"/projects/{p}/schema/",
        f"/projects/{p}/annotate/",
        f"/projects/{p}/annotate/speakers/?q=a",
        f"/projects/{p}/annotate/quotes/{q}/article/",
        f"/projects/{p}/review/",
        f"/projects/{p}/dashboard/",
        "/admin/",
        "/admin/claims/quote/",
        "/api/v1/articles/",
        "/api/v1/quotes/",
        "/api/v1/speakers/",
        "/api/v1/projects/",
        f"/api/v1/projects/{p}/schema/",
        f"/api/v1/projects/{p}/queue/next/",
        f"/api/v1/projects/{p}/labels/",
        f"/api/v1/projects/{p}/gold/",
        f"/api/v1/projects/{p}/agreement/",
        f"/api/v1/projects/{p}/export/?format=jsonl",
        "/api/v1/insights/search/?q=said",
        f"/api/v1/insights/speakers/{s}/",
        "/api/v1/insights/outlets/",
        f"/api/v1/insights/outlets/{o}/",
    ]


# The OpenAPI schema is built anew on each request (drf-spectacular walks every view): the
# first one costs the worker several megabytes, so it is measured on its own.
SCHEMA_PATHS = ["/api/docs/", "/api/schema/"]


# -- the worker ------------------------------------------------------------------------------
def workers_of(server) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def workers_ready(server, count: int) -> list[int]:
    """The workers, once each has loaded the application (gunicorn's master listens before
    its workers have booted): their RSS has stayed the same for a second."""
    deadline, last, steady = time.monotonic() + 60, None, 0
    while time.monotonic() < deadline:
        workers = workers_of(server)
        sizes = [rss_mb(pid) for pid in workers] if len(workers) == count else None
        steady = steady + 1 if sizes is not None and sizes == last else 0
        if steady >= 5:
            return workers
        last = sizes
        time.sleep(0.2)
    raise SystemExit("gunicorn's workers did not settle within 60 s")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def heavy_libraries(pid: int) -> list[str]:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name, marker in HEAVY.items() if marker in maps]


# -- an HTTP client with a session ------------------------------------------------------------
class Browser:
    def __init__(self, port: int):
        self.port, self.cookies = port, SimpleCookie()

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        connection.close()
        return response.status, data

    def log_in(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.decode()}
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            form.encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302:
            raise SystemExit(f"login failed: HTTP {status}")


def measure(*, database_url: str, ids: dict, broker: str | None, args) -> dict:
    environment = {"CELERY_BROKER_URL": broker or "", "CELERY_TASK_DEFAULT_QUEUE": "web-memory"}
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    port = free_port()
    started = time.perf_counter()
    try:
        server = gunicorn_start(
            database_url=database_url, port=port, workers=args.workers, threads=args.threads
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        workers = workers_ready(server, args.workers)
        label = f"broker {broker}" if broker else "no broker (extraction in-process)"
        print(f"\n== {label}: {len(workers)} worker(s) × {args.threads} thread(s)")
        booted = time.perf_counter() - started
        print(f"after start-up ({booted:.1f} s): {rss_line(workers)}")
        browser = Browser(port)
        began = time.perf_counter()
        status, _ = browser.request("GET", "/accounts/login/")
        first_ms = (time.perf_counter() - began) * 1000
        print(
            f"first request (login page, HTTP {status}) in {first_ms:.0f} ms: {rss_line(workers)}"
        )
        token = {"Authorization": f"Token {ids['token']}", "Accept": "application/json"}
        failures: list[str] = []

        def get(path: str, *, verbose: bool = False) -> None:
            before = max(rss_mb(pid) for pid in workers)
            api = path.startswith("/api/v1/") or path == "/api/schema/"
            status, _ = browser.request("GET", path, headers=token if api else {})
            if status not in (200, 204):
                failures.append(f"{path}: {status}")
            if verbose and (grown := max(rss_mb(pid) for pid in workers) - before) >= 0.5:
                print(f"  {path}: +{grown:.1f} MB")

        browser.log_in("webmem-admin", PASSWORD)
        for path in labelling_paths(ids):
            get(path)
        save_label(browser, ids, token, failures)
        labelling = max(rss_mb(pid) for pid in workers)
        print(
            f"after an annotator's first requests (log in, projects, annotate page, "
            f"queue-next, save-label): {rss_line(workers)}"
        )
        for number in range(1, args.rounds + 1):
            began = time.perf_counter()
            for path in family_paths(ids):
                get(path, verbose=args.verbose and number == 1)
            print(
                f"every page family and the API, round {number} "
                f"({len(family_paths(ids))} requests, {time.perf_counter() - began:.1f} s): "
                f"{rss_line(workers)}"
            )
        families = max(rss_mb(pid) for pid in workers)
        for path in SCHEMA_PATHS:
            get(path)
        print(f"after the OpenAPI schema and docs pages: {rss_line(workers)}")
        if failures:
            print("not 200: " + ", ".join(sorted(set(failures))))
        heavy = sorted({name for pid in workers for name in heavy_libraries(pid)})
        print("heavy libraries in the worker: " + (", ".join(heavy) or "none"))
        return {"first_ms": first_ms, "labelling": labelling, "families": families}
    finally:
        gunicorn_stop(server)


def save_label(browser: "Browser", ids: dict, token: dict, failures: list[str]) -> None:
    """Queue-next, then save an answer to every required question, through the API."""
    base = f"/api/v1/projects/{ids['project']}"
    status, body = browser.request("GET", f"{base}/queue/next/", headers=token)
    if status != 200:
        failures.append(f"queue-next: {status}")
        return
    quote_id = json.loads(body)["quote"]["id"]
    status, body = browser.request("GET", f"{base}/schema/", headers=token)
    questions = json.loads(body)
    labels = {
        question["key"]: question["choices"][0]["value"]
        for question in questions
        if question.get("required", True) and not question.get("archived")
    }
    payload = json.dumps({"quote": quote_id, "labels": labels}).encode()
    status, _ = browser.request(
        "POST", f"{base}/labels/", payload, {**token, "Content-Type": "application/json"}
    )
    if status != 200:
        failures.append(f"save-label: {status}")


def rss_line(workers: list[int]) -> str:
    return "RSS " + ", ".join(f"{rss_mb(pid):.1f} MB" for pid in workers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="a scratch database URL (default: a new PostgreSQL database on --server-url)",
    )
    parser.add_argument(
        "--server-url",
        default=os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default="claimlab_web_memory")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="growth per request, round 1")
    parser.add_argument("--compare", action="store_true", help="also run without a broker")
    args = parser.parse_args()
    print(f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    scratch = None
    if args.database_url:
        database_url = args.database_url
    elif args.server_url.startswith("postgres"):
        database_url = database_recreate(args.server_url, args.database)
        scratch = args.database
    else:
        database_url = f"sqlite:///{tempfile.mkdtemp()}/web_memory.sqlite3"
    try:
        collect_static()
        setup_django(database_url)
        ids = build()
        from django.db import connections

        connections.close_all()
        measure(database_url=database_url, ids=ids, broker=args.broker, args=args)
        if args.compare:
            measure(database_url=database_url, ids=ids, broker=None, args=args)
        print(f"\nmachine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return 0
    finally:
        if scratch:
            from django.db import connections

            connections.close_all()
            database_drop(args.server_url, scratch)


if __name__ == "__main__":
    sys.exit(main())
