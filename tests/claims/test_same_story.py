"""Near-duplicates across outlets (wire copy republished, lightly edited) are linked as "same
story", shown on the article page to those who may see both (issue #16, part 3)."""

import pytest
from django.urls import reverse

from annotations.labelling.projects import membership_set, project_create
from claims.importing import ArticleInput
from claims.models import Article, SameStory
from claims.services.import_batches import articles_import_batch
from tests.factories import UserFactory
from tests.versions import OTHER_STORY, REPUBLISHED, WIRE

pytestmark = pytest.mark.django_db


def imported(text, outlet, title="Minister vows to hold the line"):
    record = ArticleInput(title=title, text=text, source_name="x", outlet=outlet)
    return articles_import_batch(records=[record], name=outlet, extract=False).articles[0].article


def test_republished_wire_copy_is_linked_both_ways_and_other_stories_are_not():
    wire = imported(WIRE, "Wire")
    copy = imported(REPUBLISHED, "Daily")
    other = imported(OTHER_STORY, "Daily", title="Rates on hold")

    links = set(SameStory.objects.values_list("article_id", "other_id"))
    assert links == {(wire.id, copy.id), (copy.id, wire.id)}
    assert 0.5 <= SameStory.objects.get(article=copy).similarity < 1.0
    assert not SameStory.objects.filter(article=other).exists()


def test_a_new_version_is_not_linked_to_its_own_earlier_version():
    first = imported(WIRE, "Wire")
    second = imported(WIRE.replace("in May", "in June"), "Wire")
    assert second.lineage == first
    assert not SameStory.objects.exists()


def test_the_article_page_lists_the_same_story_only_from_articles_the_reader_may_see(
    client, django_assert_max_num_queries
):
    wire = imported(WIRE, "Wire")
    copy = imported(REPUBLISHED, "Daily", title="Army will hold the east, minister says")
    hidden = imported(REPUBLISHED.replace("Updated 10:45.", "Breaking."), "Secret Outlet")
    reader = UserFactory()
    project = project_create(name="Framing", created_by=UserFactory())
    membership_set(project=project, user=reader, role="annotator")
    project.articles.add(wire, copy)
    assert SameStory.objects.filter(article=wire).count() == 2
    client.force_login(reader)

    with django_assert_max_num_queries(9):
        page = client.get(reverse("claims:article-detail", args=[wire.id])).content.decode()

    assert "Same story" in page
    assert "Army will hold the east, minister says" in page and "Daily" in page
    assert f'href="{reverse("claims:article-detail", args=[hidden.id])}"' not in page
    assert "Secret Outlet" not in page


def test_short_texts_get_no_fingerprint():
    article = imported("The minister said talks would resume.", "Wire")
    assert not Article.objects.filter(id=article.id, fingerprint__isnull=False).exists()
