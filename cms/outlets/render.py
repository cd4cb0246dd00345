"""Build the outlet-neutral `OutletItem` of a page, and find the outlets a page goes to."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.sanitize import clean_plain, clean_web_html

from .registry import OutletItem, kind_codes

if TYPE_CHECKING:
    from .models import Outlet

#: Length of a summary taken from the body text when the page has none.
SUMMARY_CHARS = 120
#: Rendition of pictures sent to outlets (bounded, aspect kept).
IMAGE_FILTER = "max-1200x1200"

_IMAGE_EMBED_RE = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>")
_EMBED_ID_RE = re.compile(r"\bid=\"(\d+)\"")
_RELATIVE_URL_RE = re.compile(r"\b(src|href)=\"(/(?!/)[^\"]*)\"")


def _ancestor_paths(page: Page) -> list[str]:
    """The tree paths of `page` and all its ancestors."""
    step = Page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def _rich_text(page: Page) -> str:
    """The database HTML of the page's first rich-text field (body, description ...), or ''."""
    for model_field in page._meta.concrete_fields:
        if isinstance(model_field, RichTextField):
            value = getattr(page, model_field.attname, "") or ""
            if value:
                return value
    return ""


def _plain_fallback(page: Page) -> str:
    """Plain text of a page without rich text: its notice text, description or introduction."""
    for name in ("notice_text", "description", "intro", "text"):
        value = getattr(page, name, "")
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _absolute(html: str, base: str) -> str:
    """Make root-relative `src` and `href` URLs absolute on `base` (outlets show them off-site)."""
    if not base:
        return html
    return _RELATIVE_URL_RE.sub(lambda m: f'{m.group(1)}="{base}{m.group(2)}"', html)


def _image_record(image, base: str) -> dict[str, Any]:
    rendition = image.get_rendition(IMAGE_FILTER)
    url = rendition.url
    if url.startswith("/"):
        url = base + url if base else rendition.full_url
    return {"url": url, "alt": rendition.alt or image.title, "width": rendition.width, "height": rendition.height}


def _images(page: Page, rich_text: str, base: str) -> list[dict[str, Any]]:
    """The cover image first, then the images embedded in the body, each once, as absolute renditions."""
    from wagtail.images import get_image_model

    ids: list[int] = []
    cover_id = getattr(page, "cover_image_id", None)
    if cover_id:
        ids.append(cover_id)
    for tag in _IMAGE_EMBED_RE.findall(rich_text):
        found = _EMBED_ID_RE.search(tag)
        if found and int(found.group(1)) not in ids:
            ids.append(int(found.group(1)))
    if not ids:
        return []
    by_id = {image.pk: image for image in get_image_model().objects.filter(pk__in=ids).prefetch_renditions()}
    records = []
    for image_id in ids:
        image = by_id.get(image_id)
        if image is None:
            continue
        try:
            records.append(_image_record(image, base))
        except (OSError, ValueError):  # the original file is missing or unreadable: skip the picture
            continue
    return records


def _column_title(page: Page) -> str:
    """The title of the nearest column (pages.ColumnPage) above `page`."""
    from pages.models import ColumnPage

    paths = _ancestor_paths(page)[:-1]
    column = ColumnPage.objects.filter(path__in=paths).order_by("-depth").only("title").first()
    return column.title if column else ""


def _tags(page: Page) -> list[str]:
    tags = getattr(page, "tags", None)
    if tags is None or not hasattr(tags, "names"):
        return []
    return sorted(tags.names())


def item_for_page(page: Page) -> OutletItem:
    """The `OutletItem` of a live page (its specific instance), with absolute URLs."""
    if type(page) is Page:
        page = page.specific
    site = page.get_site()
    base = site.root_url.rstrip("/") if site else ""
    rich_text = _rich_text(page)
    if rich_text:
        from wagtail.rich_text import expand_db_html

        body_html = clean_web_html(_absolute(expand_db_html(rich_text), base))
    else:
        lines = _plain_fallback(page).splitlines()
        body_html = clean_web_html("".join(f"<p>{escape(line)}</p>" for line in lines if line.strip()))
    body_text = " ".join(clean_plain(body_html).split())
    summary = (
        (page.search_description or "").strip()
        or (getattr(page, "summary", "") or "").strip()
        or (body_text[:SUMMARY_CHARS].rstrip() + ("…" if len(body_text) > SUMMARY_CHARS else ""))
    )
    department = getattr(page, "author_department", None)
    return OutletItem(
        item_type=page._meta.label_lower,
        item_id=str(page.pk),
        revision_id=page.live_revision_id or page.latest_revision_id,  # the revision that went out
        title=page.title,
        url=page.get_full_url() or "",
        summary=summary,
        body_html=body_html,
        published_at=page.first_published_at or page.last_published_at,
        column=_column_title(page),
        department=department.name if department else "",
        images=_images(page, rich_text, base),
        extra={
            "tags": _tags(page),
            "department_short": department.short_name if department else "",
            "updated_at": page.last_published_at.isoformat() if page.last_published_at else None,
        },
    )


def outlets_for_page(page: Page) -> list[Outlet]:
    """The enabled outlets with an endpoint whose columns hold `page` (the column itself or an ancestor).

    Only outlets of the page's own portal (whose site root is an ancestor of the page) and of a registered
    kind count. One query."""
    from .models import Outlet

    if not page.path:
        return []
    paths = _ancestor_paths(page)
    mapped = Outlet.columns.through.objects.filter(page__path__in=paths).values("outlet_id")
    return list(
        Outlet.objects.filter(
            enabled=True, kind__in=kind_codes(), portal__site__root_page__path__in=paths, pk__in=mapped
        )
        .exclude(endpoint_url="")
        .select_related("portal", "account")
        .order_by("kind", "name", "pk")
    )
