"""Print the quotes found in text files, as JSON lines or a table; touches no database."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.extraction import SCOPES, extract_quotes_many, load_pipeline
from claims.extraction.records import quote_record

_TABLE_COLUMNS = (("kind", 8), ("content", 60), ("speaker", 24), ("cue", 14))


def _read(path: str) -> str:
    # newline="" keeps "\r\n" as on disk, so offsets index the file's exact text.
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _cell(value, width: int) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


class Command(BaseCommand):
    help = (
        "Extract quotes from UTF-8 text files and print them: one JSON object per quote with "
        "--jsonl, else a table. Unreadable files are reported on stderr and skipped; the exit "
        "code is 1 if any file failed. Uses settings.SPACY_MODEL; needs no database."
    )
    requires_migrations_checks = False
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--jsonl", action="store_true", help="One JSON object per line.")
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument(
            "--scope",
            choices=SCOPES,
            default=None,
            help="claims: speech and thought reported with a clause, direct and mixed quotes; "
            "all: also stances, intentions and hearsay, as PolNeAR annotates "
            "(default: settings.EXTRACTION_SCOPE, which is claims unless set).",
        )

    def handle(self, *args, files, jsonl, batch_size, scope, **options):
        readable: list[tuple[str, str]] = []
        failed = 0
        for path in files:
            try:
                readable.append((path, _read(path)))
            except UnicodeDecodeError as error:
                failed += 1
                self.stderr.write(f"{path}: not valid UTF-8 ({error.reason} at byte {error.start})")
            except OSError as error:
                failed += 1
                self.stderr.write(f"{path}: cannot read ({error.strerror or error})")
        nlp = load_pipeline(settings.SPACY_MODEL)
        texts = (text for _path, text in readable)
        results = extract_quotes_many(
            texts, nlp=nlp, batch_size=batch_size, scope=scope or settings.EXTRACTION_SCOPE
        )
        if not jsonl:
            self.stdout.write(
                "  ".join(f"{name:<{width}}" for name, width in (("file", 24), *_TABLE_COLUMNS))
            )
        for (path, _text), quotes in zip(readable, results, strict=True):
            for quote in quotes:
                record = quote_record(quote, file=path)
                if jsonl:
                    self.stdout.write(json.dumps(record, ensure_ascii=False))
                else:
                    cells = [_cell(path, 24)] + [
                        f"{_cell(record[name], width):<{width}}" for name, width in _TABLE_COLUMNS
                    ]
                    self.stdout.write("  ".join(cells))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be read", returncode=1)
