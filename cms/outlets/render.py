"""Build the outlet-neutral `OutletItem` of a page, and find the outlets a page goes to. CONTRACT: filled in
by the outlet work; signatures are fixed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import OutletItem

if TYPE_CHECKING:
    from wagtail.models import Page

    from .models import Outlet


def item_for_page(page: Page) -> OutletItem:
    """The `OutletItem` of a live page (its specific instance), with absolute URLs."""
    raise NotImplementedError


def outlets_for_page(page: Page) -> list[Outlet]:
    """The enabled outlets with an endpoint whose columns hold `page` (the column itself or an ancestor)."""
    raise NotImplementedError
