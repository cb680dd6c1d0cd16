"""Load labels from a JSONL export back into a project (all or nothing)."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.labelling.labels_import import labels_import
from annotations.models import Project


class Command(BaseCommand):
    help = (
        "Import labels from a JSONL export made with real annotator names "
        "(export_dataset --real-names, or the API with pseudonymise=false)."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", type=int)
        parser.add_argument("path")
        parser.add_argument("--reviewer", help="Username that reviewer gold is restored as.")

    def handle(self, *args, project, path, reviewer, **options):
        target = Project.objects.filter(id=project).first()
        if target is None:
            raise CommandError(f"No project {project}.")
        reviewer_user = None
        if reviewer:
            reviewer_user = get_user_model().objects.filter(username=reviewer).first()
            if reviewer_user is None:
                raise CommandError(f"No user {reviewer!r}.")
        try:
            with open(path, encoding="utf-8") as handle:
                records = [json.loads(line) for line in handle if line.strip()]
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} is not JSONL: {error}") from None
        try:
            counts = labels_import(project=target, records=records, reviewer=reviewer_user)
        except ValidationError as error:
            raise CommandError(
                "Nothing imported:\n" + "\n".join(error.message_dict["records"])
            ) from None
        self.stdout.write(
            f"Imported {counts['labels']} label(s) on {counts['quotes']} quote(s), "
            f"{counts['gold']} reviewer gold label(s)."
        )
