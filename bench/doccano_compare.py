"""Side by side with doccano: the labelling loop at saturation and the export, same machine.

doccano is not a dependency of Claimlab: it runs from its own virtualenv (`--doccano-venv`,
e.g. `python3 -m venv ../doccano-venv && ../doccano-venv/bin/pip install doccano==1.8.4
psycopg2-binary 'marshmallow<3.21' 'numpy<2'`: doccano 1.8.4 leaves those two unpinned, and its
environs 9.5 fails on marshmallow 4, its pandas 1.5 on numpy 2). Everything doccano does runs
in that venv's Python (a driver script this file hands it on stdin), against a scratch
PostgreSQL database of its own (created, migrated, dropped afterwards).

Load (the same shape as bench/load.py --clients 20 --think 0): doccano's own models get an
admin, 20 annotators with API tokens, one text-classification project (exclusive labels,
annotators see only their own labels, as in Claimlab's k-style projects) with three categories
(favor / against / neutral) and N quote-sized examples of varied length (bench/labelling_data's
sentence builder). doccano 1.8.4 under gunicorn, 5 sync workers (bench/load.py's default),
DEBUG off, production settings. 20 client threads in this process, no think time, each with a
keep-alive connection, per item: GET …/examples?limit=1&offset=O (the list endpoint doccano's
annotation page pages through) then POST …/examples/ID/categories {"label": L} with a label
drawn with the stance skew of bench/labelling_data. Clients work in pairs on the same offsets
(k = 2 annotators per example). Prints p50/p95/p99/max per operation, requests/s, errors, the
server's CPU per request (gunicorn workers + PostgreSQL backends of the scratch database, from
/proc, bench/load.py's helpers) and the machine's load before and after.

Export: a second project of `--export-examples` examples, each labelled by 2 of a team of 12
annotators drawn at random, as bench/export.py labels Claimlab's quotes (stance skew, the
second agreeing with the first two times in three), exported by doccano's own export task
(data_export.celery_tasks.export_dataset, called in-process in a fresh child: the same code the
celery worker runs, without the broker round trip) per format, printing examples/s (wall), CPU
seconds and the child's peak RSS.

`--interleave N` alternates doccano and Claimlab (`bench/load.py --clients C --think 0
--duration D`) N times, the order swapped every pair, and prints the ratios Claimlab / doccano.

Why ~700 lines in one file: a third of it is the driver script doccano's own Python runs (a
string handed over on stdin, since doccano's code cannot be imported into our venv), and the
bench must stay one file a user can run with doccano installed anywhere; the clients, the
server CPU and the report come from bench/load.py.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.export import TEAM  # noqa: E402 - the export project's annotators, two per example
from bench.labelling_data import AGREEMENT, ANSWER_SKEW  # noqa: E402
from bench.labelling_data import _sentence as sentence  # noqa: E402
from bench.load import (  # noqa: E402
    ClientLog,
    _headers,
    admin_connection,
    analyze_later,
    database_drop,
    database_recreate,
    free_port,
    gunicorn_stop,
    gunicorn_wait,
    load_line,
    process_cpu_seconds,
    report_latencies,
)

CATEGORIES = ("favor", "against", "neutral")
# The stance skew of bench/labelling_data without "unclear": doccano's project has three labels.
WEIGHTS = [ANSWER_SKEW["stance"][name] for name in CATEGORIES]

# Runs in doccano's venv (stdin), cwd = doccano's backend package. argv: command, JSON path.
DOCCANO_SIDE = r"""
import json, os, random, resource, sys, time, zipfile
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core.management import call_command
from django.db import connection

command, args = sys.argv[1], json.load(open(sys.argv[2]))


def result(payload):
    print("RESULT " + json.dumps(payload), flush=True)


