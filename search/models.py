"""The PostgreSQL backend's index, and the embedding cache every backend shares.

`SearchDocument` rows live in named indexes (`index_name`): "site" for the site, throwaway names
for the evaluation command and the contract tests. Its `search_vector` is built at index time
with the document language's text-search configuration (weights: title A, summary B, body C).
Where the server has pgvector, the migration adds an `embedding vector(384)` column with an HNSW
index; the model does not declare it, so the same code runs on a server without pgvector.
`taxonomy_vector` holds the topic-taxonomy terms (labels and synonyms, any language) the
document contains, one stand-in word per term (`search.analysis.taxonomy_lexeme`) weighted by
the field it is in: the taxonomy signal matches and ranks those, instead of every term's phrase;
`taxonomy_titles` holds those of them in the title or summary (a GIN index cannot tell weights).
`passages` holds the float32 vectors of the lead and of each body passage, end to end: the HNSW
index finds candidates by the lead, and a candidate's similarity is its best passage's.

`SavedSiteSearch` is a member's search of the whole site, kept to run again and to be told of
new results (`search.alerts`). It stores the page's canonical query string
(`search.saved.canonical_query`) and the language it was saved in (which ranks it), never a
translated text: its title is written in the reader's language each time it is shown.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EMBEDDING_DIMENSIONS = 384


class SearchDocument(models.Model):
    index_name = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    doc_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    group = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    config = models.CharField(max_length=20)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    audiences = ArrayField(models.CharField(max_length=64), default=list)
    countries = ArrayField(models.CharField(max_length=2), default=list)
    topics = ArrayField(models.CharField(max_length=80), default=list)
    date = models.DateTimeField(null=True)
    deadline = models.DateTimeField(null=True)
    published = models.DateTimeField(null=True)  # first readable: what alerts call new
    content_hash = models.CharField(max_length=64)
    search_vector = SearchVectorField(null=True)
    taxonomy_vector = SearchVectorField(null=True)
    taxonomy_titles = SearchVectorField(null=True)
    passages = models.BinaryField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["index_name", "key"], name="search_document_key")
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="search_document_fts"),
            GinIndex(fields=["taxonomy_vector"], name="search_document_taxonomy"),
            GinIndex(fields=["taxonomy_titles"], name="search_document_titled_terms"),
            models.Index(fields=["index_name", "language"], name="search_document_language"),
            models.Index(fields=["index_name", "group"], name="search_document_group"),
            # What an alert asks first: the few documents first readable since its last run.
            models.Index(fields=["index_name", "published"], name="search_document_published"),
        ]

    def __str__(self) -> str:
        return f"{self.index_name}:{self.key}"


class EmbeddingCache(models.Model):
    """A passage vector per model and content hash: embedding is slow, so it is done once."""

    model = models.CharField(max_length=80)
    content_hash = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "content_hash"], name="search_embedding_key")
        ]

    def __str__(self) -> str:
        return f"{self.model}:{self.content_hash[:12]}"


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never: keep it without e-mails")


class SavedSiteSearch(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_site_searches"
    )
    query = models.CharField(_("search"), max_length=1000)
    language = models.CharField(max_length=8)
    name = models.CharField(_("name"), max_length=100, blank=True)
    frequency = models.CharField(
        _("e-mail me new results"),
        max_length=8,
        choices=AlertFrequency.choices,
        default=AlertFrequency.WEEKLY,
    )
    # Documents first readable up to this moment have been considered for this search.
    last_notified_at = models.DateTimeField(default=timezone.now, editable=False)
    # The translation groups of the latest results told about (oldest first, bounded): each
    # run looks back a little before `last_notified_at`, and never tells one twice.
    notified = ArrayField(models.CharField(max_length=200), default=list, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "query", "language"], name="saved_site_search_once"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.query
