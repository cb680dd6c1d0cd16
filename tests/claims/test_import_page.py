"""The browser import page: who may import, files and pasted text, bad input, size bound."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotations.models import Membership
from claims.models import Article, ImportBatch, ImportItem
from claims.tasks import process_import_batch
from config.celery import app
from tests.celery_broker import broker_at
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("claims:article-import")
SPEECH = "“We will not give up an inch,” the defence minister said on Tuesday."


def txt_file(name: str, title: str, body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"{title}\n{body}\n".encode(), content_type="text/plain")


def jsonl_file(name: str, *rows) -> SimpleUploadedFile:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    return SimpleUploadedFile(name, "\n".join(lines).encode(), content_type="application/x-ndjson")


@pytest.fixture
def manager(client):
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    client.force_login(membership.user)
    return membership


def test_page_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_annotator_without_a_managed_project_may_not_import(client):
    membership = MembershipFactory(role=Membership.Role.ANNOTATOR)
    client.force_login(membership.user)
    assert client.get(URL).status_code == 403
    response = client.post(
        URL, {"files": [txt_file("a.txt", "T", SPEECH)], "project": membership.project_id}
    )
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_manager_sees_the_form_with_only_their_projects(client, manager):
    other = ProjectFactory(name="Somebody else's project")
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert manager.project.name in body
    assert other.name not in body
    assert 'type="file"' in body and "multiple" in body


def test_two_files_become_one_batch_in_the_project_with_quotes(client, manager):
    files = [
        txt_file("speech.txt", "Minister speaks", SPEECH),
        jsonl_file(
            "feed.jsonl",
            {"title": "A", "text": "“Talks are over,” the envoy said.", "outlet": "Daily"},
            {"title": "B", "text": "The mayor said that the bridge would reopen in May."},
        ),
    ]
    response = client.post(URL, {"files": files, "project": manager.project_id})

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:batch-detail", args=[batch.id])
    assert batch.created_by == manager.user
    assert "speech.txt" in batch.name and "feed.jsonl" in batch.name
    articles = list(batch.articles.order_by("id"))
    assert [a.source_name for a in articles] == ["speech.txt", "feed.jsonl:1", "feed.jsonl:2"]
    assert set(manager.project.articles.all()) == set(articles)
    assert [(i.status, i.article) for i in batch.items.order_by("position")] == [
        (ImportItem.Status.CREATED, article) for article in articles
    ]
    # No broker configured: the batch was stored and extracted right after the response.
    assert {a.extraction_status for a in articles} == {Article.ExtractionStatus.DONE}
    assert articles[0].quotes.count() >= 1
    page = client.get(response.url).content.decode()
    assert "Import started: 3 record(s) and 0 URL(s)." in page
    assert page.count("New article") == 3


def test_pasted_text_with_a_title_is_imported(client, manager):
    response = client.post(
        URL, {"title": "Pasted", "text": SPEECH, "project": manager.project_id, "name": "Mine"}
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.source_name, article.batch.name) == (
        "Pasted",
        "pasted text",
        "Mine",
    )


def test_bad_lines_and_files_are_reported_and_the_rest_imports(client, manager):
    files = [
        jsonl_file(
            "feed.jsonl",
            {"title": "Good", "text": SPEECH},
            "{not json",
            {"title": "No text"},
            {"title": "Bad date", "text": "Some text here.", "published_at": "yesterday"},
        ),
        SimpleUploadedFile("binary.txt", b"\x00\x01\x02title\nbody"),
        SimpleUploadedFile("notes.pdf", b"%PDF-1.4"),
    ]
    response = client.post(URL, {"files": files, "project": manager.project_id}, follow=True)

    assert response.status_code == 200
    assert list(Article.objects.values_list("title", flat=True)) == ["Good"]
    # Every problem stays on the batch page, item by item, with its reason.
    failed = dict(
        ImportItem.objects.filter(status=ImportItem.Status.FAILED).values_list(
            "source_name", "reason"
        )
    )
    assert set(failed) == {
        "feed.jsonl:2",
        "feed.jsonl:3",
        "feed.jsonl:4",
        "binary.txt",
        "notes.pdf",
    }
    page = response.content.decode()
    assert "5 not imported" in page
    assert "malformed JSON" in page
    assert "missing the &#x27;text&#x27; field" in page
    assert "published_at &#x27;yesterday&#x27;" in page
    assert "the file is binary" in page
    assert "unsupported file type .pdf" in page


def test_nothing_valid_is_a_400_with_the_reasons_and_no_batch(client, manager):
    files = [SimpleUploadedFile("empty.txt", b"   "), jsonl_file("x.jsonl", "[1, 2]")]
    response = client.post(URL, {"files": files, "project": manager.project_id})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "empty.txt" in page and "the file is empty" in page
    assert "x.jsonl:1" in page and "each line must be a JSON object" in page
    assert not ImportBatch.objects.exists()
    assert not Article.objects.exists()


def test_an_empty_form_is_a_400(client, manager):
    response = client.post(URL, {"project": manager.project_id})
    assert response.status_code == 400
    assert "Choose one or more files, or paste" in response.content.decode()


@pytest.mark.parametrize("project", ["other", "999999", "x", ""])
def test_project_must_be_one_the_manager_manages(client, manager, project):
    other = ProjectFactory()
    value = str(other.id) if project == "other" else project
    response = client.post(URL, {"files": [txt_file("a.txt", "T", SPEECH)], "project": value})
    assert response.status_code == 400
    assert not Article.objects.exists()
    assert not other.articles.exists()


def test_staff_may_import_without_a_project(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(URL, {"files": [txt_file("a.txt", "Staff import", SPEECH)]})
    assert response.status_code == 302
    assert Article.objects.get().title == "Staff import"


def test_an_upload_over_the_limit_is_refused_with_413_and_nothing_written(
    client, manager, settings
):
    settings.IMPORT_MAX_BYTES = 2000
    big = txt_file("big.txt", "Big", SPEECH * 40)
    response = client.post(URL, {"files": [big], "project": manager.project_id})
    assert response.status_code == 413
    page = response.content.decode()
    assert "one import takes at most 2 KB (IMPORT_MAX_BYTES)" in page
    assert "Split the files" in page
    assert not Article.objects.exists()
    assert not ImportBatch.objects.exists()


def test_post_without_csrf_token_is_refused(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager.user)
    response = client.post(
        URL, {"files": [txt_file("a.txt", "T", SPEECH)], "project": manager.project_id}
    )
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_importing_the_same_text_again_adds_nothing(client, manager):
    data = {"files": [txt_file("a.txt", "T", SPEECH)], "project": manager.project_id}
    client.post(URL, data)
    response = client.post(
        URL, {"files": [txt_file("a.txt", "T", SPEECH)], "project": manager.project_id}
    )
    assert response.status_code == 302
    assert Article.objects.count() == 1
    second = ImportBatch.objects.order_by("id").last()
    item = second.items.get()
    assert (item.status, item.article) == (ImportItem.Status.EXISTING, Article.objects.get())
    assert "Already present" in client.get(response.url).content.decode()


def test_titles_and_file_names_are_escaped(client, manager):
    upload = txt_file("<b>x</b>.txt", "<script>alert(1)</script>", SPEECH)
    response = client.post(URL, {"files": [upload], "project": manager.project_id}, follow=True)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


BROKER = "redis://127.0.0.1:6379/13"


@pytest.fixture
def broker(settings):
    with broker_at(settings, BROKER) as connection:
        yield connection


def test_with_a_broker_the_batch_is_queued_and_its_articles_then_wait_together(
    client, manager, broker, django_capture_on_commit_callbacks
):
    files = [
        jsonl_file("feed.jsonl", {"title": "A", "text": SPEECH}, {"title": "B", "text": SPEECH[1:]})
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"files": files, "project": manager.project_id})
    assert response.status_code == 302
    # The request only staged the records and queued one task for the whole batch.
    assert not Article.objects.exists()
    assert broker.llen(app.conf.task_default_queue) == 1
    batch = ImportBatch.objects.get()
    assert list(batch.items.values_list("status", flat=True)) == ["staged", "staged"]

    with django_capture_on_commit_callbacks(execute=True):
        process_import_batch.apply(args=[batch.id])
    assert (
        broker.llen(app.conf.task_default_queue) == 1 + 1
    )  # one extraction task for the chunk of both
    statuses = set(Article.objects.values_list("extraction_status", flat=True))
    assert statuses == {Article.ExtractionStatus.PENDING}


def selected_project(html: str) -> str:
    """The value of the project option the page selects ('' for none)."""
    start = html.index('<select name="project"')
    select = html[start : html.index("</select>", start)]
    for option in select.split("<option")[1:]:
        if " selected" in option.split(">", 1)[0]:
            return option.split('value="', 1)[1].split('"', 1)[0]
    return ""


def test_the_project_asked_for_is_chosen(client, manager):
    other = ProjectFactory()
    MembershipFactory(project=other, user=manager.user, role=Membership.Role.MANAGER)
    for project in (manager.project, other):
        html = client.get(URL, {"project": project.id}).content.decode()
        assert selected_project(html) == str(project.id)


@pytest.mark.parametrize("asked", ["", "abc", "-1", "999999", "a project I do not manage"])
def test_with_several_projects_none_is_chosen_unless_asked_for(client, manager, asked):
    not_mine = ProjectFactory()
    MembershipFactory(project=ProjectFactory(), user=manager.user, role=Membership.Role.MANAGER)
    asked = str(not_mine.id) if asked == "a project I do not manage" else asked
    response = client.get(URL, {"project": asked})
    assert response.status_code == 200
    html = response.content.decode()
    assert selected_project(html) == ""
    assert "Choose a project…" in html


def test_a_manager_of_one_project_gets_it_chosen(client, manager):
    assert selected_project(client.get(URL).content.decode()) == str(manager.project.id)
