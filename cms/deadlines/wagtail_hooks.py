"""Admin: the working calendar (days and years) as snippets, and a dashboard panel warning about missing years."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .coverage import coverage_gaps
from .models import CalendarDay, CalendarYear


class CalendarDayViewSet(SnippetViewSet):
    """Holidays and 调休 working days entered by hand; they override the package and fill unknown years."""

    model = CalendarDay
    icon = "date"
    menu_label = _("Holidays and working days")
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    search_fields = ["name", "note"]
    ordering = ["-date"]
    panels = [FieldPanel("date"), FieldPanel("is_workday"), FieldPanel("name"), FieldPanel("note")]


class CalendarYearViewSet(SnippetViewSet):
    """Years of the calendar; a complete year is covered even when the package does not know it."""

    model = CalendarYear
    icon = "calendar-check"
    menu_label = _("Years")
    list_display = ["year", "complete", "covered_by_package"]
    panels = [FieldPanel("year"), FieldPanel("complete"), FieldPanel("note")]


class WorkingCalendarGroup(SnippetViewSetGroup):
    """The "Working calendar" admin menu."""

    items = (CalendarDayViewSet, CalendarYearViewSet)
    menu_icon = "calendar"
    menu_label = _("Working calendar")
    menu_name = "working-calendar"


register_snippet(WorkingCalendarGroup)


def can_edit_calendar(user: Any) -> bool:
    """True when `user` may add or change calendar days or years."""
    return any(
        user.has_perm(f"deadlines.{action}_{model}")
        for action in ("add", "change")
        for model in ("calendarday", "calendaryear")
    )


class CalendarCoveragePanel(Component):
    """Dashboard panel: years whose holidays are missing, and how many open deadlines are estimates because of it."""

    name = "calendar_coverage"
    order = 90
    template_name = "deadlines/coverage_panel.html"

    def __init__(self, gaps: list) -> None:
        self.gaps = gaps

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        return {
            "gaps": self.gaps,
            "days_url": reverse("wagtailsnippets_deadlines_calendarday:list"),
            "add_day_url": reverse("wagtailsnippets_deadlines_calendarday:add"),
            "years_url": reverse("wagtailsnippets_deadlines_calendaryear:list"),
        }


@hooks.register("construct_homepage_panels")
def add_calendar_coverage_panel(request: HttpRequest, panels: list) -> None:
    """Show the coverage panel to calendar editors when a year that matters is not covered."""
    if not can_edit_calendar(request.user):
        return
    gaps = coverage_gaps()
    if gaps:
        panels.append(CalendarCoveragePanel(gaps))
