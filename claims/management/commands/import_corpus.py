"""manage.py import_corpus IN: load an export_corpus file into an empty, migrated database."""

from django.core.management.base import BaseCommand, CommandError

from claims.corpus import CorpusError, corpus_import, open_corpus


class Command(BaseCommand):
    help = (
        "Load a corpus written by export_corpus into an empty database (run migrate first), "
        "keeping ids, offsets and timestamps. All or nothing: on any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="IN", help="file written by export_corpus")

    def handle(self, *args, source, **options):
        try:
            with open_corpus(source, "r") as stream:
                counts = corpus_import(stream=stream)
        except (CorpusError, OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Nothing imported: {error}") from None
        self.stdout.write(f"Imported {sum(counts.values())} rows from {source}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
