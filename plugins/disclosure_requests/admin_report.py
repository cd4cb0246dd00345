"""Admin view of the annual report (依申请公开 › 年度报告): both tables of a chosen year as HTML, with XLSX and
DOCX downloads; for holders of `disclosure_requests.view_annual_report` and superusers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.deadlines.calendar import local_today
from cms.models import Portal

from .exports import (
    LABEL_COLUMNS,
    RECONCILIATION_NOTE,
    TABLE_FOUR_TITLE,
    TABLE_THREE_TITLE,
    as_docx,
    as_xlsx,
    report_title,
    seed_lines,
    table_three_layout,
)
from .report import COLUMNS, REMEDY_GROUPS, REMEDY_OUTCOMES, build_report

PERMISSION = "disclosure_requests.view_annual_report"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def may_view(user) -> bool:
    """True for superusers and holders of the report permission."""
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(PERMISSION)))


def _year(raw: str | None) -> int:
    this_year = local_today().year
    try:
        year = int(raw) if raw else this_year - 1
    except ValueError:
        year = this_year - 1
    return min(max(year, 2008), this_year)


def annual_report(request: HttpRequest) -> HttpResponse:
    """The report of the chosen portal and year; `?format=xlsx|docx` downloads it."""
    if not may_view(request.user):
        raise PermissionDenied
    portals = list(Portal.objects.select_related("site").order_by("profile"))
    portal = next((p for p in portals if p.profile == request.GET.get("portal")), None)
    if portal is None:
        portal = next((p for p in portals if p.site_id and p.site.is_default_site), portals[0] if portals else None)
    year = _year(request.GET.get("year"))
    if portal is None:
        return render(request, "disclosure_requests/report/annual.html", {"page_title": _("Annual report")})
    report = build_report(portal, year)
    fmt = request.GET.get("format")
    if fmt in CONTENT_TYPES:
        body = as_xlsx(report) if fmt == "xlsx" else as_docx(report)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        filename = f"annual-report-{portal.profile}-{year}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    base = reverse("disclosure_requests_report")
    column_keys = [key for key, _label in COLUMNS]
    return render(
        request,
        "disclosure_requests/report/annual.html",
        {
            "page_title": _("Annual report"),
            "header_icon": "table",
            "report": report,
            "title": report_title(report),
            "portals": portals,
            "portal": portal,
            "year": year,
            "years": list(range(local_today().year, 2007, -1)),
            "columns": COLUMNS,
            "label_columns": LABEL_COLUMNS,
            "rows": [(line, list(zip(column_keys, line.values, strict=True))) for line in table_three_layout(report)],
            "org_columns": COLUMNS[1:-1],
            "remedy_first": REMEDY_GROUPS[0][1],
            "lawsuit_groups": [label for _kind, label in REMEDY_GROUPS[1:]],
            "remedy_cells": [
                (kind, outcome, report.remedies[kind][outcome])
                for kind, _label in REMEDY_GROUPS
                for outcome, _o in REMEDY_OUTCOMES
            ],
            "remedy_outcomes": REMEDY_OUTCOMES,
            "seed_lines": seed_lines(report),
            "table_three_title": TABLE_THREE_TITLE,
            "table_four_title": TABLE_FOUR_TITLE,
            "note": RECONCILIATION_NOTE,
            "xlsx_url": f"{base}?portal={portal.profile}&year={year}&format=xlsx",
            "docx_url": f"{base}?portal={portal.profile}&year={year}&format=docx",
        },
    )


@hooks.register("register_permissions")
def report_permission():
    """Offer the report permission in Settings › Groups."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="disclosure_requests", codename="view_annual_report")


@hooks.register("register_admin_urls")
def register_report_url() -> list:
    """/admin/disclosure-requests/annual-report/."""
    return [path("disclosure-requests/annual-report/", annual_report, name="disclosure_requests_report")]


class ReportMenuItem(MenuItem):
    """Shown to users who may view the annual report."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the user may view the report."""
        return may_view(request.user)


@hooks.register("register_disclosure_requests_menu_item")
def report_menu_item() -> MenuItem:
    """依申请公开 › Annual report."""
    return ReportMenuItem(
        gettext_lazy("Annual report"), reverse("disclosure_requests_report"), icon_name="table", order=300
    )
