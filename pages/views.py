"""Admin report: government information marked for publication and its 5 / 20 working-day clock."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from cms.deadlines.models import STATE_LABELS, Clock

from .clocks import PUBLICATION
from .models import GovernmentDocumentPage


class PendingPublicationView(ReportView):
    """Documents whose publication clock is running, overdue ones first (SPEC §2)."""

    page_title = _("Government information awaiting publication")
    header_icon = "time"
    index_url_name = "pending_publication"
    index_results_url_name = "pending_publication_results"
    model = Clock
    list_export = ["title", "department", "start_date", "due_date", "state_label", "calendar_warning"]
    export_headings = {
        "title": "信息名称",
        "department": "部门",
        "start_date": "生成日期",
        "due_date": "应发布日期",
        "state_label": "状态",
        "calendar_warning": "日历提示",
    }
    columns = [
        TitleColumn("title", label=_("title"), get_url=lambda clock: f"/admin/pages/{clock.object_id}/edit/"),
        Column("department", label=_("department")),
        DateColumn("start_date", label=_("date of creation")),
        DateColumn("due_date", label=_("due date")),
        Column("state_label", label=_("state")),
        Column("calendar_warning", label=_("calendar")),
    ]

    @property
    def permission_policy(self):
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy()

    any_permission_required = ["change", "publish"]

    def get_filename(self) -> str:
        return f"pending-publication-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        content_type = ContentType.objects.get_for_model(GovernmentDocumentPage)
        clocks = list(
            Clock.objects.filter(kind=PUBLICATION, content_type=content_type, stopped_on__isnull=True).order_by(
                "due_date", "pk"
            )
        )
        documents = {
            d.pk: d
            for d in GovernmentDocumentPage.objects.filter(pk__in=[c.object_id for c in clocks]).select_related(
                "author_department"
            )
        }
        for clock in clocks:
            document = documents.get(clock.object_id)
            clock.title = document.get_admin_display_title() if document else "—"
            clock.department = document.author_department.name if document and document.author_department else ""
            clock.state_label = str(STATE_LABELS[clock.state_on()])
        return clocks
