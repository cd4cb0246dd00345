"""Disclosure requests on the public site's home page (web/): the 依申请公开 panel with the ways in — apply for
government information, follow a request with its number and query code. Registered with the core's hook
`register_home_panel` in `wagtail_hooks.py`; the core never imports this plugin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _


def home_panel(request: HttpRequest, portal: Any) -> Any:
    """The 依申请公开 panel (region "aside"): apply online, follow a request."""
    from web.panels import HomePanel

    return HomePanel(
        key="disclosure-requests",
        title=_("Disclosure on request"),
        template="disclosure_requests/site/home_panel.html",
        order=50,
        region="aside",
    )
