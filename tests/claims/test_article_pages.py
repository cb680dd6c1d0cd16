"""The article list and article page: who sees what, what is shown, and that text is escaped."""

import pytest
from django.urls import reverse

from annotations.labelling.projects import membership_set, project_create
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def project_with(user, articles):
    project = project_create(name="P", created_by=UserFactory())
    membership_set(project=project, user=user, role="annotator")
    project.articles.add(*articles)
    return project


def test_pages_require_login(client):
    article = ArticleFactory()
    for url in [
        reverse("claims:article-list"),
        reverse("claims:article-detail", args=[article.id]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_list_shows_title_outlet_date_and_quote_count(client, member):
    article = ArticleFactory(title="Talks resume", published_at="2024-05-02T08:00:00Z")
    for start in (0, 10, 20):
        QuoteFactory(article=article, content_start=start, content_end=start + 5)
    project_with(member, [article])
    html = client.get(reverse("claims:article-list")).content.decode()
    assert "Talks resume" in html
    assert article.outlet.name in html
    assert "2 May 2024" in html
    assert '<td class="num">3</td>' in html


def test_non_member_sees_no_articles_and_gets_404_on_one(client, member):
    article = ArticleFactory(title="Secret article")
    project_with(UserFactory(), [article])
    assert "Secret article" not in client.get(reverse("claims:article-list")).content.decode()
    assert client.get(reverse("claims:article-detail", args=[article.id])).status_code == 404


def test_unknown_article_is_404(client, member):
    assert client.get(reverse("claims:article-detail", args=[999999])).status_code == 404


def test_article_page_marks_quotes_speakers_and_cues(client, member):
    text = "Mayor Smith said the road would reopen."
    article = ArticleFactory(text=text)
    QuoteFactory(
        article=article,
        kind="indirect",
        content_start=text.index("the road"),
        content_end=len(text) - 1,
        speaker=SpeakerFactory(name="John Smith"),
        speaker_start=0,
        speaker_end=11,
        cue_start=12,
        cue_end=16,
    )
    project_with(member, [article])
    html = client.get(reverse("claims:article-detail", args=[article.id])).content.decode()
    assert '<span class="speaker" data-quotes=' in html and ">Mayor Smith</span>" in html
    assert '<span class="cue"' in html and ">said</span>" in html
    assert '<span class="q q-indirect"' in html and ">the road would reopen</span>" in html
    assert "John Smith" in html


def test_article_text_title_and_speaker_are_html_escaped(client, member):
    payload = '<script>alert("x")</script>'
    text = f"He said {payload} loudly."
    article = ArticleFactory(title=f"Title {payload}", text=text)
    QuoteFactory(
        article=article,
        content_start=8,
        content_end=8 + len(payload),
        speaker=SpeakerFactory(name=f"Evil {payload}"),
    )
    project_with(member, [article])
    for url in [
        reverse("claims:article-list"),
        reverse("claims:article-detail", args=[article.id]),
    ]:
        html = client.get(url).content.decode()
        assert payload not in html
        assert "&lt;script&gt;" in html


def test_list_query_count_does_not_grow_with_articles(
    client, member, django_assert_max_num_queries
):
    articles = ArticleFactory.create_batch(30)
    for article in articles:
        QuoteFactory(article=article)
    project_with(member, articles)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("claims:article-list"))
    assert response.status_code == 200


def test_article_page_query_count_does_not_grow_with_quotes(
    client, member, django_assert_max_num_queries
):
    article = ArticleFactory(text="x" * 500)
    for start in range(0, 400, 10):
        QuoteFactory(article=article, content_start=start, content_end=start + 5)
    project_with(member, [article])
    with django_assert_max_num_queries(5):
        response = client.get(reverse("claims:article-detail", args=[article.id]))
    assert response.status_code == 200
    assert response.content.decode().count('class="quote-item') == 40


def test_staff_see_every_article(client):
    staff = UserFactory(is_superuser=True)
    client.force_login(staff)
    ArticleFactory(title="Unassigned article")
    assert "Unassigned article" in client.get(reverse("claims:article-list")).content.decode()
