"""The Elasticsearch engine: the same entries, queries and results as the embedded engine, in an Elasticsearch index.

Text is segmented by jieba in Python (`search.segment`), exactly as for the embedded engine, and stored as
space-joined tokens in `title_tokens` / `body_tokens`, which Elasticsearch only splits on whitespace and
lower-cases (the `sunlight_tokens` analyzer). So both engines see the same tokens and find the same entries;
only the ranking formula differs (BM25 with a title boost of 10 here, as in the SQLite engine).

Optionally (`SUNLIGHT_ES_ANALYZER = "ik"` or `"smartcn"`, when the cluster has that analysis plugin) the
original title and body are also analysed by the plugin (`title.cjk`, `body.cjk`); those sub-fields only add
to the score, they never decide what matches.

Zero-downtime rebuilds: the live index is the alias `<prefix>`; concrete indices are `<prefix>-<UTC timestamp>`.
`start_rebuild` creates a new concrete index, `finish_rebuild` swaps the alias to it in one atomic
`update_aliases` call and deletes the indices it replaced.

This module was written without a cluster to test against; `search/tests/test_conformance.py` runs against
it when `ES_URL` is set.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.dsl import Boolean, Date, Index, Integer, Keyword, Long, Mapping, Text, analyzer
from elasticsearch.helpers import BulkIndexError, bulk

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

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Analyzer options (`SUNLIGHT_ES_ANALYZER`): jieba tokens only, or also an analysis plugin's sub-fields.
ANALYZERS = ("jieba", "ik", "smartcn")
#: Plugin analyzers of the `cjk` sub-fields: option -> (index analyzer, search analyzer).
PLUGIN_ANALYZERS = {"ik": ("ik_max_word", "ik_smart"), "smartcn": ("smartcn", "smartcn")}
#: Query weights of the fields: the jieba token fields decide matching; plugin sub-fields add a little score.
TITLE_BOOST = 10
PLUGIN_TITLE_BOOST = 2
PLUGIN_BODY_BOOST = 0.2

#: Seconds a request may take (bulk writes of long documents included).
REQUEST_TIMEOUT = 30
#: Elasticsearch's default `index.max_result_window`: pages beyond it return no hits (total and facets remain).
MAX_RESULT_WINDOW = 10_000
#: Buckets per facet (the embedded engine has no limit; no real facet has this many values).
FACET_SIZE = 200
#: Bulk requests: actions and bytes per request.
BULK_CHUNK_SIZE = 200
BULK_CHUNK_BYTES = 10 * 1024 * 1024

FACETS = (*FACET_FIELDS, "validity")

#: The analyzer of the token fields: the text is already segmented by jieba, so split on spaces only.
TOKENS_ANALYZER = analyzer("sunlight_tokens", tokenizer="whitespace", filter=["lowercase"])


# -- mapping ---------------------------------------------------------------------------------------------------


def build_mapping(analyzer_option: str = "jieba") -> Mapping:
    """The index mapping (an `elasticsearch.dsl.Mapping`) for an analyzer option of `ANALYZERS`."""
    if analyzer_option not in ANALYZERS:
        raise ImproperlyConfigured(
            f"SUNLIGHT_ES_ANALYZER must be one of {', '.join(ANALYZERS)}, not {analyzer_option!r}."
        )
    plugin_fields: dict[str, Text] = {}
    if analyzer_option in PLUGIN_ANALYZERS:
        index_analyzer, search_analyzer = PLUGIN_ANALYZERS[analyzer_option]
        plugin_fields = {"cjk": Text(analyzer=index_analyzer, search_analyzer=search_analyzer)}
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    for name in (
        "key", "kind", "department_code", "department_name", "topic_code", "topic_name", "genre_code",
        "genre_name", "mode", "validity", "index_number", "document_number", "url",
    ):  # fmt: skip
        mapping.field(name, Keyword())
    mapping.field("catalogue", Boolean())
    mapping.field("site_id", Integer())
    mapping.field("year", Integer())
    mapping.field("seq", Long())
    mapping.field("published_at", Date())
    mapping.field("valid_until", Date())
    # The originals are only kept in _source (to rebuild the Entry); plugin sub-fields analyse title and body.
    if plugin_fields:
        mapping.field("title", Text(index=False, fields=plugin_fields))
        mapping.field("body", Text(index=False, fields=plugin_fields))
    else:
        mapping.field("title", Text(index=False))
        mapping.field("body", Text(index=False))
    mapping.field("summary", Text(index=False))
    mapping.field("title_tokens", Text(analyzer=TOKENS_ANALYZER))
    mapping.field("body_tokens", Text(analyzer=TOKENS_ANALYZER))
    return mapping


def index_definition(analyzer_option: str = "jieba") -> dict[str, Any]:
    """Settings and mappings of a concrete index: the keyword arguments of `indices.create`."""
    index = Index("sunlight-definition")  # the name is not used: only the body is taken
    index.settings(number_of_shards=1)  # one shard: the same term statistics for every document
    index.mapping(build_mapping(analyzer_option))
    definition = index.to_dict()
    return {"settings": definition["settings"], "mappings": definition["mappings"]}


def concrete_index_name(prefix: str, now: datetime.datetime | None = None) -> str:
    """A new concrete index name: `<prefix>-<UTC timestamp with microseconds>` (20 digits)."""
    now = now or datetime.datetime.now(datetime.UTC)
    return f"{prefix}-{now.astimezone(datetime.UTC):%Y%m%d%H%M%S%f}"


def is_concrete_index_of(prefix: str, name: str) -> bool:
    """Whether `name` is a concrete index this engine created for `prefix`."""
    return re.fullmatch(re.escape(prefix) + r"-\d{20}", name) is not None


# -- documents -------------------------------------------------------------------------------------------------


def entry_document(entry: Entry, seq: int = 0) -> dict[str, Any]:
    """The stored document of an entry: its fields, its year, its write sequence `seq` and the jieba token fields."""
    document: dict[str, Any] = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    for name in ENTRY_FIELDS:
        if document[name] is None and name not in NULLABLE_FIELDS:
            document[name] = ""
    document["title"] = document["title"][:500]
    document["body"] = document["body"][:MAX_BODY_CHARS]
    document["catalogue"] = bool(document["catalogue"])
    document["year"] = entry.year
    document["seq"] = seq
    document["published_at"] = entry.published_at.isoformat() if entry.published_at else None
    document["valid_until"] = entry.valid_until.isoformat() if entry.valid_until else None
    # Same token text as the embedded engine's FTS5 table / tsvector.
    document["title_tokens"] = segment_for_index(entry.title)
    document["body_tokens"] = segment_for_index(f"{document['summary']}\n{document['body']}")
    return document


def entry_from_source(source: dict[str, Any]) -> Entry:
    """Rebuild an Entry from a hit's `_source` (dates parsed; naive times taken as UTC)."""
    values = {name: source.get(name) for name in ENTRY_FIELDS}
    for name in ENTRY_FIELDS:
        if values[name] is None and name not in NULLABLE_FIELDS:
            values[name] = ""
    published_at = values["published_at"]
    if isinstance(published_at, str):
        published_at = datetime.datetime.fromisoformat(published_at)
    if published_at is not None and published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=datetime.UTC)
    values["published_at"] = published_at
    if isinstance(values["valid_until"], str):
        values["valid_until"] = datetime.date.fromisoformat(values["valid_until"][:10])
    values["catalogue"] = bool(values["catalogue"])
    return Entry(**values)


