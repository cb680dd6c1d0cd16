"""Erase one person's labels in a project (consent withdrawn, a test login), recomputing gold."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.labelling.people import annotator_labels_erase
from annotations.models import Project


class Command(BaseCommand):
    help = (
        "Erase a person's labels, their history and their queue places in one project, then "
        "recompute the unanimous gold that may have rested on them. Reviewer gold stays."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--project", type=int, required=True, help="Project id.")

    def handle(self, *args, username, project, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        found = Project.objects.filter(id=project).first()
        if found is None:
            raise CommandError(f"No project {project}.")
        erased = annotator_labels_erase(project=found, annotator=user)
        self.stdout.write(
            f"Erased {erased['labels']} label(s) and {erased['assignments']} assignment(s) of "
            f"{username} in {found.name}; unanimous gold {erased['unanimous_gold_before']} -> "
            f"{erased['unanimous_gold_after']}."
        )
