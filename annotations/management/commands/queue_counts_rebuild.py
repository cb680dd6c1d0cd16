"""Check the queue's counts against assignments, quotes and projects, and repair them."""

from django.core.management.base import BaseCommand, CommandError

from annotations.labelling.queue_counts import queue_counts_check, queue_counts_rebuild


class Command(BaseCommand):
    help = (
        "Check the queue's counts (places held per quote, the projects' totals) against the "
        "assignments, quotes and projects' articles they summarise, and rebuild them where "
        "they differ. Triggers keep them exact; this repairs hand edits or a disabled trigger. "
        "Writers wait while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="Only this project (its id).")
        parser.add_argument(
            "--check", action="store_true", help="Only report differences; exit 1 if any."
        )

    def handle(self, *args, project, check, verbosity, **options):
        report = (queue_counts_check if check else queue_counts_rebuild)(project_id=project)
        for line in report.differences[:50]:
            self.stdout.write(line)
        if len(report.differences) > 50:
            self.stdout.write(f"… and {len(report.differences) - 50} more")
        scope = f"project {project}" if project is not None else "all projects"
        if report.exact:
            self.stdout.write(f"Queue counts exact for {scope} ({report.count_rows} quote rows).")
        elif check:
            raise CommandError(f"{len(report.differences)} difference(s) in {scope}.")
        else:
            self.stdout.write(
                f"Rebuilt the queue counts of {scope}: {len(report.differences)} difference(s) "
                f"repaired ({report.count_rows} quote rows)."
            )
