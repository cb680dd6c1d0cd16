"""Export throughput and peak memory: N labelled quotes (two annotators each, three questions).

Builds the data as people make it, in a scratch database (a temporary SQLite file, or
--database-url for an empty PostgreSQL database it may fill): articles of 10 to 80 quotes and
varied length, quotes of a few words to a paragraph (log-normal), 2,000 speakers of whom a few
are quoted often, 12 outlets; a team of TEAM annotators, each quote labelled by two of them drawn
at random (before 2026-11-28 the same two labelled every quote, so the exporter's cache of
encoded answers almost always hit); answers drawn with a skew (SKEW) and the second annotator
agreeing 70% of the time, unanimous gold where they agree and a reviewer's on some quotes,
notes on 8% of the labels, a changed answer on 10%, time spent on 95% (log-normal, median about
22 s), a discussion on 3% of the quotes. Fixed seed, so runs compare.

Then it exports JSONL and CSV, each in a fresh child process, exactly as the API streams them
(the registry's writer), and prints quotes/s (wall clock; the CPU seconds beside it show how
much a busy machine slowed the run), the child's peak resident memory, and the machine's load
(os.getloadavg) before and after. Run: make bench-export, or for PostgreSQL
`bench/export.py --quotes 100000 --database-url postgres://…/an_empty_database`.
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 2026
OUTLETS = 12
SPEAKERS = 2_000
# Each question's choices in order are drawn with weights 1, SKEW, SKEW², … (the first
# annotator draws; the second gives the first's answer with AGREEMENT, otherwise draws again):
# as in real projects, one answer dominates and some are rare.
SKEW = 0.55
AGREEMENT = 0.7
TEAM = 12  # annotators in the project; each quote is labelled by two of them, drawn at random
NOTE_SHARE = 0.08  # (quote, annotator) pairs with a note
CHANGE_SHARE = 0.1  # ... where an answer was changed once after it was given
UNTIMED_SHARE = 0.05  # ... whose time was not measured (labels imported)
COMMENT_SHARE = 0.03  # quotes with a discussion (one to three comments)
REVIEWER_GOLD_SHARE = 0.05  # quotes with a reviewer's stance
WORDS = (  # noqa: SIM905 - a sentence reads better than eighty quoted words
    "the government said minister talks would resume soon officials confirmed budget tax "
    "health schools election vote council police report economy growth prices energy climate "
    "border security plan law court judge union workers strike hospital housing rent market "
    "trade deal war peace summit leaders agreed rejected warned promised denied claimed "
    "according to statement spokesperson interview reporters on Tuesday last week in March "
    "«guillemets» and “curly quotes”, commas, semicolons; numbers 12.5% — dashes – and é ü ß"
).split()
CUES = ["said", "told reporters", "warned", "claimed", "argued", "insisted", "added", "wrote"]
NOTES = ["Sarcastic?", "Paraphrase, check the original.", "Speaker unclear", "Hedged claim"]
COMMENTS = ["Is this a quote at all?", "Stance depends on the target.", "Agree with gold.", "=?"]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As a server runs it: DEBUG on would send every statement through Django's debug cursor.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    import django

    django.setup()


def _words(rng, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _article(rng, speakers: list[tuple[int, str]], quotes: int) -> tuple[str, list[dict]]:
    """An article's text and its quotes' spans: each quote a sentence "Name cue that …" between
    filler sentences; quote lengths vary from a few words to a paragraph (log-normal)."""
    parts, spans, length = [], [], 0
    speaker_weights = [1 / rank for rank in range(1, len(speakers) + 1)]  # a few quoted often

    def add(text: str) -> int:
        nonlocal length
        parts.append(text)
        length += len(text)
        return length - len(text)

    add(_words(rng, rng.randint(20, 120)).capitalize() + ". ")
    for speaker_id, name in rng.choices(speakers, weights=speaker_weights, k=quotes):
        cue = rng.choice(CUES)
        words = _words(rng, max(3, int(rng.lognormvariate(2.7, 0.6))))
        name_start = add(name)
        cue_start = add(" ") + 1
        add(cue)
        add(" that ")
        content_start = add(words)
        add(". " + _words(rng, rng.randint(0, 60)).capitalize() + ". ")
        spans.append(
            {
                "speaker_id": speaker_id,
                "speaker_start": name_start,
                "speaker_end": name_start + len(name),
                "cue_start": cue_start,
                "cue_end": cue_start + len(cue),
                "content_start": content_start,
                "content_end": content_start + len(words),
                "kind": rng.choices(["indirect", "direct", "mixed"], weights=[6, 3, 1])[0],
            }
        )
    return "".join(parts), spans


def build(quotes: int) -> int:
    """Fill the database as people would have; returns the project id."""
    import datetime
    import random

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from annotations.labelling.projects import membership_set, project_create
    from annotations.models import Assignment, Comment, Gold, Label, LabelHistory
    from claims.models import Article, Outlet, Quote, Speaker, text_sha256

    rng = random.Random(SEED)
    call_command("migrate", verbosity=0)
    User = get_user_model()
    manager = User.objects.create(username="bench-manager")
    team = [User.objects.create(username=f"bench-annotator-{i}") for i in range(1, TEAM + 1)]
    project = project_create(name="Export bench", created_by=manager)
    for user in team:
        membership_set(project=project, user=user, role="annotator")
    dimensions = list(project.dimensions.filter(archived=False).prefetch_related("choices"))
    choices = {
        d.id: list(d.choices.filter(archived=False).order_by("order", "id")) for d in dimensions
    }
    weights = {d_id: [SKEW**rank for rank in range(len(found))] for d_id, found in choices.items()}
    outlets = Outlet.objects.bulk_create(Outlet(name=f"Outlet {i}") for i in range(OUTLETS))
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"{rng.choice(WORDS).title()} Speaker{i}") for i in range(SPEAKERS)
    )
    speakers = [(speaker.id, speaker.name) for speaker in speakers]
    now = timezone.now()
    started = time.perf_counter()
    made = 0
    while made < quotes:
        articles, spans = [], []
        while len(articles) < 200 and made < quotes:
            count = min(quotes - made, rng.randint(10, 80))
            text, article_spans = _article(rng, speakers, count)
            articles.append(
                Article(
                    title=_words(rng, rng.randint(4, 14)).capitalize(),
                    text=text,
                    sha256=text_sha256(text),
                    outlet=rng.choice(outlets),
                    url=f"https://news.example.org/{made}",
                    published_at=now - datetime.timedelta(hours=rng.randint(0, 24 * 365)),
                    extraction_status="done",
                )
            )
            spans.append(article_spans)
            made += count
        articles = Article.objects.bulk_create(articles)
        project.articles.add(*articles)
        quote_rows = Quote.objects.bulk_create(
            [
                Quote(article=article, **span)
                for article, article_spans in zip(articles, spans, strict=True)
                for span in article_spans
            ],
            batch_size=5000,
        )
        labels, answers, changed_pairs = [], [], []
        assignments, comments, gold, gold_answers = [], [], [], []
        for quote in quote_rows:
            first_answers = {}
            given = {}
            annotators = rng.sample(team, 2)  # the quote's two, the first answering first
            for annotator in annotators:
                note = rng.choice(NOTES) if rng.random() < NOTE_SHARE else ""
                for dimension in dimensions:
                    options = choices[dimension.id]
                    if annotator is annotators[1] and rng.random() < AGREEMENT:
                        choice = first_answers[dimension.id]
                    else:
                        choice = rng.choices(options, weights=weights[dimension.id])[0]
                    first_answers.setdefault(dimension.id, choice)
                    given.setdefault(dimension.id, set()).add(choice.id)
                    labels.append(
                        Label(
                            project=project,
                            quote=quote,
                            annotator=annotator,
                            dimension=dimension,
                            note=note,
                            # What the choices' trigger would write (it then leaves the row
                            # as it is): one row version per label, as after a vacuum.
                            choice_ids=str(choice.id),
                        )
                    )
                    answers.append(choice)
                changed_pairs.append(rng.random() < CHANGE_SHARE)
                if changed_pairs[-1]:  # the first question's answer, changed once (history below)
                    labels[-len(dimensions)].changes = 1
                spent = None
                if rng.random() >= UNTIMED_SHARE:
                    spent = round(rng.lognormvariate(3.1, 0.7), 1)  # median about 22 s
                assignments.append(
                    Assignment(
                        project=project,
                        quote=quote,
                        annotator=annotator,
                        status="submitted",
                        completed_at=now,
                        seconds_spent=spent,
                    )
                )
            for dimension in dimensions:  # unanimous gold where both gave the same answer
                if len(given[dimension.id]) == 1:
                    gold.append(
                        Gold(
                            project=project,
                            quote=quote,
                            dimension=dimension,
                            method="unanimous",
                            choice_ids=str(first_answers[dimension.id].id),
                        )
                    )
                    gold_answers.append(first_answers[dimension.id].id)
                elif dimension is dimensions[0] and rng.random() < REVIEWER_GOLD_SHARE / 0.3:
                    gold.append(
                        Gold(
                            project=project,
                            quote=quote,
                            dimension=dimension,
                            method="reviewer",
                            decided_by=manager,
                            choice_ids=str(first_answers[dimension.id].id),
                        )
                    )
                    gold_answers.append(first_answers[dimension.id].id)
            if rng.random() < COMMENT_SHARE:
                for _ in range(rng.randint(1, 3)):
                    author = rng.choice([manager, *annotators])
                    comments.append(
                        Comment(
                            project=project, quote=quote, author=author, text=rng.choice(COMMENTS)
                        )
                    )
        labels = Label.objects.bulk_create(labels, batch_size=5000)
        Label.choices.through.objects.bulk_create(
            [
                Label.choices.through(label_id=label.id, choice_id=choice.id)
                for label, choice in zip(labels, answers, strict=True)
            ],
            batch_size=5000,
        )
        history = []
        per_pair = len(dimensions)
        for index, label in enumerate(labels):
            changed = changed_pairs[index // per_pair] and index % per_pair == 0
            if changed:  # first answered otherwise, then changed to what it is
                history.append(
                    LabelHistory(
                        label=label, values=["first thought"], changed_by_id=label.annotator_id
                    )
                )
            history.append(
                LabelHistory(
                    label=label, values=[answers[index].value], changed_by_id=label.annotator_id
                )
            )
        LabelHistory.objects.bulk_create(history, batch_size=5000)
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        gold = Gold.objects.bulk_create(gold, batch_size=5000)
        Gold.choices.through.objects.bulk_create(
            [
                Gold.choices.through(gold_id=row.id, choice_id=choice_id)
                for row, choice_id in zip(gold, gold_answers, strict=True)
            ],
            batch_size=5000,
        )
        Comment.objects.bulk_create(comments, batch_size=5000)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have them on a live database; without them
        # the planner misjudges the chunk query.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    print(
        f"built {quotes:,} quotes in {Article.objects.count():,} articles, "
        f"{Label.objects.count():,} labels, {Comment.objects.count():,} comments, "
        f"{Gold.objects.count():,} gold labels in {elapsed:.0f}s",
        file=sys.stderr,
    )
    return project.id


def export(project_id: int, fmt: str) -> None:
    """Child process: export once, print figures as JSON."""
    from annotations.export import FORMATS, DatasetExporter, ExportOptions
    from annotations.models import Project

    project = Project.objects.get(id=project_id)
    exporter = DatasetExporter(project=project, options=ExportOptions())
    started, cpu_started = time.perf_counter(), time.process_time()
    size = 0
    for piece in FORMATS[fmt].write(exporter):  # what the API's streamed response sends
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
        # Building inserts 5,000 assignments a statement, each running the queue counts'
        # triggers: longer than the web's statement timeout on a busy machine.
        env={**os.environ, "DATABASE_URL": url}
        | ({"DB_STATEMENT_TIMEOUT_MS": "0"} if args[0] == "build" else {}),
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
    print(
        f"database: {database}, {os.cpu_count()} cores "
        "(doccano on the same machine: make bench-doccano, docs/benchmarks.md)"
    )
    print(
        "method: seeded realistic data (see the module docstring); each format exported once in "
        "a fresh process reading it as the API streams it; wall-clock quotes/s, CPU seconds, "
        "peak RSS of that process; load = 1-minute load average before -> after"
    )
    print(
        f"{'quotes':>8} {'format':>6} {'quotes/s':>10} {'seconds':>8} {'CPU s':>6} "
        f"{'peak MB':>8} {'MB out':>7}  load"
    )
    for size in args.quotes:
        with tempfile.TemporaryDirectory() as scratch:
            url = args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
            project_id = run_child(url, "build", str(size))
            for fmt in ("jsonl", "csv"):
                load_before = os.getloadavg()[0]
                row = json.loads(run_child(url, project_id, fmt))
                load_after = os.getloadavg()[0]
                print(
                    f"{row['quotes']:>8,} {fmt:>6} {row['quotes_per_s']:>10,} {row['seconds']:>8} "
                    f"{row['cpu_seconds']:>6} {row['peak_mb']:>8} {row['mb_out']:>7}  "
                    f"{load_before:.2f} -> {load_after:.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
