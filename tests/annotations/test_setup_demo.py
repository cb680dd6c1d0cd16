"""`manage.py setup_demo`: demo logins and project, only in development, safe to repeat."""

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.models import Membership, Project
from claims.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DEMO_FILE = django_settings.BASE_DIR / "demo" / "articles.jsonl"


def import_demo_articles():
    call_command(
        "import_articles", str(DEMO_FILE), "--no-extract", "--no-progress", stdout=StringIO()
    )


def test_demo_creates_logins_and_a_project_with_the_demo_articles(settings):
    settings.DEBUG = True
    import_demo_articles()
    call_command("setup_demo", stdout=StringIO())
    project = Project.objects.get()
    assert set(project.articles.all()) == set(Article.objects.all())
    assert project.articles.count() == 2
    roles = dict(project.memberships.values_list("user__username", "role"))
    assert roles == {
        "manager": Membership.Role.MANAGER,
        "annotator1": Membership.Role.ANNOTATOR,
        "annotator2": Membership.Role.ANNOTATOR,
    }
    for user in get_user_model().objects.filter(username__in=roles):
        assert user.check_password("claimlab-demo")
    assert project.dimensions.count() == 3


def test_the_demo_articles_come_with_their_outlet_and_dates(settings):
    import_demo_articles()
    articles = {a.title.split()[1]: a for a in Article.objects.select_related("outlet")}
    assert {a.outlet.name for a in articles.values()} == {"RT"}
    first, second = articles["admits"], articles["criticizes"]
    assert "6 Nov, 2023" in first.text
    assert first.published_at.date().isoformat() == "2023-11-06"
    assert "World Economic Forum in Davos" in second.text
    assert (second.published_at.year, second.published_at.month) == (2025, 1)


def test_rerunning_the_demo_keeps_other_articles_out_of_the_demo_project(settings):
    settings.DEBUG = True
    import_demo_articles()
    call_command("setup_demo", stdout=StringIO())
    other = ArticleFactory()  # imported later, for another project
    project = Project.objects.get()
    project.articles.add(ArticleFactory())  # or added to the demo project by hand
    import_demo_articles()
    call_command("setup_demo", stdout=StringIO())
    assert Project.objects.count() == 1
    assert Membership.objects.count() == 3
    assert other not in project.articles.all()
    assert project.articles.count() == 2


def test_demo_says_to_import_the_articles_first(settings):
    settings.DEBUG = True
    ArticleFactory()
    with pytest.raises(CommandError, match="Import the demo articles first"):
        call_command("setup_demo", stdout=StringIO())
    assert not Project.objects.exists()


def test_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    import_demo_articles()
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("setup_demo", stdout=StringIO())
    assert not Project.objects.exists()
