"""Fuzz and fault run: the attacks and faults of issue #13 replayed against production settings.

1. schemathesis across every API operation, once with a manager's token and once with an
   annotator's (N generated cases per operation each; token endpoints excluded, as a revoked
   token would end the run): any 5xx is a failure.
2. Permission probes: every page and API route that takes an id, asked by an anonymous user,
   an outsider with a project of their own, and the project's annotator, reviewer and manager,
   with the ids of the project's objects: any 5xx is a failure, and so is an outsider reading
   another project's object (2xx).
3. Faults: the real-worker tests (a worker killed with SIGKILL mid-article, a database outage
   seen through a proxy the test cuts) run with pytest against PostgreSQL and Redis.

gunicorn runs with DEBUG=false against a scratch PostgreSQL database (created and dropped
here). Prints the figures; exit code 1 on any failure. Run: .venv/bin/python bench/fuzz.py
[--examples 10] [--skip-faults]; make fuzz.
"""

import argparse
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "claimlab_fuzz"
WORKER_TESTS = "tests/claims/test_worker_e2e.py"
PASSWORD = "fuzz-password-1234"  # noqa: S105 (a scratch database of its own)


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=False, **kwargs)  # noqa: S603


def database_recreate(env: dict) -> None:
    load.database_recreate(f"{SERVER}/postgres", DATABASE)
    for step in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        if run([sys.executable, "manage.py", *step], env).returncode:
            sys.exit(f"{step[0]} failed")


def database_drop() -> None:
    load.database_drop(f"{SERVER}/postgres", DATABASE)


SEED = r"""
import json
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from annotations.labelling.comments import comment_add
from claims.models import Quote
from config.tokens import token_create
from django.contrib.auth import get_user_model
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory

User = get_user_model()
people = {name: User.objects.create_user(name, password=PASSWORD) for name in
          ("manager", "annotator", "reviewer", "outsider")}
project = project_create(name="Fuzzed", created_by=people["manager"])
membership_set(project=project, user=people["annotator"], role="annotator")
membership_set(project=project, user=people["reviewer"], role="reviewer")
own = project_create(name="Outsider's own", created_by=people["outsider"])
article = ArticleFactory(text="“Talks will resume,” the envoy said on Friday. " * 8)
project.articles.add(article)
speaker = SpeakerFactory(name="The Envoy")
quotes = [QuoteFactory(article=article, content_start=i * 47, content_end=i * 47 + 21,
                       speaker=speaker) for i in range(8)]
labels = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
label_save(project=project, quote=quotes[0], annotator=people["annotator"], labels=labels)
comment_add(project=project, quote=quotes[0], author=people["reviewer"], text="Check this.")
print(json.dumps({
    "tokens": {name: token_create(user=people[name])[1] for name in ("manager", "annotator")},
    "ids": {"project": project.id, "quote": quotes[0].id, "article": article.id,
            "speaker": speaker.id, "outlet": article.outlet_id, "user": people["annotator"].id,
            "batch": None, "own_project": own.id},
}))
""".replace("PASSWORD", repr(PASSWORD))


def seed(env: dict) -> dict:
    done = run([sys.executable, "manage.py", "shell", "-c", SEED], env, capture_output=True)
    if done.returncode:
        sys.exit(f"seeding failed:\n{done.stderr.decode()[-3000:]}")
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_start(env: dict, port: int) -> subprocess.Popen:
    log = (ROOT / ".fuzz-gunicorn.log").open("wb")  # Django logs every refused request
    server = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"),
            *("--worker-class", "gthread", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            get(port, "/accounts/login/", {})
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


# -- 1. schemathesis ------------------------------------------------------------------------------
def fuzz(port: int, token: str, who: str, examples: int, report: Path) -> tuple[int, int, list]:
    """Generated cases run and server errors found (with a few examples of them)."""
    done = run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            *("run", f"http://127.0.0.1:{port}/api/schema/"),
            *("-H", f"Authorization: Token {token}", "-H", "X-Forwarded-Proto: https"),
            *("--checks", "not_a_server_error", "--max-examples", str(examples)),
            *("--exclude-path-regex", "/auth/"),
            *("--seed", "13", "--workers", "2", "--continue-on-failure"),
            *("--report", "ndjson", "--report-ndjson-path", str(report)),
            *("--request-timeout", "30", "--no-color"),
        ],
        os.environ.copy(),
        capture_output=True,
    )
    cases = failures = checked = 0
    examples_of_failures = []
    for line in report.read_text().splitlines():
        event = json.loads(line)
        for kind, body in event.items():
            if kind == "ScenarioFinished":
                recorder = body.get("recorder", {})
                # A case counts once it was sent: it has a recorded request and response.
                cases += len(recorder.get("interactions", {}))
                for check_list in recorder.get("checks", {}).values():
                    for check in check_list:
                        checked += 1
                        if check.get("status") == "FAILURE":
                            failures += 1
                            if len(examples_of_failures) < 5:
                                examples_of_failures.append(str(check)[:300])
    if cases == 0:
        print(done.stdout.decode()[-2000:], done.stderr.decode()[-2000:])
    print(f"  {who}: {cases} cases, {checked} checks, {failures} server error(s)")
    if cases and not checked:
        failures += 1  # the report's shape changed: nothing was judged, so nothing passed
        examples_of_failures.append("no check results in the report")
    return cases, failures, examples_of_failures


