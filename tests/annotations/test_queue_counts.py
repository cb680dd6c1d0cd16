"""The queue's counts (QueueCount, QueueTotal) stay equal to what their sources say, whoever
writes — services, plain ORM writes as the admin makes them, scope and corpus changes — and
`manage.py queue_counts_rebuild` finds and repairs what was changed behind the triggers' back."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from annotations.labelling.labels import label_save
from annotations.labelling.people import annotator_labels_erase, user_deactivate
from annotations.labelling.progress import annotator_progress, project_progress
from annotations.labelling.queue import assign_next_quote, assignment_skip, label_undo_last
from annotations.labelling.queue_counts import queue_counts_check, queue_counts_rebuild
from annotations.labelling.scope import quotes_in_project
from annotations.models import Assignment, QueueAnnotatorCount, QueueCount, QueueTotal
from claims.extraction import ExtractedQuote, TextSpan
from claims.models import Quote
from claims.services.extraction_runs import quotes_store_extracted
from tests.concurrency import run_in_threads
from tests.factories import ArticleFactory, QuoteFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def extracted_quote(text: str, start: int, end: int) -> ExtractedQuote:
    return ExtractedQuote(
        kind="indirect",
        content=TextSpan(start, end, text[start:end]),
        cue=None,
        speaker_mention=None,
        speaker="Alpha Person",
        speaker_kind="person",
        speaker_description="",
        confidence=0.9,
    )


def assert_exact():
    report = queue_counts_check()
    assert report.differences == []


def test_counts_follow_the_labelling_services():
    project, _, (a, b, c) = labelling_project(quotes=6, annotators=3, k=2)
    assert_exact()
    for person in (a, b, c):
        quote = assign_next_quote(project=project, annotator=person)
        label_save(project=project, quote=quote, annotator=person, labels=FULL)
    quote = assign_next_quote(project=project, annotator=a)
    assignment_skip(project=project, annotator=a, quote=quote)
    assign_next_quote(project=project, annotator=b)
    label_undo_last(project=project, annotator=c)
    assert_exact()
    annotator_labels_erase(project=project, annotator=c)
    user_deactivate(user=b)
    assert_exact()


def test_counts_follow_plain_writes_scope_and_corpus_changes():
    project, quotes, (a, b) = labelling_project(quotes=5, k=2)
    other, other_quotes, _ = labelling_project(quotes=2, k=1)
    # Assignments written as the admin writes them, in every status, moved between quotes.
    first = Assignment.objects.create(project=project, quote=quotes[0], annotator=a)
    Assignment.objects.create(project=project, quote=quotes[0], annotator=b, status="submitted")
    Assignment.objects.create(project=project, quote=quotes[1], annotator=a, status="skipped")
    first.status = "submitted"
    first.save()
    first.quote = quotes[2]
    first.save()
    Assignment.objects.filter(quote=quotes[1]).update(status="assigned")
    assert_exact()
    # The project's articles: one joins (with quotes already labelled in it), one leaves.
    project.articles.add(other_quotes[0].article)
    Assignment.objects.create(project=other, quote=other_quotes[1], annotator=a)
    project.articles.remove(quotes[0].article)
    assert_exact()
    project.articles.add(quotes[0].article)  # back, with its assignments counted again
    assert_exact()
    # The corpus: quotes added, moved, rejected, deleted (re-extraction), an article deleted.
    QuoteFactory(article=quotes[0].article, content_start=0, content_end=3)
    Quote.objects.filter(pk=quotes[3].pk).update(content_start=1, is_rejected=True)
    article = quotes[0].article
    quotes_store_extracted(article=article, extracted=[extracted_quote(article.text, 0, 3)])
    assert_exact()
    # k changes, and a whole project goes.
    project.annotators_per_quote = 1
    project.save()
    other.delete()
    assert_exact()


def test_articles_and_quotes_in_bulk_keep_every_count_exact():
    # One statement adding or removing many articles (the settings page's "all articles"), with
    # labelled, skipped, held and rejected quotes among them, and quotes in bulk: the counts
    # are summed per statement on PostgreSQL (migration 0006), per row on SQLite.
    project, _, (a, b) = labelling_project(quotes=6, k=2)
    other, other_quotes, (c,) = labelling_project(quotes=4, annotators=1, k=1)
    articles = ArticleFactory.create_batch(30)
    for article in articles:
        for start in (0, 3, 6):
            QuoteFactory(article=article, content_start=start, content_end=start + 2)
    Assignment.objects.create(
        project=project, quote=other_quotes[0], annotator=a, status="submitted"
    )
    Assignment.objects.create(project=project, quote=other_quotes[1], annotator=b, status="skipped")
    Assignment.objects.create(project=project, quote=other_quotes[2], annotator=a)
    label_save(
        project=other, quote=assign_next_quote(project=other, annotator=c), annotator=c, labels=FULL
    )
    Quote.objects.filter(pk=other_quotes[3].pk).update(is_rejected=True)
    project.articles.add(*articles, *{quote.article for quote in other_quotes})
    assert_exact()
    Quote.objects.bulk_create(
        Quote(article=article, kind="direct", content_start=1, content_end=4)
        for article in articles
    )
    assert_exact()
    project.articles.remove(*articles[:20], *{quote.article for quote in other_quotes})
    assert_exact()
    Quote.objects.filter(article__in=articles[20:], content_start=1, content_end=4).delete()
    project.annotators_per_quote = 1
    project.save()
    assert_exact()
    assert project_progress(project=project).quotes == quotes_in_project(project=project).count()


def test_an_article_deleted_with_its_quotes_takes_its_rows():
    project, _, _ = labelling_project(quotes=2)
    extra = ArticleFactory()
    project.articles.add(extra)
    QuoteFactory(article=extra, content_start=0, content_end=4)
    extra.delete()
    assert_exact()
    assert QueueCount.objects.filter(project=project).count() == 2


def test_progress_read_from_the_totals_matches_the_rule_after_k_changes():
    project, quotes, (a, b) = labelling_project(quotes=4, k=2)
    for person in (a, b):
        label_save(project=project, quote=quotes[0], annotator=person, labels=FULL)
    label_save(project=project, quote=quotes[1], annotator=a, labels=FULL)
    progress = project_progress(project=project)
    assert (progress.quotes, progress.done, progress.quotes_complete) == (4, 3, 1)
    project.annotators_per_quote = 1
    project.save()
    progress = project_progress(project=project)
    assert (progress.quotes, progress.done, progress.quotes_complete) == (4, 2, 2)
    assert annotator_progress(project=project, annotator=b).available == 1 + 2  # q0 + q2, q3


def test_abandoned_assignments_count_until_the_next_queue_call_gives_them_up():
    project, quotes, (a, b) = labelling_project(quotes=1, k=1)
    assign_next_quote(project=project, annotator=a)
    assert assign_next_quote(project=project, annotator=b) is None
    long_ago = datetime.timedelta(minutes=project.assignment_timeout_minutes + 1)
    Assignment.objects.filter(annotator=a).update(assigned_at=timezone.now() - long_ago)
    assert annotator_progress(project=project, annotator=b).available == 0  # still held
    assert assign_next_quote(project=project, annotator=b) == quotes[0]
    assert_exact()


def test_a_quote_in_a_project_stays_open_to_re_extraction():
    """The counts are not a reference to the quote: an untouched quote of a project is still
    updated (or dropped) by re-extraction, as before."""
    _, (quote,), _ = labelling_project(quotes=1)
    article = quote.article
    quotes_store_extracted(article=article, extracted=[extracted_quote(article.text, 0, 5)])
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert_exact()


@pytest.mark.django_db(transaction=True)
def test_a_corpus_import_rebuilds_the_counts_it_does_not_carry(tmp_path):
    project, quotes, (a, b) = labelling_project(quotes=3)
    for person in (a, b):
        label_save(project=project, quote=quotes[0], annotator=person, labels=FULL)
    assign_next_quote(project=project, annotator=a)
    before = sorted(QueueCount.objects.values_list("quote_id", "held", "submitted"))
    out = tmp_path / "corpus.jsonl"
    call_command("export_corpus", str(out), verbosity=0)
    assert "annotations.queuecount" not in out.read_text(encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)

    call_command("import_corpus", str(out), verbosity=0)

    assert sorted(QueueCount.objects.values_list("quote_id", "held", "submitted")) == before
    assert_exact()


def test_rebuild_repairs_hand_edits_and_reports_them(capsys):
    project, quotes, (a, _) = labelling_project(quotes=3)
    label_save(project=project, quote=quotes[0], annotator=a, labels=FULL)
    QueueCount.objects.filter(quote_id=quotes[0].pk).update(held=7)
    QueueCount.objects.filter(quote_id=quotes[1].pk).delete()
    QueueTotal.objects.filter(project=project).update(done=99)
    QueueAnnotatorCount.objects.filter(project=project, annotator_id=a.pk).update(submitted=5)
    report = queue_counts_check(project_id=project.id)
    assert len(report.differences) >= 3

    with pytest.raises(CommandError):
        call_command("queue_counts_rebuild", "--check", "--project", str(project.id))
    call_command("queue_counts_rebuild")
    assert "repaired" in capsys.readouterr().out
    assert_exact()
    assert queue_counts_rebuild().exact
    assert project_progress(project=project).done == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks; SQLite serialises writers, so there is no race",
)
def test_counts_stay_exact_under_concurrent_labelling():
    project, _, annotators = labelling_project(quotes=12, annotators=8, k=2)

    def annotate(annotator):
        for round_number in range(4):
            quote = assign_next_quote(project=project, annotator=annotator)
            if quote is None:
                return
            if (annotator.pk + round_number) % 3 == 0:
                assignment_skip(project=project, annotator=annotator, quote=quote)
            else:
                label_save(project=project, quote=quote, annotator=annotator, labels=FULL)

    run_in_threads(annotate, annotators)
    assert_exact()


def test_counts_follow_article_versions_where_quotes_move_change_and_vanish():
    """A new version carries quotes to another article row and leaves vanished ones behind,
    "gone in version N": gone quotes leave the counts as they leave the queue."""
    from tests.versions import V2, V3, import_version, labelled_first_version

    project = labelled_first_version()["project"]
    import_version(V2)
    assert_exact()
    import_version(V3)
    assert_exact()
    progress = project_progress(project=project)
    assert progress.quotes == quotes_in_project(project=project).count()
