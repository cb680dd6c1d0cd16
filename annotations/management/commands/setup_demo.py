"""Create the demo project and logins (development only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.labelling.projects import membership_set, project_articles_set, project_create
from annotations.models import Membership, Project
from claims.importing import ArticleInput, read_articles
from claims.models import Article, text_sha256

DEMO_PASSWORD = "claimlab-demo"  # noqa: S105 - the documented demo password
DEMO_PROJECT = "Demo: negotiations with Russia"
DEMO_ARTICLES = settings.BASE_DIR / "demo" / "articles.jsonl"
DEMO_USERS = [
    ("manager", Membership.Role.MANAGER),
    ("annotator1", Membership.Role.ANNOTATOR),
    ("annotator2", Membership.Role.ANNOTATOR),
]


def demo_article_ids(path=DEMO_ARTICLES) -> list[int]:
    """The stored articles whose texts are the demo file's (found by their text's hash; of
    several copies, the first, which is the one `import_articles` finds again)."""
    hashes = [
        text_sha256(record.text) for record in read_articles([path])
        if isinstance(record, ArticleInput)
    ]  # fmt: skip
    copies = Article.objects.filter(sha256__in=hashes).order_by("-id")
    found = dict(copies.values_list("sha256", "id"))  # the lowest id of each text wins
    if not hashes or len(found) < len(set(hashes)):
        raise CommandError(
            f"Import the demo articles first: manage.py import_articles {path} (make demo does)."
        )
    return list(found.values())


class Command(BaseCommand):
    help = (
        f"Create the demo project (the articles of demo/articles.jsonl, default schema) and the "
        f"demo users {', '.join(name for name, _ in DEMO_USERS)} with the password "
        f"{DEMO_PASSWORD!r}. Only when DEBUG is on; running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create demo logins with DEBUG off (production).")
        article_ids = demo_article_ids()
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
                    "Label each quote for **stance** toward negotiations with Russia, whether "
                    "it is fairly **attributed**, and where it is **sourced**.\n\n"
                    "## Stance\n\nJudge what the speaker says in the quote itself, not what "
                    "the article says about them."
                ),
                stance_targets=["negotiations with Russia"],
                annotators_per_quote=2,
            )
        # Exactly the demo articles, however many others the database holds (others imported
        # into other projects stay out of the demo).
        project_articles_set(project=project, article_ids=article_ids)
        for username, role in DEMO_USERS:
            membership_set(project=project, user=users[username], role=role)
        self.stdout.write(
            f"Demo project {project.name!r} with {len(article_ids)} article(s); "
            f"logins {', '.join(users)} (password {DEMO_PASSWORD!r})."
        )
