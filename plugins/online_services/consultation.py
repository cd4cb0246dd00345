"""Where a citizen asks a police type a question (业务咨询).

When the mailbox plugin is installed and serves its letter form (URL name `mailbox_site:write`), the link opens
that form for a consultation: `/mailbox/write/?box=<box>&kind=consultation`, the box being the portal's entry of
the plugin setting `consultation_box` (a box key for every portal, or a mapping of profile names to box keys;
without one the form lets the citizen choose the box). Otherwise the link is the police type's 业务咨询 column.
The mailbox is never imported: the plugin registry says whether it is installed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from cms.plugins.registry import registry

MAILBOX = "mailbox"
WRITE_URL_NAME = "mailbox_site:write"
KIND = "consultation"


def mailbox_write_path() -> str | None:
    """The path of the mailbox's letter form, or None when the mailbox is not installed or has no such form."""
    if not registry.is_installed(MAILBOX):
        return None
    try:
        return reverse(WRITE_URL_NAME)
    except NoReverseMatch:
        return None


def consultation_box(profile: str | None) -> str | None:
    """The mailbox box that takes the consultations of the portal with this profile name, if configured."""
    configured = apps.get_app_config("online_services").settings.get("consultation_box")
    if isinstance(configured, dict):
        return configured.get(profile or "") or None
    return configured or None


def consultation_link(
    profile: str | None, column: Page | None, request: HttpRequest | None = None, write_path: str | None = ""
) -> str | None:
    """The consultation link of a police type of the portal `profile`: the mailbox's form when available, else
    the police type's 业务咨询 column (absolute when `request` is given), else None. `write_path` may be passed in
    when already looked up (listings look it up once)."""
    path = mailbox_write_path() if write_path == "" else write_path
    if path:
        box = consultation_box(profile)
        query = {"box": box, "kind": KIND} if box else {"kind": KIND}
        url = f"{path}?{urlencode(query)}"
        return request.build_absolute_uri(url) if request is not None else url
    if column is None:
        return None
    return column.get_full_url(request=request) if request is not None else column.get_url()


def nearest(columns_by_parent: dict[str, Page], path: str) -> Page | None:
    """The column of `columns_by_parent` (keyed by their parent's path) under the nearest ancestor of `path`."""
    for end in range(len(path) - Page.steplen, 0, -Page.steplen):
        column = columns_by_parent.get(path[:end])
        if column is not None:
            return column
    return None


def portal_profile(page: Page) -> str | None:
    """The profile name of the portal `page` belongs to."""
    from cms.review.models import portal_of

    portal = portal_of(page) if page.path else None
    return portal.profile if portal else None


def consultation_url_for(guide, request: HttpRequest | None = None) -> str | None:
    """The consultation link of one guide (the page's template, one-off uses; API listings batch it)."""
    from .police_types import consultation_columns

    column = None
    if guide.path and mailbox_write_path() is None:
        column = nearest(consultation_columns(guide.path[: 2 * Page.steplen]), guide.path)
    return consultation_link(portal_profile(guide), column, request)
