"""manage.py export_corpus OUT: the whole corpus as JSON Lines (gzip when OUT ends in .gz)."""

from django.core.management.base import BaseCommand

from claims.corpus import corpus_export, open_corpus


class Command(BaseCommand):
    help = (
        "Write every outlet, batch, article, speaker, quote, edit, merge, user, project, "
        "membership, schema, label (with history), assignment, gold label and comment to OUT "
        "as JSON Lines, ids and timestamps kept. Users go without password hashes unless "
        "--with-passwords. Load it with import_corpus into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="file to write (.jsonl, or .jsonl.gz to compress)")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="include password hashes (treat the file as a secret)",
        )

    def handle(self, *args, out, with_passwords, **options):
        with open_corpus(out, "w") as stream:
            counts = corpus_export(stream=stream, with_passwords=with_passwords)
        total = sum(counts.values())
        self.stdout.write(f"Exported {total} rows to {out}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