# -- 2. permission probes -------------------------------------------------------------------------
PROBES = [
    # (path, is it another project's object for the outsider?)
    ("/api/v1/projects/{project}/", True),
    ("/api/v1/projects/{project}/schema/", True),
    ("/api/v1/projects/{project}/members/", True),
    ("/api/v1/projects/{project}/labels/", True),
    ("/api/v1/projects/{project}/gold/", True),
    ("/api/v1/projects/{project}/agreement/", True),
    ("/api/v1/projects/{project}/export/?format=jsonl", True),
    ("/api/v1/projects/{project}/export/?format=csv", True),
    ("/api/v1/projects/{project}/export/schema/", True),
    ("/api/v1/projects/{project}/queue/next/", True),
    ("/api/v1/projects/{project}/quotes/{quote}/comments/", True),
    ("/api/v1/articles/{article}/", True),
    ("/api/v1/quotes/{quote}/", True),
    ("/api/v1/speakers/{speaker}/", True),
    ("/api/v1/insights/speakers/{speaker}/", True),
    ("/api/v1/insights/search/?q=envoy", False),
    ("/api/v1/articles/", False),
    ("/api/v1/quotes/?cursor=cj0xJnA9YWJj", False),
    ("/api/v1/speakers/?q=a%00b", False),
    ("/projects/{project}/annotate/", True),
    ("/projects/{project}/annotate/mine/?status=skipped&page=2", True),
    ("/projects/start/", False),
    ("/projects/{project}/review/", True),
    ("/projects/{project}/dashboard/", True),
    ("/projects/{project}/settings/", True),
    ("/projects/{project}/schema/", True),
    ("/articles/{article}/", True),
    ("/speakers/{speaker}/", True),
    ("/search/?q=envoy&label=stance:favor", False),
    ("/batches/", False),
    ("/import/", False),
    ("/import/?project={project}", False),
]


# Production settings redirect plain http to https and mark cookies Secure; behind the proxy
# they expect, the X-Forwarded-Proto header says the request came over https.
HTTPS = {"X-Forwarded-Proto": "https"}


def get(port: int, path: str, headers: dict, data: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST" if data else "GET", path, body=data, headers={**HTTPS, **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def session_for(port: int, username: str | None) -> dict:
    """The headers of a logged-in browser (empty for anonymous)."""
    if username is None:
        return {}
    cookies = SimpleCookie()
    cookies.load(get(port, "/accounts/login/", {}).getheader("Set-Cookie") or "")
    csrf = cookies["csrftoken"].value
    form = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    ).encode()
    login = get(
        port,
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"https://127.0.0.1:{port}/accounts/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        form,
    )
    for header, value in login.getheaders():
        if header.lower() == "set-cookie":
            cookies.load(value)
    if login.status != 302 or "sessionid" not in cookies:
        sys.exit(f"could not log in as {username} (status {login.status})")
    return {"Cookie": f"sessionid={cookies['sessionid'].value}; csrftoken={csrf}"}


def probe(port: int, ids: dict) -> tuple[int, Counter, list[str]]:
    problems = []
    statuses: Counter = Counter()
    asked = 0
    for who in (None, "outsider", "annotator", "reviewer", "manager"):
        headers = session_for(port, who)
        for template, foreign in PROBES:
            path = template.format(**ids)
            status = get(port, path, headers).status
            asked += 1
            statuses[status] += 1
            if status >= 500:
                problems.append(f"{who or 'anonymous'} GET {path}: {status}")
            elif who == "outsider" and foreign and 200 <= status < 300:
                problems.append(f"outsider read another project's {path}: {status}")
    return asked, statuses, problems


# -- 3. faults ------------------------------------------------------------------------------------
def faults() -> tuple[bool, float, str]:
    started = time.monotonic()
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/claimlab_fuzz_faults",
        "CLAIMLAB_REQUIRE_WORKER": "1",
    }
    done = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/claims/test_worker_e2e.py",
        ],
        env,
        capture_output=True,
    )
    tail = done.stdout.decode().strip().splitlines()[-1:]
    return done.returncode == 0, time.monotonic() - started, " ".join(tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10, help="cases per operation per token")
    parser.add_argument("--skip-faults", action="store_true")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOGIN_FAILURE_LIMIT": "0",
        "LOGIN_FAILURE_LIMIT_PER_ADDRESS": "0",
        "LOGIN_FAILURE_LIMIT_PER_USERNAME": "0",
    }
    print(f"load average {os.getloadavg()[0]:.1f}; database {DATABASE} (scratch)")
    database_recreate(env)
    seeded = seed(env)
    port = free_port()
    server = gunicorn_start(env, port)
    failed = False
    try:
        print(f"1. schemathesis, {args.examples} cases per operation per token:")
        total_cases = total_errors = 0
        for who, token in seeded["tokens"].items():
            cases, errors, examples = fuzz(
                port, token, who, args.examples, ROOT / f".fuzz-{who}.ndjson"
            )
            total_cases += cases
            total_errors += errors
            for example in examples:
                print("    ", example)
        print(f"   total: {total_cases} cases, {total_errors} server error(s)")
        failed |= total_errors > 0 or total_cases == 0
        asked, statuses, problems = probe(port, seeded["ids"])
        print(
            f"2. permission probes: {asked} requests ({dict(sorted(statuses.items()))}), "
            f"{len(problems)} problem(s)"
        )
        for problem in problems:
            print("    ", problem)
        failed |= bool(problems)
    finally:
        server.terminate()
        server.wait(timeout=30)
        database_drop()
        (ROOT / ".fuzz-gunicorn.log").unlink(missing_ok=True)
        for who in seeded["tokens"]:
            (ROOT / f".fuzz-{who}.ndjson").unlink(missing_ok=True)
    if not args.skip_faults:
        ok, seconds, summary = faults()
        print(
            f"3. faults (worker SIGKILL, database outage): {'passed' if ok else 'FAILED'} "
            f"in {seconds:.0f} s ({summary})"
        )
        failed |= not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
