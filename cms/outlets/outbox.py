"""The outbox: write delivery rows in the publishing transaction, deliver them after the commit. CONTRACT:
filled in by the delivery work; signatures are fixed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wagtail.models import Page

    from .models import Delivery, Outlet
    from .registry import OutletItem


def record_page(page: Page, action: str) -> list[Delivery]:
    """Write one delivery per outlet of `page` for `action` (publish, update, unpublish, withdraw).

    Must be called inside the transaction that changes the page; delivery starts after the commit."""
    raise NotImplementedError


def record_item(item: OutletItem, outlets: list[Outlet], action: str, reason: str = "") -> list[Delivery]:
    """Write deliveries of a plugin object (e.g. a closed wanted notice's withdrawal) to `outlets`."""
    raise NotImplementedError


def retry(delivery: Delivery) -> None:
    """Make a delivered-failed or waiting delivery due now and schedule it (the admin's and API's retry)."""
    raise NotImplementedError
