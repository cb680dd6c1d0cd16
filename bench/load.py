"""Load: simulated annotators doing queue-next → save-label against gunicorn + PostgreSQL.

Creates its own PostgreSQL database (dropped afterwards), fills it with one project (k
annotators per quote) built as people make one (bench/labelling_data.py: varied articles and
quote lengths, speakers, skewed answers, notes; `--labelled` of it already done), N annotator
logins with API tokens, starts gunicorn on a free loopback port, then runs one thread per
annotator in this process, each with a keep-alive connection, looping GET …/queue/next/ →
POST …/labels/ until its request budget or the time limit is spent. `--think 0` (the default)
is the saturation mode: no pause, so the clients keep the server's cores busy; `--think S`
pauses ~S seconds before each save, an annotator's pace. Prints the method, the machine's load
before and after, p50/p95/p99/max latency per operation and overall, requests/s, errors, the
server's CPU per request (gunicorn workers and PostgreSQL backends, from /proc) and the double
assignments found in the database afterwards. The clients share the machine's cores with the
server. Loopback only; bounded in requests and time. Run: make bench-load (or --smoke, CI).
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.labelling_data import answers, build, note  # noqa: E402


@dataclass
class ClientLog:
    """What one simulated annotator saw: latencies per operation, errors, quotes handed out."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    labelled: set[int] = field(default_factory=set)
    handed_out_again: int = 0  # a quote this client had already labelled came back
    queue_empty: bool = False


