"""Import speed: `manage.py import_articles` (parse, store, extract quotes) in tokens/s, beside a
bare `nlp.pipe` over the same texts in the same process.

Method: the first N PolNeAR train articles (../shared/data/polnear/train/text, read in place,
never copied; --texts for another folder) — or, when that is absent, the two demo articles,
which the output says. Each round runs the bare pass (`nlp.pipe` of the articles' texts as the
importer stores them, the same pipeline object the importer uses, batch 32, the same number of
processes) and then `import_articles` on the files into an emptied scratch database (SQLite in
a temporary directory, in this process, or --database-url), extraction in-process (no broker),
and prints both rates and their ratios, by wall clock and by CPU time (this process and its
children: on a machine shared with other work the CPU ratio is the steadier one); rounds
alternate the two, and the median ratios are the figures. Tokens are the bare pass's count.
The machine's load is printed per round.
Run: .venv/bin/python bench/import_articles.py [--articles 200] [--rounds 3] [--processes 1]
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POLNEAR_TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def article_files(folder: Path, count: int) -> tuple[list[Path], str]:
    if folder.is_dir():
        paths = sorted(folder.glob("*.txt"))[:count]
        return paths, f"{len(paths)} articles from {folder}"
    paths = sorted((ROOT / "demo" / "articles").glob("*.txt"))
    return paths, (
        f"only the {len(paths)} demo articles: {folder} (PolNeAR, in ../shared) is not present "
        "here, so these figures are over a tiny sample and say little"
    )


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (nlp.pipe's worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def stored_text(path: Path) -> str:
    """The article text as import_articles stores it (the first line is the title)."""
    from claims.importing import read_articles

    [record] = list(read_articles([str(path)]))
    return record.text.replace("\r\n", "\n").strip()


def scratch_database(database_url: str | None) -> str:
    if database_url:
        return database_url
    return f"sqlite:///{tempfile.mkdtemp(prefix='claimlab-import-bench-')}/bench.sqlite3"


def reset_database() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1, help="nlp.pipe n_process, both sides")
    parser.add_argument("--database-url", help="a scratch database (default: SQLite, temporary)")
    parser.add_argument("--texts", type=Path, default=POLNEAR_TRAIN, help="a folder of .txt")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = scratch_database(args.database_url)
    os.environ["CELERY_BROKER_URL"] = ""  # extraction in-process, as the command does alone
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from claims.models import Article, Quote
    from claims.nlp import get_nlp

    paths, source = article_files(args.texts, args.articles)
    texts = [stored_text(path) for path in paths]
    call_command("migrate", verbosity=0)
    nlp = get_nlp()
    print(f"texts: {source}; {sum(map(len, texts)):,} characters")
    print(f"pipeline: {nlp.meta.get('name')} {nlp.pipe_names}; n_process={args.processes}")
    sum(len(doc) for doc in nlp.pipe(texts[:3]))  # warm up

    wall_ratios, cpu_ratios = [], []
    for number in range(1, args.rounds + 1):
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), cpu_seconds()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32, n_process=args.processes))
        bare_wall, bare_cpu = time.perf_counter() - started, cpu_seconds() - cpu

        reset_database()
        started, cpu = time.perf_counter(), cpu_seconds()
        options = ["--processes", str(args.processes)] if args.processes != 1 else []
        call_command("import_articles", *map(str, paths), "--no-progress", *options, verbosity=0)
        import_wall, import_cpu = time.perf_counter() - started, cpu_seconds() - cpu
        wall_ratios.append(bare_wall / import_wall)
        cpu_ratios.append(bare_cpu / import_cpu)
        print(
            f"round {number}: bare nlp.pipe {tokens / bare_wall:,.0f} tokens/s "
            f"({tokens / bare_cpu:,.0f} per CPU second), import_articles "
            f"{tokens / import_wall:,.0f} tokens/s ({tokens / import_cpu:,.0f} per CPU second); "
            f"ratio {wall_ratios[-1]:.2f} wall, {cpu_ratios[-1]:.2f} CPU (goal >= 0.90); "
            f"{tokens:,} tokens, {Article.objects.count()} articles, "
            f"{Quote.objects.count()} quotes; load average {load:.1f} -> "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )
    print(
        f"median ratio {statistics.median(wall_ratios):.2f} wall, "
        f"{statistics.median(cpu_ratios):.2f} CPU over {len(wall_ratios)} rounds"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
