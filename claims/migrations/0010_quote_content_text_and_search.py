"""Quote text kept by the database, and full-text documents with GIN indexes on PostgreSQL.

`claims_quote.content_text` is article.text[content_start:content_end]. Triggers fill it on
insert and whenever the article or span changes (or someone writes another value into it), on
both databases, so no code path has to remember it and search never slices article text per row.

On PostgreSQL two columns outside Django's models hold full-text documents, each with a GIN
index: `claims_quote.search_document` (the quote's words, weight A, and its speaker's name, B)
and `claims_article.search_document` (title A, text B). Triggers keep them: a quote's on insert
and on any change of its span, text or speaker; every quote of a speaker when the speaker is
renamed; an article's on insert and on a title change (its text never changes). `<` and `>` are
replaced by spaces first: PostgreSQL's parser reads `<...>` as a tag and drops the words in it.
A tsvector holds at most 1 MB of distinct words; a text with more is indexed from its start, as
much as fits (halving until it does), instead of failing the insert.

An index on articles newest first lets lists and searches stop after a page.

SQLite: its AFTER INSERT trigger writes content_text with an UPDATE, so the span check of 0002
is narrowed to fire on updates of the span columns only (what it checks), or it would run twice;
it keeps 0009's form (the stored text length).
"""

from importlib import import_module

from django.db import migrations, models

# The quote-span triggers as migration 0009 left them (text_length, not length(text)).
spans = import_module("claims.migrations.0009_article_text_length")

SQLITE_CONTENT_TEXT = """
    UPDATE claims_quote SET content_text = (
        SELECT substr(a.text, NEW.content_start + 1, NEW.content_end - NEW.content_start)
        FROM claims_article a WHERE a.id = NEW.article_id)
    WHERE id = NEW.id;
"""

SQLITE_FORWARD = [
    """
    UPDATE claims_quote SET content_text = (
        SELECT substr(a.text, claims_quote.content_start + 1,
                      claims_quote.content_end - claims_quote.content_start)
        FROM claims_article a WHERE a.id = claims_quote.article_id);
    """,
    f"""
    CREATE TRIGGER claims_quote_content_text_insert AFTER INSERT ON claims_quote
    BEGIN {SQLITE_CONTENT_TEXT} END;
    """,
    f"""
    CREATE TRIGGER claims_quote_content_text_update
    AFTER UPDATE OF article_id, content_start, content_end, content_text ON claims_quote
    WHEN NEW.article_id IS NOT OLD.article_id OR NEW.content_start IS NOT OLD.content_start
      OR NEW.content_end IS NOT OLD.content_end OR NEW.content_text IS NOT OLD.content_text
    BEGIN {SQLITE_CONTENT_TEXT} END;
    """,
    "DROP TRIGGER claims_quote_offsets_update;",
    "CREATE TRIGGER claims_quote_offsets_update BEFORE UPDATE OF article_id, content_start, "
    "content_end, speaker_start, speaker_end, cue_start, cue_end ON claims_quote "
    + spans._SPAN_OUTSIDE,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_quote_content_text_insert;",
    "DROP TRIGGER IF EXISTS claims_quote_content_text_update;",
    "DROP TRIGGER claims_quote_offsets_update;",
    spans.SQLITE_FORWARD[1],  # migration 0009's form again
]

