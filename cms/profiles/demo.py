"""Demo content for a profile (profiles/demo/NAME.yaml): a few published items in several columns.

Idempotent: an item whose slug already exists in its column is left exactly as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from cms.models import Portal
from cms.review.gate import chain_bypass
from cms.sanitize import clean_plain, clean_rich_text

from .schema import ProfileValidationError, _Checker, resolve_profile_path
from .yamlfile import YamlError, load_yaml

ITEM_KEYS = {
    "column",
    "type",
    "slug",
    "title",
    "date",
    "department",
    "summary",
    "body",
    "tags",
    "reprint",
    "video_url",
    "duration",
    "document_number",
    "created_on",
    "topic",
    "genre",
    "disclosure_attribute",
    "is_enforcement",
    "valid_until",
}


@dataclass
class DemoReport:
    """What loading demo content did."""

    created: list[str] = field(default_factory=list)
    skipped: int = 0


def load_demo(name: str) -> DemoReport:
    """Read profiles/demo/NAME.yaml and create its items in the portal of profile NAME."""
    path = resolve_profile_path(name, subdir="demo")
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise ProfileValidationError(str(path), [str(exc)]) from None
    portal = Portal.objects.filter(profile=name).first()
    if portal is None:
        raise ProfileValidationError(str(path), [f"profile {name!r} is not loaded; run load_profile {name} first"])
    return _apply(data, portal, str(path))


def _apply(data, portal: Portal, source: str) -> DemoReport:
    from cms.models import CatalogueCategory
    from pages.models import ArticlePage, ColumnPage, GovernmentDocumentPage, VideoPage

    c = _Checker()
    top = c.mapping(data, "", None, None, {"items"}, {"items"})
    if top is None:
        raise ProfileValidationError(source, c.errors)
    home = portal.site.root_page
    columns = {p.profile_key: p for p in ColumnPage.objects.descendant_of(home).exclude(profile_key="")}
    departments = {d.code: d for d in portal.departments.all()}
    plans = []
    for i, raw in enumerate(c.sequence(top.get("items"), "items", c.line_of(top, "items"))):
        p = f"items[{i}]"
        if not c.mapping(raw, p, top["items"], i, ITEM_KEYS, {"column", "type", "slug", "title", "date"}):
            continue
        column = columns.get(str(raw.get("column")))
        if column is None:
            c.error(f"{p}.column", c.line_of(raw, "column"), f"unknown column {raw.get('column')!r}")
        model = {"article": ArticlePage, "video": VideoPage, "document": GovernmentDocumentPage}.get(raw.get("type"))
        if model is None:
            c.error(f"{p}.type", c.line_of(raw, "type"), "must be article, video or document")
        for kind in ("topic", "genre"):
            if (
                raw.get(kind)
                and not CatalogueCategory.objects.filter(portal=portal, kind=kind, code=raw[kind]).exists()
            ):
                c.error(f"{p}.{kind}", c.line_of(raw, kind), f"unknown {kind} {raw[kind]!r}")
        department = None
        if raw.get("department"):
            department = departments.get(raw["department"])
            if department is None:
                c.error(f"{p}.department", c.line_of(raw, "department"), f"unknown department {raw['department']!r}")
        date = raw.get("date")
        if not isinstance(date, datetime.date):
            c.error(f"{p}.date", c.line_of(raw, "date"), "must be a date like 2026-10-12")
        reprint = raw.get("reprint") or {}
        if reprint and not c.mapping(
            reprint, f"{p}.reprint", raw, "reprint", {"site", "time", "url"}, {"site", "time", "url"}
        ):
            reprint = {}
        plans.append((raw, column, model, department, reprint))
    if c.errors:
        raise ProfileValidationError(source, c.errors)

    report = DemoReport()
    with transaction.atomic():
        for raw, column, model, department, reprint in plans:
            if column.get_children().filter(slug=raw["slug"]).exists():
                report.skipped += 1
                continue
            page = model(
                title=clean_plain(str(raw["title"])),
                slug=raw["slug"],
                date=raw["date"],
                summary=clean_plain(str(raw.get("summary", ""))),
                author_department=department,
                live=False,
            )
            if model is ArticlePage:
                page.body = clean_rich_text(str(raw.get("body", "")))
                if reprint:
                    when = reprint["time"]
                    if not isinstance(when, datetime.datetime):
                        when = parse_datetime(str(when))
                    if timezone.is_naive(when):
                        when = timezone.make_aware(when)
                    page.reprint_source_site = str(reprint["site"])
                    page.reprint_source_time = when
                    page.reprint_source_url = str(reprint["url"])
            elif model is GovernmentDocumentPage:
                page.body = clean_rich_text(str(raw.get("body", "")))
                page.document_number = str(raw.get("document_number", ""))
                page.created_on = raw.get("created_on") or raw["date"]
                page.disclosure_attribute = str(raw.get("disclosure_attribute", "full"))
                page.is_enforcement = bool(raw.get("is_enforcement", False))
                page.valid_until = raw.get("valid_until")
                for kind in ("topic", "genre"):
                    if raw.get(kind):
                        setattr(page, kind, CatalogueCategory.objects.get(portal=portal, kind=kind, code=raw[kind]))
            else:
                page.description = clean_rich_text(str(raw.get("body", "")))
                page.video_url = str(raw.get("video_url", ""))
                page.duration = str(raw.get("duration", ""))
            try:
                page.full_clean(exclude=["path", "depth", "url_path"])
            except ValidationError as exc:
                messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                raise ProfileValidationError(source, [f"{raw.get('column')}/{raw['slug']}: {messages}"]) from None
            column.add_child(instance=page)
            for tag in raw.get("tags") or []:
                page.tags.add(str(tag))
            if model is GovernmentDocumentPage and page.publishing_organ == "":
                page.publishing_organ = portal.name
            revision = page.save_revision(log_action=True)
            published = timezone.make_aware(datetime.datetime.combine(raw["date"], datetime.time(9, 0)))
            # One transaction: what runs on commit (the search index update) sees the backdated times.
            with transaction.atomic(), chain_bypass("演示内容导入（load_demo）"):
                revision.publish(log_action=True)
                Page.objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
            report.created.append(f"{column.profile_key}/{raw['slug']} {page.title}")
    return report
