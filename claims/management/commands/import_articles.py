"""Import articles from files, folders and web addresses, extracting their quotes."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.importing import ArticleInput, read_articles
from claims.services.import_batches import articles_import_batch


class Command(BaseCommand):
    help = (
        "Import articles: .txt files (first line the title, the rest the body), .jsonl files "
        "(one JSON object per line with title, text, url, outlet, published_at), .html pages "
        "and folders of them, and web addresses (--url, --urls FILE): article pages or RSS/Atom "
        "feeds, fetched here with robots.txt and a per-host delay. The same text twice is one "
        "article; a changed text at the same address becomes a new version. Quotes are "
        "extracted as articles import."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument(
            "--url", action="append", default=[], help="A page or feed to fetch (repeatable)."
        )
        parser.add_argument("--urls", metavar="FILE", help="A file of URLs, one per line.")
        parser.add_argument("--outlet", help="Outlet for records that do not name one.")
        parser.add_argument("--batch", help="Name of the import batch (default: the paths).")
        parser.add_argument(
            "--no-extract", action="store_true", help="Store articles without extracting quotes."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="Processes parsing the articles when extraction runs here (no broker): 2 "
            "pays on two cores for a few hundred articles, after a few seconds loading the "
            "model in each (default 1).",
        )

    def handle(
        self, *args, paths, url, urls, outlet, batch, no_extract, no_progress, processes, **options
    ):
        verbosity = options["verbosity"]
        if processes < 1:
            raise CommandError("--processes takes 1 or more.")
        addresses = list(url)
        if urls:
            try:
                lines = Path(urls).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read the URL file {urls}: {error}") from None
            addresses += [line.strip() for line in lines if line.strip()]
        if not paths and not addresses:
            raise CommandError("Give files or folders to import, or --url / --urls.")
        records = list(read_articles(paths))
        progress = tqdm(
            total=sum(isinstance(record, ArticleInput) for record in records) + len(addresses),
            desc="Importing",
            unit="item",
            file=sys.stderr,
            disable=no_progress or verbosity == 0 or None,
        )
        with progress:
            result = articles_import_batch(
                records=records,
                urls=addresses,
                name=batch or " ".join([*paths, *addresses])[:200],
                outlet=outlet,
                extract=not no_extract,
                progress=progress.update,
                n_process=processes,
            )
        for problem in result.problems:
            self.stderr.write(f"Not imported: {problem.source_name}: {problem.reason}")
        if verbosity:
            self.stdout.write(
                f"Imported {result.created} new article(s) with {result.quote_count} quote(s); "
                f"{result.existing} already present; {len(result.problems)} problem(s)."
            )
        if result.problems:
            raise CommandError(
                f"{len(result.problems)} item(s) could not be imported (reasons above)."
            )
