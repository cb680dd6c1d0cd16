"""Search on a million quotes: timings of the search page and API per kind of query (PostgreSQL).

Creates its own database (claimlab_search_bench, dropped afterwards unless --keep), migrates it
and fills it, mostly with server-side SQL so the database's own triggers run as on any insert:

- the newsroom: --articles articles (default 40,000) from 40 outlets over three years, 24 quotes
  each (960,000), by 4,000 speakers; words drawn from a Zipf-like vocabulary (a few very common
  words, a long tail of rare ones); an open project holding them all, in which two annotators
  labelled stance and sourcing on one quote in ten and a reviewer set gold on one in fifty;
  the analyst who searches is the project's reviewer (sees every label);
- the adversarial case: one article of ~950,000 characters with 54,000 quotes (of one or two
  words each) in a project of its own, searched by its manager (anyone may build this).

Then each query runs through Django's test client against the real page (/search/) and API
(/api/v1/insights/search/) views: --warmups untimed runs (1), then --repeat timed ones (3). It
prints the median wall time and the slowest, the median CPU time (the Python process and the
PostgreSQL backend, read from /proc; parallel query is off for the session so one backend does
all the work), and the count shown. Wall times on a shared machine include waiting for a core:
the CPU column is what a request costs. --reuse skips the build (with --keep from a previous
run), --only NAME runs the queries whose name contains NAME. Run: make bench-search.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import database_drop, database_recreate  # noqa: E402

DATABASE = "claimlab_search_bench"
QUOTES_PER_ARTICLE = 24
SPEAKERS = 4_000
OUTLETS = 40
ADVERSARIAL_CHARS = 950_000
ADVERSARIAL_QUOTES = 54_000
COMMON = [
    "said",
    "government",
    "minister",
    "president",
    "talks",
    "ceasefire",
    "negotiations",
    "sanctions",
    "war",
    "peace",
    "security",
    "election",
    "parliament",
    "officials",
    "army",
    "border",
    "energy",
    "prices",
    "economy",
    "support",
    "agreement",
    "troops",
    "military",
    "reform",
    "budget",
    "policy",
    "crisis",
    "aid",
    "deal",
    "leaders",
]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-search-not-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    # Pages link static files; the bench has not run collectstatic for the manifest storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# -- building -------------------------------------------------------------------------------------
class Vocabulary:
    """Pseudo-words with Zipf-like frequencies, the common political words at the top."""

    def __init__(self, rng: random.Random, size: int = 30_000) -> None:
        syllables = ["ka", "lo", "mi", "ret", "sun", "var", "po", "del", "ni", "sta", "ur", "eb"]
        tail = {
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)
        }
        self.words = COMMON + sorted(tail - set(COMMON))
        self.cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(self.words))))
        self.rng = rng

    def sentence(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=n))


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    import io

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row) + "\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def build(*, articles: int, seed: int) -> dict:
    """Migrate and fill the database; returns who searches and what for."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from annotations.labelling.projects import membership_set, project_create
    from annotations.models import Membership
    from claims.models import text_sha256

    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    User = get_user_model()
    manager = User.objects.create(username="bench-manager")
    analyst = User.objects.create(username="bench-analyst")
    attacker = User.objects.create(username="bench-attacker")
    annotators = [User.objects.create(username=f"bench-annotator-{n}") for n in (1, 2)]
    newsroom = project_create(
        name="Newsroom", created_by=manager, stance_targets=["talks"], blind_mode=False
    )
    membership_set(project=newsroom, user=analyst, role=Membership.Role.REVIEWER)
    for annotator in annotators:
        membership_set(project=newsroom, user=annotator, role=Membership.Role.ANNOTATOR)
    own = project_create(name="Mine", created_by=attacker, stance_targets=["talks"])
    now = datetime.now(UTC).isoformat()
    first_day = datetime(2022, 1, 1, tzinfo=UTC)

    with transaction.atomic(), connection.cursor() as cursor:
        # The bulk build runs for minutes: the web's statement timeout is not for it.
        cursor.execute("SET LOCAL statement_timeout = 0")
        _copy(
            cursor,
            "claims_outlet",
            ["name", "domain", "created_at"],
            [(f"Outlet {n}", f"outlet{n}.example", now) for n in range(OUTLETS)],
        )
        first_names = ["Anna", "Olaf", "Maria", "Ivan", "Petro", "Ursula", "Jens", "Kaja"]
        _copy(
            cursor,
            "claims_speaker",
            ["name", "kind", "description", "created_at"],
            [
                (
                    f"{rng.choice(first_names)} {vocabulary.words[len(COMMON) + n].title()}x{n}",
                    "person",
                    "",
                    now,
                )
                for n in range(SPEAKERS)
            ],
        )
        cursor.execute("SELECT id FROM claims_outlet ORDER BY id")
        outlet_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM claims_speaker ORDER BY id")
        speaker_ids = [row[0] for row in cursor.fetchall()]
        print(f"  outlets and speakers ({time.perf_counter() - started:.0f} s)", flush=True)

        # The newsroom's articles: sentences of 8-20 words; each sentence but the last is a quote.
        spans: list[tuple[int, int, int]] = []  # (article number, start, end)
        article_rows = []
        for number in range(articles):
            parts, position = [], 0
            for _ in range(QUOTES_PER_ARTICLE):
                sentence = vocabulary.sentence(rng.randint(8, 20))
                spans.append((number, position, position + len(sentence)))
                parts.append(sentence + ". ")
                position += len(sentence) + 2
            text = "".join(parts) + "Ends here."
            published = first_day + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            article_rows.append(
                (
                    outlet_ids[number % OUTLETS],
                    f"{vocabulary.sentence(6).capitalize()} {number}",
                    published.isoformat(),
                    text,
                    text_sha256(text),
                    "en",
                    "bench",
                    "done",
                    now,
                    now,
                )
            )
        columns = [
            "outlet_id",
            "title",
            "published_at",
            "text",
            "sha256",
            "language",
            "source_name",
            "extraction_status",
            "extraction_error",
            "created_at",
            "author",
            "version",
        ]
        _copy(
            cursor,
            "claims_article",
            columns,
            [(*row[:8], "", row[9], "", 1) for row in article_rows],
        )
        del article_rows
        cursor.execute("SELECT id FROM claims_article ORDER BY id")
        article_ids = [row[0] for row in cursor.fetchall()]
        print(f"  {articles:,} articles ({time.perf_counter() - started:.0f} s)", flush=True)
        quote_columns = [
            "article_id",
            "kind",
            "content_start",
            "content_end",
            "speaker_id",
            "origin",
            "extractor_version",
            "is_rejected",
            "created_at",
        ]
        kinds = ["direct", "indirect", "mixed"]
        for chunk in range(0, len(spans), 100_000):
            _copy(
                cursor,
                "claims_quote",
                quote_columns,
                [
                    (
                        article_ids[number],
                        kinds[(start // 7) % 3],
                        start,
                        end,
                        speaker_ids[int(rng.paretovariate(1.2)) % SPEAKERS],
                        "extracted",
                        "bench",
                        "f",
                        now,
                    )
                    for number, start, end in spans[chunk : chunk + 100_000]
                ],
            )
            print(
                f"  quotes {chunk + 100_000:,} ({time.perf_counter() - started:.0f} s)", flush=True
            )
        cursor.execute(
            "INSERT INTO annotations_project_articles (project_id, article_id) "
            "SELECT %s, id FROM claims_article",
            [newsroom.id],
        )

        # The adversarial article: ~950,000 characters, 54,000 quotes of one or two words each.
        parts, adversarial_spans, position = [], [], 0
        while position < ADVERSARIAL_CHARS:
            sentence = vocabulary.sentence(rng.randint(1, 2))
            if len(adversarial_spans) < ADVERSARIAL_QUOTES:
                adversarial_spans.append((position, position + len(sentence)))
            parts.append(sentence + ". ")
            position += len(sentence) + 2
        text = "".join(parts)
        cursor.execute(
            "INSERT INTO claims_article (outlet_id, title, published_at, text, sha256, language, "
            "source_name, extraction_status, extraction_error, created_at, author, version) "
            "VALUES (%s, 'A very long article', %s, %s, %s, 'en', 'bench', 'done', '', %s, '', 1) "
            "RETURNING id",
            [outlet_ids[0], now, text, text_sha256(text), now],
        )
        adversarial_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO annotations_project_articles (project_id, article_id) VALUES (%s, %s)",
            [own.id, adversarial_id],
        )
        _copy(
            cursor,
            "claims_quote",
            quote_columns,
            [
                (adversarial_id, "direct", start, end, speaker_ids[n % 50], "manual", "", "f", now)
                for n, (start, end) in enumerate(adversarial_spans)
            ],
        )
        print(
            f"  adversarial article, {len(adversarial_spans):,} quotes "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )

        # Labels: two annotators on one newsroom quote in ten (stance and sourcing), gold on one
        # in fifty; the attacker labelled a thousand of their own quotes.
        label_sql = (
            "INSERT INTO annotations_label (project_id, quote_id, annotator_id, dimension_id, "
            "note, created_at, updated_at) "
            "SELECT %s, q.id, %s, d.id, '', now(), now() FROM claims_quote q "
            "JOIN annotations_dimension d ON d.project_id = %s AND d.key IN ('stance', 'sourcing') "
            "WHERE q.article_id IN (SELECT article_id FROM annotations_project_articles "
            "WHERE project_id = %s) AND q.id %% 10 = 0"
        )
        for annotator in annotators:
            cursor.execute(label_sql, [newsroom.id, annotator.id, newsroom.id, newsroom.id])
        cursor.execute(
            label_sql.replace("q.id %% 10 = 0", "q.id %% 54 = 0"),
            [own.id, attacker.id, own.id, own.id],
        )
        cursor.execute(
            "INSERT INTO annotations_label_choices (label_id, choice_id) "
            "SELECT l.id, (SELECT c.id FROM annotations_choice c "
            "  WHERE c.dimension_id = l.dimension_id "
            "  ORDER BY md5(l.id::text || c.value) LIMIT 1) "
            "FROM annotations_label l"
        )
        cursor.execute(
            "INSERT INTO annotations_gold (project_id, quote_id, dimension_id, method, decided_at) "
            "SELECT %s, q.id, d.id, 'reviewer', now() FROM claims_quote q "
            "JOIN annotations_dimension d ON d.project_id = %s AND d.key = 'stance' "
            "WHERE q.id %% 50 = 0 AND q.article_id IN (SELECT article_id FROM "
            "annotations_project_articles WHERE project_id = %s)",
            [newsroom.id, newsroom.id, newsroom.id],
        )
        cursor.execute(
            "INSERT INTO annotations_gold_choices (gold_id, choice_id) "
            "SELECT g.id, (SELECT c.id FROM annotations_choice c "
            "  WHERE c.dimension_id = g.dimension_id AND c.value = 'against') "
            "FROM annotations_gold g"
        )
        print(f"  labels and gold ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return describe()


def describe() -> dict:
    """Who searches and with what (read back from a built database)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from claims.models import Article, Outlet, Quote

    User = get_user_model()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT speaker_id FROM claims_quote GROUP BY speaker_id ORDER BY COUNT(*) DESC LIMIT 1"
        )
        busiest_speaker = cursor.fetchone()[0]
    adversarial = Article.objects.get(title="A very long article")
    adversarial_quote = Quote.objects.filter(article=adversarial).order_by("id")[1000]
    return {
        "analyst": User.objects.get(username="bench-analyst"),
        "attacker": User.objects.get(username="bench-attacker"),
        "speaker": busiest_speaker,
        "outlet": Outlet.objects.order_by("id").first().id,
        "adversarial_word": adversarial.text[
            adversarial_quote.content_start : adversarial_quote.content_end
        ].split()[0],
        "quotes": Quote.objects.count(),
        "articles": Article.objects.count(),
    }


def queries(subject: dict) -> list[tuple[str, str, dict]]:
    """(name, who, parameters) for each timed search."""
    from django.db import connection

    # A word from the long tail: in one document of a 1% sample (so in about a hundred).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT search_document FROM claims_quote "
            "WHERE id % 100 = 0') WHERE ndoc = 1 AND length(word) > 6 ORDER BY word LIMIT 1"
        )
        rare = cursor.fetchone()[0]
    speaker, outlet = subject["speaker"], subject["outlet"]
    return [
        ("words: common (said)", "analyst", {"q": "said"}),
        ("words: two common (ceasefire talks)", "analyst", {"q": "ceasefire talks"}),
        (f"words: rare ({rare})", "analyst", {"q": rare}),
        ('words: phrase ("peace talks")', "analyst", {"q": '"peace talks"'}),
        ("words: with exclusion (talks -sanctions)", "analyst", {"q": "talks -sanctions"}),
        ("words: ten", "analyst", {"q": " ".join(COMMON[:10])}),
        ("words: deep page (said, page 200)", "analyst", {"q": "said", "page": 200}),
        ("speaker filter", "analyst", {"speaker": speaker}),
        ("speaker filter + words (talks)", "analyst", {"speaker": speaker, "q": "talks"}),
        ("label filter (stance:against)", "analyst", {"label": "stance:against"}),
        ("label filter + words (talks)", "analyst", {"label": "stance:against", "q": "talks"}),
        ("label filter (sourcing:anonymous)", "analyst", {"label": "sourcing:anonymous"}),
        (
            "date range (one quarter)",
            "analyst",
            {"date_from": "2023-01-01", "date_to": "2023-03-31"},
        ),
        (
            "date range + words (talks)",
            "analyst",
            {"date_from": "2023-01-01", "date_to": "2023-03-31", "q": "talks"},
        ),
        ("outlet + kind", "analyst", {"outlet": outlet, "kind": "direct"}),
        ("everything, newest first (kind=direct)", "analyst", {"kind": "direct"}),
        ("adversarial: words (common)", "attacker", {"q": "said"}),
        (
            f"adversarial: words ({subject['adversarial_word']})",
            "attacker",
            {"q": subject["adversarial_word"]},
        ),
        ("adversarial: newest first", "attacker", {"kind": "direct"}),
        ("adversarial: label filter", "attacker", {"label": "stance:favor"}),
    ]


def _session_settings(sender, connection, **kwargs) -> None:
    """Each request on one core: no parallel workers (their CPU could not be read, and a
    busy server rarely has cores to spare), and a statement timeout so nothing hangs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SET statement_timeout = '120s'")


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (local server only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_request(client, url: str, params: dict) -> tuple[float, float | None, int, str]:
    """(wall seconds, CPU seconds of Python and the database backend, status, count shown)."""
    database_before = _backend_cpu()
    python_before = sum(os.times()[:2])
    started = time.perf_counter()
    response = client.get(url, params, secure=True)
    elapsed = time.perf_counter() - started
    python_cpu = sum(os.times()[:2]) - python_before
    database_after = _backend_cpu()
    cpu = None
    if database_before is not None and database_after is not None:
        cpu = python_cpu + database_after - database_before
    if response.status_code != 200:
        return elapsed, cpu, response.status_code, ""
    if url.startswith("/api/"):
        body = response.json()
        return elapsed, cpu, 200, f"{body['count']}{'+' if body.get('count_capped') else ''}"
    page = response.context["page"] if response.context else None
    shown = ""
    if page is not None:
        capped = getattr(page.paginator, "is_capped", False)
        shown = f"{page.paginator.count}{'+' if capped else ''}"
    return elapsed, cpu, 200, shown


def run(subject: dict, *, repeat: int, warmups: int, only: str) -> None:
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the client see the page's context (the count shown)
    connection_created.connect(_session_settings)
    connection.close()
    clients = {}
    for who in ("analyst", "attacker"):
        clients[who] = Client(raise_request_exception=False)  # a timeout shows as HTTP 500
        clients[who].force_login(subject[who])
    print(
        f"\n{subject['quotes']:,} quotes in {subject['articles']:,} articles; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start. Per request: the "
        f"median wall time of {repeat} runs after {warmups} warm-up(s), the slowest, and the "
        "median CPU time (Python + PostgreSQL backend), in ms\n"
    )
    print(f"{'query':<44} {'page: wall / max / cpu':>24} {'api: wall / max / cpu':>24}  count")
    for name, who, params in queries(subject):
        if only and only not in name:
            continue
        cells, shown = [], ""
        for url in ("/search/", "/api/v1/insights/search/"):
            for _ in range(warmups):
                time_request(clients[who], url, params)
            runs = [time_request(clients[who], url, params) for _ in range(repeat)]
            statuses = {status for _, _, status, _ in runs}
            shown = runs[-1][3] or shown
            times = [elapsed * 1000 for elapsed, _, _, _ in runs]
            cpus = [cpu * 1000 for _, cpu, _, _ in runs if cpu is not None]
            cpu = f"{statistics.median(cpus):5.0f}" if cpus else "    -"
            cell = f"{statistics.median(times):6.0f} / {max(times):6.0f} / {cpu}"
            if statuses != {200}:
                cell = f"HTTP {sorted(statuses)} after {max(times):6.0f}"
            cells.append(cell)
        print(f"{name:<44} {cells[0]:>24} {cells[1]:>24}  {shown}", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server URL (any database on it; the bench makes its own)",
    )
    parser.add_argument("--articles", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warmups", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="search a kept database")
    parser.add_argument("--only", default="", help="run the queries whose name has this text")
    args = parser.parse_args()
    if args.reuse:
        url = args.server.rsplit("/", 1)[0] + "/" + DATABASE
        setup_django(url)
        subject = describe()
    else:
        url = database_recreate(args.server, DATABASE)
        setup_django(url)
        print(f"Building {DATABASE}: {args.articles:,} articles …", flush=True)
        subject = build(articles=args.articles, seed=args.seed)
    try:
        run(subject, repeat=args.repeat, warmups=args.warmups, only=args.only)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            database_drop(args.server, DATABASE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
