"""Database triggers for the invariants a CHECK constraint cannot express.

Quote spans must lie inside their article's text (a cross-table rule), and an article's text
never changes after import, because every quote offset indexes it. Both SQLite and PostgreSQL
count characters (code points) like Python's len(), so offsets agree across the stack.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER claims_quote_offsets_insert BEFORE INSERT ON claims_quote
    WHEN NEW.content_end > (SELECT length(text) FROM claims_article WHERE id = NEW.article_id)
      OR COALESCE(NEW.speaker_end, 0) > (SELECT length(text) FROM claims_article WHERE id = NEW.article_id)
      OR COALESCE(NEW.cue_end, 0) > (SELECT length(text) FROM claims_article WHERE id = NEW.article_id)
    BEGIN SELECT RAISE(ABORT, 'quote span lies outside the article text'); END;
    """,
    """
    CREATE TRIGGER claims_quote_offsets_update BEFORE UPDATE ON claims_quote
    WHEN NEW.content_end > (SELECT length(text) FROM claims_article WHERE id = NEW.article_id)
      OR COALESCE(NEW.speaker_end, 0) > (SELECT length(text) FROM claims_article WHERE id = NEW.article_id)
      OR COALESCE(NEW.cue_end, 0) > (SELECT length(text) FROM claims_article WHERE id = NEW.article_id)
    BEGIN SELECT RAISE(ABORT, 'quote span lies outside the article text'); END;
    """,
    """
    CREATE TRIGGER claims_article_text_immutable BEFORE UPDATE OF text ON claims_article
    WHEN NEW.text IS NOT OLD.text
    BEGIN SELECT RAISE(ABORT, 'article text is immutable after import'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_quote_offsets_insert;",
    "DROP TRIGGER IF EXISTS claims_quote_offsets_update;",
    "DROP TRIGGER IF EXISTS claims_article_text_immutable;",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION claims_quote_check_offsets() RETURNS trigger AS $$
    DECLARE text_length integer;
    BEGIN
      SELECT char_length(text) INTO text_length FROM claims_article WHERE id = NEW.article_id;
      IF NEW.content_end > text_length OR COALESCE(NEW.speaker_end, 0) > text_length
         OR COALESCE(NEW.cue_end, 0) > text_length THEN
        RAISE EXCEPTION 'quote span lies outside the article text' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_quote_offsets BEFORE INSERT OR UPDATE ON claims_quote
    FOR EACH ROW EXECUTE FUNCTION claims_quote_check_offsets();
    """,
    """
    CREATE FUNCTION claims_article_keep_text() RETURNS trigger AS $$
    BEGIN
      IF NEW.text IS DISTINCT FROM OLD.text THEN
        RAISE EXCEPTION 'article text is immutable after import' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_article_text_immutable BEFORE UPDATE OF text ON claims_article
    FOR EACH ROW EXECUTE FUNCTION claims_article_keep_text();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_quote_offsets ON claims_quote;",
    "DROP FUNCTION IF EXISTS claims_quote_check_offsets();",
    "DROP TRIGGER IF EXISTS claims_article_text_immutable ON claims_article;",
    "DROP FUNCTION IF EXISTS claims_article_keep_text();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
