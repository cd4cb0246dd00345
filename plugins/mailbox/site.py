"""The mailbox on the public site's home page (web/): the 警民互动 panel with the latest published letters (their
masked subject, box and reply date, nothing of the writer) and the ways in — write a letter, look one up, read
the published ones. Registered with the core's hook `register_home_panel` in `wagtail_hooks.py`; the core never
imports this plugin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from .public_api import published_letters

#: How many published letters the home page lists.
PANEL_SIZE = 5


def home_panel(request: HttpRequest, portal: Any) -> Any:
    """The 警民互动 panel (region "aside"): the latest replied letters and the links to write and look up."""
    from django.urls import reverse

    from web.panels import HomePanel

    letters = [
        {"number": item.number, "subject": item.public_subject, "box": item.box.name, "replied_on": item.replied_on}
        for item in published_letters(portal)[:PANEL_SIZE]
    ]
    return HomePanel(
        key="mailbox",
        title=_("Letters and replies"),
        template="mailbox/site/home_panel.html",
        context={"letters": letters},
        order=40,
        region="aside",
        more_url=reverse("mailbox_site:letters"),
        more_label=_("All published letters"),
    )
