"""Parts shared by the jieba SQLite and PostgreSQL backends: query segmentation and indexer rebinding."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText, SearchQuery

from search.segment import segment_for_query

#: What a query without any searchable token becomes: the backends answer it with an empty queryset.
MATCH_NOTHING = Not(MatchAll())


def segment_search_query(query: SearchQuery) -> SearchQuery:
    """Return `query` with every text leaf segmented by jieba, and empty leaves pruned.

    `PlainText` keeps its operator (tokens are ANDed by default); a `Phrase` becomes an AND of its tokens,
    since index tokens from `cut_for_search` overlap (sub-words precede their word) and adjacency of query
    tokens in the index is not guaranteed. A query left without tokens matches nothing.
    """
    segmented = _segment(query)
    return MATCH_NOTHING if segmented is None else segmented


def _segment(query: SearchQuery) -> SearchQuery | None:
    """Segment one node; None for a node that has nothing searchable left."""
    if isinstance(query, PlainText):
        text = segment_for_query(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else None
    if isinstance(query, Phrase):
        text = segment_for_query(query.query_string)
        return PlainText(text, operator="and") if text else None
    if isinstance(query, (And, Or)):
        subqueries = [sub for sub in map(_segment, query.subqueries) if sub is not None]
        if not subqueries:
            return None
        return subqueries[0] if len(subqueries) == 1 else type(query)(subqueries)
    if isinstance(query, Not):
        subquery = _segment(query.subquery)
        # "everything except nothing" is everything.
        return MatchAll() if subquery is None else Not(subquery)
    if isinstance(query, Boost):
        subquery = _segment(query.subquery)
        return None if subquery is None else Boost(subquery, query.boost)
    return query  # MatchAll, Fuzzy (PostgreSQL trigram search on the raw text) and unknown nodes


def _global_names(code: types.CodeType) -> set[str]:
    """Names a code object and its nested code objects (comprehensions before Python 3.12) look up."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def rebind_globals(func: Callable[..., Any], **names: Any) -> Callable[..., Any]:
    """Return a copy of `func` that sees `names` instead of its module's globals of the same name.

    modelsearch's `Index.add_items` builds its indexers from the module-level `ObjectIndexer` class; rebinding
    that one name to our subclass reuses upstream's code as is instead of copying it. Fails at import time when
    an upgrade of modelsearch stops using a name, so the override cannot silently become a no-op.
    """
    unused = set(names) - _global_names(func.__code__)
    if unused:
        raise ImproperlyConfigured(f"{func.__qualname__} no longer uses {sorted(unused)}; update search.backends.")
    scope = {**func.__globals__, **names}
    rebound = types.FunctionType(func.__code__, scope, func.__name__, func.__defaults__, func.__closure__)
    rebound.__kwdefaults__ = func.__kwdefaults__
    rebound.__qualname__ = func.__qualname__
    rebound.__doc__ = func.__doc__
    return rebound
