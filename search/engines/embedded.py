"""The embedded engine: entries in the site's own database, full text in SQLite FTS5 or a PostgreSQL tsvector.

Text is segmented by jieba (`search.segment`) at index and query time, exactly as for pages; the FTS5 table
and the tsvector hold the space-joined tokens. Ranking puts title hits first (FTS5 `bm25` with a title weight
of 10, PostgreSQL `ts_rank` with title weight A = 1.0 against body weight B = 0.1). One statement over the
materialised matches (read through a covering index, never the wide rows) gives the page of ids, the total
and the facet counts; a second reads the page's rows whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, transaction
from django.db.models import Max

from search.models import SearchEntry
from search.segment import segment_for_index, tokens_for_query

from .base import (
    ENTRY_FIELDS,
    FACET_FIELDS,
    FILTER_FIELDS,
    MAX_BODY_CHARS,
    NULLABLE_FIELDS,
    Engine,
    Entry,
    FacetValue,
    Hit,
    Query,
    Result,
)

FTS_TABLE = "sunlight_search_entry_fts"
ENTRY_TABLE = SearchEntry._meta.db_table

_FIELDS = ENTRY_FIELDS
#: Facet name -> (value column, label column or None) in the facet query's CTE.
_FACET_COLUMNS = {**FACET_FIELDS, "validity": ("validity_now", None)}
_FILTER_COLUMNS = {name: f"e.{column}" for name, column in FILTER_FIELDS.items()}
_CHUNK = 500


def fts_match_expression(tokens: Sequence[str]) -> str:
    """An FTS5 MATCH string requiring every token, each quoted so no token is read as an operator."""
    return " ".join('"' + token.replace('"', '""') + '"' for token in tokens)


class EmbeddedEngine(Engine):
    """Search in the site's database: SQLite with FTS5, or PostgreSQL."""

    name = "embedded"
    separate_rebuild_target = False
    #: How much more a title token counts than a body token (SQLite bm25 column weight).
    TITLE_WEIGHT = 10.0

    def __init__(self, using: str = "default") -> None:
        """Use the database alias `using`."""
        self.using = using

    @property
    def vendor(self) -> str:
        """'sqlite' or 'postgresql'."""
        return connections[self.using].vendor

    # -- writing -------------------------------------------------------------------------------------------

    def index(self, entries: Sequence[Entry], target: str | None = None) -> None:
        """Replace the entries' rows and full-text rows (one transaction)."""
        unique = list({entry.key: entry for entry in entries}.values())
        if not unique:
            return
        generation = int(target) if target else 0
        with transaction.atomic(using=self.using):
            self._delete_ids(SearchEntry.objects.using(self.using).filter(key__in=[e.key for e in unique]))
            rows = SearchEntry.objects.using(self.using).bulk_create(
                [self._row(entry, generation) for entry in unique], batch_size=_CHUNK
            )
            texts = [
                (row.pk, segment_for_index(entry.title), segment_for_index(f"{entry.summary}\n{row.body}"))
                for row, entry in zip(rows, unique, strict=True)
            ]
            with connections[self.using].cursor() as cursor:
                if self.vendor == "postgresql":
                    cursor.executemany(
                        f"UPDATE {ENTRY_TABLE} SET vector = setweight(to_tsvector('simple', %s), 'A') || "
                        "setweight(to_tsvector('simple', %s), 'B') WHERE id = %s",
                        [(title, body, pk) for pk, title, body in texts],
                    )
                else:
                    cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)", texts)

    @staticmethod
    def _row(entry: Entry, generation: int) -> SearchEntry:
        """The table row of an entry."""
        values = {name: getattr(entry, name) for name in _FIELDS}
        values["title"] = values["title"][:500]
        values["body"] = values["body"][:MAX_BODY_CHARS]
        values["year"] = entry.year
        for name in _FIELDS:
            if values[name] is None and name not in NULLABLE_FIELDS:
                values[name] = ""
        return SearchEntry(generation=generation, **values)

    def remove(self, keys: Iterable[str], target: str | None = None) -> None:
        """Delete entries by key (the live table is also the rebuild target)."""
        keys = list(keys)
        with transaction.atomic(using=self.using):
            for start in range(0, len(keys), _CHUNK):
                self._delete_ids(SearchEntry.objects.using(self.using).filter(key__in=keys[start : start + _CHUNK]))

    def _delete_ids(self, queryset: Any) -> None:
        """Delete the rows of `queryset` and their full-text rows."""
        ids = list(queryset.values_list("id", flat=True))
        if not ids:
            return
        with connections[self.using].cursor() as cursor:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                if self.vendor != "postgresql":
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
                SearchEntry.objects.using(self.using).filter(id__in=chunk)._raw_delete(self.using)

    def clear(self) -> None:
        """Remove every entry."""
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            if self.vendor != "postgresql":
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")

    def count(self) -> int:
        """Number of entries."""
        return SearchEntry.objects.using(self.using).count()

    def start_rebuild(self, resume: str | None = None) -> str:
        """A new generation number (entries written for it replace older ones key by key)."""
        if resume:
            return resume
        current = SearchEntry.objects.using(self.using).aggregate(top=Max("generation"))["top"] or 0
        return str(current + 1)

    def finish_rebuild(self, target: str) -> None:
        """Drop the entries the rebuild did not write (things gone since the last build)."""
        with transaction.atomic(using=self.using):
            self._delete_ids(SearchEntry.objects.using(self.using).exclude(generation=int(target)))

    # -- searching -----------------------------------------------------------------------------------------

    def _source(self, tokens: list[str]) -> tuple[str, list[Any], str]:
        """FROM clause, its parameters and the score expression (higher is better)."""
        if not tokens:
            return f"FROM {ENTRY_TABLE} e", [], "0.0"
        if self.vendor == "postgresql":
            return (
                f"FROM {ENTRY_TABLE} e, plainto_tsquery('simple', %s) q",
                [" ".join(tokens)],
                "ts_rank('{0.0, 0.0, 0.1, 1.0}', e.vector, q)",
            )
        return (
            f"FROM (SELECT rowid AS rid, bm25({FTS_TABLE}, {self.TITLE_WEIGHT}, 1.0) AS rank FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) m JOIN {ENTRY_TABLE} e ON e.id = m.rid",
            [fts_match_expression(tokens)],
            "(-m.rank)",
        )

    @staticmethod
    def _valid_expression() -> str:
        """SQL true when an entry is in force on the day parameter."""
        return "(e.validity IN ('', 'valid') AND (e.valid_until IS NULL OR e.valid_until >= %s))"

    def _where(self, query: Query, tokens: list[str]) -> tuple[str, list[Any]]:
        """WHERE clause of a query: full-text match, scope, site and facet filters."""
        clauses: list[str] = []
        params: list[Any] = []
        if tokens and self.vendor == "postgresql":
            clauses.append("e.vector @@ q")
        if query.scope == "catalogue":
            clauses.append("e.catalogue = %s")
            params.append(True)
        if query.site_id is not None:
            clauses.append("(e.site_id = %s OR e.site_id IS NULL)")  # entries without a site belong to all
            params.append(query.site_id)
        for name, value in query.filters.items():
            if name in _FILTER_COLUMNS:
                clauses.append(f"{_FILTER_COLUMNS[name]} = %s")
                params.append(value)
            elif name == "year":
                clauses.append("e.year = %s")
                params.append(int(value))
            elif name == "validity":
                clauses.append(self._valid_expression() if value == "valid" else f"NOT {self._valid_expression()}")
                params.append(query.on())
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def search(self, query: Query) -> Result:
        """One statement over the materialised matches gives the page of ids, the total and the facet counts;
        a second reads the page's rows whole."""
        tokens = tokens_for_query(query.text)
        if query.text.strip() and not tokens:
            return Result(total=0, hits=[], facets={name: [] for name in query.facets}, tokens=[])
        source, source_params, score = self._source(tokens)
        where, where_params = self._where(query, tokens)
        if query.sort == "oldest":
            order = "published_at ASC, id ASC"
        elif query.sort == "newest" or not tokens:
            order = "published_at DESC, id DESC"
        else:
            order = "score DESC, published_at DESC, id DESC"
        if self.vendor == "postgresql":
            order = order.replace("published_at DESC", "published_at DESC NULLS LAST").replace(
                "published_at ASC", "published_at ASC NULLS LAST"
            )
        wanted = [name for name in query.facets if name in _FACET_COLUMNS]
        columns = ["e.id", f"{score} AS score", "e.published_at"]
        column_params: list[Any] = []
        for name in wanted:
            value_column, label_column = _FACET_COLUMNS[name]
            if name == "validity":
                columns.append(f"CASE WHEN {self._valid_expression()} THEN 'valid' ELSE 'invalid' END AS validity_now")
                column_params.append(query.on())
            else:
                columns += [f"e.{value_column}"] + ([f"e.{label_column}"] if label_column else [])
        parts = [
            "SELECT * FROM (SELECT '_hit' AS facet, CAST(id AS VARCHAR(64)) AS value, '' AS label, score AS n "
            f"FROM m ORDER BY {order} LIMIT %s OFFSET %s) page",
            "SELECT '_total', '', '', COUNT(*) FROM m",
        ]
        for name in wanted:
            value_column, label_column = _FACET_COLUMNS[name]
            label = f"MAX({label_column})" if label_column else "''"
            parts.append(
                f"SELECT '{name}', CAST({value_column} AS VARCHAR(64)), {label}, COUNT(*) FROM m "
                f"WHERE {value_column} IS NOT NULL AND CAST({value_column} AS VARCHAR(64)) <> '' "
                f"GROUP BY {value_column}"
            )
        sql = f"WITH m AS MATERIALIZED (SELECT {', '.join(columns)} {source} {where}) " + " UNION ALL ".join(parts)
        total = 0
        scores: dict[int, float] = {}
        facets: dict[str, list[FacetValue]] = {name: [] for name in wanted}
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [*column_params, *source_params, *where_params, query.page_size, query.offset])
            for facet, value, label, n in cursor.fetchall():
                if facet == "_hit":
                    scores[int(value)] = float(n or 0.0)
                elif facet == "_total":
                    total = int(n)
                else:
                    facets[facet].append(FacetValue(value=str(value), label=label or "", count=int(n)))
            rows: dict[int, tuple] = {}
            if scores:
                marks = ", ".join(["%s"] * len(scores))
                fields = ", ".join(f"e.{name}" for name in _FIELDS)
                cursor.execute(f"SELECT e.id, {fields} FROM {ENTRY_TABLE} e WHERE e.id IN ({marks})", list(scores))
                rows = {row[0]: row[1:] for row in cursor.fetchall()}
        page = [(pk, self._hit((*rows[pk], score))) for pk, score in scores.items() if pk in rows]
        page.sort(key=self._order_key(query, tokens))
        return Result(total=total, hits=[hit for _pk, hit in page], facets=facets, tokens=tokens)

    @staticmethod
    def _order_key(query: Query, tokens: list[str]) -> Any:
        """Sort key of (id, hit) pairs: the SQL order (entries without a date last), restored in Python since
        UNION ALL does not promise to keep a branch's order."""
        oldest = query.sort == "oldest"

        def key(item: tuple[int, Hit]) -> tuple:
            pk, hit = item
            published = hit.entry.published_at.timestamp() if hit.entry.published_at else None
            if oldest:
                return (published is None, published or 0.0, pk)
            rank = -hit.score if query.sort == "relevance" and tokens else 0.0
            return (rank, published is None, -(published or 0.0), -pk)

        return key

    @staticmethod
    def _hit(row: tuple) -> Hit:
        """A result row as a Hit."""
        values = dict(zip(_FIELDS, row[: len(_FIELDS)], strict=True))
        published_at = values["published_at"]
        if isinstance(published_at, str):  # SQLite without converters
            published_at = datetime.datetime.fromisoformat(published_at)
        if published_at is not None and published_at.tzinfo is None:
            published_at = published_at.replace(tzinfo=datetime.UTC)
        values["published_at"] = published_at
        if isinstance(values["valid_until"], str):
            values["valid_until"] = datetime.date.fromisoformat(values["valid_until"])
        values["catalogue"] = bool(values["catalogue"])
        return Hit(entry=Entry(**values), score=float(row[-1] or 0.0))
