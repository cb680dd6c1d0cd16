"""Import articles from .txt / .jsonl files and folders, extracting their quotes."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.importing import ArticleInput, read_articles
from claims.services.articles import articles_import_batch


class Command(BaseCommand):
    help = (
        "Import articles: .txt files (first line the title, the rest the body), .jsonl files "
        "(one JSON object per line with title, text, url, outlet, published_at) and folders of "
        "them. The same text twice is one article. Quotes are extracted as articles import."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
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
        self, *args, paths, outlet, batch, no_extract, no_progress, processes, verbosity, **options
    ):
        if processes < 1:
            raise CommandError("--processes takes 1 or more.")
        records = list(read_articles(paths))
        progress = tqdm(
            total=sum(isinstance(record, ArticleInput) for record in records),
            desc="Extracting" if not no_extract else "Importing",
            unit="article",
            file=sys.stderr,
            disable=no_progress or verbosity == 0 or None,
        )
        with progress:
            result = articles_import_batch(
                records=records,
                name=batch or " ".join(paths),
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
