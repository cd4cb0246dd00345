"""Tables of the embedded engine (entries and their full-text index), the suggestion vocabulary and the
progress of index rebuilds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One entry of the embedded engine (see `search.engines.base.Entry`).

    Its full-text index lives beside it: an FTS5 table `sunlight_search_entry_fts` (rowid = id) on SQLite, a
    `vector` tsvector column with a GIN index on PostgreSQL; both are created by migration 0001 and written
    by `search.engines.embedded` only.
    """

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=64, db_index=True)
    catalogue = models.BooleanField(default=False)
    site_id = models.IntegerField(null=True, db_index=True)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, db_index=True)
    year = models.SmallIntegerField(null=True)
    department_code = models.CharField(max_length=64, blank=True)
    department_name = models.CharField(max_length=128, blank=True)
    topic_code = models.CharField(max_length=64, blank=True)
    topic_name = models.CharField(max_length=128, blank=True)
    genre_code = models.CharField(max_length=64, blank=True)
    genre_name = models.CharField(max_length=128, blank=True)
    mode = models.CharField(max_length=16, blank=True)
    validity = models.CharField(max_length=16, blank=True)
    valid_until = models.DateField(null=True)
    index_number = models.CharField(max_length=64, blank=True)
    document_number = models.CharField(max_length=64, blank=True)
    generation = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [
            models.Index(fields=["catalogue", "site_id", "published_at"], name="search_entry_scope"),
            # Covers what filtering, sorting and facet counting read of each full-text match, so they never
            # load the wide rows (body, summary) of thousands of matches; only a page of hits is read whole.
            models.Index(
                fields=[
                    "id", "catalogue", "site_id", "kind", "year", "department_code", "topic_code", "genre_code",
                    "mode", "validity", "valid_until", "published_at", "department_name", "topic_name", "genre_name",
                ],
                name="search_entry_facets",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class SearchTerm(models.Model):
    """A word of the indexed titles with how many entries it was seen in, for suggestions.

    `pinyin` (toneless, no spaces) finds homophone misspellings (通辑 → 通缉).
    """

    term = models.CharField(max_length=64, unique=True)
    pinyin = models.CharField(max_length=255, db_index=True, blank=True)
    frequency = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class ReindexRun(models.Model):
    """A run of `manage.py reindex`: its target, cursor and counts, so an interrupted run resumes."""

    engine = models.CharField(max_length=32)
    target = models.CharField(max_length=128)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    source = models.PositiveSmallIntegerField(default=0, help_text="index of the source being read")
    last_pk = models.CharField(max_length=64, blank=True, help_text="last primary key done in that source")
    indexed = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reindex run")
        verbose_name_plural = _("reindex runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.engine} → {self.target}"
