"""SQLite FTS5 backend whose index and queries are segmented by jieba."""

from __future__ import annotations

from typing import Any

from django.db.models import F, FloatField, Func
from django.utils.encoding import force_str
from modelsearch.backends.database.sqlite.sqlite import (
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.conf import get_app_config
from modelsearch.query import And, Not, Phrase, PlainText, SearchQuery

from search.segment import segment_for_index

from .common import rebind_globals, segment_search_query

SQLiteFTSIndexEntry = get_app_config().get_model("SQLiteFTSIndexEntry", require_ready=False)


class JiebaObjectIndexer(ObjectIndexer):
    """Indexer whose title, body and autocomplete texts are stored as jieba tokens joined by spaces."""

    def prepare_value(self, value: Any) -> str:
        """Segment a field value (lists and dicts are joined by upstream, each item segmented here)."""
        if isinstance(value, (list, dict)):
            return super().prepare_value(value)
        return segment_for_index(value if isinstance(value, str) else force_str(value))


class JiebaSQLiteIndex(SQLiteIndex):
    """SQLite index entries built by `JiebaObjectIndexer` (upstream `add_items`, indexer class rebound)."""

    add_items = rebind_globals(SQLiteIndex.add_items, ObjectIndexer=JiebaObjectIndexer)


class WeightedBM25(Func):
    """FTS5 `bm25()` with per-column weights, so a title hit outranks a body hit (lower is better)."""

    output_field = FloatField()

    def __init__(self, weights: dict[str, float]) -> None:
        """Keep the column weights ({column: weight}; columns not named weigh 1.0)."""
        self.weights = weights
        super().__init__()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        """Render `bm25(<fts table>, w_autocomplete, w_body, w_title)` in the FTS table's column order."""
        columns = ("autocomplete", "body", "title")  # order of CREATE VIRTUAL TABLE ... USING fts5(...)
        weights = ", ".join(repr(float(self.weights.get(column, 1.0))) for column in columns)
        return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, {weights})", []


class JiebaSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
    """Search compiler: segments the query and ranks with a title-weighted BM25."""

    #: How much more a token in the title counts than one in the body.
    TITLE_WEIGHT = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the upstream compiler, then segment the query's text leaves with jieba."""
        super().__init__(*args, **kwargs)
        self.query = segment_search_query(self.query)

    def bm25_weights(self) -> dict[str, float]:
        """Column weights of the rank expression."""
        return {"title": self.TITLE_WEIGHT, "body": 1.0, "autocomplete": 1.0}

    def get_index_vectors(self) -> list[tuple[Any, Any]]:
        """One rank term: upstream adds bm25 twice (title and body) though bm25 already covers all columns."""
        return [(F("index_entry__title"), 1.0)]

    def build_tsrank(self, vector: Any, query: SearchQuery, config: Any = None, boost: float = 1.0) -> Any:
        """Weighted BM25 for leaves; a sum for And (upstream's product flips the sign of negative bm25 scores)."""
        if isinstance(query, (Phrase, PlainText, Not)):
            rank = WeightedBM25(self.bm25_weights())
            return rank * boost if boost != 1.0 else rank
        if isinstance(query, And):
            ranks = [self.build_tsrank(vector, sub, config=config, boost=boost) for sub in query.subqueries]
            total = ranks[0]
            for rank in ranks[1:]:
                total = total + rank
            return total
        return super().build_tsrank(vector, query, config=config, boost=boost)


class JiebaSQLiteAutocompleteQueryCompiler(SQLiteAutocompleteQueryCompiler):
    """Autocomplete compiler: segments the query; the last token is a prefix."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the upstream compiler, then segment the query's text leaves with jieba."""
        super().__init__(*args, **kwargs)
        self.query = segment_search_query(self.query)


class JiebaSQLiteSearchBackend(SQLiteSearchBackend):
    """modelsearch's SQLite FTS5 backend with jieba segmentation at index and query time."""

    query_compiler_class = JiebaSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = JiebaSQLiteAutocompleteQueryCompiler
    index_class = JiebaSQLiteIndex


SearchBackend = JiebaSQLiteSearchBackend
