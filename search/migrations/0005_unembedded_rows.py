"""A partial index of the rows without vectors, for `PostgresBackend.fill_vectors`.

A rebuild commits the words first and fills in the vectors after; a periodic job catches up
documents a stopped worker left without them, every ten minutes. Normally there are none, and
this index (empty then) says so without reading the whole table. Nothing is done on a server
without pgvector.
"""

from importlib import import_module

from django.db import migrations

# A migration never changes once released, so this one may use the check 0003 wrote.
has_embedding_column = import_module(
    "search.migrations.0003_embedding_per_language"
).has_embedding_column


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if has_embedding_column(cursor):
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_document_unembedded "
                "ON search_searchdocument (index_name, id) WHERE embedding IS NULL"
            )


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS search_document_unembedded")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_taxonomy_vector"),
    ]

    operations = [migrations.RunPython(create, drop)]
