"""Admin integration of 网上办事: one menu with the hotline directory, the forms library and the service
locations (snippets, filtered by police type and county), the withdrawal of a guide from its page header,
and the withdrawal's entry in page history; and on the public site (`site.py`), the panels of the police types'
service columns (hotline directory, forms, consultation) and the home page's 便民电话 panel."""

from __future__ import annotations

from collections.abc import Iterator

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import Department, DepartmentKind

from . import site as public_site
from .admin_views import withdraw_guide
from .models import HOTLINE_ORDER, Hotline, ServiceForm, ServiceGuidePage, ServiceLocation
from .withdrawal import LOG_ACTION, can_withdraw


def _departments(kind: str):
    def queryset(request):
        return Department.objects.filter(kind=kind).select_related("portal").order_by("portal", "sort_order", "code")

    return queryset


class HotlineFilterSet(WagtailFilterSet):
    """Filter hotlines by police type and county."""

    police_type = django_filters.ModelChoiceFilter(
        label=_("police type"), queryset=_departments(DepartmentKind.POLICE_TYPE)
    )
    county = django_filters.ModelChoiceFilter(label=_("county"), queryset=_departments(DepartmentKind.COUNTY))

    class Meta:
        model = Hotline
        fields = ["police_type", "county"]


class FormFilterSet(WagtailFilterSet):
    """Filter forms by police type."""

    police_type = django_filters.ModelChoiceFilter(
        label=_("police type"), queryset=_departments(DepartmentKind.POLICE_TYPE)
    )

    class Meta:
        model = ServiceForm
        fields = ["police_type"]


class HotlineViewSet(SnippetViewSet):
    """The hotline directory (便民电话)."""

    model = Hotline
    icon = "mobile-alt"
    menu_label = _("Hotlines")
    list_display = ["name", "number", "department", "police_type", "county", "hours"]
    list_per_page = 50
    filterset_class = HotlineFilterSet
    search_fields = ["name", "department", "number", "note"]
    search_backend_name = None
    ordering = HOTLINE_ORDER


class FormViewSet(SnippetViewSet):
    """The forms library (表格下载)."""

    model = ServiceForm
    icon = "doc-full"
    menu_label = _("Forms library")
    list_display = ["title", "police_type", "document", "updated_at"]
    filterset_class = FormFilterSet
    search_fields = ["title", "description"]
    search_backend_name = None


class LocationViewSet(SnippetViewSet):
    """Places and hours shared by guides."""

    model = ServiceLocation
    icon = "site"
    menu_label = _("Service locations")
    list_display = ["name", "address", "hours", "county"]
    search_fields = ["name", "address"]
    search_backend_name = None


class OnlineServicesGroup(SnippetViewSetGroup):
    """The 网上办事 admin menu."""

    menu_label = _("Online services")
    menu_icon = "list-ul"
    menu_order = 250
    items = (HotlineViewSet, FormViewSet, LocationViewSet)


register_snippet(OnlineServicesGroup)


@hooks.register("register_admin_urls")
def register_withdraw_url() -> list:
    """The withdrawal form of a guide."""
    return [path("online-services/guides/<int:page_id>/withdraw/", withdraw_guide, name="online_services_withdraw")]


@hooks.register("register_page_header_buttons")
def withdraw_button(page, user, view_name: str | None = None, next_url: str | None = None) -> Iterator[Button]:
    """'Withdraw' in the header menu of a live guide in force, for those who may publish it."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(specific, ServiceGuidePage) and can_withdraw(specific, user):
        yield Button(
            _("Withdraw the guide"),
            reverse("online_services_withdraw", args=[page.pk]),
            icon_name="warning",
            priority=62,
        )


@hooks.register("register_log_actions")
def register_withdraw_log_action(actions) -> None:
    """The withdrawal in page history."""
    actions.register_action(LOG_ACTION, _("Withdraw guide"), _("Guide withdrawn"))


@hooks.register("register_column_panel")
def service_column_panel(request, page):
    """A police type's 便民电话, 表格下载 or 业务咨询 column: its directory, forms or consultation link."""
    return public_site.column_panel(request, page)


@hooks.register("register_home_panel")
def hotlines_home_panel(request, portal):
    """便民电话 on the home page: the city bureau's key numbers (none: no panel)."""
    return public_site.home_panel(request, portal)
