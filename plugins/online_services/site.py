"""网上办事 on the public site (web/): what a guide's page reads, the panels of a police type's service columns
(便民电话: its hotline directory, filterable by county and paged; 表格下载: its forms library; 业务咨询: the way to
ask a question) and the home page's 便民电话 panel of the city bureau's key numbers.

The panels are Wagtail hooks of the core (`register_column_panel`, `register_home_panel`), registered in
`wagtail_hooks.py`; the core never imports this plugin. The service columns are plain columns of the profile:
a column is one when its slug is a service slug (`police_types.service_slugs`) and a police type is responsible
for a column above it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.models import Department, DepartmentKind
from pages.models import ColumnPage

from .consultation import consultation_link, portal_profile
from .models import HOTLINE_ORDER, Hotline, ServiceForm
from .police_types import police_type_of, service_slugs

#: How many numbers the home page's 便民电话 panel lists (one per police type, the city bureau's first).
HOME_HOTLINES = 8
#: The `county` filter's value for the city bureau's own numbers (no county).
CITY = "city"
#: The services whose columns get a panel.
PANEL_SERVICES = ("hotlines", "forms", "consultation")


def guide_context(guide: Any) -> dict[str, Any]:
    """Everything a guide's page lists, each read once (a constant number of queries whatever its length). Works
    on a preview too: the children of an unsaved revision are in memory."""
    return {
        "legal_bases": list(guide.legal_bases.all()),
        "conditions": list(guide.conditions.all()),
        "materials": list(guide.materials.all()),
        "steps": list(guide.steps.all()),
        "locations": list(guide.locations.all()),
        "faqs": list(guide.faqs.all()),
        "form_links": list(guide.form_links.all()) if guide.pk else [],
    }


def site_page_size() -> int:
    """Hotlines per page of a 便民电话 column (plugin setting `site_page_size`)."""
    configured = apps.get_app_config("online_services").settings.get("site_page_size")
    try:
        return max(1, int(configured or 20))
    except (TypeError, ValueError):
        return 20


def service_of(page: Page) -> tuple[str, Department] | None:
    """(service, police type) when `page` is a police type's 便民电话, 表格下载 or 业务咨询 column, else None. No query
    for a column with another slug; one otherwise."""
    if not isinstance(page, ColumnPage):
        return None
    by_slug = {slug: service for service, slug in service_slugs().items() if service in PANEL_SERVICES}
    service = by_slug.get(page.slug)
    if service is None:
        return None
    police_type = police_type_of(page)
    return (service, police_type) if police_type is not None else None


def _county_choice(request: HttpRequest, counties: list[Department]) -> str:
    raw = (request.GET.get("county") or "").strip() if request is not None else ""
    if raw == CITY or raw in {str(c.pk) for c in counties}:
        return raw
    return ""


def hotlines_panel(request: HttpRequest, page: Page, police_type: Department) -> Any:
    """The 便民电话 column's directory: the police type's numbers (the city bureau's first, then each county's),
    filtered by `?county=<id>` (or `city`) and paged by `?page=`; None when the police type lists no number."""
    from web.panels import HomePanel

    numbers = Hotline.objects.filter(police_type=police_type)
    counties = list(
        Department.objects.filter(kind=DepartmentKind.COUNTY, pk__in=numbers.values("county"))
        .only("id", "name", "sort_order", "code")
        .order_by("sort_order", "code")
    )
    selected = _county_choice(request, counties)
    shown = numbers
    if selected == CITY:
        shown = numbers.filter(county__isnull=True)
    elif selected:
        shown = numbers.filter(county_id=int(selected))
    paginator = Paginator(shown.select_related("county").order_by(*HOTLINE_ORDER), site_page_size())
    page_obj = paginator.get_page(request.GET.get("page") if request is not None else None)
    if paginator.count == 0 and not selected:
        return None
    return HomePanel(
        key="hotlines",
        title=_("Hotlines of %(police_type)s") % {"police_type": police_type.name},
        template="online_services/site/hotlines_panel.html",
        context={
            "page_obj": page_obj,
            "hotlines": list(page_obj.object_list),
            "counties": counties,
            "selected": selected,
            "city": CITY,
            "query": urlencode({"county": selected}) if selected else "",
            "police_type": police_type,
        },
        order=10,
    )


def forms_panel(request: HttpRequest, page: Page, police_type: Department) -> Any:
    """The 表格下载 column's forms library: the police type's forms with their files; None when it has none."""
    from web.panels import HomePanel

    forms = list(ServiceForm.objects.filter(police_type=police_type).select_related("document"))
    if not forms:
        return None
    return HomePanel(
        key="forms",
        title=_("Forms of %(police_type)s to download") % {"police_type": police_type.name},
        template="online_services/site/forms_panel.html",
        context={"forms": forms, "police_type": police_type},
        order=10,
    )


def consultation_panel(request: HttpRequest, page: Page, police_type: Department) -> Any:
    """The 业务咨询 column's way to ask a question: the mailbox's consultation form when it is installed (else
    the column itself is the place, and no panel is shown)."""
    from web.panels import HomePanel

    url = consultation_link(portal_profile(page), None)
    if not url:
        return None
    return HomePanel(
        key="consultation",
        title=_("Ask %(police_type)s a question") % {"police_type": police_type.name},
        template="online_services/site/consultation_panel.html",
        context={"consultation_url": url, "police_type": police_type},
        order=10,
    )


PANELS = {"hotlines": hotlines_panel, "forms": forms_panel, "consultation": consultation_panel}


def column_panel(request: HttpRequest, page: Page) -> Any:
    """The panel of a police type's service column (see PANELS), or None for any other column."""
    found = service_of(page)
    if found is None:
        return None
    service, police_type = found
    return PANELS[service](request, page, police_type)


def key_hotlines(portal: Any, limit: int = HOME_HOTLINES) -> list[Hotline]:
    """The city bureau's first number of each police type of `portal`, in police-type order (one query)."""
    first_of_type = (
        Hotline.objects.filter(police_type=OuterRef("police_type"), county__isnull=True)
        .order_by("sort_order", "pk")
        .values("pk")[:1]
    )
    return list(
        Hotline.objects.filter(portal=portal, county__isnull=True, pk=Subquery(first_of_type)).order_by(*HOTLINE_ORDER)[
            :limit
        ]
    )


def hotlines_column(root: Page) -> ColumnPage | None:
    """The first live, public 便民电话 column below `root` (a site's home page), in tree order."""
    return (
        ColumnPage.objects.live()
        .public()
        .filter(path__startswith=root.path, slug=service_slugs()["hotlines"])
        .order_by("path")
        .first()
    )


def home_panel(request: HttpRequest, portal: Any) -> Any:
    """便民电话 on the home page (region "aside"): the city bureau's key numbers, each dialable, with a link to the
    directory; None when the portal lists no number."""
    from web.panels import HomePanel

    hotlines = key_hotlines(portal)
    if not hotlines:
        return None
    column = hotlines_column(portal.site.root_page)
    return HomePanel(
        key="hotlines",
        title=_("Hotlines"),
        template="online_services/site/home_panel.html",
        context={"hotlines": hotlines},
        order=30,
        region="aside",
        more_url=column.url if column is not None else "",
        more_label=_("All hotlines"),
    )
