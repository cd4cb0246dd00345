"""PostgreSQL backend whose tsvectors and tsqueries are built from jieba tokens."""

from __future__ import annotations

from typing import Any

from modelsearch.backends.database.postgres.postgres import (
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

from search.segment import segment_for_index

from .common import rebind_globals, segment_search_query


class JiebaObjectIndexer(ObjectIndexer):
    """Indexer whose title, body and autocomplete tsvectors are built from jieba tokens.

    `title_text` / `body_text` (the raw text used by trigram fuzzy search) stay unsegmented.
    """

    def as_vector(self, texts: list[tuple[str, str]], for_autocomplete: bool = False) -> Any:
        """Segment each (text, weight) pair, then let upstream build the weighted SearchVector."""
        segmented = [(segment_for_index(text), weight) for text, weight in texts]
        return super().as_vector(segmented, for_autocomplete=for_autocomplete)


class JiebaPostgresIndex(PostgresIndex):
    """PostgreSQL index entries built by `JiebaObjectIndexer` (upstream `add_items`, indexer class rebound)."""

    add_items = rebind_globals(PostgresIndex.add_items, ObjectIndexer=JiebaObjectIndexer)


class JiebaPostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
    """Search compiler that segments the query's text leaves with jieba."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the upstream compiler, then segment the query."""
        super().__init__(*args, **kwargs)
        self.query = segment_search_query(self.query)


class JiebaPostgresAutocompleteQueryCompiler(PostgresAutocompleteQueryCompiler):
    """Autocomplete compiler that segments the query; the last token is a prefix."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the upstream compiler, then segment the query."""
        super().__init__(*args, **kwargs)
        self.query = segment_search_query(self.query)


class JiebaPostgresSearchBackend(PostgresSearchBackend):
    """modelsearch's PostgreSQL backend with jieba segmentation at index and query time."""

    query_compiler_class = JiebaPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = JiebaPostgresAutocompleteQueryCompiler
    index_class = JiebaPostgresIndex


SearchBackend = JiebaPostgresSearchBackend
