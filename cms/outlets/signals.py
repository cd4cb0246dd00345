"""Outbox writers: publish, unpublish and withdrawal write delivery rows in the publishing transaction.

Wagtail 8 sends `page_published` and `page_unpublished` right after saving the page, but
`PublishRevisionAction` and `UnpublishAction` do not open a transaction of their own. Every admin and API
request is one (`ATOMIC_REQUESTS`), and the gated page types (`cms.review.gate.GatedPublishMixin`) wrap
publish and unpublish in `transaction.atomic()`, so the page and its delivery rows commit or roll back
together, outside requests too. Deleting a live page is an unpublish, written from `pre_delete` inside the
deletion's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .models import DeliveryAction


@receiver(page_published, dispatch_uid="sunlight_outlets_published")
def page_went_live(sender: Any, instance: Page, **kwargs: Any) -> None:
    """A published page goes to its outlets (an update for an outlet that has it already)."""
    from .outbox import record_page

    record_page(instance, DeliveryAction.PUBLISH)


@receiver(page_unpublished, dispatch_uid="sunlight_outlets_unpublished")
def page_went_offline(sender: Any, instance: Page, **kwargs: Any) -> None:
    """An unpublished page is taken down from the outlets that have it."""
    from .outbox import record_page

    record_page(instance, DeliveryAction.UNPUBLISH)


@receiver(pre_delete, sender=Page, dispatch_uid="sunlight_outlets_deleted")
def live_page_deleted(sender: Any, instance: Page, **kwargs: Any) -> None:
    """Deleting a live page (or a live page below it) takes it down from the outlets that have it."""
    if instance.live:
        from .outbox import record_page

        record_page(instance, DeliveryAction.UNPUBLISH)
