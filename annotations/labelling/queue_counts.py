"""The queue's counts (QueueCount, QueueTotal, QueueAnnotatorCount): checking them against
their sources and rebuilding them.

Database triggers keep them exact (migration 0003); this is the repair for what triggers
cannot see — a trigger dropped or disabled, rows edited by hand, a bug. `manage.py
queue_counts_rebuild` calls it.
"""

from dataclasses import dataclass

from django.db import transaction

from annotations import sql
from annotations.models import QUEUE_TOTAL_SHARDS


@dataclass(frozen=True)
class QueueCountsReport:
    """What differs between the counts and their sources: one line per difference."""

    count_rows: int  # rows the sources call for
    differences: list[str]

    @property
    def exact(self) -> bool:
        return not self.differences


def _expected_totals(expected: list[tuple], ks: dict[int, int]) -> dict[tuple, tuple]:
    """(project, shard) → (k, quotes, open, complete, done), from the expected count rows."""
    totals: dict[tuple, list[int]] = {
        (project, shard): [0, 0, 0, 0] for project in ks for shard in range(QUEUE_TOTAL_SHARDS)
    }
    for project, quote, _, _, rejected, held, submitted in expected:
        if rejected:
            continue
        k = ks[project]
        share = totals[project, quote % QUEUE_TOTAL_SHARDS]
        share[0] += 1
        share[1] += held < k
        share[2] += submitted >= k
        share[3] += min(submitted, k)
    return {key: (ks[key[0]], *values) for key, values in totals.items()}


def queue_counts_check(*, project_id: int | None = None) -> QueueCountsReport:
    """Compare the counts (for one project or all) with what their sources say."""
    expected = sql.queue_counts_expected(project_id=project_id)
    stored = sql.queue_counts_stored(project_id=project_id)
    differences = []
    wanted = {row[:2]: row for row in expected}
    found = {row[:2]: row for row in stored}
    for key in sorted(wanted.keys() | found.keys()):
        if wanted.get(key) != found.get(key):
            differences.append(
                f"project {key[0]}, quote {key[1]}: stored {found.get(key, 'nothing')}, "
                f"expected {wanted.get(key, 'nothing')}"
            )
    totals_wanted = _expected_totals(expected, sql.project_ks(project_id=project_id))
    totals_found = {
        (project, shard): tuple(values)
        for project, shard, *values in sql.queue_totals_stored(project_id=project_id)
    }
    for key in sorted(totals_wanted.keys() | totals_found.keys()):
        if totals_wanted.get(key) != totals_found.get(key):
            differences.append(
                f"project {key[0]}, total share {key[1]}: stored "
                f"{totals_found.get(key, 'nothing')}, expected {totals_wanted.get(key, 'nothing')}"
                " (k, quotes, open, complete, done)"
            )
    mine_wanted = {
        row[:2]: row for row in sql.annotator_counts_expected(project_id=project_id) if any(row[2:])
    }
    mine_found = {
        row[:2]: row for row in sql.annotator_counts_stored(project_id=project_id) if any(row[2:])
    }
    for key in sorted(mine_wanted.keys() | mine_found.keys()):
        if mine_wanted.get(key) != mine_found.get(key):
            differences.append(
                f"project {key[0]}, annotator {key[1]}: stored {mine_found.get(key, 'nothing')}, "
                f"expected {mine_wanted.get(key, 'nothing')} (submitted, assigned, skipped)"
            )
    return QueueCountsReport(count_rows=len(expected), differences=differences)


@transaction.atomic
def queue_counts_rebuild(*, project_id: int | None = None) -> QueueCountsReport:
    """Recompute the counts (for one project or all) from their sources, and report what
    was wrong before. Writers of assignments, quotes, projects and their articles wait until
    it commits (about a second per 50,000 quotes), so the picture it reads stays still."""
    sql.queue_counts_lock_sources()
    before = queue_counts_check(project_id=project_id)
    if not before.exact:
        sql.queue_counts_replace(project_id=project_id)
    return before