def prepare(name, texts, annotators, collaborative):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token
    from examples.models import Example
    from label_types.models import CategoryType
    from projects.models import Member, ProjectType, TextClassificationProject
    from roles.models import Role

    call_command("migrate", verbosity=0)
    call_command("create_roles", verbosity=0)
    admin = User.objects.create_superuser("admin", "admin@example.com", "bench-password")
    password = make_password("bench-password")
    users = User.objects.bulk_create(
        [User(username=f"annotator{n:02d}", password=password) for n in range(annotators)]
    )
    tokens = [Token.objects.create(user=user).key for user in users]
    project = TextClassificationProject.objects.create(
        name=name,
        description="bench",
        project_type=ProjectType.DOCUMENT_CLASSIFICATION,
        created_by=admin,
        single_class_classification=True,
        collaborative_annotation=collaborative,
    )
    project.add_admin()
    role = Role.objects.get(name="annotator")
    Member.objects.bulk_create([Member(project=project, user=user, role=role) for user in users])
    labels = [
        CategoryType.objects.create(project=project, text=text, suffix_key=str(n + 1))
        for n, text in enumerate(args["categories"])
    ]
    Example.objects.bulk_create(
        [Example(project=project, text=text, upload_name="bench.jsonl") for text in texts],
        batch_size=2000,
    )
    return project, users, tokens, labels


def vacuum():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


if command == "load-setup":
    started = time.perf_counter()
    project, users, tokens, labels = prepare("bench load", args["texts"], args["annotators"], False)
    vacuum()
    result({
        "project": project.id,
        "tokens": tokens,
        "labels": [label.id for label in labels],
        "seconds": time.perf_counter() - started,
    })

elif command == "load-count":
    from labels.models import Category
    from django.db.models import Count
    project = args["project"]
    rows = Category.objects.filter(example__project_id=project)
    twice = rows.values("example_id", "user_id").annotate(n=Count("id")).filter(n__gt=1).count()
    result({"categories": rows.count(), "examples labelled twice by one annotator": twice})

elif command == "export-setup":
    from labels.models import Category
    started = time.perf_counter()
    project, users, tokens, labels = prepare(
        "bench export", args["texts"], args["annotators"], args["collaborative"]
    )
    rng = random.Random(18)
    examples = list(project.examples.order_by("id").values_list("id", flat=True))
    batch = []
    for example in examples:
        first = None
        for user in rng.sample(users, 2):  # two of the team per example, as bench/export.py
            if first is not None and rng.random() < args["agreement"]:
                label = first
            else:
                label = rng.choices(labels, weights=args["weights"])[0]
            first = first or label
            batch.append(Category(example_id=example, user=user, label=label))
        if len(batch) >= 10000:
            Category.objects.bulk_create(batch)
            batch = []
    Category.objects.bulk_create(batch)
    vacuum()
    result({"project": project.id, "seconds": time.perf_counter() - started})

elif command == "export":
    from data_export.celery_tasks import export_dataset
    started, cpu = time.perf_counter(), time.process_time()
    path = export_dataset(args["project"], args["format"], False)  # the task body, in-process
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    with zipfile.ZipFile(path) as archive:
        files = {info.filename: info.file_size for info in archive.infolist()}
    os.remove(path)
    result({
        "seconds": seconds,
        "cpu": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "files": files,
    })
