"""Deactivate a login: it cannot log in any more; what it labelled stays and counts."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.labelling.people import user_deactivate


class Command(BaseCommand):
    help = (
        "Deactivate a user instead of deleting them: they cannot log in, their open "
        "assignments return to the pool, their labels, history and comments stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        given_up = user_deactivate(user=user)
        self.stdout.write(f"Deactivated {username}; {given_up} open assignment(s) given up.")
