"""The Outlets (发布渠道) menu group of the Wagtail admin: the portals' outlets, and the deliveries beside them.

Other outlet admin views join the group by being listed in `OUTLET_VIEWSETS` (the delivery admin is)."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .delivery_admin import delivery_viewset
from .models import Outlet, new_secret
from .registry import get_kind


def kind_label(outlet: Outlet) -> str:
    """The outlet's kind as people call it (the code when the kind is no longer registered)."""
    try:
        return str(get_kind(outlet.kind).label or outlet.kind)
    except KeyError:
        return outlet.kind


class OutletForm(WagtailAdminModelForm):
    """Deployment data of an outlet: endpoint, enabled, and rotating the signing secret."""

    endpoint_url = forms.URLField(
        label=Outlet._meta.get_field("endpoint_url").verbose_name,
        help_text=Outlet._meta.get_field("endpoint_url").help_text,
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    regenerate_secret = forms.BooleanField(
        label=_("Regenerate the signing secret"),
        required=False,
        help_text=_("Give the receiver the new secret: deliveries signed with the old one stop verifying."),
    )

    class Meta:
        model = Outlet
        fields = ["endpoint_url", "enabled"]

    def save(self, commit: bool = True) -> Outlet:
        """Save, replacing the secret when asked to."""
        if self.cleaned_data.get("regenerate_secret"):
            self.instance.secret = new_secret()
        return super().save(commit=commit)


class OutletPermissionPolicy(ModelPermissionPolicy):
    """Outlets come from the profile (`outlets:`), so nobody adds one here; the rest follows model permissions."""

    def user_has_permission(self, user, action: str) -> bool:
        """Model permissions (superusers have all), but never `add`."""
        return action != "add" and super().user_has_permission(user, action)


def _outlet_summary(outlet: Outlet | None) -> str:
    """What the profile says about the outlet and its current secret, for the edit page."""
    if outlet is None or outlet.pk is None:
        return ""
    columns = outlet.columns.order_by("path")
    return format_html_join(
        "",
        "<p><strong>{}</strong> {}</p>",
        [
            (_("Portal:"), outlet.portal.name),
            (_("Kind:"), kind_label(outlet)),
            (_("Official account:"), outlet.account.name if outlet.account else "—"),
            (_("Columns (with their subcolumns, from the profile):"), "、".join(c.title for c in columns) or "—"),
            (_("Signing secret:"), outlet.secret),
        ],
    )


class OutletSummaryPanel(HelpPanel):
    """Read-only facts of the outlet being edited: portal, kind, account, columns and secret."""

    class BoundPanel(HelpPanel.BoundPanel):
        """Renders the summary of the bound instance."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = _outlet_summary(self.instance)


register_permission_policy(Outlet, OutletPermissionPolicy(Outlet))


class OutletViewSet(ModelViewSet):
    """The outlets of every portal: where deliveries go, whether they are on, and their signing secret."""

    model = Outlet
    name = "outlets"
    url_prefix = "outlets/outlets"
    icon = "site"
    menu_label = _("Outlets")
    menu_order = 100
    form_fields = ["endpoint_url", "enabled"]
    list_filter = ["portal", "kind", "enabled"]
    search_fields = ["name"]
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        "name",
        Column("kind", label=_("kind"), accessor=kind_label),
        "portal",
        BooleanColumn("enabled", label=_("enabled")),
        BooleanColumn("has_endpoint", label=_("endpoint set"), accessor=lambda outlet: bool(outlet.endpoint_url)),
    ]
    edit_handler = ObjectList(
        [
            OutletSummaryPanel(heading=_("From the profile")),
            FieldPanel("endpoint_url"),
            FieldRowPanel([FieldPanel("enabled"), FieldPanel("regenerate_secret")]),
        ],
        base_form_class=OutletForm,
    )

    def get_queryset(self, request):
        """Outlets with their portal, for the listing."""
        return Outlet.objects.select_related("portal")


outlet_viewset = OutletViewSet()

#: The viewsets of the Outlets menu group, in menu order. Another outlet admin view joins by being appended here.
OUTLET_VIEWSETS: list = [outlet_viewset, delivery_viewset]


class OutletsGroup(ViewSetGroup):
    """The Outlets (发布渠道) menu: outlets and their deliveries."""

    menu_label = _("Outlets")
    menu_icon = "site"
    menu_name = "outlets"
    menu_order = 700

    @property
    def items(self):  # type: ignore[override]
        """Whatever `OUTLET_VIEWSETS` holds when the admin registers its viewsets."""
        return OUTLET_VIEWSETS


@hooks.register("register_admin_viewset")
def register_outlets_group() -> OutletsGroup:
    """Register the Outlets menu group with its viewsets."""
    return OutletsGroup()
