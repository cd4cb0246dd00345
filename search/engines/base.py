"""The engine-neutral parts of search: entries, queries, results and the `Engine` interface.

An *entry* is what the index holds of one searchable thing (a live public page, or a plugin's object): its
key, kind, title, text and the catalogue fields the facets count. Both engines (embedded and Elasticsearch)
take the same `Query` and answer with the same `Result`, and one conformance suite checks that they agree.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: Facets of the disclosure catalogue (SPEC §3) and of the site-wide search.
CATALOGUE_FACETS = ("year", "department", "topic", "genre", "mode", "validity")
SITE_FACETS = ("kind", "year", "department")

SORTS = ("relevance", "newest", "oldest")

#: Entry fields both engines store under the same name.
ENTRY_FIELDS = (
    "key", "kind", "catalogue", "site_id", "title", "summary", "body", "url", "published_at",
    "department_code", "department_name", "topic_code", "topic_name", "genre_code", "genre_name",
    "mode", "validity", "valid_until", "index_number", "document_number",
)  # fmt: skip
#: Entry fields that may be None (other strings are stored as "" when None).
NULLABLE_FIELDS = ("site_id", "published_at", "valid_until")
#: Filter name -> field compared for equality (year and validity are handled apart).
FILTER_FIELDS = {"kind": "kind", "department": "department_code", "topic": "topic_code", "genre": "genre_code",
                 "mode": "mode"}  # fmt: skip
#: Facet name -> (value field, label field or None); validity is computed for the query's day.
FACET_FIELDS = {
    "kind": ("kind", None),
    "year": ("year", None),
    "department": ("department_code", "department_name"),
    "topic": ("topic_code", "topic_name"),
    "genre": ("genre_code", "genre_name"),
    "mode": ("mode", None),
}

#: Longest body text kept per entry (characters); longer documents are indexed by their beginning.
MAX_BODY_CHARS = 50_000


@dataclass
class Entry:
    """One searchable item as both engines store it."""

    key: str
    kind: str
    title: str
    url: str = ""
    body: str = ""
    summary: str = ""
    catalogue: bool = False
    site_id: int | None = None
    published_at: datetime.datetime | None = None
    department_code: str = ""
    department_name: str = ""
    topic_code: str = ""
    topic_name: str = ""
    genre_code: str = ""
    genre_name: str = ""
    mode: str = ""
    validity: str = ""
    valid_until: datetime.date | None = None
    index_number: str = ""
    document_number: str = ""

    @property
    def year(self) -> int | None:
        """Year of publication (local time), the year facet."""
        if self.published_at is None:
            return None
        from django.utils import timezone

        return (
            timezone.localtime(self.published_at).year
            if timezone.is_aware(self.published_at)
            else (self.published_at.year)
        )

    def is_valid_on(self, day: datetime.date) -> bool:
        """In force on `day`: marked valid and not past its expiry date (entries without validity count as valid)."""
        if self.validity and self.validity != "valid":
            return False
        return self.valid_until is None or self.valid_until >= day


@dataclass
class Query:
    """A search request: text (may be empty: browse), scope, filters by facet, sort and page.

    `site_id` limits results to entries of that site and entries without a site (plugin objects that belong
    to the whole bureau); None searches every site.
    """

    text: str = ""
    scope: str = "catalogue"
    site_id: int | None = None
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10
    facets: Sequence[str] = ()
    today: datetime.date | None = None

    @property
    def offset(self) -> int:
        """Index of the first hit of the page."""
        return (self.page - 1) * self.page_size

    def on(self) -> datetime.date:
        """The day validity is judged on (today in the site's time zone unless given)."""
        if self.today is not None:
            return self.today
        from django.utils import timezone

        return timezone.localdate()


@dataclass
class Hit:
    """One result: the stored entry and its relevance score (higher is better; 0 when browsing)."""

    entry: Entry
    score: float = 0.0


@dataclass
class FacetValue:
    """One value of a facet with the number of matching entries."""

    value: str
    label: str
    count: int


@dataclass
class Result:
    """A page of hits, the total, the facet counts and the query tokens (for highlighting)."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)


class Engine(ABC):
    """A search engine: stores entries and answers queries.

    Rebuilding (`manage.py reindex`) writes into a *target* (`start_rebuild`) while the live index keeps
    answering, then `finish_rebuild` makes it live at once: the embedded engine tags entries with a
    generation and drops older generations, Elasticsearch fills a new index and swaps an alias.
    """

    #: Name used by settings and `manage.py reindex --engine`.
    name = ""
    #: Whether a rebuild writes somewhere else than the live index (so live changes are written twice).
    separate_rebuild_target = True

    @abstractmethod
    def index(self, entries: Sequence[Entry], target: str | None = None) -> None:
        """Add or replace entries (by key) in the live index, or in a rebuild target."""

    @abstractmethod
    def remove(self, keys: Iterable[str], target: str | None = None) -> None:
        """Remove entries by key (missing keys are ignored)."""

    @abstractmethod
    def search(self, query: Query) -> Result:
        """Answer a query: matching entries of the scope and site, filtered, sorted, paged, with facet counts."""

    @abstractmethod
    def count(self) -> int:
        """Number of entries in the live index."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every entry."""

    @abstractmethod
    def start_rebuild(self, resume: str | None = None) -> str:
        """Prepare a rebuild target (or reopen `resume`, a target an interrupted rebuild left) and name it."""

    @abstractmethod
    def finish_rebuild(self, target: str) -> None:
        """Make the rebuilt target the live index and drop what it replaced."""

    def is_target_alive(self, target: str) -> bool:
        """Whether an interrupted rebuild's target can still be resumed."""
        return True

    def close(self) -> None:  # noqa: B027 - optional hook, most engines hold nothing to release
        """Release connections (Elasticsearch)."""
