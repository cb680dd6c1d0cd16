"""Profile: the CPU and queries of one queue-next and one save-label, without the network.

Builds the load bench's data (bench/labelling_data.py: one project, k = 2, 6,000 quotes, 50
annotators with tokens, `--labelled` of it already labelled) in
a scratch PostgreSQL database (`claimlab_profile`, dropped afterwards), then calls the two
endpoints through Django's WSGI handler (django.test.Client, production settings: DEBUG off)
round-robin over the annotators, one at a time. Prints the queries of one call of each, the
Python CPU and PostgreSQL backend CPU per request, and with --cprofile the top functions.
Run: .venv/bin/python bench/profile_labelling.py [--rounds 200] [--cprofile]
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.labelling_data import answers, build  # noqa: E402
from bench.load import database_drop, database_recreate, process_cpu_seconds  # noqa: E402


def production_environment(database_url: str) -> None:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="queue-next + save-label pairs")
    parser.add_argument("--quotes", type=int, default=6000)
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--k", type=int, default=2)
    parser.add_argument(
        "--labelled", type=float, default=0.0, help="share of the quotes already labelled"
    )
    parser.add_argument("--cprofile", action="store_true", help="print the top functions")
    parser.add_argument("--dump", metavar="FILE", help="with --cprofile: also save the stats")
    parser.add_argument(
        "--server-url",
        default=os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default="claimlab_profile")
    args = parser.parse_args()

    database_url = database_recreate(args.server_url, args.database)
    try:
        production_environment(database_url)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        started = time.perf_counter()
        project_id, tokens = build(
            quotes=args.quotes, annotators=args.annotators, k=args.k, labelled=args.labelled
        )
        print(
            f"built {args.quotes} quotes ({args.labelled:.0%} already labelled), "
            f"{args.annotators} annotators (k={args.k}) in {time.perf_counter() - started:.1f} s"
        )
        connection.close()  # a fresh backend whose CPU counts only the requests
        base = f"/api/v1/projects/{project_id}"
        client = Client()
        chooser = random.Random(0)

        spent = {"queue-next": 0.0, "save-label": 0.0}

        def pair(token: str, *, capture: bool = False):
            def capture_queries():
                return CaptureQueriesContext(connection) if capture else contextlib.nullcontext()

            auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
            started = time.process_time()
            # Only the captured call runs with Django's debug cursor (it formats every query).
            with capture_queries() as queue_queries:
                response = client.get(f"{base}/queue/next/", **auth)
            spent["queue-next"] += time.process_time() - started
            if response.status_code != 200:
                raise SystemExit(f"queue-next: HTTP {response.status_code} {response.content!r}")
            quote_id = response.json()["quote"]["id"]
            labels = answers(chooser)
            started = time.process_time()
            with capture_queries() as save_queries:
                response = client.post(
                    f"{base}/labels/",
                    json.dumps({"quote": quote_id, "labels": labels}),
                    content_type="application/json",
                    **auth,
                )
            spent["save-label"] += time.process_time() - started
            if response.status_code != 200:
                raise SystemExit(f"save-label: HTTP {response.status_code} {response.content!r}")
            if capture:
                for name, queries in (("queue-next", queue_queries), ("save-label", save_queries)):
                    print(f"-- {name}: {len(queries.captured_queries)} queries")
                    for number, query in enumerate(queries.captured_queries, 1):
                        took = float(query["time"]) * 1000
                        print(f"{number:>3}. {took:6.2f} ms {query['sql'][:240]}")

        for token in tokens[:10]:  # warm up: imports, connection, plans
            pair(token)
        pair(tokens[10], capture=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]

        spent.update({"queue-next": 0.0, "save-label": 0.0})
        profiler = cProfile.Profile(time.process_time) if args.cprofile else None
        python_before, backend_before = time.process_time(), process_cpu_seconds(backend)
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for number in range(args.rounds):
            pair(tokens[number % len(tokens)])
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        python = time.process_time() - python_before
        database = process_cpu_seconds(backend) - backend_before
        requests = 2 * args.rounds
        print(
            f"{requests} requests in {elapsed:.2f} s: {elapsed / requests * 1000:.1f} ms wall, "
            f"{python / requests * 1000:.1f} ms Python CPU, "
            f"{database / requests * 1000:.1f} ms PostgreSQL CPU per request"
            f" (load average {os.getloadavg()[0]:.1f}); Python CPU "
            + ", ".join(
                f"{name} {seconds / args.rounds * 1000:.1f} ms" for name, seconds in spent.items()
            )
        )
        if profiler:
            if args.dump:
                profiler.dump_stats(args.dump)
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_stats(rf"{ROOT}/(annotations|claims|config)/", 40)
            stats.sort_stats("tottime").print_stats(25)
            print(out.getvalue())
        connection.close()
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        database_drop(args.server_url, args.database)


if __name__ == "__main__":
    sys.exit(main())
