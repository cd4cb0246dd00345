"""Signal handlers that keep the index in step with pages and plugin objects.

Publishing, moving, renaming and un-restricting enqueue `search.tasks.update_entries` after the commit;
unpublishing, deleting, restricting and anything a document refuses are removed from the index at once (in
the same commit), so withdrawn information never lingers in results while a task waits in the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

logger = logging.getLogger("sunlight.search")


def enqueue_update(keys: Iterable[str]) -> None:
    """Update these entries in a task once the current transaction commits."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return

    def send() -> None:
        from .tasks import update_entries

        try:
            update_entries.enqueue(keys)
        except Exception:  # an index outage must not break publishing; `manage.py reindex` repairs
            logger.exception("search: could not update %d entries", len(keys))

    transaction.on_commit(send)


def remove_now(keys: Iterable[str]) -> None:
    """Remove entries from the index when the current transaction commits."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return

    def run() -> None:
        from .service import remove

        try:
            remove(keys)
        except Exception:
            logger.exception("search: could not remove %d entries", len(keys))

    transaction.on_commit(run)


def _subtree_keys(page: Page) -> list[str]:
    """Entry keys of a page and its descendants."""
    return [f"page:{pk}" for pk in Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True)]


def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    """A published page (new or edited) is (re)indexed."""
    enqueue_update([f"page:{instance.pk}"])


def on_page_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    """An unpublished (withdrawn, expired) page leaves the index at once."""
    remove_now([f"page:{instance.pk}"])


def on_subtree_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    """A moved or renamed page changes the URLs below it: reindex the subtree."""
    enqueue_update(_subtree_keys(instance))


def on_restriction_saved(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    """A page made private leaves the index with everything below it."""
    remove_now(_subtree_keys(instance.page))


def on_restriction_deleted(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    """A page made public again comes back (if it and its descendants are live and otherwise public)."""
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    enqueue_update(_subtree_keys(page))


_documents_by_model: dict[type, Any] | None = None


def _document_of(model: type) -> Any:
    """The non-page document type of a model, if any (looked up after start-up, then cached)."""
    global _documents_by_model
    if _documents_by_model is None:
        from .documents import object_documents

        _documents_by_model = {document.model: document for document in object_documents()}
    return _documents_by_model.get(model)


def on_object_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A plugin object that its document refuses (closed, withdrawn) leaves at once; others are reindexed."""
    document = _document_of(sender)
    if document is None:
        return
    from .documents import BuildContext

    key = document.key(instance)
    if document.build(instance, BuildContext.load()) is None:
        remove_now([key])
    else:
        enqueue_update([key])


def on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted page or plugin object leaves the index."""
    if isinstance(instance, Page):
        remove_now([f"page:{instance.pk}"])
        return
    document = _document_of(sender)
    if document is not None:
        remove_now([document.key(instance)])


def on_words_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A saved portal or department may bring new words for the segmenter (its name, the profile's words)."""
    from .segment import refresh_word_sources

    transaction.on_commit(refresh_word_sources)


def connect() -> None:
    """Connect the handlers (from `SearchConfig.ready`)."""
    page_published.connect(on_page_published, dispatch_uid="sunlight_search_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="sunlight_search_unpublished")
    post_page_move.connect(on_subtree_changed, dispatch_uid="sunlight_search_moved")
    page_slug_changed.connect(on_subtree_changed, dispatch_uid="sunlight_search_slug")
    post_save.connect(on_restriction_saved, sender=PageViewRestriction, dispatch_uid="sunlight_search_private")
    post_delete.connect(on_restriction_deleted, sender=PageViewRestriction, dispatch_uid="sunlight_search_public")
    post_save.connect(on_object_saved, dispatch_uid="sunlight_search_object_saved")
    for model in ("cms.Portal", "cms.Department"):
        post_save.connect(on_words_changed, sender=model, dispatch_uid=f"sunlight_search_words_{model}")
    post_delete.connect(on_deleted, dispatch_uid="sunlight_search_deleted")
