"""The public content version: one counter that moves whenever anything the public can read changes.

Cached public responses (the API's, and later the site's) are keyed by it, so one publish invalidates them
in every process at once, whatever cache each process has. The counter lives in the database and moves in
the transaction that changes the content, so a reader never sees new content under an old version for
longer than that transaction.

What moves it: page publish, unpublish, move and delete; view restrictions; sites; images and documents;
portals, departments and catalogue categories; writes to the search index (`search.service` calls `bump`).
Plugins call `watch(Model)` for their public models, or `bump()` where they change public data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

logger = logging.getLogger("sunlight.cache")

CONTENT = "content"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_watched: set[type[Model]] = set()


def current() -> tuple[int, datetime]:
    """The public content version and when it last moved (one indexed read)."""
    from .models import ContentVersion

    row = ContentVersion.objects.filter(key=CONTENT).values_list("version", "changed_at").first()
    return row if row is not None else (0, _EPOCH)


def bump() -> None:
    """Record that public content changed, inside the caller's transaction."""
    from .models import ContentVersion

    now = timezone.now()
    if ContentVersion.objects.filter(key=CONTENT).update(version=F("version") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():
            ContentVersion.objects.create(key=CONTENT, version=1, changed_at=now)
    except IntegrityError:  # created meanwhile by a concurrent writer
        ContentVersion.objects.filter(key=CONTENT).update(version=F("version") + 1, changed_at=now)


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures: nothing public changes through a running site
        return
    bump()


def watch(model: type[Model]) -> None:
    """Move the content version whenever an object of `model` is saved or deleted."""
    if model in _watched:
        return
    _watched.add(model)
    uid = f"sunlight-cache-{model._meta.label_lower}"
    post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save", weak=False)
    post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete", weak=False)


def _page_deleted(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live:
        bump()


def connect() -> None:
    """Connect the receivers of everything public the core knows (called once from the app config)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import CatalogueCategory, Department, Portal

    page_published.connect(_on_change, dispatch_uid="sunlight-cache-published", weak=False)
    page_unpublished.connect(_on_change, dispatch_uid="sunlight-cache-unpublished", weak=False)
    post_page_move.connect(_on_change, dispatch_uid="sunlight-cache-moved", weak=False)
    post_delete.connect(_page_deleted, dispatch_uid="sunlight-cache-page-deleted", weak=False)
    for model in (
        PageViewRestriction,
        Site,
        get_image_model(),
        get_document_model(),
        Portal,
        Department,
        CatalogueCategory,
    ):
        watch(model)


@dataclass(frozen=True)
class CachePolicy:
    """How one endpoint's public GETs may be cached."""

    max_age: int  # seconds browsers and CDNs may reuse a response (Cache-Control: public, max-age)
    server: bool = True  # keep 200 bodies in the server cache, keyed by the content version
    shortcut: bool = True  # answer 304 / cached bodies before the view runs (False: the view always runs)
    server_timeout: int = 600  # seconds a cached body is kept (a new content version makes it unreachable)
    anonymous_only: bool = False  # logged-in users (editors) always get a fresh page, never a cached one

    @property
    def cache_control(self) -> str:
        """The Cache-Control header value."""
        return f"public, max-age={self.max_age}"


#: Policies of the core endpoints.
PAGES = CachePolicy(max_age=60)
MEDIA = CachePolicy(max_age=300)
CATALOGUE = CachePolicy(max_age=300)
SEARCH = CachePolicy(max_age=60, server=False, shortcut=False)
SCHEMA = CachePolicy(max_age=3600)
INDEX = CachePolicy(max_age=300)


def cache_policy(policy: CachePolicy) -> Callable:
    """Decorate a function view with its cache policy."""

    def decorate(view):
        view.cache_policy = policy
        return view

    return decorate