# -- queries ---------------------------------------------------------------------------------------------------


def valid_condition(day: datetime.date) -> dict[str, Any]:
    """Query true for entries in force on `day`: validity '' or 'valid', and no expiry date or not past it."""
    return {
        "bool": {
            "filter": [
                {"terms": {"validity": ["", "valid"]}},
                {
                    "bool": {
                        "should": [
                            {"bool": {"must_not": [{"exists": {"field": "valid_until"}}]}},
                            {"range": {"valid_until": {"gte": day.isoformat()}}},
                        ],
                        "minimum_should_match": 1,
                    }
                },
            ]
        }
    }


def filter_clauses(query: Query) -> list[dict[str, Any]]:
    """The filters of a query: scope, site and facet filters (as the embedded engine's WHERE clause)."""
    clauses: list[dict[str, Any]] = []
    if query.scope == "catalogue":
        clauses.append({"term": {"catalogue": True}})
    if query.site_id is not None:  # entries without a site (plugin objects) belong to every site
        clauses.append(
            {
                "bool": {
                    "should": [
                        {"term": {"site_id": query.site_id}},
                        {"bool": {"must_not": [{"exists": {"field": "site_id"}}]}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    for name, value in query.filters.items():
        if name in FILTER_FIELDS:
            clauses.append({"term": {FILTER_FIELDS[name]: value}})
        elif name == "year":
            clauses.append({"term": {"year": int(value)}})
        elif name == "validity":
            condition = valid_condition(query.on())
            clauses.append(condition if value == "valid" else {"bool": {"must_not": [condition]}})
    return clauses


def sort_clauses(query: Query, tokens: Sequence[str]) -> list[Any]:
    """Sort order: oldest/newest by publication time (missing last), else score.

    Equal times are ordered by write sequence (`seq`, later writes first when newest), like the embedded
    engine's row ids, then by key.
    """
    if query.sort == "oldest":
        return [
            {"published_at": {"order": "asc", "missing": "_last"}},
            {"seq": {"order": "asc"}},
            {"key": {"order": "asc"}},
        ]
    newest = [
        {"published_at": {"order": "desc", "missing": "_last"}},
        {"seq": {"order": "desc"}},
        {"key": {"order": "desc"}},
    ]
    if query.sort == "newest" or not tokens:
        return newest
    return [{"_score": {"order": "desc"}}, *newest]


def facet_aggregations(query: Query) -> dict[str, Any]:
    """Aggregations of the facets the query asks for (unknown names are ignored, as by the embedded engine)."""
    aggregations: dict[str, Any] = {}
    for name in query.facets:
        if name == "validity":
            condition = valid_condition(query.on())
            aggregations[name] = {
                "filters": {"filters": {"valid": condition, "invalid": {"bool": {"must_not": [condition]}}}}
            }
        elif name in FACET_FIELDS:
            value_field, label_field = FACET_FIELDS[name]
            aggregation: dict[str, Any] = {"terms": {"field": value_field, "size": FACET_SIZE}}
            if label_field:
                aggregation["aggs"] = {"label": {"terms": {"field": label_field, "size": 1}}}
            aggregations[name] = aggregation
    return aggregations


def build_search_body(query: Query, tokens: Sequence[str], analyzer_option: str = "jieba") -> dict[str, Any]:
    """The request body of `search()` for a query and its jieba tokens (no tokens: browse everything)."""
    if tokens:
        text_query: dict[str, Any] = {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": " ".join(tokens),
                            "type": "cross_fields",
                            "operator": "and",
                            "fields": [f"title_tokens^{TITLE_BOOST}", "body_tokens"],
                        }
                    }
                ],
                "filter": filter_clauses(query),
            }
        }
        if analyzer_option in PLUGIN_ANALYZERS:
            # Scoring only: `must` above decides what matches, so both engines find the same entries.
            text_query["bool"]["should"] = [
                {
                    "multi_match": {
                        "query": query.text,
                        "fields": [f"title.cjk^{PLUGIN_TITLE_BOOST}", f"body.cjk^{PLUGIN_BODY_BOOST}"],
                    }
                }
            ]
    else:
        text_query = {"bool": {"must": [{"match_all": {}}], "filter": filter_clauses(query)}}
    in_window = query.offset + query.page_size <= MAX_RESULT_WINDOW
    body: dict[str, Any] = {
        "query": text_query,
        "sort": sort_clauses(query, tokens),
        "from": query.offset if in_window else 0,
        "size": query.page_size if in_window else 0,
        "track_total_hits": True,
        "_source": {"includes": list(ENTRY_FIELDS)},
    }
    if tokens:
        body["track_scores"] = True  # scores also when sorting by date
    aggregations = facet_aggregations(query)
    if aggregations:
        body["aggs"] = aggregations
    return body


def parse_facets(query: Query, aggregations: dict[str, Any]) -> dict[str, list[FacetValue]]:
    """Facet values of a search response's aggregations (empty codes and zero counts left out)."""
    facets: dict[str, list[FacetValue]] = {}
    for name in query.facets:
        if name not in FACETS:
            continue
        values: list[FacetValue] = []
        aggregation = aggregations.get(name, {})
        if name == "validity":
            for value, bucket in aggregation.get("buckets", {}).items():
                if bucket["doc_count"] > 0:
                    values.append(FacetValue(value=value, label="", count=bucket["doc_count"]))
        else:
            for bucket in aggregation.get("buckets", []):
                if bucket["key"] is None or str(bucket["key"]) == "":
                    continue
                labels = bucket.get("label", {}).get("buckets", [])
                label = str(labels[0]["key"]) if labels else ""
                values.append(FacetValue(value=str(bucket["key"]), label=label, count=bucket["doc_count"]))
        facets[name] = values
    return facets


# -- the engine ------------------------------------------------------------------------------------------------


def _is_missing_index(error: Exception) -> bool:
    """Whether an error says the index or alias does not exist (it was deleted behind the engine's back)."""
    if isinstance(error, NotFoundError):
        return True
    if isinstance(error, BulkIndexError):
        return any(
            next(iter(item.values()), {}).get("status") == 404 for item in error.errors if isinstance(item, dict)
        )
    return False


class ElasticsearchEngine(Engine):
    """Search in Elasticsearch, behind the alias `<prefix>`, with the embedded engine's results."""

    name = "elasticsearch"
    separate_rebuild_target = True

    def __init__(self, client: Elasticsearch, prefix: str = "sunlight", analyzer: str = "jieba") -> None:
        """Use `client`; the live alias is `prefix`, concrete indices `<prefix>-<timestamp>`."""
        if analyzer not in ANALYZERS:
            raise ImproperlyConfigured(f"SUNLIGHT_ES_ANALYZER must be one of {', '.join(ANALYZERS)}, not {analyzer!r}.")
        self.client = client
        self.prefix = prefix
        self.analyzer = analyzer
        self._live_ready = False  # set once the alias is known to exist (checked again after a 404)

    @classmethod
    def from_settings(cls) -> ElasticsearchEngine:
        """The engine of the settings: ES_URL, SUNLIGHT_ES_INDEX and SUNLIGHT_ES_ANALYZER."""
        from django.conf import settings

        if not settings.ES_URL:
            raise ImproperlyConfigured("The elasticsearch search engine needs ES_URL.")
        client = Elasticsearch(settings.ES_URL, request_timeout=REQUEST_TIMEOUT)
        return cls(
            client=client,
            prefix=settings.SUNLIGHT_ES_INDEX or "sunlight",
            analyzer=getattr(settings, "SUNLIGHT_ES_ANALYZER", "jieba") or "jieba",
        )

    @property
    def alias(self) -> str:
        """The live alias."""
        return self.prefix

    # -- indices -----------------------------------------------------------------------------------------------

    def create_index(self) -> str:
        """Create a new, empty concrete index with the mapping and return its name."""
        name = concrete_index_name(self.prefix)
        self.client.indices.create(index=name, **index_definition(self.analyzer))
        return name

    def _alias_indices(self) -> list[str]:
        """Concrete indices the live alias points to (oldest first; [] without the alias)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _concrete_indices(self) -> list[str]:
        """All concrete indices of this prefix (oldest first)."""
        found = self.client.indices.get_alias(index=f"{self.prefix}-*").body
        return sorted(name for name in found if is_concrete_index_of(self.prefix, name))

    def ensure_live(self) -> str:
        """Make sure the live alias exists (creating a first concrete index behind it) and return it."""
        if self._live_ready:
            return self.alias
        for _attempt in range(3):
            members = self._alias_indices()
            if members:
                if len(members) > 1:
                    # Two processes created a first index at once: keep the oldest, drop the others.
                    self.client.indices.delete(index=members[1:], ignore_unavailable=True)
                self._live_ready = True
                return self.alias
            if self.client.indices.exists(index=self.alias):
                raise ImproperlyConfigured(
                    f"Elasticsearch has an index called {self.alias!r}, which must be an alias: delete it or "
                    "choose another SUNLIGHT_ES_INDEX."
                )
            name = self.create_index()
            try:
                self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])
            except NotFoundError:  # a racing process deleted our index: look again
                continue
        raise RuntimeError(f"Could not set up the Elasticsearch alias {self.alias!r}.")

    def _on_live(self, operation: Callable[[str], T]) -> T:
        """Run `operation(alias)` on the live index; if the index vanished, set it up again and retry once."""
        alias = self.ensure_live()
        try:
            return operation(alias)
        except (NotFoundError, BulkIndexError) as error:
            if not _is_missing_index(error):
                raise
            self._live_ready = False
            return operation(self.ensure_live())

    # -- writing -----------------------------------------------------------------------------------------------

    def index(self, entries: Sequence[Entry], target: str | None = None) -> None:
        """Add or replace entries (by key); live writes are visible to the next search."""
        unique = list({entry.key: entry for entry in entries}.values())
        if not unique:
            return
        first = time.time_ns()  # write order, the tie-breaker of equal publication times (embedded: row id)
        documents = [(entry.key, entry_document(entry, first + i)) for i, entry in enumerate(unique)]

        def write(index: str, live: bool) -> None:
            actions = ({"_op_type": "index", "_index": index, "_id": key, "_source": doc} for key, doc in documents)
            options: dict[str, Any] = {"refresh": "wait_for", "require_alias": True} if live else {}
            bulk(self.client, actions, chunk_size=BULK_CHUNK_SIZE, max_chunk_bytes=BULK_CHUNK_BYTES, **options)

        if target is None:
            self._on_live(lambda alias: write(alias, live=True))
        elif self.is_target_alive(target):
            write(target, live=False)
        else:  # never let a bulk write auto-create an index without the mapping
            logger.warning("Rebuild target %s is gone; skipped (manage.py reindex starts over).", target)

    def remove(self, keys: Iterable[str], target: str | None = None) -> None:
        """Delete entries by key (missing keys are ignored); live deletes are visible to the next search."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return

        def delete(index: str, live: bool) -> None:
            actions = ({"_op_type": "delete", "_index": index, "_id": key} for key in keys)
            options: dict[str, Any] = {"refresh": "wait_for"} if live else {}
            bulk(self.client, actions, chunk_size=BULK_CHUNK_SIZE, ignore_status=(404,), **options)

        if target is None:
            self._on_live(lambda alias: delete(alias, live=True))
        elif self.is_target_alive(target):
            delete(target, live=False)

    def count(self) -> int:
        """Number of entries in the live index."""
        return int(self._on_live(lambda alias: self.client.count(index=alias)["count"]))

    def clear(self) -> None:
        """Remove every entry of the live index (the index and its mapping stay)."""
        self._on_live(
            lambda alias: self.client.delete_by_query(
                index=alias, query={"match_all": {}}, refresh=True, conflicts="proceed"
            )
        )

    # -- rebuilding --------------------------------------------------------------------------------------------

    def start_rebuild(self, resume: str | None = None) -> str:
        """A new concrete index to rebuild into (or `resume`, the target of an interrupted rebuild)."""
        if resume:
            return resume
        return self.create_index()

    def finish_rebuild(self, target: str) -> None:
        """Point the alias at `target` in one atomic call, then delete the indices it replaced."""
        self.client.indices.refresh(index=target)
        old = [name for name in self._alias_indices() if name != target]
        actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": target, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        self._live_ready = True
        # The replaced live indices, and targets of abandoned rebuilds started before this one.
        stale = set(old) | {name for name in self._concrete_indices() if name < target}
        stale.discard(target)
        if stale:
            self.client.indices.delete(index=sorted(stale), ignore_unavailable=True)

    def is_target_alive(self, target: str) -> bool:
        """Whether the rebuild target index still exists."""
        return bool(self.client.indices.exists(index=target))

    # -- searching ---------------------------------------------------------------------------------------------

    def search(self, query: Query) -> Result:
        """Hits, total and facet counts of a query, in one search request."""
        tokens = tokens_for_query(query.text)
        if query.text.strip() and not tokens:
            return Result(total=0, hits=[], facets={name: [] for name in query.facets}, tokens=[])
        body = build_search_body(query, tokens, self.analyzer)
        response = self._on_live(lambda alias: self.client.search(index=alias, body=body).body)
        hits = [
            # Browsing has no relevance: score 0, as in the embedded engine (match_all would give 1.0).
            Hit(entry=entry_from_source(hit["_source"]), score=float(hit.get("_score") or 0.0) if tokens else 0.0)
            for hit in response["hits"]["hits"]
        ]
        total = int(response["hits"]["total"]["value"])
        facets = parse_facets(query, response.get("aggregations", {}))
        return Result(total=total, hits=hits, facets=facets, tokens=tokens)

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()
