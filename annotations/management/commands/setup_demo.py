"""Create the demo project and logins (development only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.labelling.projects import membership_set, project_create
from annotations.models import Membership, Project
from claims.models import Article

DEMO_PASSWORD = "claimlab-demo"  # noqa: S105 - the documented demo password
DEMO_PROJECT = "Demo: negotiations with Russia"
DEMO_USERS = [
    ("manager", Membership.Role.MANAGER),
    ("annotator1", Membership.Role.ANNOTATOR),
    ("annotator2", Membership.Role.ANNOTATOR),
]


class Command(BaseCommand):
    help = (
        f"Create the demo project (every article, default schema) and the demo users "
        f"{', '.join(name for name, _ in DEMO_USERS)} with the password {DEMO_PASSWORD!r}. "
        "Only when DEBUG is on; running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create demo logins with DEBUG off (production).")
        User = get_user_model()
        users = {}
        for username, _ in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        project = Project.objects.filter(name=DEMO_PROJECT).first()
        if project is None:
            project = project_create(
                name=DEMO_PROJECT,
                created_by=users["manager"],
                description="The seed articles, ready to label.",
                guidelines=(
                    "# Guidelines\n\nLabel each quote for **stance** toward negotiations with "
                    "Russia, whether it is fairly **attributed**, and where it is **sourced**."
                ),
                stance_targets=["negotiations with Russia"],
                annotators_per_quote=2,
            )
        project.articles.add(*Article.objects.all())
        for username, role in DEMO_USERS:
            membership_set(project=project, user=users[username], role=role)
        self.stdout.write(
            f"Demo project {project.name!r} with {project.articles.count()} article(s); "
            f"logins {', '.join(users)} (password {DEMO_PASSWORD!r})."
        )
