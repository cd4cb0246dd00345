"""Blocks of the home page contributed by plugins (the wanted-notice strip, hotlines, letters …), without the core
importing them: a plugin registers a function with the Wagtail hook `register_home_panel`, in its
`wagtail_hooks.py`:

    @hooks.register("register_home_panel")
    def wanted_strip(request, portal) -> HomePanel | None:
        return HomePanel("wanted", "网上通缉", "wanted/site/home_panel.html", {"notices": ...}, order=20)

The home page renders the panels of its portal in `order`; `region` "main" (beside the sections) or "aside".
A function returns None to show nothing (e.g. no open notices). A failing panel is left out and logged, never
breaking the home page.

Columns take panels the same way, with the hook `register_column_panel` (a function of the request and the
column page, returning a HomePanel or None): a plugin fills a column whose content is its own data rather than
pages (the hotline directory of a 便民电话 column …). The column page shows them above its items, in `order`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from wagtail import hooks

HOOK = "register_home_panel"
COLUMN_HOOK = "register_column_panel"
logger = logging.getLogger("sunlight.web")


@dataclass
class HomePanel:
    """One block of the home page: its key (the element id), heading, template, context and place."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    region: str = "main"
    more_url: str = ""
    more_label: str = ""


def _collect(hook: str, *args: Any) -> list[HomePanel]:
    """The panels the functions of `hook` return for `args`, in order; a failing one is logged and left out."""
    panels = []
    for make in hooks.get_hooks(hook):
        try:
            panel = make(*args)
        except Exception:  # a plugin's broken panel must not take the page down
            logger.exception("%s %s failed", hook, getattr(make, "__qualname__", make))
            continue
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda p: (p.order, p.key))


def home_panels(request: Any, portal: Any) -> list[HomePanel]:
    """The panels every installed plugin offers for `portal`'s home page, in order."""
    return _collect(HOOK, request, portal)


def column_panels(request: Any, page: Any) -> list[HomePanel]:
    """The panels every installed plugin offers for the column `page`, in order."""
    return _collect(COLUMN_HOOK, request, page)
