"""Export throughput and peak memory: N labelled quotes (two annotators, three dimensions).

Builds the data in a scratch database (a temporary SQLite file, or --database-url for an
empty PostgreSQL database it may fill), then exports JSONL and CSV in a fresh child process
per size and prints quotes/s (wall clock; the CPU seconds beside it show how much a busy
machine slowed the run) and the child's peak resident memory. The export is read exactly as the
API streams it (DatasetExporter.stream). Run: make bench-export, or for PostgreSQL
`bench/export.py --quotes 100000 --database-url postgres://…/an_empty_database`.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUOTES_PER_ARTICLE = 50


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(quotes: int) -> int:
    """Fill the database; returns the project id."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from annotations.labelling.projects import membership_set, project_create
    from annotations.models import Label
    from claims.models import Article, Quote, text_sha256

    call_command("migrate", verbosity=0)
    User = get_user_model()
    manager = User.objects.create(username="bench-manager")
    annotators = [User.objects.create(username=f"bench-annotator-{i}") for i in (1, 2)]
    project = project_create(name="Export bench", created_by=manager)
    for user in annotators:
        membership_set(project=project, user=user, role="annotator")
    dimensions = list(project.dimensions.prefetch_related("choices"))
    sentence = "The minister said that the talks would resume soon, officials confirmed. "
    n_articles = quotes // QUOTES_PER_ARTICLE
    started = time.perf_counter()
    for batch_start in range(0, n_articles, 200):
        articles = []
        for i in range(batch_start, min(batch_start + 200, n_articles)):
            text = f"Article {i}. " + sentence * QUOTES_PER_ARTICLE
            articles.append(
                Article(
                    title=f"Article {i}",
                    text=text,
                    sha256=text_sha256(text),
                    extraction_status="done",
                )
            )
        articles = Article.objects.bulk_create(articles)
        project.articles.add(*articles)
        quote_rows = []
        for article in articles:
            offset = len(article.title) + 1
            for q in range(QUOTES_PER_ARTICLE):
                start = offset + q * len(sentence) + 18
                quote_rows.append(
                    Quote(
                        article=article,
                        kind="indirect",
                        content_start=start,
                        content_end=start + 31,
                    )
                )
        quote_rows = Quote.objects.bulk_create(quote_rows, batch_size=5000)
        labels = [
            Label(project=project, quote=quote, annotator=user, dimension=dimension)
            for quote in quote_rows
            for user in annotators
            for dimension in dimensions
        ]
        labels = Label.objects.bulk_create(labels, batch_size=5000)
        through = Label.choices.through
        links = []
        for index, row in enumerate(labels):
            choices = list(row.dimension.choices.all())
            links.append(through(label_id=row.id, choice_id=choices[index % len(choices)].id))
        through.objects.bulk_create(links, batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have them on a live database; without them
        # the planner misjudges the chunk query.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    print(f"built {quotes:,} quotes, {quotes * 6:,} labels in {elapsed:.0f}s", file=sys.stderr)
    return project.id


def export(project_id: int, fmt: str) -> None:
    """Child process: export once, print figures as JSON."""
    from annotations.export import DatasetExporter, ExportOptions
    from annotations.models import Project

    project = Project.objects.get(id=project_id)
    exporter = DatasetExporter(project=project, options=ExportOptions())
    started, cpu_started = time.perf_counter(), time.process_time()
    size = 0
    for piece in exporter.stream(fmt):  # what the API's streamed response sends
        size += len(piece.encode())
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    records = exporter.exported
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "format": fmt,
                "quotes": records,
                "seconds": round(elapsed, 2),
                "quotes_per_s": round(records / elapsed),
                "cpu_seconds": round(cpu, 2),
                "peak_mb": round(peak_mb, 1),
                "mb_out": round(size / 1e6, 1),
            }
        )
    )


def run_child(url: str, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, __file__, "--child", *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"bench child {args} failed:\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quotes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--database-url", help="an EMPTY database to fill (default: temp SQLite)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup_django(os.environ["DATABASE_URL"])
        if args.child[0] == "build":
            print(build(int(args.child[1])))
        else:
            export(int(args.child[0]), args.child[1])
        return
    if args.database_url and len(args.quotes) > 1:
        sys.exit("With --database-url give one --quotes size (the database must start empty).")
    database = (args.database_url or "sqlite").split(":", 1)[0]
    print(f"database: {database}, {os.cpu_count()} cores; doccano exports ~3,000 examples/s")
    print(
        f"{'quotes':>8} {'format':>6} {'quotes/s':>10} {'seconds':>8} {'CPU s':>6} "
        f"{'peak MB':>8} {'MB out':>7}"
    )
    for size in args.quotes:
        with tempfile.TemporaryDirectory() as scratch:
            url = args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
            project_id = run_child(url, "build", str(size))
            for fmt in ("jsonl", "csv"):
                row = json.loads(run_child(url, project_id, fmt))
                print(
                    f"{row['quotes']:>8,} {fmt:>6} {row['quotes_per_s']:>10,} {row['seconds']:>8} "
                    f"{row['cpu_seconds']:>6} {row['peak_mb']:>8} {row['mb_out']:>7}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
