"""Template tags of the public site: the site's sections for the navigation, the home page's and sections' columns
with their latest items, the home page's and columns' panels, breadcrumbs, and a page's QR code drawn on the
server."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

register = template.Library()


def _site(context: Any) -> Site | None:
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def site_home(context: Any) -> Page | None:
    """The home page of the site serving this request."""
    site = _site(context)
    return site.root_page.specific if site is not None else None


@register.simple_tag(takes_context=True)
def site_sections(context: Any) -> list[Page]:
    """The live, public sections (and top-level columns) under the site's home page, for the navigation."""
    site = _site(context)
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().specific()) or list(
        site.root_page.get_children().live().public().specific()
    )


def _fill_latest(root: Page, columns: dict[str, dict[str, Any]], column_depth: int, limit: int) -> None:
    """Put the newest `limit` live items of each column (by path, all at `column_depth` below `root`; sub-columns'
    items included) into its entry's "items", in one query: a window function ranks the items per column."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber, Substr

    from pages.models import ColumnPage

    if not columns:
        return
    column_path = Substr("path", 1, column_depth * Page.steplen)
    ranked = (
        Page.objects.descendant_of(root)
        .filter(depth__gt=column_depth)
        .live()
        .public()
        .exclude(content_type=ContentType.objects.get_for_model(ColumnPage))
        .annotate(
            column_path=column_path,
            rank=Window(
                RowNumber(),
                partition_by=column_path,
                order_by=[F("first_published_at").desc(nulls_last=True), F("path").desc()],
            ),
        )
        .filter(rank__lte=limit)
        .order_by("column_path", "rank")
        .only("id", "title", "path", "depth", "url_path", "first_published_at", "content_type")
    )
    for item in ranked:
        if item.column_path in columns:
            columns[item.column_path]["items"].append(item)


@register.simple_tag
def home_overview(home: Page, limit: int = 5) -> list[dict[str, Any]]:
    """The home page's sections, each with its columns and their newest `limit` items (sub-columns' included),
    in a constant number of queries whatever the number of columns: the sections and columns in one (plus one per
    page type), the items of every column in one."""
    limit = max(1, min(int(limit), 50))
    tree = list(home.get_descendants().filter(depth__lte=home.depth + 2).live().public().order_by("path").specific())
    sections = [{"section": p, "columns": []} for p in tree if p.depth == home.depth + 1]
    by_path = {entry["section"].path: entry for entry in sections}
    columns: dict[str, dict[str, Any]] = {}
    for page in tree:
        if page.depth == home.depth + 2 and page.path[: -Page.steplen] in by_path:
            columns[page.path] = {"column": page, "items": []}
            by_path[page.path[: -Page.steplen]]["columns"].append(columns[page.path])
    _fill_latest(home, columns, home.depth + 2, limit)
    return sections


@register.simple_tag
def section_overview(section: Page, limit: int = 6) -> list[dict[str, Any]]:
    """A section's columns, each with its newest `limit` items, in a constant number of queries."""
    limit = max(1, min(int(limit), 50))
    columns = {p.path: {"column": p, "items": []} for p in section.get_children().live().public().specific()}
    _fill_latest(section, columns, section.depth + 1, limit)
    return list(columns.values())


@register.simple_tag(takes_context=True)
def home_panels(context: Any, region: str = "main") -> list[Any]:
    """The plugins' panels of this portal's home page in `region` (web.panels)."""
    from cms.models import Portal

    from ..panels import home_panels as collect

    request = context.get("request")
    site = _site(context)
    portal = Portal.objects.filter(site=site).first() if site is not None else None
    if portal is None:
        return []
    cache = context.render_context.setdefault("sunlight_home_panels", {})
    if "all" not in cache:
        cache["all"] = collect(request, portal)
    return [p for p in cache["all"] if p.region == region]


@register.simple_tag(takes_context=True)
def column_panels(context: Any, page: Page | None = None) -> list[Any]:
    """The plugins' panels of the column `page` (web.panels.column_panels), e.g. a 便民电话 column's directory."""
    from ..panels import column_panels as collect

    if page is None or not page.pk:
        return []
    return collect(context.get("request"), page)


@register.inclusion_tag("sunlight/site/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context: Any, page: Page | None = None, current: str = "") -> dict[str, Any]:
    """The trail from the home page to `page` (or to a non-page view titled `current`)."""
    site = _site(context)
    trail: list[Page] = []
    if page is not None and page.pk:
        trail = list(page.get_ancestors(inclusive=False).filter(depth__gt=1).specific())
        if site is not None:
            trail = [p for p in trail if p.path.startswith(site.root_page.path)]
    elif site is not None:
        trail = [site.root_page.specific]
    return {"trail": trail, "page": page, "current": current or (page.title if page is not None else "")}


@register.simple_tag
def qr_svg(url: str, title: str = "") -> str:
    """An inline SVG QR code of `url` (drawn on the server: no image from another host, no script)."""
    import segno
    from django.utils.html import escape

    label = escape(title or url or "")
    svg = segno.make(url or "", error="m").svg_inline(scale=3, border=2)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr" ', 1)
    return mark_safe(svg)