# -- database -------------------------------------------------------------------------------------
def admin_connection(server_url: str):
    import psycopg

    return psycopg.connect(server_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def database_recreate(server_url: str, name: str) -> str:
    connection = admin_connection(server_url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return server_url.rsplit("/", 1)[0] + "/" + name


def database_drop(server_url: str, name: str) -> None:
    connection = admin_connection(server_url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # One key for this process and the server it starts: API tokens are bound to the password
    # through an HMAC keyed on it (config/authentication.py).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def double_assignments(*, project_id: int, k: int) -> dict[str, int]:
    """Breaches of the queue's promise, counted in the database after the run."""
    from django.db.models import Count

    from annotations.models import Assignment, Label

    over_k_assigned = (
        Assignment.objects.filter(project_id=project_id)
        .exclude(status="skipped")
        .values("quote_id")
        .annotate(n=Count("id"))
        .filter(n__gt=k)
        .count()
    )
    over_k_labelled = (
        Label.objects.filter(project_id=project_id)
        .values("quote_id")
        .annotate(n=Count("annotator_id", distinct=True))
        .filter(n__gt=k)
        .count()
    )
    twice_to_one = (
        Assignment.objects.filter(project_id=project_id)
        .values("quote_id", "annotator_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    labelled_twice = (
        Label.objects.filter(project_id=project_id)
        .values("quote_id", "annotator_id", "dimension_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "quotes assigned to more than k": over_k_assigned,
        "quotes labelled by more than k": over_k_labelled,
        "quotes assigned twice to one annotator": twice_to_one,
        "labels duplicated per (quote, annotator, dimension)": labelled_twice,
    }


def database_counts(project_id: int) -> dict[str, int]:
    from annotations.models import Assignment, Label, LabelHistory

    return {
        "submitted assignments": Assignment.objects.filter(
            project_id=project_id, status="submitted"
        ).count(),
        "labels": Label.objects.filter(project_id=project_id).count(),
        "label history rows": LabelHistory.objects.filter(label__project_id=project_id).count(),
    }


# -- server ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_start(
    *, database_url: str, port: int, workers: int, threads: int, worker_class: str | None = None
):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        # One connection per worker thread, kept for the whole run.
        "DATABASE_CONN_MAX_AGE": "600",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class or ("gthread" if threads > 1 else "sync"),
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    # Our own venv's gunicorn with fixed arguments (hence the S603 exemption).
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    return gunicorn_wait(server, port, name="gunicorn")


def gunicorn_wait(server, port: int, *, name: str, seconds: float = 60):
    """The started gunicorn once it accepts connections on the port; stopped, and the run
    ended with its name, if it exits or does not listen within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{name} exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    gunicorn_stop(server)
    raise SystemExit(f"{name} did not start within {seconds:.0f} s")


def gunicorn_stop(server) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def analyze_later(database_url: str, seconds: float) -> threading.Timer | None:
    """ANALYZE the scratch database `seconds` into the run, as autovacuum's first pass would on
    a fresh database (within its one-minute naptime, once 50 rows changed); None for 0.

    The build's VACUUM ANALYZE ran with the label tables empty. Left so, PostgreSQL keeps
    planning for empty tables for the whole run: the foreign-key checks of each label's
    choices and history stay sequential scans over a labels table growing by thousands of
    rows, a cost (about 1.3 ms of PostgreSQL per request at 20 clients) that a database in
    use, whose statistics autovacuum keeps, never pays past its first minute. Both sides of
    bench/doccano_compare.py get the same pass at the same moment."""
    if not seconds:
        return None

    def analyze() -> None:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("ANALYZE")

    timer = threading.Timer(seconds, analyze)
    timer.daemon = True
    timer.start()
    return timer


def warm_up(*, port: int, project_id: int, tokens: list[str], workers: int) -> None:
    """Every worker imports Django and opens its database connection before the clock starts."""
    for token in tokens[: workers * 2]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/api/v1/projects/{project_id}/schema/", headers=_headers(token))
        connection.getresponse().read()
        connection.close()


# -- server CPU -----------------------------------------------------------------------------------
def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pids(server, database: str) -> dict[str, list[int]]:
    """gunicorn's worker processes and the PostgreSQL backends serving the scratch database."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        backends = [row[0] for row in cursor.fetchall()]
    return {"gunicorn": workers, "postgres": backends}


def server_cpu(server, database: str) -> dict[str, dict[int, float]]:
    return {
        role: {pid: process_cpu_seconds(pid) for pid in pids}
        for role, pids in server_pids(server, database).items()
    }


# -- clients --------------------------------------------------------------------------------------
def _headers(token: str) -> dict[str, str]:
    return {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Host": "127.0.0.1",
    }


class Annotator(threading.Thread):
    """One simulated annotator: queue-next, then save labels for what it got, until done."""

    def __init__(self, *, port, project_id, token, budget, deadline, think, start_gate, seed):
        super().__init__(daemon=True)
        self.port, self.project_id, self.token = port, project_id, token
        self.budget, self.deadline, self.think = budget, deadline, think
        self.start_gate = start_gate
        self.random = random.Random(seed)
        self.log = ClientLog()

    def call(self, connection, operation: str, method: str, path: str, body=None):
        payload = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        try:
            connection.request(method, path, body=payload, headers=_headers(self.token))
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.log.errors[f"{operation}: {type(error).__name__}"] += 1
            connection.close()  # reconnects on the next request
            return None, None
        self.log.latencies[operation].append(time.perf_counter() - started)
        if response.status >= 400:
            self.log.errors[f"{operation}: HTTP {response.status}"] += 1
        return response.status, data

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        base = f"/api/v1/projects/{self.project_id}"
        requests = 0
        self.start_gate.wait()
        if self.think:
            # People do not all press "next" in the same millisecond: at annotator pace each
            # one starts somewhere within the first pause, as in a room already at work.
            time.sleep(self.random.uniform(0, 2 * self.think))
        while requests + 2 <= self.budget and time.monotonic() < self.deadline:
            status, data = self.call(connection, "queue-next", "GET", f"{base}/queue/next/")
            requests += 1
            if status == 204:
                self.log.queue_empty = True
                break
            if status != 200:
                continue
            quote_id = json.loads(data)["quote"]["id"]
            self.log.handed_out_again += quote_id in self.log.labelled
            if self.think:
                time.sleep(self.random.uniform(0, 2 * self.think))
            body = {"quote": quote_id, "labels": answers(self.random), "note": note(self.random)}
            status, _ = self.call(connection, "save-label", "POST", f"{base}/labels/", body)
            requests += 1
            if status == 200:
                self.log.labelled.add(quote_id)
        connection.close()


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def report_latencies(
    logs: list[ClientLog],
    elapsed: float,
    operations: tuple[str, ...] = ("queue-next", "save-label"),
) -> dict[str, dict[str, float]]:
    """Print and return p50/p95/p99/max per operation and overall, and the throughput."""
    by_operation: dict[str, list[float]] = defaultdict(list)
    for log in logs:
        for operation, values in log.latencies.items():
            by_operation[operation].extend(values)
    by_operation["overall"] = [v for op in list(by_operation) for v in by_operation[op]]
    figures = {}
    print(
        f"{'operation':<12} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for operation in (*operations, "overall"):
        values = sorted(by_operation.get(operation, []))
        row = {
            "requests": len(values),
            "p50": percentile(values, 0.50) * 1000,
            "p95": percentile(values, 0.95) * 1000,
            "p99": percentile(values, 0.99) * 1000,
            "max": (values[-1] * 1000) if values else float("nan"),
        }
        figures[operation] = row
        print(
            f"{operation:<12} {row['requests']:>9} {row['p50']:>8.1f} {row['p95']:>8.1f} "
            f"{row['p99']:>8.1f} {row['max']:>8.1f}"
        )
    figures["rps"] = figures["overall"]["requests"] / elapsed
    print(f"throughput: {figures['rps']:.0f} requests/s over {elapsed:.1f} s")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="simulated annotators")
    parser.add_argument("--requests", type=int, default=200, help="request budget per client")
    parser.add_argument("--duration", type=float, default=60.0, help="time limit in seconds")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause before saving (s)")
    parser.add_argument("--quotes", type=int, default=6000)
    parser.add_argument("--k", type=int, default=2, help="annotators per quote")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        help="gunicorn worker class (default: gthread with --threads above 1, else sync)",
    )
    parser.add_argument(
        "--labelled", type=float, default=0.0, help="share of the quotes already labelled"
    )
    parser.add_argument(
        "--server-url",
        default=os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server to create the scratch database on",
    )
    parser.add_argument("--database", default="claimlab_load", help="scratch database name")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--analyze-after",
        type=float,
        default=10.0,
        help="seconds into the run to ANALYZE, as autovacuum's first pass would (0: never)",
    )
    parser.add_argument("--smoke", action="store_true", help="CI: 5 clients, about 100 requests")
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.requests, args.duration, args.quotes = 5, 20, 30.0, 200
        args.workers, args.threads = 2, 2
    if not args.database.replace("_", "").isalnum():
        parser.error("--database takes letters, digits and underscores")

    database_url = database_recreate(args.server_url, args.database)
    server = None
    try:
        setup_django(database_url)
        started = time.perf_counter()
        project_id, tokens = build(
            quotes=args.quotes, annotators=args.clients, k=args.k, labelled=args.labelled
        )
        print(
            f"built {args.quotes} quotes ({args.labelled:.0%} already labelled), "
            f"{args.clients} annotators (k={args.k}) in {time.perf_counter() - started:.1f} s"
        )
        port = free_port()
        server = gunicorn_start(
            database_url=database_url,
            port=port,
            workers=args.workers,
            threads=args.threads,
            worker_class=args.worker_class,
        )
        warm_up(port=port, project_id=project_id, tokens=tokens, workers=args.workers)
        worker_class = args.worker_class or ("gthread" if args.threads > 1 else "sync")
        print(
            f"gunicorn: {args.workers} {worker_class} workers × {args.threads} threads on "
            f"127.0.0.1:{port}; {args.clients} clients in this process, ≤{args.requests} "
            f"requests each, ≤{args.duration:.0f} s, "
            + (f"think ~{args.think:.2f} s before each save" if args.think else "no think time")
            + (f"; ANALYZE {args.analyze_after:.0f} s in" if args.analyze_after else "")
        )
        print(f"machine load average before the run: {load_line()}")
        gate = threading.Barrier(args.clients + 1)
        deadline = time.monotonic() + args.duration + 5
        clients = [
            Annotator(
                port=port,
                project_id=project_id,
                token=token,
                budget=args.requests,
                deadline=deadline,
                think=args.think,
                start_gate=gate,
                seed=number,
            )
            for number, token in enumerate(tokens)
        ]
        for client in clients:
            client.start()
        cpu_before = server_cpu(server, args.database)
        clients_cpu = time.process_time()  # this process: the client threads, all but idle
        gate.wait()
        began = time.perf_counter()
        analyzer = analyze_later(database_url, args.analyze_after)
        for client in clients:
            client.join()
        if analyzer is not None:
            analyzer.cancel()
        elapsed = time.perf_counter() - began
        clients_cpu = time.process_time() - clients_cpu
        logs = [client.log for client in clients]
        cpu_after = server_cpu(server, args.database)
        figures = report_latencies(logs, elapsed)
        requests = figures["overall"]["requests"] or 1
        spent = {
            role: sum(seconds - cpu_before[role].get(pid, 0.0) for pid, seconds in pids.items())
            for role, pids in cpu_after.items()
        }
        print(
            "server CPU per request: "
            + ", ".join(
                f"{role} {seconds / requests * 1000:.1f} ms" for role, seconds in spent.items()
            )
        )
        print(f"bench clients' CPU per request: {clients_cpu / requests * 1000:.1f} ms")
        print(f"machine load average after the run: {load_line()}")

        errors = sum((log.errors for log in logs), Counter())
        print(f"errors: {sum(errors.values())}" + (f" {dict(errors)}" if errors else ""))
        repeats = sum(log.handed_out_again for log in logs)
        if any(log.queue_empty for log in logs):
            print("note: some clients found the queue empty (raise --quotes for a longer run)")
        breaches = double_assignments(project_id=project_id, k=args.k)
        breaches["quote handed out again after it was labelled"] = repeats
        double = sum(breaches.values())
        print(f"double assignments: {double}" + (f" {breaches}" if double else ""))
        print("database: " + ", ".join(f"{v} {k}" for k, v in database_counts(project_id).items()))
        return 1 if errors or double else 0
    finally:
        if server is not None:
            gunicorn_stop(server)
        from django.db import connections

        connections.close_all()
        if not args.keep_database:
            database_drop(args.server_url, args.database)


if __name__ == "__main__":
    sys.exit(main())