POSTGRES_FORWARD = [
    "ALTER TABLE claims_quote ADD COLUMN search_document tsvector;",
    "ALTER TABLE claims_article ADD COLUMN search_document tsvector;",
    # The words of a text as a tsvector, from as much of its start as fits in one.
    """
    CREATE FUNCTION claims_search_vector(body text, weight "char") RETURNS tsvector AS $$
    DECLARE
      kept integer := char_length(body);
      cleaned text := replace(replace(body, '<', ' '), '>', ' ');
    BEGIN
      LOOP
        BEGIN
          RETURN setweight(to_tsvector('english', left(cleaned, kept)), weight);
        EXCEPTION WHEN program_limit_exceeded THEN
          kept := kept / 2;
        END;
      END LOOP;
    END $$ LANGUAGE plpgsql STABLE;
    """,
    """
    CREATE FUNCTION claims_quote_fill_search() RETURNS trigger AS $$
    DECLARE speaker_name text;
    BEGIN
      IF TG_OP = 'INSERT' OR NEW.content_text IS NULL
         OR NEW.content_text IS DISTINCT FROM OLD.content_text
         OR NEW.article_id IS DISTINCT FROM OLD.article_id
         OR NEW.content_start IS DISTINCT FROM OLD.content_start
         OR NEW.content_end IS DISTINCT FROM OLD.content_end THEN
        SELECT substr(a.text, NEW.content_start + 1, NEW.content_end - NEW.content_start)
          INTO NEW.content_text FROM claims_article a WHERE a.id = NEW.article_id;
      END IF;
      SELECT s.name INTO speaker_name FROM claims_speaker s WHERE s.id = NEW.speaker_id;
      NEW.search_document := claims_search_vector(COALESCE(NEW.content_text, ''), 'A')
        || claims_search_vector(COALESCE(speaker_name, ''), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_quote_search_insert BEFORE INSERT ON claims_quote
    FOR EACH ROW EXECUTE FUNCTION claims_quote_fill_search();
    """,
    """
    CREATE TRIGGER claims_quote_search_update BEFORE UPDATE ON claims_quote
    FOR EACH ROW WHEN (
      NEW.content_text IS DISTINCT FROM OLD.content_text
      OR NEW.article_id IS DISTINCT FROM OLD.article_id
      OR NEW.content_start IS DISTINCT FROM OLD.content_start
      OR NEW.content_end IS DISTINCT FROM OLD.content_end
      OR NEW.speaker_id IS DISTINCT FROM OLD.speaker_id
      OR NEW.search_document IS NULL)
    EXECUTE FUNCTION claims_quote_fill_search();
    """,
    # A renamed speaker: their quotes' documents are cleared, which makes the trigger above
    # compute them again with the new name.
    """
    CREATE FUNCTION claims_speaker_refresh_search() RETURNS trigger AS $$
    BEGIN
      UPDATE claims_quote SET search_document = NULL WHERE speaker_id = NEW.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_speaker_search AFTER UPDATE OF name ON claims_speaker
    FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
    EXECUTE FUNCTION claims_speaker_refresh_search();
    """,
    """
    CREATE FUNCTION claims_article_fill_search() RETURNS trigger AS $$
    BEGIN
      NEW.search_document := claims_search_vector(NEW.title, 'A')
        || claims_search_vector(NEW.text, 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_article_search BEFORE INSERT OR UPDATE OF title, text ON claims_article
    FOR EACH ROW EXECUTE FUNCTION claims_article_fill_search();
    """,
    "UPDATE claims_article SET title = title;",
    "UPDATE claims_quote SET search_document = NULL;",
    "CREATE INDEX claims_quote_search_idx ON claims_quote USING gin (search_document);",
    "CREATE INDEX claims_article_search_idx ON claims_article USING gin (search_document);",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_article_search ON claims_article;",
    "DROP FUNCTION IF EXISTS claims_article_fill_search();",
    "DROP TRIGGER IF EXISTS claims_speaker_search ON claims_speaker;",
    "DROP FUNCTION IF EXISTS claims_speaker_refresh_search();",
    "DROP TRIGGER IF EXISTS claims_quote_search_update ON claims_quote;",
    "DROP TRIGGER IF EXISTS claims_quote_search_insert ON claims_quote;",
    "DROP FUNCTION IF EXISTS claims_quote_fill_search();",
    'DROP FUNCTION IF EXISTS claims_search_vector(text, "char");',
    "ALTER TABLE claims_article DROP COLUMN IF EXISTS search_document;",
    "ALTER TABLE claims_quote DROP COLUMN IF EXISTS search_document;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_article_text_length")]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="content_text",
            field=models.TextField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
