"""One HNSW index per document language instead of one over every document.

The semantic signal asks for the nearest documents of each language separately (one list per
language, see `search.backends.postgres`). Over one graph holding every language, a filter on
`language` is applied after the scan: when the query sits among many documents of another
language (a translation, near-identical texts), the scan walks thousands of them before it has
found enough of the asked language (measured at 100k documents: 245 ms median per language, up
to 2.4 s). A partial index per language (`WHERE language = 'fr'`) holds only that language's
documents, so its scan returns them straight away; the query names the language as a constant
so that the planner can use it.

The languages are the four the site analyses with their own stemmer (as
`search.analysis.TEXT_SEARCH_CONFIGS` when this was written) and those it enables
(`WAGTAIL_CONTENT_LANGUAGES`) when the migration runs. A document in a language added later is
still found: PostgreSQL compares all of that language's rows (by the (index_name, language)
index), which is exact. Nothing is done on a server without pgvector.
"""

import re

from django.conf import settings
from django.db import migrations


def languages() -> list[str]:
    codes = {"ar", "en", "es", "fr"}
    codes |= {code.split("-")[0].lower() for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    return sorted(code for code in codes if re.fullmatch("[a-z]{2,3}", code))


def has_embedding_column(cursor) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'search_searchdocument' "
        "AND column_name = 'embedding'"
    )
    return cursor.fetchone() is not None


def per_language(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if not has_embedding_column(cursor):
            return
        for code in languages():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_document_embedding_{code} "
                "ON search_searchdocument USING hnsw (embedding vector_cosine_ops) "
                f"WHERE language = '{code}'"
            )
        cursor.execute("DROP INDEX IF EXISTS search_document_embedding")


def one_for_all(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if not has_embedding_column(cursor):
            return
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS search_document_embedding ON search_searchdocument "
            "USING hnsw (embedding vector_cosine_ops)"
        )
        for code in languages():
            cursor.execute(f"DROP INDEX IF EXISTS search_document_embedding_{code}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_document_passages"),
    ]

    operations = [
        migrations.RunPython(per_language, one_for_all),
        # Every reader's audiences include "public", which nearly every document has: the
        # planner still ANDed this index's bitmap of most of the table into keyword searches
        # (52 ms of an 87 ms match at 110k rows). No search is narrowed by it.
        migrations.RemoveIndex(model_name="searchdocument", name="search_document_audiences"),
        # Lexemes in 0.1% of the documents get listed in pg_stats, which the keyword ranking
        # reads to choose what to rank when a question matches too much (postgres.py,
        # `LexemeStatistics`); the default target lists those in ~1.4% at 100k documents.
        migrations.RunSQL(
            "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET STATISTICS 1000",
            "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET STATISTICS -1",
        ),
    ]
