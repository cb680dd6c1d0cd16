"""Write a project's labelled dataset (in any format of annotations.export.FORMATS) and its
dataset card."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.export import (
    DEFAULT_FORMAT,
    FORMATS,
    DatasetExporter,
    ExportOptions,
    dataset_card,
)
from annotations.models import Project


class Command(BaseCommand):
    help = (
        "Export a project's labelled quotes, one record per quote, the same records as "
        "GET /api/v1/projects/{id}/export/. Writes to --output (default: standard output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", type=int, help="Project id.")
        parser.add_argument("--format", choices=list(FORMATS), default=DEFAULT_FORMAT)
        parser.add_argument("--output", "-o", help="File to write (required for binary formats).")
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
        pseudonymise = not options["real_names"]
        exporter = DatasetExporter(
            project=project,
            options=ExportOptions(
                gold_only=options["gold_only"],
                dimension=options["dimension"],
                min_agreement=min_agreement,
                pseudonymise=pseudonymise,
            ),
        )
        export_format, output = FORMATS[options["format"]], options["output"]
        if not export_format.streams:
            if not output:
                raise CommandError(
                    f"--format {export_format.name} writes a binary file: give --output PATH."
                )
            Path(output).write_bytes(export_format.write(exporter))
        else:
            pieces = export_format.write(exporter)
            if output:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.writelines(pieces)
            else:
                for piece in pieces:
                    sys.stdout.write(piece)
        if options["card"]:
            Path(options["card"]).write_text(
                json.dumps(
                    dataset_card(project=project, pseudonymise=pseudonymise),
                    indent=2,
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
