"""A new project gets the default political-claims schema and its creator as manager."""

import pytest
from django.core.exceptions import ValidationError

from annotations.labelling.projects import project_create
from annotations.models import Membership
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_new_project_has_the_default_schema_with_definitions_and_shortcuts():
    project = project_create(name="Claims", created_by=UserFactory())
    schema = {
        dimension.key: [(c.value, c.shortcut, bool(c.description)) for c in dimension.choices.all()]
        for dimension in project.dimensions.prefetch_related("choices")
    }
    assert schema == {
        "stance": [
            (v, str(i), True) for i, v in enumerate(["favor", "against", "neutral", "unclear"], 1)
        ],
        "attribution": [
            (v, str(i), True)
            for i, v in enumerate(["accurate", "misattributed", "ambiguous", "unnamed"], 1)
        ],
        "sourcing": [
            (v, str(i), True)
            for i, v in enumerate(
                ["named-official", "named-other", "anonymous", "media-report", "document", "none"],
                1,
            )
        ],
    }


def test_creator_becomes_the_manager():
    user = UserFactory()
    project = project_create(name="Claims", created_by=user)
    assert project.memberships.get().role == Membership.Role.MANAGER
    assert project.memberships.get().user == user


def test_several_stance_targets_ask_stance_once_per_target():
    project = project_create(
        name="Claims", created_by=UserFactory(), stance_targets=["sanctions", "ceasefire"]
    )
    stance = project.dimensions.filter(key__startswith="stance").order_by("order")
    assert [(d.key, d.target) for d in stance] == [
        ("stance", "sanctions"),
        ("stance-ceasefire", "ceasefire"),
    ]


def test_project_can_start_with_chosen_articles():
    articles = ArticleFactory.create_batch(2)
    project = project_create(name="Claims", created_by=UserFactory(), articles=articles)
    assert set(project.articles.all()) == set(articles)


@pytest.mark.parametrize(("name", "k"), [("  ", 2), ("Claims", 0), ("Claims", 51)])
def test_project_create_rejects_bad_input(name, k):
    with pytest.raises(ValidationError):
        project_create(name=name, created_by=UserFactory(), annotators_per_quote=k)