"""


# -- doccano's side -------------------------------------------------------------------------------
class Doccano:
    """doccano's venv, backend directory and the environment its processes run with."""

    def __init__(self, venv: Path, database_url: str, media_root: str):
        self.venv = venv
        self.python = venv / "bin" / "python"
        found = subprocess.run(  # noqa: S603 (the venv's own python, fixed arguments)
            [str(self.python), "-c", "import backend, sys; print(backend.__path__[0])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if found.returncode:
            raise SystemExit(f"doccano is not importable from {venv}: {found.stderr.strip()}")
        self.backend = Path(found.stdout.strip())
        self.version = subprocess.run(  # noqa: S603
            [str(self.python), "-m", "pip", "show", "doccano"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        match = re.search(r"^Version: (\S+)", self.version, re.M)
        self.version = match.group(1) if match else "unknown"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DEBUG": "False",
            # doccano asks for SSL unless the URL names an sslmode.
            "DATABASE_URL": database_url + "?sslmode=disable",
            "DATABASE_CONN_MAX_AGE": "600",
            "MEDIA_ROOT": media_root,
            "SECRET_KEY": "doccano-bench-" + os.urandom(16).hex(),
        }

    def run(self, command: str, args: dict) -> dict:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(args, handle)
        try:
            done = subprocess.run(  # noqa: S603
                [str(self.python), "-", command, handle.name],
                input=DOCCANO_SIDE,
                capture_output=True,
                text=True,
                cwd=self.backend,
                env=self.env,
                check=False,
            )
        finally:
            os.unlink(handle.name)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not lines:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
            raise SystemExit(f"doccano {command} failed (exit {done.returncode})")
        return json.loads(lines[-1][len("RESULT ") :])

    def gunicorn_start(self, *, port: int, workers: int):
        command = [
            str(self.venv / "bin" / "gunicorn"),
            "config.wsgi",
            "--chdir",
            str(self.backend),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--keep-alive",
            "30",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(  # noqa: S603
            command, cwd=self.backend, env=self.env, start_new_session=True
        )
        return gunicorn_wait(server, port, name="doccano's gunicorn")


def server_cpu(server, server_url: str, database: str) -> dict[str, dict[int, float]]:
    """CPU seconds of gunicorn's workers and the scratch database's PostgreSQL backends."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    connection = admin_connection(server_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        backends = [row[0] for row in cursor.fetchall()]
    connection.close()
    return {
        "gunicorn": {pid: process_cpu_seconds(pid) for pid in workers},
        "postgres": {pid: process_cpu_seconds(pid) for pid in backends},
    }


def texts(count: int, seed: int) -> list[str]:
    """Quote-sized texts of varied length: a clause to a paragraph, ~18 words, long tail."""
    rng = random.Random(seed)
    return [
        sentence(rng, max(4, min(160, round(rng.lognormvariate(2.9, 0.7))))) for _ in range(count)
    ]


# -- clients --------------------------------------------------------------------------------------
class Annotator(threading.Thread):
    """One doccano annotator: the next example by offset, then one category on it."""

    def __init__(self, *, port, project, token, labels, offsets, deadline, start_gate, seed):
        super().__init__(daemon=True)
        self.port, self.project, self.token, self.labels = port, project, token, labels
        self.offsets, self.deadline, self.start_gate = offsets, deadline, start_gate
        self.random = random.Random(seed)
        self.log = ClientLog()

    def call(self, connection, operation, method, path, body=None):
        payload = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        try:
            connection.request(method, path, body=payload, headers=_headers(self.token))
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.log.errors[f"{operation}: {type(error).__name__}"] += 1
            connection.close()
            return None, None
        self.log.latencies[operation].append(time.perf_counter() - started)
        if response.status >= 400:
            self.log.errors[f"{operation}: HTTP {response.status}"] += 1
        return response.status, data

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        base = f"/v1/projects/{self.project}"
        self.start_gate.wait()
        for offset in self.offsets:
            if time.monotonic() >= self.deadline:
                break
            status, data = self.call(
                connection, "next", "GET", f"{base}/examples?limit=1&offset={offset}"
            )
            if status != 200:
                continue
            results = json.loads(data)["results"]
            if not results:
                self.log.queue_empty = True
                break
            label = self.random.choices(self.labels, weights=WEIGHTS)[0]
            status, _ = self.call(
                connection,
                "save-label",
                "POST",
                f"{base}/examples/{results[0]['id']}/categories",
                {"label": label},
            )
            if status == 201:
                self.log.labelled.add(results[0]["id"])
        connection.close()


# -- the runs -------------------------------------------------------------------------------------
def doccano_load(args, venv: Path) -> dict:
    database_url = database_recreate(args.server_url, args.database)
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="doccano-media-") as media:
            doccano = Doccano(venv, database_url, media)
            built = doccano.run(
                "load-setup",
                {
                    "texts": texts(args.examples, seed=18),
                    "annotators": args.clients,
                    "categories": CATEGORIES,
                },
            )
            print(
                f"doccano {doccano.version}: built {args.examples} examples, {args.clients} "
                f"annotators, labels {'/'.join(CATEGORIES)} in {built['seconds']:.1f} s"
            )
            port = free_port()
            server = doccano.gunicorn_start(port=port, workers=args.workers)
            for token in built["tokens"][: args.workers * 2]:  # every worker imports and connects
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request(
                    "GET",
                    f"/v1/projects/{built['project']}/examples?limit=1",
                    headers=_headers(token),
                )
                connection.getresponse().read()
                connection.close()
            pairs = max(1, args.clients // 2)
            stride = args.examples // pairs
            print(
                f"gunicorn (doccano's venv): {args.workers} sync workers on 127.0.0.1:{port}; "
                f"{args.clients} clients in this process, ≤{args.duration:.0f} s, no think time; "
                f"clients in pairs on the same examples (k = 2)"
                + (f"; ANALYZE {args.analyze_after:.0f} s in" if args.analyze_after else "")
            )
            load_before = load_line()
            print(f"machine load average before the run: {load_before}")
            gate = threading.Barrier(args.clients + 1)
            # As bench/load.py: the clock is set before the clients start, with 5 s to spare.
            deadline = time.monotonic() + args.duration + 5
            clients = [
                Annotator(
                    port=port,
                    project=built["project"],
                    token=token,
                    labels=built["labels"],
                    offsets=range((n // 2 % pairs) * stride, (n // 2 % pairs + 1) * stride),
                    deadline=deadline,
                    start_gate=gate,
                    seed=n,
                )
                for n, token in enumerate(built["tokens"])
            ]
            for client in clients:
                client.start()
            cpu_before = server_cpu(server, args.server_url, args.database)
            clients_cpu = time.process_time()  # this process: the client threads
            gate.wait()
            began = time.perf_counter()
            analyzer = analyze_later(database_url, args.analyze_after)
            for client in clients:
                client.join()
            if analyzer is not None:
                analyzer.cancel()
            elapsed = time.perf_counter() - began
            clients_cpu = time.process_time() - clients_cpu
            cpu_after = server_cpu(server, args.server_url, args.database)
            logs = [client.log for client in clients]
            figures = report_latencies(logs, elapsed, operations=("next", "save-label"))
            requests = figures["overall"]["requests"] or 1
            spent = {
                role: sum(s - cpu_before[role].get(pid, 0.0) for pid, s in pids.items())
                for role, pids in cpu_after.items()
            }
            figures["cpu"] = {role: seconds / requests * 1000 for role, seconds in spent.items()}
            print(
                "server CPU per request: "
                + ", ".join(f"{role} {ms:.1f} ms" for role, ms in figures["cpu"].items())
            )
            figures["clients_cpu"] = clients_cpu / requests * 1000
            print(f"bench clients' CPU per request: {figures['clients_cpu']:.1f} ms")
            load_after = load_line()
            print(f"machine load average after the run: {load_after}")
            figures["load"] = (load_before.split(" (")[0], load_after.split(" (")[0])
            errors = sum((log.errors for log in logs), Counter())
            figures["errors"] = sum(errors.values())
            print(f"errors: {figures['errors']}" + (f" {dict(errors)}" if errors else ""))
            if any(log.queue_empty for log in logs):
                print("note: some clients ran out of examples (raise --examples)")
            gunicorn_stop(server)
            server = None
            counts = doccano.run("load-count", {"project": built["project"]})
            print("database: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
            return figures
    finally:
        if server is not None:
            gunicorn_stop(server)
        if not args.keep_database:
            database_drop(args.server_url, args.database)


def doccano_export(args, venv: Path) -> None:
    database = args.database + "_export"
    database_url = database_recreate(args.server_url, database)
    try:
        with tempfile.TemporaryDirectory(prefix="doccano-media-") as media:
            doccano = Doccano(venv, database_url, media)
            built = doccano.run(
                "export-setup",
                {
                    "texts": texts(args.export_examples, seed=19),
                    "annotators": TEAM,
                    "categories": CATEGORIES,
                    "weights": WEIGHTS,
                    "agreement": AGREEMENT,
                    "collaborative": args.export_mode == "collaborative",
                },
            )
            print(
                f"doccano {doccano.version}: built {args.export_examples} examples × 2 of "
                f"{TEAM} annotators' "
                f"labels ({args.export_mode} project) in {built['seconds']:.1f} s"
            )
            print(f"machine load average before the export: {load_line()}")
            print(
                f"{'format':<6} {'examples':>9} {'written':>9} {'examples/s':>10} {'seconds':>8} "
                f"{'CPU s':>6} {'peak RSS':>9} {'output':>9}"
            )
            for file_format in args.export_formats:
                out = doccano.run("export", {"project": built["project"], "format": file_format})
                # Individual projects write one file per member, each with every example.
                written = args.export_examples * len(out["files"])
                size = sum(out["files"].values()) / 1e6
                print(
                    f"{file_format:<6} {args.export_examples:>9} {written:>9} "
                    f"{written / out['seconds']:>10,.0f} {out['seconds']:>8.2f} {out['cpu']:>6.2f} "
                    f"{out['peak_rss_mb']:>6.1f} MB {size:>6.1f} MB"
                )
            print(f"machine load average after the export: {load_line()}")
    finally:
        if not args.keep_database:
            database_drop(args.server_url, database)


ROW = re.compile(
    r"^(queue-next|save-label|overall)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
)


def claimlab_load(args) -> dict:
    """bench/load.py in a subprocess (its own scratch database), its figures parsed back."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        "--clients",
        str(args.clients),
        "--think",
        "0",
        "--duration",
        str(args.duration),
        "--requests",
        "1000000",  # the duration bounds the run, as for doccano
        "--workers",
        str(args.workers),
        "--quotes",
        str(args.examples),
        "--server-url",
        args.server_url,
        "--database",  # not bench/load.py's default: a neighbour may be running it
        args.database + "_claimlab",
        "--analyze-after",
        str(args.analyze_after),
    ]
    print("$ " + " ".join(command[1:]), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    print(done.stdout, end="")
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"bench/load.py failed (exit {done.returncode})")
    figures: dict = {}
    for line in done.stdout.splitlines():
        match = ROW.match(line)
        if match:
            name = "next" if match.group(1) == "queue-next" else match.group(1)
            p50, p95, p99, top = (float(match.group(n)) for n in range(3, 7))
            figures[name] = {
                "requests": int(match.group(2)),
                "p50": p50,
                "p95": p95,
                "p99": p99,
                "max": top,
            }
        elif line.startswith("throughput:"):
            figures["rps"] = float(line.split()[1])
        elif line.startswith("server CPU per request:"):
            figures["cpu"] = {
                role: float(ms) for role, ms in re.findall(r"(\w+) ([\d.]+) ms", line)
            }
        elif line.startswith("bench clients' CPU per request:"):
            figures["clients_cpu"] = float(line.split(": ")[1].split()[0])
        elif line.startswith("machine load average before"):
            figures.setdefault("load", [None, None])[0] = line.split(": ")[1].split(" (")[0]
        elif line.startswith("machine load average after"):
            figures.setdefault("load", [None, None])[1] = line.split(": ")[1].split(" (")[0]
        elif line.startswith("errors:"):
            figures["errors"] = int(line.split()[1])
    if "save-label" not in figures or "rps" not in figures:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"bench/load.py printed no figures (exit {done.returncode})")
    return figures


def row(name: str, f: dict) -> str:
    cpu = f.get("cpu", {})
    return (
        f"| {name} | {f['rps']:.0f} | "
        + " | ".join(
            f"{f[op]['p50']:.0f} / {f[op]['p95']:.0f} / {f[op]['p99']:.0f} / {f[op]['max']:.0f}"
            for op in ("next", "save-label")
        )
        + f" | {cpu.get('gunicorn', 0):.1f} + {cpu.get('postgres', 0):.1f} ms"
        + f" | {f.get('clients_cpu', 0):.1f} ms"
        + f" | {f.get('errors', '?')} | {f['load'][0]} → {f['load'][1]} |"
    )


def interleave(args, venv: Path) -> None:
    runs: list[tuple[str, dict, dict]] = []
    for number in range(args.interleave):
        order = ("doccano", "claimlab") if number % 2 == 0 else ("claimlab", "doccano")
        pair = {}
        for side in order:
            print(f"\n== pair {number + 1}/{args.interleave}: {side} ==", flush=True)
            pair[side] = doccano_load(args, venv) if side == "doccano" else claimlab_load(args)
        runs.append((f"pair {number + 1}", pair["claimlab"], pair["doccano"]))
    print(
        f"\n{args.clients} clients, no think time, {args.duration:.0f} s, {args.workers} sync "
        "workers each; per operation p50 / p95 / p99 / max ms; CPU per request gunicorn + "
        "PostgreSQL; load average (1 / 5 / 15 min) before → after\n"
    )
    print(
        "| run | requests/s | next p50 / p95 / p99 / max | save p50 / p95 / p99 / max "
        "| CPU / request | bench clients' CPU / request | errors | load |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, claimlab, doccano in runs:
        print(row(f"{name} Claimlab", claimlab))
        print(row(f"{name} doccano", doccano))
    print("\nratios Claimlab / doccano (below 1: Claimlab faster):")
    ratios = defaultdict(list)
    for name, claimlab, doccano in runs:
        line = []
        for op, stat in (
            ("save-label", "p95"),
            ("save-label", "p99"),
            ("next", "p95"),
            ("next", "p99"),
        ):
            value = claimlab[op][stat] / doccano[op][stat]
            ratios[(op, stat)].append(value)
            line.append(f"{op} {stat} {value:.2f}")
        value = claimlab["rps"] / doccano["rps"]
        ratios[("requests/s", "")].append(value)
        line.append(f"requests/s {value:.2f}")
        value = sum(claimlab["cpu"].values()) / sum(doccano["cpu"].values())
        ratios[("server CPU / request", "")].append(value)
        line.append(f"server CPU / request {value:.2f}")
        print(f"  {name}: " + ", ".join(line))
    print(
        "  median: "
        + ", ".join(
            f"{op} {stat} {statistics.median(values):.2f}".replace("  ", " ")
            for (op, stat), values in ratios.items()
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doccano-venv", required=True, type=Path, help="doccano's virtualenv")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per load run")
    parser.add_argument("--examples", type=int, default=6000, help="examples in the load project")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--export-examples", type=int, default=100_000)
    parser.add_argument("--export-formats", nargs="+", default=["JSONL", "CSV"])
    parser.add_argument(
        "--export-mode",
        choices=["collaborative", "individual"],
        default="collaborative",
        help="collaborative: one file with both annotators' labels per example (like "
        "Claimlab's export); individual: one file per member",
    )
    parser.add_argument(
        "--analyze-after",
        type=float,
        default=10.0,
        help="seconds into each load run to ANALYZE, as autovacuum's first pass would (0: never)",
    )
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument(
        "--interleave",
        type=int,
        default=0,
        metavar="N",
        help="N pairs of doccano and Claimlab (bench/load.py) load runs, then the ratios",
    )
    parser.add_argument(
        "--server-url",
        default=os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server to create the scratch databases on",
    )
    parser.add_argument("--database", default="doccano_bench", help="scratch database name")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--smoke", action="store_true", help="4 clients, 10 s, 300 examples, export of 2,000"
    )
    args = parser.parse_args()
    if not (args.doccano_venv / "bin" / "python").exists():
        print(
            f"no virtualenv at {args.doccano_venv}: install doccano outside the repo first, e.g.\n"
            "  python3 -m venv /work/doccano-venv && "
            "/work/doccano-venv/bin/pip install doccano==1.8.4 psycopg2-binary "
            "'marshmallow<3.21' 'numpy<2'\n"
            "(doccano 1.8.4 leaves those two unpinned: its environs fails on marshmallow 4 "
            "and its pandas 1.5 on numpy 2)",
            file=sys.stderr,
        )
        return 2
    if not args.database.replace("_", "").isalnum():
        parser.error("--database takes letters, digits and underscores")
    if args.smoke:
        args.clients, args.duration, args.examples, args.export_examples = 4, 10.0, 300, 2000
    venv = args.doccano_venv.resolve()
    print(f"machine load average at the start: {load_line()}")
    if args.interleave:
        interleave(args, venv)
    elif not args.skip_load:
        doccano_load(args, venv)
    if not args.skip_export:
        print()
        doccano_export(args, venv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
