"""Import articles from .txt / .jsonl files and folders, extracting their quotes."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.importing import ArticleInput, ImportProblem, read_articles
from claims.models import ImportBatch
from claims.services import article_import


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


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

    def handle(self, *args, paths, outlet, batch, no_extract, no_progress, verbosity, **options):
        records = list(read_articles(paths))
        problems = [record for record in records if isinstance(record, ImportProblem)]
        inputs = [record for record in records if isinstance(record, ArticleInput)]
        import_batch = None
        if inputs:
            import_batch = ImportBatch.objects.create(name=batch or " ".join(paths)[:200])
        created = existing = quotes = 0
        progress = tqdm(
            inputs,
            desc="Importing",
            unit="article",
            file=sys.stderr,
            disable=no_progress or verbosity == 0 or None,
        )
        for record in progress:
            try:
                result = article_import(
                    title=record.title,
                    text=record.text,
                    url=record.url,
                    outlet=record.outlet or outlet,
                    published_at=record.published_at,
                    source_name=record.source_name,
                    batch=import_batch,
                    extract=not no_extract,
                )
            except ValidationError as error:
                problems.append(ImportProblem(record.source_name, _validation_message(error)))
                continue
            if result.created:
                created += 1
                quotes += result.quote_count
            else:
                existing += 1
        if import_batch and not created:
            import_batch.delete()
        for problem in problems:
            self.stderr.write(f"Not imported: {problem.source_name}: {problem.reason}")
        if verbosity:
            self.stdout.write(
                f"Imported {created} new article(s) with {quotes} quote(s); "
                f"{existing} already present; {len(problems)} problem(s)."
            )
        if problems:
            raise CommandError(f"{len(problems)} item(s) could not be imported (reasons above).")
