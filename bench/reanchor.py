"""Re-anchoring labelled quotes across an article version: the goal is 1,000 in under a second.

Builds, in a scratch database (a temporary SQLite file, or --database-url for an empty
PostgreSQL database it may fill), one article of QUOTES paragraphs with a labelled quote in
each, and an edited second text: a paragraph inserted every 40 (every later offset moves), a
word changed in one quote of 10, one paragraph of 20 removed, and the lines re-wrapped in one
paragraph of 25. Then it times, each the median of --repeat runs:

- the alignment of the two texts (claims/textdiff.py TextAlignment);
- mapping every quote's spans through it;
- the whole carry (claims/services/versions.py quotes_carry): protected quotes read, spans
  mapped, quotes moved, flagged and marked gone in the database — rolled back after each run.

Run: `.venv/bin/python bench/reanchor.py` (or --quotes 5000, --database-url postgres://…).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VERBS = ["reopen", "close", "expand", "resume", "halt"]
MONTHS = ["May", "June", "July", "August", "September"]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def paragraph(i: int, *, edited: bool = False) -> str:
    verb, month = VERBS[i % 5], MONTHS[(i // 5) % 5]
    if edited:
        month = MONTHS[(i // 5 + 1) % 5]
    return (
        f"In district {i}, officials met residents on Tuesday. Spokesperson Number{i} said that "
        f"the plan number {i} would {verb} by {month} of next year, according to the council."
    )


def texts(quotes: int) -> tuple[str, str]:
    old, new = [], []
    for i in range(quotes):
        old.append(paragraph(i))
        if i % 40 == 0:
            new.append(f"Editor's note {i}: this paragraph was added in the update.")
        if i % 20 == 7:
            continue  # removed
        text = paragraph(i, edited=i % 10 == 3)
        if i % 25 == 11:
            text = text.replace(" on Tuesday. ", " on\nTuesday.\n")  # re-wrapped lines
        new.append(text)
    return "\n\n".join(old), "\n\n".join(new)


def build(quotes: int):
    """The article and its labelled quotes; returns (article, project)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from annotations.labelling.projects import project_create
    from annotations.models import Label
    from claims.models import Article, Quote

    call_command("migrate", verbosity=0)
    old, _new = texts(quotes)
    user = get_user_model().objects.create(username="bench-reanchor")
    project = project_create(name="Reanchor bench", created_by=user)
    article = Article.objects.create(title="Districts", text=old, extraction_status="done")
    project.articles.add(article)
    rows, position = [], 0
    for i in range(quotes):
        body = paragraph(i)
        start = old.index(f"the plan number {i} would", position)
        end = old.index(" of next year", start)
        speaker = old.index(f"Spokesperson Number{i}", position)
        cue = old.index("said", speaker)
        rows.append(
            Quote(
                article=article,
                kind="indirect",
                content_start=start,
                content_end=end,
                speaker_start=speaker,
                speaker_end=speaker + len(f"Spokesperson Number{i}"),
                cue_start=cue,
                cue_end=cue + 4,
            )
        )
        position += len(body)
    quotes_made = Quote.objects.bulk_create(rows)
    dimension = project.dimensions.get(key="stance")
    choice = dimension.choices.first()
    labels = Label.objects.bulk_create(
        [
            Label(project=project, quote=quote, annotator=user, dimension=dimension)
            for quote in quotes_made
        ]
    )
    Label.choices.through.objects.bulk_create(
        [Label.choices.through(label_id=label.id, choice_id=choice.id) for label in labels]
    )
    return article, project


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
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

    from django.db import connection, transaction

    from claims.models import Article
    from claims.services.versions import quotes_carry
    from claims.textdiff import TextAlignment

    article, _project = build(args.quotes)
    old, new = texts(args.quotes)
    spans = list(
        article.quotes.values_list(
            "content_start", "content_end", "speaker_start", "speaker_end", "cue_start", "cue_end"
        )
    )
    print(
        f"{connection.vendor}: {args.quotes:,} labelled quotes; old text {len(old):,} characters, "
        f"new {len(new):,}"
    )

    align = median_seconds(lambda: TextAlignment(old, new), args.repeat)
    alignment = TextAlignment(old, new)

    def map_all():
        for c0, c1, s0, s1, k0, k1 in spans:
            alignment.map_span(c0, c1)
            alignment.map_span(s0, s1)
            alignment.map_span(k0, k1)

    mapping = median_seconds(map_all, args.repeat)
    reports = []

    def carry():
        try:
            with transaction.atomic():
                new_article = Article.objects.create(
                    title="Districts",
                    text=new,
                    lineage=article,
                    version=2,
                    extraction_status="pending",
                )
                started, cpu = time.perf_counter(), time.process_time()
                reports.append(quotes_carry(previous=article, new=new_article))
                reports[-1].seconds = time.perf_counter() - started
                reports[-1].cpu = time.process_time() - cpu
                raise Rollback
        except Rollback:
            pass

    for _ in range(args.repeat):
        carry()
    whole = statistics.median(report.seconds for report in reports)
    whole_cpu = statistics.median(report.cpu for report in reports)
    report = reports[-1]
    print(f"  alignment                 {align * 1000:8.1f} ms")
    print(f"  mapping every span        {mapping * 1000:8.1f} ms  ({len(spans) * 3:,} spans)")
    print(
        f"  carry (alignment + DB)    {whole * 1000:8.1f} ms  (CPU {whole_cpu * 1000:.0f} ms) "
        f"-> {report.unchanged} unchanged, "
        f"{report.changed} changed (flagged), {report.gone} gone (kept), {report.dropped} dropped"
    )
    verdict = "met" if whole < 1 else "NOT met"
    print(f"  goal: {args.quotes:,} quotes re-anchored in under 1 s: {verdict}")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if scratch is not None:
        connection.close()
        Path(scratch).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
