"""Admin integration of disclosure requests: one 依申请公开 menu gathering the requests, answers and letter
templates, and the annual report.

Each admin module registers its URLs and its menu items itself, the latter with the hook
`register_disclosure_requests_menu_item` (a function returning a `wagtail.admin.menu.MenuItem`).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from . import admin_answers, admin_report, admin_requests  # noqa: F401  (they register their hooks)

#: Modules add their menu items with this hook.
MENU_HOOK = "register_disclosure_requests_menu_item"


@hooks.register("register_admin_menu_item")
def register_menu():
    """The 依申请公开 submenu (hidden when none of its items is shown to the user)."""
    return SubmenuMenuItem(
        _("Disclosure requests"),
        Menu(register_hook_name=MENU_HOOK),
        icon_name="mail",
        name="disclosure-requests",
        order=260,
    )


@hooks.register("register_home_panel")
def requests_panel(request, portal):
    """依申请公开 on the home page: apply online, follow a request."""
    from .site import home_panel

    return home_panel(request, portal)
