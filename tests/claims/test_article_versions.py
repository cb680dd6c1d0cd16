"""An edited article becomes a version: quotes carried over with their labels, gold, comments
and fixes; changed ones flagged, vanished ones kept out of the queue (issue #16, part 2).

Runs on SQLite and PostgreSQL (the suite runs on both)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from annotations.labelling.queue import assign_next_quote
from annotations.labelling.scope import quotes_in_project
from annotations.models import Comment, Gold, Label, Membership
from claims.importing import ArticleInput
from claims.models import Article, ImportItem, Quote, QuoteEdit
from claims.services.articles import article_import
from claims.services.import_batches import articles_import_batch
from claims.services.quotes import quote_update
from tests.factories import ArticleFactory, MembershipFactory, UserFactory
from tests.versions import (
    LABELS,
    URL,
    V1,
    V2,
    V3,
    import_version,
    labelled_first_version,
    quote_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return labelled_first_version()


def carried(quote):
    quote.refresh_from_db()
    return quote


def test_a_new_text_at_the_same_url_is_a_version_with_its_quotes_carried_over(setup):
    first, project = setup["first"], setup["project"]
    minister, mayor, official = setup["minister"], setup["mayor"], setup["official"]
    labels_before = Label.objects.count()
    minister_text = first.text[minister.content_start : minister.content_end + 1]

    result = import_version(V2)

    second = result.article
    first.refresh_from_db()
    assert (second.version, second.lineage, first.replaced_by) == (2, first, second)
    assert result.created and not first.is_current
    assert second.extraction_status == Article.ExtractionStatus.DONE
    # Unchanged: same id, offsets moved to the new text, the hand fix kept.
    minister = carried(minister)
    assert minister.article == second
    assert second.text[minister.content_start : minister.content_end] == minister_text
    assert minister.changed_in_version is None and minister.edited_at is not None
    assert minister.edits.count() == 1
    # Changed: same id, flagged for review.
    mayor = carried(mayor)
    assert (mayor.article, mayor.changed_in_version) == (second, 2)
    assert mayor.content == "the bridge would reopen in June"
    # Gone: stays on version 1, whose text its offsets index, out of the queue.
    official = carried(official)
    assert (official.article, official.gone_in_version) == (first, 2)
    assert official.content == "Supplies are running low"  # no trailing comma (extractor 2.0)
    # Labels, gold and comments all stayed with their quotes.
    assert Label.objects.count() == labels_before
    assert Gold.objects.get(dimension__key="stance", method="reviewer").quote == minister
    assert Comment.objects.filter(quote=official).exists()
    assert set(Label.objects.values_list("quote_id", flat=True)) == {
        minister.id,
        mayor.id,
        official.id,
    }
    # The new version joined the project; the old one stays for its gone quote.
    assert set(project.articles.all()) == {first, second}
    in_project = set(quotes_in_project(project=project).values_list("id", flat=True))
    assert {minister.id, mayor.id} <= in_project and official.id not in in_project
    # Re-extraction of the new text added nothing over the carried quotes.
    assert second.quotes.count() == 2


def test_a_gone_quote_is_never_handed_out_and_refuses_new_labels(setup):
    project, official = setup["project"], setup["official"]
    import_version(V2)
    newcomer = UserFactory()
    membership_set(project=project, user=newcomer, role=Membership.Role.ANNOTATOR)
    handed = []
    while (quote := assign_next_quote(project=project, annotator=newcomer)) is not None:
        handed.append(quote.id)
        label_save(project=project, quote=quote, annotator=newcomer, labels=LABELS)
    assert official.id not in handed
    with pytest.raises(ValidationError):
        label_save(project=project, quote=official, annotator=newcomer, labels=LABELS)


def test_a_chain_of_versions_keeps_each_quote_where_its_words_are(setup):
    first, minister, mayor, official = (
        setup["first"],
        setup["minister"],
        setup["mayor"],
        setup["official"],
    )
    second = import_version(V2).article
    third = import_version(V3).article

    assert list(Article.objects.of_lineage(third).values_list("version", flat=True)) == [1, 2, 3]
    assert list(Article.objects.current()) == [third]
    minister, mayor, official = carried(minister), carried(mayor), carried(official)
    # v3 changed the minister's words: still the same quote, now flagged.
    assert (minister.article, minister.changed_in_version) == (third, 3)
    assert "one inch" in minister.content
    # The mayor's paragraph went in v3: the quote stays on v2 with its June text.
    assert (mayor.article, mayor.gone_in_version, mayor.changed_in_version) == (second, 3, 2)
    assert mayor.content == "the bridge would reopen in June"
    # The official's quote went in v2 and stays there on v1.
    assert (official.article, official.gone_in_version) == (first, 2)
    assert Label.objects.filter(quote__in=[minister, mayor, official]).count() == 18


def test_importing_an_earlier_versions_text_again_changes_nothing(setup):
    second = import_version(V2).article
    again = import_version(V1)
    assert (again.article, again.created) == (setup["first"], False)
    assert list(Article.objects.current()) == [second]


def test_untouched_extracted_quotes_whose_words_vanish_are_dropped():
    first = import_version(V1).article
    official = quote_with(first, "Supplies are running low")
    import_version(V2)
    assert not Quote.objects.filter(id=official.id).exists()


def test_the_same_outlet_and_title_without_a_url_also_make_a_version():
    records = [ArticleInput(title="Bridge", text=V1, source_name="a.txt", outlet="Daily")]
    first = articles_import_batch(records=records, name="a").articles[0].article
    records = [ArticleInput(title="Bridge", text=V2, source_name="a.txt", outlet="daily")]
    second = articles_import_batch(records=records, name="b").articles[0].article
    assert (second.lineage, second.version) == (first, 2)
    other = [ArticleInput(title="Bridge", text=V3, source_name="a.txt", outlet="Weekly")]
    assert articles_import_batch(records=other, name="c").articles[0].article.version == 1


def test_a_manager_may_not_version_an_article_shared_with_a_project_they_do_not_manage():
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    article = ArticleFactory(url=URL, text=V1)
    membership.project.articles.add(article)
    elsewhere = project_create(name="Elsewhere", created_by=UserFactory())
    elsewhere.articles.add(article)

    with pytest.raises(ValidationError, match="new version of article"):
        article_import(title="Bridge", text=V2, url=URL, importer=membership.user)
    assert Article.objects.count() == 1


def test_an_import_matching_several_articles_is_refused_with_their_ids():
    ArticleFactory(url=URL, text=V1)
    ArticleFactory(url=URL, text=V3)
    with pytest.raises(ValidationError, match="matches several articles"):
        article_import(title="Bridge", text=V2, url=URL)


def test_quotes_of_an_earlier_version_are_not_fixed(setup):
    import_version(V2)
    with pytest.raises(ValidationError, match="replaced by a newer one"):
        quote_update(quote=setup["official"], editor=setup["manager"], kind="direct")


def test_the_import_item_says_what_became_of_the_quotes(setup):
    result = articles_import_batch(
        records=[ArticleInput(title="Bridge", text=V2, source_name="feed", url=URL)], name="v2"
    )
    item = result.batch.items.get()
    assert item.status == ImportItem.Status.VERSION
    assert item.reason == (
        f"version 2 of article {setup['first'].id}: 1 quote(s) unchanged, 1 changed, 1 gone"
    )


# -- pages ----------------------------------------------------------------------------------------
def test_the_article_pages_show_versions_the_diff_and_gone_quotes(
    client, setup, django_assert_max_num_queries
):
    first = setup["first"]
    second = import_version(V2).article
    client.force_login(setup["annotators"][0])

    with django_assert_max_num_queries(9):
        page = client.get(reverse("claims:article-detail", args=[second.id])).content.decode()
    assert 'data-version="1"' in page and 'data-version="2"' in page
    assert "text changed since labelled (v2)" in page
    assert "Gone from the text" in page and "gone in version 2" in page

    old = client.get(reverse("claims:article-detail", args=[first.id])).content.decode()
    assert "This is version 1, replaced by a newer text." in old
    assert "gone in version 2" in old

    with django_assert_max_num_queries(9):
        response = client.get(reverse("claims:article-changes", args=[second.id]))
    changes = response.content.decode()
    assert "<del>May.\n\n“Supplies are running low,” a regional official said</del>" in changes
    assert "<ins>June</ins>." in changes
    assert "<ins>Updated at 14:00 with the mayor&#x27;s new date.\n\n</ins>" in changes
    assert "1 labelled quote with changed words" in changes and "1 gone" in changes
    assert client.get(reverse("claims:article-changes", args=[first.id])).status_code == 404

    listing = client.get(reverse("claims:article-list")).content.decode()
    assert listing.count("Bridge") == 1 and ">v2</span>" in listing


def test_the_diff_escapes_the_text(client):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    import_version("Plain start. The mayor said that the bridge would reopen.")
    second = import_version(
        "Plain start. <script>alert(1)</script> The mayor said that the bridge would reopen."
    ).article
    page = client.get(reverse("claims:article-changes", args=[second.id])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_outsiders_get_a_404_on_the_changes_page(client):
    import_version(V1)
    second = import_version(V2).article
    client.force_login(UserFactory())
    assert client.get(reverse("claims:article-changes", args=[second.id])).status_code == 404


def test_fixing_an_old_versions_quote_through_the_api_is_a_400(setup):
    import_version(V2)
    api = APIClient()
    api.force_authenticate(setup["manager"])
    response = api.patch(
        f"/api/v1/quotes/{setup['official'].id}/", {"kind": "direct"}, format="json"
    )
    assert response.status_code in (400, 404)
    assert not QuoteEdit.objects.filter(quote=setup["official"]).exists()
    with pytest.raises((ValidationError, PermissionDenied)):
        quote_update(quote=setup["official"], editor=setup["manager"], is_rejected=True)


def test_the_review_page_flags_a_quote_whose_words_changed(client, setup):
    project, mayor, second_annotator = setup["project"], setup["mayor"], setup["annotators"][1]
    disagreeing = {**LABELS, "stance": "favor"}
    label_save(project=project, quote=mayor, annotator=second_annotator, labels=disagreeing)
    import_version(V2)
    client.force_login(setup["manager"])
    page = client.get(reverse("annotations:review", args=[project.id])).content.decode()
    assert "text changed since labelled (v2)" in page
