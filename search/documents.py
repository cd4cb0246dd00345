"""Search documents: how pages and plugin objects become index entries.

A `SearchDocument` subclass names a model and builds an `Entry` from one of its objects (or None when the
object must not be found: not live, private, withdrawn, closed). Pages are covered by `PageDocument`, which
indexes any live public page from its `search_fields`; `GovernmentDocumentDocument` puts government
information in the disclosure catalogue. Plugins list their own subclasses in `<plugin>/search.py`:

    documents = [WantedNoticeDocument]

Page documents are kept up to date by the page signals (publish, unpublish, move, delete, privacy);
other documents by their model's `post_save` / `post_delete`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from django.db import models
from django.utils.encoding import force_str
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search import index

from .engines.base import MAX_BODY_CHARS, Entry


@dataclass
class BuildContext:
    """What building many entries shares: site roots and private subtrees, read once per batch."""

    sites: list[tuple[str, int]] = field(default_factory=list)
    restricted_paths: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> BuildContext:
        """Read the sites (deepest root first) and the paths of pages with view restrictions."""
        sites = sorted(
            ((path, pk) for pk, path in Site.objects.values_list("pk", "root_page__path")),
            key=lambda item: -len(item[0]),
        )
        restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        return cls(sites=sites, restricted_paths=restricted)

    def site_of(self, path: str) -> int | None:
        """The site whose root holds the page at `path`."""
        for root, pk in self.sites:
            if path.startswith(root):
                return pk
        return None

    def is_private(self, path: str) -> bool:
        """Whether the page or one of its ancestors has a view restriction."""
        return any(path.startswith(restricted) for restricted in self.restricted_paths)


class SearchDocument:
    """Base of a kind of searchable object. Subclasses set `model` and implement `build`."""

    model: ClassVar[type[models.Model]]
    #: Whether entries belong in the disclosure catalogue (信息公开目录).
    catalogue: ClassVar[bool] = False

    @property
    def kind(self) -> str:
        """Facet value of the entries' kind (the model name)."""
        return self.model._meta.model_name

    @property
    def kind_label(self) -> str:
        """Facet label of the kind (the model's verbose name)."""
        return force_str(self.model._meta.verbose_name)

    def key(self, obj: Any) -> str:
        """The entry key of an object."""
        return f"{self.model._meta.label_lower}:{obj.pk}"

    def get_queryset(self) -> models.QuerySet:
        """Objects `manage.py reindex` reads (build() may still refuse some)."""
        return self.model._default_manager.all()

    def build(self, obj: Any, context: BuildContext) -> Entry | None:
        """The entry of `obj`, or None when it must not be found."""
        raise NotImplementedError


def searchable_text(obj: Any, exclude: Iterable[str] = ("title",)) -> str:
    """Text of an object's `search_fields` (rich text and StreamField as plain text, related fields too)."""
    parts: list[str] = []
    skip = set(exclude)
    for search_field in obj.get_search_fields() if hasattr(obj, "get_search_fields") else ():
        if isinstance(search_field, index.SearchField) and search_field.field_name not in skip:
            parts.extend(_field_text(obj, search_field))
        elif isinstance(search_field, index.RelatedFields):
            related = getattr(obj, search_field.field_name, None)
            items = related.all() if hasattr(related, "all") else ([related] if related is not None else [])
            for item in items:
                for sub in search_field.fields:
                    if isinstance(sub, index.SearchField):
                        parts.extend(_field_text(item, sub))
    return "\n".join(part for part in parts if part)[:MAX_BODY_CHARS]


def _field_text(obj: Any, search_field: index.SearchField) -> Iterator[str]:
    """Plain text of one search field of an object (`get_value` already applies `get_searchable_content`)."""
    try:
        value = search_field.get_value(obj)
    except Exception:
        return
    if value is None or value == "":
        return
    if isinstance(value, (list, tuple)):
        yield from (force_str(item) for item in value if item not in (None, ""))
    else:
        yield force_str(value)


