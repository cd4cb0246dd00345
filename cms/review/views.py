"""Admin view of the review ledger (审核审查台账): filter and export to XLSX or CSV."""

from __future__ import annotations

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from cms.models import Department

from .models import Decision, ReviewLedgerEntry


class LedgerFilterSet(WagtailFilterSet):
    """Filters of the ledger: department, column, reviewer, date range, decision."""

    department = django_filters.ModelChoiceFilter(
        label=_("department"), queryset=Department.objects.select_related("portal"), empty_label=_("All")
    )
    column = django_filters.ModelChoiceFilter(
        label=_("column"),
        queryset=lambda request: Page.objects.filter(
            pk__in=ReviewLedgerEntry.objects.exclude(column=None).values("column")
        ).order_by("path"),
        empty_label=_("All"),
    )
    reviewer = django_filters.ModelChoiceFilter(
        label=_("reviewer"),
        queryset=lambda request: get_user_model().objects.filter(
            pk__in=ReviewLedgerEntry.objects.exclude(reviewer=None).values("reviewer")
        ),
        empty_label=_("All"),
    )
    decided_at = django_filters.DateFromToRangeFilter(label=_("decided at"), widget=DateRangePickerWidget)
    decision = django_filters.ChoiceFilter(label=_("decision"), choices=Decision.choices, empty_label=_("All"))

    class Meta:
        model = ReviewLedgerEntry
        fields = ["department", "column", "reviewer", "decided_at", "decision"]


class ReviewLedgerView(ReportView):
    """The review ledger: every decision on every item, newest first."""

    page_title = _("Review ledger")
    header_icon = "list-ul"
    filterset_class = LedgerFilterSet
    index_url_name = "review_ledger"
    index_results_url_name = "review_ledger_results"
    any_permission_required = ["view"]
    model = ReviewLedgerEntry
    columns = [
        DateColumn("decided_at", label=_("decided at")),
        Column("page_title", label=_("item")),
        Column("column_title", label=_("column")),
        Column("department", label=_("department")),
        Column("task_name", label=_("review step")),
        Column("decision", label=_("decision"), accessor="get_decision_display"),
        Column("reviewer_name", label=_("reviewer")),
        Column("opinion", label=_("opinion")),
        Column("revision_number", label=_("revision id")),
    ]
    list_export = [
        "decided_at",
        "page_title",
        "column_title",
        "department",
        "task_name",
        "decision",
        "reviewer_name",
        "opinion",
        "revision_number",
        "content_hash",
    ]
    export_headings = {
        "decided_at": "审核时间",
        "page_title": "信息标题",
        "column_title": "栏目",
        "department": "部门",
        "task_name": "审核环节",
        "decision": "审核结果",
        "reviewer_name": "审核人",
        "opinion": "审核意见",
        "revision_number": "版本号",
        "content_hash": "内容摘要（SHA-256）",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "decision": {
                self.FORMAT_CSV: lambda value: str(Decision(value).label),
                self.FORMAT_XLSX: lambda value: str(Decision(value).label),
            },
            "department": {
                self.FORMAT_CSV: lambda d: d.name if d else "",
                self.FORMAT_XLSX: lambda d: d.name if d else "",
            },
        }

    @property
    def permission_policy(self):
        from wagtail.permission_policies import ModelPermissionPolicy

        return ModelPermissionPolicy(ReviewLedgerEntry)

    def get_filename(self) -> str:
        return f"review-ledger-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        return ReviewLedgerEntry.objects.select_related("department", "reviewer").order_by("-decided_at", "-pk")
