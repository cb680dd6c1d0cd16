"""Resolve stored quotes' speakers again with the current extractor."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.models import Article
from claims.services.extraction_queue import batch_speakers_resolve_later
from claims.services.speaker_resolution import speakers_resolve_again


class Command(BaseCommand):
    help = (
        "Re-run speaker resolution on stored quotes (after the extractor improved). Quotes a "
        "person edited, rejected or added are left alone, and labels are never touched; "
        "--dry-run prints what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, help="Only the articles of this import batch.")
        parser.add_argument("--article", type=int, action="append", help="Only these articles.")
        parser.add_argument("--dry-run", action="store_true", help="Print, change nothing.")
        parser.add_argument(
            "--skip-labelled",
            action="store_true",
            help="Leave quotes that labels, comments or assignments refer to as they are.",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="With --batch and a broker: send the work to a Celery worker instead.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, batch, article, dry_run, skip_labelled, queue, no_progress, **options):
        if queue:
            if batch is None or dry_run or article or not settings.CELERY_BROKER_URL:
                raise CommandError("--queue needs --batch, a broker, and no --dry-run/--article.")
            batch_speakers_resolve_later(batch_id=batch, skip_labelled=skip_labelled)
            self.stdout.write(f"Queued speaker resolution of batch {batch} for a worker.")
            return
        articles = Article.objects.all()
        if batch is not None:
            articles = articles.filter(batch_id=batch)
        if article:
            articles = articles.filter(id__in=article)
        total = articles.count()
        if not total:
            raise CommandError("No articles match.")
        with tqdm(total=total, unit="article", file=sys.stderr, disable=no_progress or None) as bar:
            changes = speakers_resolve_again(
                articles=articles,
                dry_run=dry_run,
                skip_labelled=skip_labelled,
                progress=bar.update,
            )
        for change in changes:
            flag = " [labelled]" if change.labelled else ""
            self.stdout.write(
                f"quote {change.quote_id} (article {change.article_id}, “{change.mention}”): "
                f"{change.before or '(none)'} -> {change.after or '(none)'}{flag}"
            )
        verb = "would change" if dry_run else "changed"
        labelled = sum(change.labelled for change in changes)
        self.stdout.write(
            f"{total} article(s): {verb} {len(changes)} speaker(s), {labelled} on labelled quotes."
        )
