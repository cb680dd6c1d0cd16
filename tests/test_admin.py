"""Every model has a working admin list, search and change page for staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

from annotations.labelling.projects import project_create
from tests.factories import QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = [
    model for model in admin.site._registry if model._meta.app_label in {"claims", "annotations"}
]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_every_domain_model_is_registered():
    names = {model.__name__ for model in MODELS}
    assert names >= {
        "Outlet", "ImportBatch", "Article", "Speaker", "SpeakerAlias", "Quote", "QuoteEdit",
        "Project", "Membership", "Dimension", "Choice", "Label", "LabelHistory", "Assignment",
        "Gold", "Comment",
    }  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_list_and_search_pages_load(staff_client, model):
    QuoteFactory()
    project_create(name="P", created_by=UserFactory())
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "zelensky"}).status_code == 200


def test_article_text_is_read_only_in_the_admin(staff_client):
    quote = QuoteFactory()
    url = reverse("admin:claims_article_change", args=[quote.article_id])
    html = staff_client.get(url).content.decode()
    assert 'name="text"' not in html


def test_non_staff_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
