"""`manage.py setup_demo`: demo logins and project, only in development, safe to repeat."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.models import Membership, Project
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_demo_creates_logins_and_a_project_with_every_article(settings):
    settings.DEBUG = True
    articles = ArticleFactory.create_batch(2)
    call_command("setup_demo", stdout=StringIO())
    project = Project.objects.get()
    assert set(project.articles.all()) == set(articles)
    roles = dict(project.memberships.values_list("user__username", "role"))
    assert roles == {
        "manager": Membership.Role.MANAGER,
        "annotator1": Membership.Role.ANNOTATOR,
        "annotator2": Membership.Role.ANNOTATOR,
    }
    for user in get_user_model().objects.filter(username__in=roles):
        assert user.check_password("claimlab-demo")
    assert project.dimensions.count() == 3


def test_running_the_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    ArticleFactory()
    call_command("setup_demo", stdout=StringIO())
    call_command("setup_demo", stdout=StringIO())
    assert Project.objects.count() == 1
    assert Membership.objects.count() == 3


def test_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("setup_demo", stdout=StringIO())
    assert not Project.objects.exists()
