"""Queue extraction again for failed articles and those whose task was lost, and take up
import batches whose staged items were left waiting."""

from django.core.management.base import BaseCommand, CommandError

from claims.models import Article, ImportBatch
from claims.services.extraction_queue import extraction_requeue
from claims.services.import_batches import import_batch_resume


class Command(BaseCommand):
    help = (
        "Queue quote extraction again for failed articles and for articles pending or running "
        "with no change for --stale-minutes (their task was lost: a killed worker, a flushed "
        "broker). Import batches whose staged records or URLs waited that long are stored "
        "again. With CELERY_BROKER_URL set the work goes to the workers; without, it runs here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=30,
            help="Pending or running this long without a change counts as stuck (default 30).",
        )
        parser.add_argument("--batch", type=int, help="Only the articles of this import batch.")
        parser.add_argument(
            "--no-failed", action="store_true", help="Leave failed articles alone; only stuck ones."
        )

    def handle(self, *args, stale_minutes, batch, no_failed, verbosity, **options):
        if stale_minutes < 0:
            raise CommandError("--stale-minutes must be 0 or more.")
        articles, batches = Article.objects.all(), ImportBatch.objects.all()
        if batch is not None:
            if not 0 < batch < 2**63 or not ImportBatch.objects.filter(id=batch).exists():
                raise CommandError(f"No import batch {batch}.")
            articles, batches = articles.filter(batch_id=batch), batches.filter(id=batch)
        resumed = import_batch_resume(batches=batches, stale_minutes=stale_minutes)
        requeued = extraction_requeue(
            articles=articles, stale_minutes=stale_minutes, failed=not no_failed
        )
        if verbosity:
            if resumed:
                self.stdout.write(f"Took up {len(resumed)} import batch(es) left waiting.")
            self.stdout.write(f"Queued extraction again for {len(requeued)} article(s).")
