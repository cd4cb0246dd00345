"""The search service: one interface over the configured engine.

- `search(query)` answers catalogue and site-wide queries with facet labels and suggestions;
- `update(keys)` / `remove(keys)` keep the index in step with pages and plugin objects (called by the
  signal handlers in `search.signals`, through the tasks in `search.tasks`);
- `get_engine()` is the embedded engine unless `ES_URL` is set (or `SUNLIGHT_SEARCH_ENGINE` names one).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from cms.cache import bump as content_changed

from . import suggest
from .documents import BuildContext, SearchDocument, all_documents, object_documents, page_document_for
from .engines.base import Engine, Entry, Query, Result

ENGINES = ("embedded", "elasticsearch")
#: Below this many results a query gets suggestions.
SUGGEST_BELOW = 3

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def engine_name() -> str:
    """The configured engine: SUNLIGHT_SEARCH_ENGINE, else Elasticsearch when ES_URL is set, else embedded."""
    name = getattr(settings, "SUNLIGHT_SEARCH_ENGINE", "") or ("elasticsearch" if settings.ES_URL else "embedded")
    if name not in ENGINES:
        raise ImproperlyConfigured(f"SUNLIGHT_SEARCH_ENGINE must be one of {', '.join(ENGINES)}, not {name!r}.")
    return name


def get_engine(name: str | None = None) -> Engine:
    """The engine called `name` (default: the configured one), created once per process."""
    name = name or engine_name()
    with _lock:
        if name not in _engines:
            if name == "embedded":
                from .engines.embedded import EmbeddedEngine

                _engines[name] = EmbeddedEngine()
            elif name == "elasticsearch":
                from .engines.elasticsearch import ElasticsearchEngine

                _engines[name] = ElasticsearchEngine.from_settings()
            else:
                raise ImproperlyConfigured(f"Unknown search engine {name!r}; use one of {', '.join(ENGINES)}.")
        return _engines[name]


def reset_engines() -> None:
    """Forget created engines (tests that change settings)."""
    with _lock:
        for engine in _engines.values():
            engine.close()
        _engines.clear()


# -- keeping the index up to date ------------------------------------------------------------------------------


def _rebuild_target(engine: Engine) -> str | None:
    """The target of an unfinished `manage.py reindex` of this engine, which live changes must reach too."""
    from .models import ReindexRun

    return (
        ReindexRun.objects.filter(engine=engine.name, finished_at__isnull=True)
        .order_by("-started_at")
        .values_list("target", flat=True)
        .first()
    )


def write(entries: Sequence[Entry], engine: Engine | None = None) -> None:
    """Index entries in the live index (and in a running rebuild's target) and learn their words."""
    if not entries:
        return
    engine = engine or get_engine()
    target = _rebuild_target(engine)
    if engine.separate_rebuild_target:
        engine.index(entries)
        if target:
            engine.index(entries, target=target)
    else:  # one table: writing with the rebuild's generation keeps the entry when the rebuild finishes
        engine.index(entries, target=target)
    suggest.record(f"{entry.title}\n{entry.summary}" for entry in entries)
    content_changed()


def remove(keys: Iterable[str], engine: Engine | None = None) -> None:
    """Remove entries at once (withdrawn, unpublished, deleted, made private)."""
    keys = list(keys)
    if not keys:
        return
    engine = engine or get_engine()
    engine.remove(keys)
    target = _rebuild_target(engine)
    if target and engine.separate_rebuild_target:
        engine.remove(keys, target=target)
    content_changed()


def resolve(keys: Iterable[str], documents: list[SearchDocument] | None = None) -> tuple[list[Entry], list[str]]:
    """Build the entries of `keys`: (entries to index, keys to remove because their object is gone or hidden)."""
    from wagtail.models import Page

    documents = documents or all_documents()
    context = BuildContext.load()
    keys = list(dict.fromkeys(keys))
    entries: list[Entry] = []
    gone: list[str] = []
    page_ids = {int(key.split(":", 1)[1]): key for key in keys if key.startswith("page:")}
    found: set[str] = set()
    for page in Page.objects.filter(pk__in=list(page_ids)).specific(defer=False):
        entry = page_document_for(page, documents).build(page, context)
        if entry is not None:
            entries.append(entry)
            found.add(entry.key)
    by_label = {document.model._meta.label_lower: document for document in object_documents(documents)}
    for key in keys:
        if key.startswith("page:"):
            continue
        label, _sep, pk = key.partition(":")
        document = by_label.get(label)
        obj = document.get_queryset().filter(pk=pk).first() if document else None
        entry = document.build(obj, context) if obj is not None else None
        if entry is not None:
            entries.append(entry)
            found.add(entry.key)
    gone = [key for key in keys if key not in found]
    return entries, gone


def update(keys: Iterable[str], engine: Engine | None = None) -> tuple[int, int]:
    """Re-read the objects of `keys` and index or remove each; returns (indexed, removed)."""
    entries, gone = resolve(keys)
    write(entries, engine)
    remove(gone, engine)
    return len(entries), len(gone)


# -- searching -------------------------------------------------------------------------------------------------


def facet_labels() -> dict[str, dict[str, str]]:
    """Labels of facet values the engines store as codes (kinds, disclosure modes, validity)."""
    from wagtail.models import get_page_models

    from pages.models import DisclosureMode

    kinds = {model._meta.model_name: str(model._meta.verbose_name) for model in get_page_models()}
    for document in object_documents():
        kinds[document.kind] = document.kind_label
    return {
        "kind": kinds,
        "mode": {str(value): str(label) for value, label in DisclosureMode.choices},
        "validity": {"valid": _("in force"), "invalid": _("not in force")},
    }


def _order_facets(result: Result) -> None:
    """Years newest first; other facets by count, then label; labels filled in."""
    labels = facet_labels()
    for name, values in result.facets.items():
        for value in values:
            if not value.label:
                value.label = labels.get(name, {}).get(value.value, value.value)
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label))


def search(query: Query, engine: Engine | None = None) -> tuple[Result, list[str]]:
    """Answer a query; returns the result and suggestions (when it found fewer than SUGGEST_BELOW)."""
    engine = engine or get_engine()
    result = engine.search(query)
    _order_facets(result)
    suggestions: list[str] = []
    if query.text.strip() and result.total < SUGGEST_BELOW:
        suggestions = suggestions_for(query, engine)
    return result, suggestions


def suggestions_for(query: Query, engine: Engine | None = None, limit: int = 5, completions: bool = True) -> list[str]:
    """Corrections (and, unless `completions` is False, completions) of the query text that find something,
    best first. Each candidate costs one probe search, so there are at most three corrections and eight
    completions to try."""
    engine = engine or get_engine()
    text = query.text.strip()
    candidates = suggest.corrections(text)
    words = text.split()
    if words and completions:
        head = " ".join(words[:-1])
        candidates += [f"{head} {word}".strip() for word in suggest.complete(words[-1])]
    found: list[str] = []
    for candidate in dict.fromkeys(candidates):
        if candidate == text:
            continue
        probe = dataclasses.replace(query, text=candidate, page=1, page_size=1, facets=())
        if engine.search(probe).total > 0:
            found.append(candidate)
        if len(found) >= limit:
            break
    return found
