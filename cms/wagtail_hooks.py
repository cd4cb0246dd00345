"""Admin registrations of the core: portals, departments and official accounts (superusers manage them)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, OfficialAccount, Portal


class PortalViewSet(SnippetViewSet):
    """Portals are created by `load_profile`; the admin shows them and lets names be corrected."""

    model = Portal
    icon = "site"
    menu_label = _("Portals")
    list_display = ["name", "profile", "site", "loaded_at"]
    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("organisation_code")]


class DepartmentViewSet(SnippetViewSet):
    """Departments with their kind and parent; saving one creates its three groups."""

    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "short_name", "code", "kind", "portal"]
    list_filter = ["portal", "kind"]
    search_fields = ["name", "short_name", "code"]
    panels = [
        FieldPanel("portal"),
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("supervisor"),
        FieldPanel("sort_order"),
    ]


class OfficialAccountViewSet(SnippetViewSet):
    """Official Weibo / WeChat / app accounts and who maintains them."""

    model = OfficialAccount
    icon = "globe"
    menu_label = _("Official accounts")
    list_display = ["name", "kind", "handle", "department", "portal"]
    list_filter = ["portal", "kind"]


class OrganisationGroup(SnippetViewSetGroup):
    """The "Organisation" admin menu."""

    items = (PortalViewSet, DepartmentViewSet, OfficialAccountViewSet)
    menu_icon = "group"
    menu_label = _("Organisation")
    menu_name = "organisation"


register_snippet(OrganisationGroup)
