"""Write a project's labelled dataset (JSONL, CSV or spaCy DocBin) and its dataset card."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.export import DatasetExporter, ExportOptions, dataset_card
from annotations.models import Project


class Command(BaseCommand):
    help = (
        "Export a project's labelled quotes, one record per quote, the same records as "
        "GET /api/v1/projects/{id}/export/. Writes to --output (default: standard output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", type=int, help="Project id.")
        parser.add_argument("--format", choices=["jsonl", "csv", "spacy"], default="jsonl")
        parser.add_argument("--output", "-o", help="File to write (required for spacy).")
        parser.add_argument("--card", help="Also write the dataset card (JSON) to this file.")
        parser.add_argument("--gold-only", action="store_true")
        parser.add_argument("--dimension")
        parser.add_argument("--min-agreement", type=float)
        parser.add_argument(
            "--real-names", action="store_true", help="Annotator usernames, not pseudonyms."
        )

    def handle(self, *args, **options):
        project = Project.objects.filter(id=options["project"]).first()
        if project is None:
            raise CommandError(f"No project {options['project']}.")
        dimension = options["dimension"]
        if dimension and not project.dimensions.filter(key=dimension).exists():
            raise CommandError(f"Project {project.id} has no dimension {options['dimension']!r}.")
        min_agreement = options["min_agreement"]
        if min_agreement is not None and not 0 <= min_agreement <= 1:
            raise CommandError("--min-agreement takes a number from 0 to 1.")
        exporter = DatasetExporter(
            project=project,
            options=ExportOptions(
                gold_only=options["gold_only"],
                dimension=options["dimension"],
                min_agreement=min_agreement,
                pseudonymise=not options["real_names"],
            ),
        )
        fmt, output = options["format"], options["output"]
        if fmt == "spacy":
            if not output:
                raise CommandError("--format spacy writes a binary file: give --output PATH.")
            Path(output).write_bytes(exporter.docbin())
        else:
            chunks = exporter.stream(fmt)
            if output:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.writelines(chunks)
            else:
                for chunk in chunks:
                    sys.stdout.write(chunk)
        if options["card"]:
            Path(options["card"]).write_text(
                json.dumps(dataset_card(project=project), indent=2, ensure_ascii=False),
                encoding="utf-8",
            )
