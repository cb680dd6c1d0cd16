"""Untrusted text on the labelling pages — quote, speaker, comments, guidelines — stays inert."""

import pytest
from django.urls import reverse

from annotations.labelling.comments import comment_add
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_update
from claims.models import Speaker
from tests.factories import ArticleFactory, QuoteFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def hostile_project():
    project, _, (a, b) = labelling_project(quotes=0)
    text = f"The mayor said {PAYLOAD} was fine."
    article = ArticleFactory(text=text, title=f"Title {PAYLOAD}")
    project.articles.add(article)
    speaker = Speaker.objects.create(name=f"Evil {PAYLOAD}")
    quote = QuoteFactory(
        article=article, speaker=speaker, content_start=15, content_end=15 + len(PAYLOAD)
    )
    comment_add(project=project, quote=quote, author=a, text=f"Look {PAYLOAD}")
    project_update(
        project=project,
        guidelines=f"# Rules\n\n{PAYLOAD}\n\n[go](javascript:alert(3)) <b onclick=alert(4)>x</b>",
    )
    return project, quote, a, b


def assert_inert(html):
    assert "<script>alert(1)" not in html
    assert "<img src=x onerror" not in html
    assert "onerror=" not in html.replace("onerror=alert(2)&gt;", "")
    assert "javascript:" not in html
    assert "onclick" not in html


def test_annotator_page_escapes_quote_speaker_comment_and_sanitises_guidelines(
    client, hostile_project
):
    project, _, annotator, _ = hostile_project
    client.force_login(annotator)
    html = client.get(reverse("annotations:annotate", args=[project.id])).content.decode()
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # quote, speaker, title, comment
    assert "Evil &lt;script&gt;" in html
    assert "Look &lt;script&gt;" in html
    assert "<h3>Rules</h3>" in html  # the Markdown itself still renders (under the panel's h2)


def test_review_page_escapes_quote_speaker_and_comment(client, hostile_project):
    project, quote, a, b = hostile_project
    label_save(project=project, quote=quote, annotator=a, labels=FULL)
    label_save(project=project, quote=quote, annotator=b, labels={**FULL, "stance": "against"})
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    client.force_login(reviewer)
    html = client.get(reverse("annotations:review", args=[project.id])).content.decode()
    assert f'id="review-{quote.id}"' in html
    assert_inert(html)
    assert "Evil &lt;script&gt;" in html and "Look &lt;script&gt;" in html


def test_a_posted_comment_comes_back_escaped(client, hostile_project):
    project, quote, annotator, _ = hostile_project
    client.force_login(annotator)
    response = client.post(
        reverse("annotations:comment-create", args=[project.id]),
        {"quote": quote.id, "text": f"Again {PAYLOAD}"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Again &lt;script&gt;" in html
    assert_inert(html)
