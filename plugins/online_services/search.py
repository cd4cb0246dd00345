"""Search documents of 网上办事: guides are found by every element (conditions, materials, places …) and a withdrawn
guide is indexed as no longer in force; hotlines are found by name, unit, police type, county and number."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import models
from wagtail.models import Page

from search.documents import BuildContext, PageDocument, SearchDocument
from search.engines.base import MAX_BODY_CHARS, Entry


class ServiceGuideDocument(PageDocument):
    """A live guide: its page entry with the whole guide as body; withdrawn guides count as invalid."""

    @cached_property
    def model(self) -> type[Page]:  # type: ignore[override]
        """`online_services.ServiceGuidePage`."""
        from .models import ServiceGuidePage

        return ServiceGuidePage

    def build(self, obj: Any, context: BuildContext) -> Entry | None:
        """The page entry, its body the guide's elements as text."""
        entry = super().build(obj, context)
        if entry is None:
            return None
        from .rendering import guide_text

        entry.body = guide_text(obj)[:MAX_BODY_CHARS]
        entry.validity = "repealed" if obj.withdrawn_at else "valid"
        return entry


class HotlineDocument(SearchDocument):
    """A number of the hotline directory, linked to its police type's 便民电话 column."""

    @cached_property
    def model(self) -> type[models.Model]:  # type: ignore[override]
        """`online_services.Hotline`."""
        from .models import Hotline

        return Hotline

    def get_queryset(self) -> models.QuerySet:
        """Every hotline, with its police type, county and portal."""
        return self.model.objects.select_related("police_type", "county", "portal")

    def build(self, obj: Any, context: BuildContext) -> Entry | None:
        """The number as an entry of its portal's site."""
        from pages.models import ColumnPage

        from .police_types import service_slugs

        portal = obj.portal
        root = portal.site.root_page.path if portal and portal.site_id else ""
        column = (
            ColumnPage.objects.live()
            .filter(path__startswith=root, slug=service_slugs()["hotlines"], responsible_departments=obj.police_type)
            .order_by("path")
            .first()
        )
        county = obj.county.name if obj.county_id else ""
        return Entry(
            key=self.key(obj),
            kind=self.kind,
            title=f"{obj.name} {obj.number}",
            url=f"{column.get_url() or ''}#hotline-{obj.pk}" if column else "",
            body=" ".join(part for part in (obj.department, obj.police_type.name, county, obj.hours, obj.note) if part),
            summary=f"{obj.department} {obj.hours}".strip(),
            site_id=portal.site_id if portal else None,
            published_at=obj.updated_at,
            department_code=obj.police_type.code,
            department_name=obj.police_type.name,
        )


documents = [ServiceGuideDocument, HotlineDocument]
