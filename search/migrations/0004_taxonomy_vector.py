"""The taxonomy terms each document contains, as one stand-in word per term (`taxonomy_vector`).

The taxonomy signal used to match every label and synonym of the concepts a question names as
a phrase against each document's full text (dozens of phrases, rechecked row by row): 30-45 ms
a question at 100k documents. The terms are now found once, when a document is indexed, and a
question matches their stand-ins under a GIN index (`taxonomy_titles`: those in the title or
summary, which a GIN index on the weighted vector cannot tell apart). Documents indexed before
this migration get theirs here (nothing to do on a new site).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


def mark_indexed(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM search_searchdocument)")
        if not cursor.fetchone()[0]:
            return
    from search.backends.postgres import PostgresBackend

    PostgresBackend().refresh_taxonomy()


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0003_embedding_per_language'),
        ('core', '0009_api_tokens_and_webhooks'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='taxonomy_vector',
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddIndex(
            model_name='searchdocument',
            index=django.contrib.postgres.indexes.GinIndex(fields=['taxonomy_vector'], name='search_document_taxonomy'),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="taxonomy_titles",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["taxonomy_titles"], name="search_document_titled_terms"
            ),
        ),
        migrations.RunPython(mark_indexed, migrations.RunPython.noop),
    ]
