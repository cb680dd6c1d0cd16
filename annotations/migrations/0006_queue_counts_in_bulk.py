# ruff: noqa: S608 - trigger SQL built from this file's own constants, never from input
"""The queue's counts kept by statement-level triggers where rows come and go in bulk
(PostgreSQL; SQLite keeps 0004's row triggers, which have no such cost there).

0004's row triggers updated a project's total share once per count row. Inside one transaction
PostgreSQL keeps every earlier version of a row it updates, and each update walks that chain,
so adding N quotes to a project in one statement cost O(N²): 12,000 quotes took 2.9 s, 48,000
took 17 s (past the web's 20 s statement timeout soon after), a million never finished. Now:

- count rows added or removed (an article joining or leaving a project, quotes imported or
  deleted): one statement-level trigger per statement, with the rows in a transition table,
  adds each share's sums once (`annotations_queue_count_bulk`), and each annotator's counts
  for the assignments on those quotes (`annotations_queue_mine_bulk`, 0005's rule); a count row
  *changed* (an assignment taken, submitted or skipped, a quote rejected) keeps the row
  triggers of 0004 and 0005;
- articles joining or leaving a project, and quotes inserted or deleted, write their count rows
  in one statement per statement, not one per row.

k is read from the total share's row inside the UPDATE (never from a value computed before
it), so a concurrent change of k — which locks the shares and recounts — is seen as 0004's row
triggers saw it: PostgreSQL re-evaluates the SET on the share's newest version.
"""

from django.db import migrations

SHARDS = 16  # annotations.models.QUEUE_TOTAL_SHARDS
HELD = "<> 'skipped'"  # a status that holds a place (as in 0004)
COUNT = "annotations_queuecount"
TOTAL = "annotations_queuetotal"
COUNT_COLUMNS = "(project_id, quote_id, article_id, content_start, rejected, held, submitted)"
MINE = "annotations_queueannotatorcount"
MINE_COLUMNS = "(project_id, annotator_id, submitted, assigned, skipped)"

POSTGRES_FORWARD = [
    # -- count rows in bulk -> the project's total shares
    f"DROP TRIGGER IF EXISTS annotations_queue_count ON {COUNT}",
    f"""CREATE TRIGGER annotations_queue_count AFTER UPDATE ON {COUNT}
    FOR EACH ROW EXECUTE FUNCTION annotations_queue_count()""",
    f"""CREATE FUNCTION annotations_queue_count_bulk() RETURNS trigger AS $$
    DECLARE sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    BEGIN
      -- Rows with no place taken (the common case) are counted; the few with places carry
      -- their numbers in arrays, compared with k inside the UPDATE.
      UPDATE {TOTAL} t SET
        quotes = t.quotes + sign * d.n,
        quotes_open = t.quotes_open + sign * (
          d.fresh * (0 < t.annotators_per_quote)::int
          + (SELECT COUNT(*) FROM unnest(d.held) h WHERE h < t.annotators_per_quote)),
        quotes_complete = t.quotes_complete + sign * (
          SELECT COUNT(*) FROM unnest(d.submitted) s WHERE s >= t.annotators_per_quote),
        done = t.done + sign * (
          SELECT COALESCE(SUM(LEAST(s, t.annotators_per_quote)), 0) FROM unnest(d.submitted) s)
      FROM (
        SELECT project_id, quote_id % {SHARDS} AS shard, COUNT(*) AS n,
          COUNT(*) FILTER (WHERE held = 0 AND submitted = 0) AS fresh,
          COALESCE(ARRAY_AGG(held) FILTER (WHERE held <> 0 OR submitted <> 0), '{{}}') AS held,
          COALESCE(ARRAY_AGG(submitted) FILTER (WHERE submitted <> 0), '{{}}') AS submitted
        FROM changed WHERE NOT rejected
        GROUP BY project_id, quote_id % {SHARDS}
      ) d
      WHERE t.project_id = d.project_id AND t.shard = d.shard;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER annotations_queue_count_added AFTER INSERT ON {COUNT}
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_count_bulk()""",
    f"""CREATE TRIGGER annotations_queue_count_removed AFTER DELETE ON {COUNT}
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_count_bulk()""",
    # -- count rows in bulk -> each annotator's counts (0005's row trigger stays for a row
    # (un)rejected)
    f"DROP TRIGGER IF EXISTS annotations_queue_mine_row ON {COUNT}",
    f"""CREATE TRIGGER annotations_queue_mine_row AFTER UPDATE OF rejected ON {COUNT}
    FOR EACH ROW EXECUTE FUNCTION annotations_queue_mine_row()""",
    f"""CREATE FUNCTION annotations_queue_mine_bulk() RETURNS trigger AS $$
    DECLARE sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO {MINE} {MINE_COLUMNS}
        SELECT DISTINCT c.project_id, a.annotator_id, 0, 0, 0
        FROM changed c JOIN annotations_assignment a
          ON a.project_id = c.project_id AND a.quote_id = c.quote_id
        WHERE NOT c.rejected
        ON CONFLICT (project_id, annotator_id) DO NOTHING;
      END IF;
      UPDATE {MINE} m SET submitted = m.submitted + sign * d.submitted,
        assigned = m.assigned + sign * d.assigned, skipped = m.skipped + sign * d.skipped
      FROM (
        SELECT c.project_id, a.annotator_id,
          COUNT(*) FILTER (WHERE a.status = 'submitted') AS submitted,
          COUNT(*) FILTER (WHERE a.status = 'assigned') AS assigned,
          COUNT(*) FILTER (WHERE a.status = 'skipped') AS skipped
        FROM changed c JOIN annotations_assignment a
          ON a.project_id = c.project_id AND a.quote_id = c.quote_id
        WHERE NOT c.rejected
        GROUP BY c.project_id, a.annotator_id
      ) d
      WHERE m.project_id = d.project_id AND m.annotator_id = d.annotator_id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER annotations_queue_mine_added AFTER INSERT ON {COUNT}
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_mine_bulk()""",
    f"""CREATE TRIGGER annotations_queue_mine_removed AFTER DELETE ON {COUNT}
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_mine_bulk()""",
    # -- a project's articles -> count rows, one statement per statement
    "DROP TRIGGER IF EXISTS annotations_queue_article ON annotations_project_articles",
    f"""CREATE FUNCTION annotations_queue_articles_added() RETURNS trigger AS $$
    BEGIN
      INSERT INTO {COUNT} {COUNT_COLUMNS}
      SELECT s.project_id, q.id, q.article_id, q.content_start,
        (q.is_rejected OR q.gone_in_version IS NOT NULL),
        (SELECT COUNT(*) FROM annotations_assignment a WHERE a.project_id = s.project_id
           AND a.quote_id = q.id AND a.status {HELD}),
        (SELECT COUNT(*) FROM annotations_assignment a WHERE a.project_id = s.project_id
           AND a.quote_id = q.id AND a.status = 'submitted')
      FROM added s JOIN claims_quote q ON q.article_id = s.article_id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION annotations_queue_articles_removed() RETURNS trigger AS $$
    BEGIN
      DELETE FROM {COUNT} c USING removed s
      WHERE c.project_id = s.project_id AND c.article_id = s.article_id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER annotations_queue_articles_added AFTER INSERT ON annotations_project_articles
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_articles_added()""",
    """CREATE TRIGGER annotations_queue_articles_removed
    AFTER DELETE ON annotations_project_articles REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_articles_removed()""",
    # -- quotes inserted or deleted -> count rows, one statement per statement; a quote
    # updated keeps 0004's row trigger (annotations_queue_quote's UPDATE branch).
    "DROP TRIGGER IF EXISTS annotations_queue_quote ON claims_quote",
    """CREATE TRIGGER annotations_queue_quote
    AFTER UPDATE OF article_id, content_start, is_rejected, gone_in_version ON claims_quote
    FOR EACH ROW EXECUTE FUNCTION annotations_queue_quote()""",
    f"""CREATE FUNCTION annotations_queue_quotes_added() RETURNS trigger AS $$
    BEGIN
      INSERT INTO {COUNT} {COUNT_COLUMNS}
      SELECT s.project_id, q.id, q.article_id, q.content_start,
        (q.is_rejected OR q.gone_in_version IS NOT NULL), 0, 0
      FROM added q JOIN annotations_project_articles s ON s.article_id = q.article_id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION annotations_queue_quotes_removed() RETURNS trigger AS $$
    BEGIN
      DELETE FROM {COUNT} c USING removed q WHERE c.quote_id = q.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER annotations_queue_quotes_added AFTER INSERT ON claims_quote
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_quotes_added()""",
    """CREATE TRIGGER annotations_queue_quotes_removed AFTER DELETE ON claims_quote
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_queue_quotes_removed()""",
]

POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS annotations_queue_mine_added ON {COUNT}",
    f"DROP TRIGGER IF EXISTS annotations_queue_mine_removed ON {COUNT}",
    "DROP FUNCTION IF EXISTS annotations_queue_mine_bulk()",
    f"DROP TRIGGER IF EXISTS annotations_queue_mine_row ON {COUNT}",
    f"""CREATE TRIGGER annotations_queue_mine_row AFTER INSERT OR DELETE OR UPDATE OF rejected
    ON {COUNT} FOR EACH ROW EXECUTE FUNCTION annotations_queue_mine_row()""",
    f"DROP TRIGGER IF EXISTS annotations_queue_count_added ON {COUNT}",
    f"DROP TRIGGER IF EXISTS annotations_queue_count_removed ON {COUNT}",
    "DROP FUNCTION IF EXISTS annotations_queue_count_bulk()",
    f"DROP TRIGGER IF EXISTS annotations_queue_count ON {COUNT}",
    f"""CREATE TRIGGER annotations_queue_count AFTER INSERT OR UPDATE OR DELETE ON {COUNT}
    FOR EACH ROW EXECUTE FUNCTION annotations_queue_count()""",
    "DROP TRIGGER IF EXISTS annotations_queue_articles_added ON annotations_project_articles",
    "DROP TRIGGER IF EXISTS annotations_queue_articles_removed ON annotations_project_articles",
    "DROP FUNCTION IF EXISTS annotations_queue_articles_added()",
    "DROP FUNCTION IF EXISTS annotations_queue_articles_removed()",
    """CREATE TRIGGER annotations_queue_article
    AFTER INSERT OR DELETE ON annotations_project_articles
    FOR EACH ROW EXECUTE FUNCTION annotations_queue_article()""",
    "DROP TRIGGER IF EXISTS annotations_queue_quotes_added ON claims_quote",
    "DROP TRIGGER IF EXISTS annotations_queue_quotes_removed ON claims_quote",
    "DROP FUNCTION IF EXISTS annotations_queue_quotes_added()",
    "DROP FUNCTION IF EXISTS annotations_queue_quotes_removed()",
    "DROP TRIGGER IF EXISTS annotations_queue_quote ON claims_quote",
    """CREATE TRIGGER annotations_queue_quote
    AFTER INSERT OR DELETE OR UPDATE OF article_id, content_start, is_rejected, gone_in_version
    ON claims_quote FOR EACH ROW EXECUTE FUNCTION annotations_queue_quote()""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)  # no parameters: "%" is modulo

    return run


class Migration(migrations.Migration):
    dependencies = [("annotations", "0005_queue_annotator_counts")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
