"""Importing by URL, feed and HTML file, against a local HTTP server: what a page yields, and
every refusal as a clear per-URL reason with nothing half-written (issue #16, part 1)."""

import ipaddress
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Membership
from claims.fetching import FetchError, address_refusal, forget_robots, resolve_public
from claims.models import Article, ImportBatch, ImportItem
from tests.factories import MembershipFactory, UserFactory
from tests.http_server import Reply, serving

pytestmark = pytest.mark.django_db

Status = ImportItem.Status
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}


def article_page(
    title: str, paragraphs: list[str], *, canonical: str = "", site: str = "Daily Planet"
) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html><head><title>{title} | {site}</title>{link}
<meta property="og:site_name" content="{site}"><meta name="author" content="Lois Lane">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{body}</article>
<footer>© Daily Planet. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>""".encode()


SPEECH = [
    "“We will not give up an inch of the eastern front,” the defence minister said on "
    "Tuesday, adding that talks could resume once the shelling stopped.",
    "Officials said that supplies were low and that the winter would be hard for everyone "
    "living in the border region, according to a statement from the regional council.",
    "The mayor said that the bridge over the river would reopen in May after repairs.",
]


def rss(*links: tuple[str, str]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        "<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>"
        for title, link in links
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>World</title>'
        f"<link>http://example.org/</link><description>News</description>{items}</channel></rss>"
    ).encode()


@pytest.fixture(autouse=True)
def fetch_settings(settings):
    settings.FETCH_ALLOW_PRIVATE = True  # the test server listens on loopback
    settings.FETCH_HOST_DELAY_SECONDS = 0
    settings.FETCH_TIMEOUT_SECONDS = 5
    settings.CELERY_BROKER_URL = ""
    forget_robots()
    yield
    forget_robots()


@pytest.fixture
def server():
    with serving() as running:
        yield running


@pytest.fixture
def manager(client):
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    client.force_login(membership.user)
    return membership


def import_urls(client, manager, *urls) -> ImportBatch:
    """Through the import page; without a broker the batch is stored after the response."""
    response = client.post(
        reverse("claims:article-import"),
        {"urls": "\n".join(urls), "project": manager.project_id},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.order_by("id").last()


def outcome(batch) -> list[tuple[str, str]]:
    return list(batch.items.order_by("position").values_list("status", "reason"))


def test_a_page_by_url_becomes_an_article_with_its_metadata(client, manager, server):
    url = server.add(
        "/2024/minister",
        Reply(
            body=article_page(
                "Minister speaks", SPEECH, canonical="https://news.example.org/2024/minister"
            ),
            headers=HTML,
        ),
    )
    batch = import_urls(client, manager, url)

    article = Article.objects.get()
    assert outcome(batch) == [(Status.CREATED, "")]
    assert article.title == "Minister speaks"
    assert article.text.startswith("“We will not give up an inch")
    assert "Subscribe to our newsletter" not in article.text and "Home" not in article.text
    assert article.url == "https://news.example.org/2024/minister"  # the canonical URL
    assert article.author == "Lois Lane"
    assert article.outlet.name == "Daily Planet"
    assert article.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert article.source_name == url
    assert list(manager.project.articles.all()) == [article]
    assert article.extraction_status == Article.ExtractionStatus.DONE
    assert article.quotes.exists()
    assert server.paths() == ["/robots.txt", "/2024/minister"]
    assert server.hits[-1].user_agent.startswith("Claimlab/")


def test_a_feed_imports_each_of_its_entries(client, manager, server):
    first = server.add("/a", Reply(body=article_page("First story", SPEECH), headers=HTML))
    second = server.add("/b", Reply(body=article_page("Second story", SPEECH[1:]), headers=HTML))
    feed = server.add(
        "/feed.xml", Reply(body=rss(("First", first), ("Second", second)), headers=RSS)
    )

    batch = import_urls(client, manager, feed)

    items = list(batch.items.order_by("position"))
    assert [(i.status, i.source_name) for i in items] == [
        (Status.FEED, feed),
        (Status.CREATED, first),
        (Status.CREATED, second),
    ]
    assert items[0].reason == "a feed of 2 entries: 2 new URL(s) queued"
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "First story",
        "Second story",
    ]


def test_an_html_file_upload_is_read_like_a_page(client, manager):
    upload = SimpleUploadedFile(
        "saved.html",
        article_page("Saved page", SPEECH, canonical="https://news.example.org/saved"),
        content_type="text/html",
    )
    response = client.post(
        reverse("claims:article-import"), {"files": [upload], "project": manager.project_id}
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.url, article.source_name) == (
        "Saved page",
        "https://news.example.org/saved",
        "saved.html",
    )


def test_a_page_without_article_text_is_refused_with_the_reason(client, manager, server):
    gallery = b'<html><head><title>Photos</title></head><body><img src="a.jpg"></body></html>'
    url = server.add("/gallery", Reply(body=gallery, headers=HTML))
    batch = import_urls(client, manager, url)
    assert outcome(batch) == [(Status.FAILED, "no article text found in the page")]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("path", "reply", "reason", "retryable"),
    [
        ("/missing", Reply(404, b"gone"), "HTTP 404 from", False),
        ("/busy", Reply(503, b"busy"), "HTTP 503 from", True),
        (
            "/report.pdf",
            Reply(body=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"}),
            "not an HTML page or a feed (Content-Type application/pdf)",
            False,
        ),
        (
            "/huge",
            Reply(body=b"<html>" + b"x" * 3000, headers=HTML),
            "the response is larger than 2,000 bytes (FETCH_MAX_BYTES)",
            False,
        ),
        (
            "/huge-streamed",
            Reply(body=b"<html>" + b"x" * 3000, headers=HTML, content_length=False),
            "the response is larger than 2,000 bytes (FETCH_MAX_BYTES)",
            False,
        ),
        (
            "/slow",
            Reply(body=b"<html></html>", headers=HTML, delay=2),
            "timed out after 0.5 s (FETCH_TIMEOUT_SECONDS)",
            True,
        ),
        (
            "/to-metadata",
            Reply(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
            "169.254.169.254 is a link-local address",
            False,
        ),
        (
            "/to-ftp",
            Reply(301, headers={"Location": "ftp://127.0.0.1/file"}),
            "only http and https URLs are fetched, not 'ftp'",
            False,
        ),
    ],
)
def test_each_refusal_is_a_clear_reason_for_that_url_and_nothing_is_written(
    client, manager, server, settings, path, reply, reason, retryable
):
    settings.FETCH_MAX_BYTES = 2000
    settings.FETCH_TIMEOUT_SECONDS = 0.5
    good = server.add("/good", Reply(body=article_page("Good one", SPEECH), headers=HTML))
    bad = server.add(path, reply)

    batch = import_urls(client, manager, bad, good)

    failed, stored = batch.items.order_by("position")
    assert failed.status == Status.FAILED and reason in failed.reason
    assert failed.retryable is retryable and failed.article is None
    assert stored.status == Status.CREATED  # the next URL of the batch is not held up
    assert list(Article.objects.values_list("title", flat=True)) == ["Good one"]
    page = client.get(reverse("claims:batch-detail", args=[batch.id])).content.decode()
    assert "1 not imported" in page


def test_redirects_are_followed_when_every_hop_is_allowed(client, manager, server):
    target = server.add("/story", Reply(body=article_page("Moved story", SPEECH), headers=HTML))
    moved = server.add("/old-story", Reply(301, headers={"Location": "/story"}))
    batch = import_urls(client, manager, moved)
    assert outcome(batch) == [(Status.CREATED, "")]
    assert Article.objects.get().url == target  # no canonical link: the final address


def test_too_many_redirects_are_refused(client, manager, server, settings):
    settings.FETCH_MAX_REDIRECTS = 2
    server.add("/loop", Reply(302, headers={"Location": "/loop"}))
    batch = import_urls(client, manager, server.url + "/loop")
    assert outcome(batch) == [(Status.FAILED, "more than 2 redirects (FETCH_MAX_REDIRECTS)")]


def test_robots_txt_is_obeyed(client, manager, server):
    server.add(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
    )
    hidden = server.add("/private/memo", Reply(body=article_page("Memo", SPEECH), headers=HTML))
    batch = import_urls(client, manager, hidden)
    assert outcome(batch) == [
        (Status.FAILED, "robots.txt of 127.0.0.1 disallows fetching this page")
    ]
    assert "/private/memo" not in server.paths()


def test_loopback_is_refused_unless_fetch_allow_private_is_set(client, manager, server, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    url = server.add("/a", Reply(body=article_page("Local", SPEECH), headers=HTML))
    batch = import_urls(client, manager, url, url.replace("127.0.0.1", "localhost") + "?x")
    reasons = [reason for _status, reason in outcome(batch)]
    assert all("is a loopback address (set FETCH_ALLOW_PRIVATE=true" in r for r in reasons)
    assert server.hits == []  # refused before any connection
    assert not Article.objects.exists()


def test_urls_that_are_not_http_are_refused_when_staged(client, manager):
    batch = import_urls(
        client, manager, "ftp://example.org/x", "javascript:alert(1)", "file:///etc/passwd"
    )
    assert outcome(batch) == [(Status.FAILED, "not a valid http(s) URL")] * 3


def test_each_host_waits_its_politeness_delay_between_requests(client, manager, server, settings):
    settings.FETCH_HOST_DELAY_SECONDS = 0.4
    first = server.add("/a", Reply(body=article_page("First", SPEECH), headers=HTML))
    second = server.add("/b", Reply(body=article_page("Second", SPEECH[1:]), headers=HTML))
    import_urls(client, manager, first, second)
    times = [hit.at for hit in server.hits]  # robots.txt, /a, /b
    assert len(times) == 3, server.paths()
    # Requests leave 0.4 s apart; their arrival here may vary by a few milliseconds.
    assert all(later - earlier >= 0.3 for earlier, later in pairwise(times))


@pytest.mark.parametrize(
    ("address", "allowed_private", "allowed_public"),
    [
        ("93.184.216.34", True, True),
        ("2606:2800:220:1:248:1893:25c8:1946", True, True),
        ("127.0.0.1", True, False),
        ("::1", True, False),
        ("10.1.2.3", True, False),
        ("172.16.0.1", True, False),
        ("192.168.1.1", True, False),
        ("fd00::1", True, False),
        ("100.64.0.1", False, False),  # shared address space: never public
        ("169.254.169.254", False, False),
        ("fe80::1", False, False),
        ("0.0.0.0", False, False),  # noqa: S104 (an address refused, not one bound)
        ("224.0.0.1", False, False),
        ("::ffff:127.0.0.1", True, False),  # loopback dressed as IPv6
        ("::ffff:169.254.169.254", False, False),
    ],
)
def test_address_policy(address, allowed_private, allowed_public):
    ip = ipaddress.ip_address(address)
    assert (address_refusal(ip, allow_private=True) is None) is allowed_private
    assert (address_refusal(ip, allow_private=False) is None) is allowed_public


def test_the_name_is_resolved_once_and_the_checked_address_is_the_one_used(settings):
    settings.FETCH_ALLOW_PRIVATE = False
    answers = iter(
        [
            [(2, 1, 6, "", ("93.184.216.34", 80))],  # public when checked…
            [(2, 1, 6, "", ("127.0.0.1", 80))],  # …loopback when asked again (rebinding)
        ]
    )

    def resolve(host, port, **kwargs):
        return next(answers)

    assert resolve_public("news.example.org", 80, resolve=resolve) == "93.184.216.34"
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address"):
        resolve_public("news.example.org", 80, resolve=resolve)


def test_the_command_imports_urls_and_a_file_of_urls(server, tmp_path):
    first = server.add("/a", Reply(body=article_page("First", SPEECH), headers=HTML))
    second = server.add("/b", Reply(body=article_page("Second", SPEECH[1:]), headers=HTML))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{second}\n\n", encoding="utf-8")
    call_command("import_articles", "--url", first, "--urls", str(listing), verbosity=0)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First", "Second"]

    with pytest.raises(CommandError, match="1 item"):
        call_command("import_articles", "--url", server.url + "/missing", verbosity=0)


def test_the_api_stages_urls_and_reports_each_outcome(server):
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    api = APIClient()
    api.force_authenticate(membership.user)
    good = server.add("/a", Reply(body=article_page("By API", SPEECH), headers=HTML))

    response = api.post(
        "/api/v1/articles/from-urls/",
        {"urls": [good, server.url + "/missing"], "project": membership.project_id},
        format="json",
    )

    assert response.status_code == 202
    batch_id = response.json()["batch"]["id"]
    assert response.json()["staged"] == 2
    # Without a broker the URLs were fetched once the 202 had been sent.
    items = api.get(f"/api/v1/batches/{batch_id}/items/").json()["results"]
    assert [(i["position"], i["status"]) for i in items] == [(0, "created"), (1, "failed")]
    assert items[1]["reason"].startswith("HTTP 404")
    summary = api.get(f"/api/v1/batches/{batch_id}/").json()
    assert (summary["items"], summary["items_failed"], summary["articles"]) == (2, 1, 1)


def test_the_api_refuses_bad_url_lists_and_outsiders(server):
    api = APIClient()
    api.force_authenticate(UserFactory())
    assert (
        api.post("/api/v1/articles/from-urls/", {"urls": ["x"]}, format="json").status_code == 403
    )
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    api.force_authenticate(membership.user)
    for body in ({"urls": []}, {"urls": "http://a"}, {"urls": ["h" * 3000]}):
        body["project"] = membership.project_id
        assert api.post("/api/v1/articles/from-urls/", body, format="json").status_code == 400
    other = MembershipFactory(role=Membership.Role.MANAGER).user
    batch = ImportBatch.objects.create(name="theirs", created_by=other)
    assert api.get(f"/api/v1/batches/{batch.id}/").status_code == 404
    assert not ImportBatch.objects.exclude(id=batch.id).exists()


def test_a_url_that_failed_for_a_passing_reason_is_fetched_again_on_retry(client, manager, server):
    state = {"calls": 0}

    def flaky() -> Reply:
        state["calls"] += 1
        if state["calls"] == 1:
            return Reply(503, b"busy")
        return Reply(body=article_page("Back up", SPEECH), headers=HTML)

    url = server.add("/flaky", flaky)
    batch = import_urls(client, manager, url)
    assert outcome(batch)[0][0] == Status.FAILED

    client.post(reverse("claims:batch-retry", args=[batch.id]))

    assert outcome(batch) == [(Status.CREATED, "")]
    assert Article.objects.get().title == "Back up"


def test_more_urls_than_one_import_takes_is_a_400_and_nothing_is_staged(client, manager):
    urls = "\n".join(f"https://news.example.org/{n}" for n in range(1001))
    response = client.post(
        reverse("claims:article-import"), {"urls": urls, "project": manager.project_id}
    )
    assert response.status_code == 400
    assert "one import takes at most 1,000" in response.content.decode()
    assert not ImportBatch.objects.exists()
