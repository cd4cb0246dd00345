"""Wanted notices on the public site (web/): the home page's strip of active notices (网上通缉), and the tombstone
of a closed notice — its old address answers 410 Gone in the site's layout with the minimal record only (number,
level, issuing organ, issue date, how and when it ended, the closing or revocation text), never a personal field.

Both are Wagtail hooks of the core (`register_home_panel`, `register_gone_page`), registered in
`wagtail_hooks.py`; the core never imports this plugin.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .models import WantedNotice

#: How many notices the home page's strip shows.
STRIP_SIZE = 6
#: The template of the tombstone (extends the core's 410.html).
TOMBSTONE_TEMPLATE = "wanted/site/closed_notice.html"


def strip_notices(root: Page, limit: int = STRIP_SIZE) -> list[WantedNotice]:
    """The newest live, public, open notices below `root` (a site's home page), their cover photo's renditions
    loaded with them: three queries whatever the number."""
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects.all()
    return list(
        WantedNotice.objects.live()
        .public()
        .open()
        .filter(path__startswith=root.path)
        .select_related("cover_image")
        .prefetch_related(Prefetch("cover_image__renditions", queryset=renditions))
        .order_by("-date", "-first_published_at", "-pk")[:limit]
    )


def column_of(notice: Page) -> Page | None:
    """The live column holding `notice` (its parent), or None."""
    return Page.objects.live().filter(path=notice.path[: -Page.steplen]).first()


def home_panel(request: HttpRequest, portal: Any) -> Any:
    """The 网上通缉 strip of the home page (region "main"): the latest active notices with their photo, level and
    number, and issue date; None when no notice is sought."""
    from web.panels import HomePanel

    notices = strip_notices(portal.site.root_page)
    if not notices:
        return None
    column = column_of(notices[0])
    return HomePanel(
        key="wanted",
        title=_("Wanted notices"),
        template="wanted/site/home_panel.html",
        context={"notices": notices},
        order=20,
        region="main",
        more_url=column.url if column is not None else "",
        more_label=_("All wanted notices"),
    )


def closed_notice_at(request: HttpRequest) -> WantedNotice | None:
    """The closed notice whose page was at this request's address on its site (if it was ever published)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    path = request.path if request.path.endswith("/") else request.path + "/"
    url_path = site.root_page.url_path + path.lstrip("/")
    return (
        WantedNotice.objects.closed()
        .filter(url_path=url_path, path__startswith=site.root_page.path, first_published_at__isnull=False)
        .only(
            "id",
            "path",
            "depth",
            "title",
            "url_path",
            "number",
            "level",
            "issuing_organ",
            "date",
            "status",
            "closed_on",
            "closing_text",
        )
        .first()
    )


def tombstone(request: HttpRequest) -> HttpResponse | None:
    """410 Gone with the minimal record for the old address of a closed notice; None for any other address."""
    if request.method not in ("GET", "HEAD"):
        return None
    notice = closed_notice_at(request)
    if notice is None:
        return None
    from web.views import gone

    record = {
        "number": notice.number,
        "title": notice.title,
        "level": notice.get_level_display(),
        "issuing_organ": notice.issuing_organ,
        "issued_on": notice.date,
        "status": notice.get_status_display(),
        "status_code": notice.status,
        "closed_on": notice.closed_on,
        "closing_text": notice.closing_text,
    }
    return gone(request, {"record": record, "column": column_of(notice)}, TOMBSTONE_TEMPLATE)
