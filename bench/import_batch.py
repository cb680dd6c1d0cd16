"""A 6,000-record .jsonl import (about 440 KB, the one that used to time out in the browser):
what the request does now (parse and stage), and how fast a worker then stores it.

In a scratch database (a temporary SQLite file, or --database-url for an empty PostgreSQL
database it may fill), as the import page does it for a project manager: the records are
parsed (claims/importing.py) and staged (import_batch_stage), then stored in chunks
(import_batch_process) without extraction, which workers do afterwards and
`make bench` measures. Prints wall-clock and CPU seconds (a busy machine shows as wall clock
well above CPU) and records per second.

Run: `.venv/bin/python bench/import_batch.py` (or --records 20000, --database-url …).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    import django

    django.setup()


def jsonl(records: int) -> bytes:
    return "\n".join(
        json.dumps(
            {
                "title": f"Bridge {n} to reopen",
                "text": f"The mayor said that bridge {n} would reopen in May, officials said.",
                "outlet": ["Daily", "Herald", "Wire"][n % 3],
            }
        )
        for n in range(records)
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=6000)
    parser.add_argument("--database-url", help="an empty PostgreSQL database to fill")
    args = parser.parse_args()
    scratch = None
    if args.database_url:
        database_url = args.database_url
    else:
        handle, scratch = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        database_url = f"sqlite:///{scratch}"
    setup_django(database_url)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from annotations.labelling.projects import project_create
    from claims.access import corpus_access
    from claims.importing import read_file_data
    from claims.models import Article
    from claims.services.import_batches import import_batch_process, import_batch_stage

    call_command("migrate", verbosity=0)
    manager = get_user_model().objects.create(username="bench-import")
    project = project_create(name="Import bench", created_by=manager)
    target = corpus_access().import_target(manager, project.id)
    data = jsonl(args.records)

    started, cpu = time.perf_counter(), time.process_time()
    records = list(read_file_data("big.jsonl", data))
    batch = import_batch_stage(
        records=records, name="Big", importer=manager, target=target, extract=False
    )
    staged, staged_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    import_batch_process(batch_id=batch.id)
    stored, stored_cpu = time.perf_counter() - started, time.process_time() - cpu

    print(
        f"{connection.vendor}: {args.records:,} records, {len(data) / 1024:.0f} KB of JSONL; "
        f"{Article.objects.count():,} articles stored"
    )
    print(f"  the request: parse and stage   {staged:6.2f} s  (CPU {staged_cpu:.2f} s)")
    print(
        f"  the worker: store in chunks    {stored:6.2f} s  (CPU {stored_cpu:.2f} s; "
        f"{args.records / stored:,.0f} records/s, without extraction)"
    )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if scratch is not None:
        connection.close()
        Path(scratch).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