class PageDocument(SearchDocument):
    """Any live, public page below a site root (site-wide search)."""

    model = Page
    #: Fields not repeated in the body text.
    exclude_fields: ClassVar[tuple[str, ...]] = ("title", "summary", "search_description")

    def key(self, obj: Any) -> str:
        """Pages share one key space: page:<id>."""
        return f"page:{obj.pk}"

    def get_queryset(self) -> models.QuerySet:
        """Live pages below the root (the tree root itself is never searchable)."""
        return Page.objects.live().filter(depth__gt=1)

    @property
    def kind(self) -> str:
        """Pages of any type without a document of their own are of kind 'page'."""
        return "page" if self.model is Page else super().kind

    def page_kind(self, page: Page) -> tuple[str, str]:
        """Kind and label of a page: its specific type."""
        meta = type(page)._meta
        return meta.model_name, force_str(meta.verbose_name)

    def build(self, obj: Any, context: BuildContext) -> Entry | None:
        """An entry for a live, public, unexpired page."""
        page = obj.specific if type(obj) is Page else obj
        if not page.live or page.depth <= 1 or context.is_private(page.path):
            return None
        if page.expire_at and page.expire_at <= datetime.datetime.now(tz=datetime.UTC):
            return None
        summary = getattr(page, "summary", "") or page.search_description or ""
        department = getattr(page, "author_department", None)
        kind, _label = self.page_kind(page)
        return Entry(
            key=self.key(page),
            kind=kind,
            title=page.title,
            url=page.get_url() or "",
            body=searchable_text(page, exclude=self.exclude_fields),
            summary=force_str(summary),
            catalogue=self.catalogue,
            site_id=context.site_of(page.path),
            published_at=page.first_published_at or page.last_published_at,
            department_code=getattr(department, "code", "") or "",
            department_name=getattr(department, "name", "") or "",
        )


class GovernmentDocumentDocument(PageDocument):
    """Government information: a page of the site and an entry of the disclosure catalogue."""

    catalogue = True

    @cached_property
    def model(self) -> type[Page]:  # type: ignore[override]
        """`pages.GovernmentDocumentPage` (imported late: search does not import pages at module load)."""
        from pages.models import GovernmentDocumentPage

        return GovernmentDocumentPage

    def build(self, obj: Any, context: BuildContext) -> Entry | None:
        """The page entry with the catalogue fields; information not for disclosure is never indexed."""
        entry = super().build(obj, context)
        if entry is None or obj.disclosure_mode == "not_disclosed":
            return None
        entry.mode = obj.disclosure_mode
        entry.validity = obj.validity
        entry.valid_until = obj.valid_until
        entry.index_number = obj.index_number
        entry.document_number = obj.document_number
        if obj.topic_id:
            entry.topic_code, entry.topic_name = obj.topic.code, obj.topic.name
        if obj.genre_id:
            entry.genre_code, entry.genre_name = obj.genre.code, obj.genre.name
        return entry


def all_documents() -> list[SearchDocument]:
    """Document types: pages, the catalogue, then every plugin's `search.documents`."""
    from cms.plugins.registry import registry

    documents: list[SearchDocument] = [PageDocument(), GovernmentDocumentDocument()]
    for plugin in registry:
        for document in plugin.search_document_classes:
            if isinstance(document, type) and issubclass(document, SearchDocument):
                documents.append(document())
    return documents


def page_document_for(page: Page, documents: list[SearchDocument] | None = None) -> PageDocument:
    """The most specific page document for a page's type."""
    best: PageDocument | None = None
    for document in documents or all_documents():
        if isinstance(document, PageDocument) and isinstance(page, document.model):
            if best is None or issubclass(document.model, best.model):
                best = document
    return best or PageDocument()


def object_documents(documents: list[SearchDocument] | None = None) -> list[SearchDocument]:
    """The document types of objects that are not pages."""
    return [d for d in documents or all_documents() if not issubclass(d.model, Page)]
