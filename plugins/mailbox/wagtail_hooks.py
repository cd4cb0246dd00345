"""Admin integration of the mailbox: one 来信办理 menu gathering the letters, their deadlines and statistics, the
replies and the quick replies, and the dashboard panel of the daily check.

Each admin module registers its URLs and menu items itself, the latter with the hook
`register_mailbox_menu_item` (a function returning a `wagtail.admin.menu.MenuItem`).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from . import admin_letters, admin_replies  # noqa: F401  (they register their hooks)

#: Modules add their menu items with this hook.
MENU_HOOK = "register_mailbox_menu_item"


@hooks.register("register_admin_menu_item")
def register_menu():
    """The 来信办理 submenu (hidden when none of its items is shown to the user)."""
    return SubmenuMenuItem(
        _("Letters"), Menu(register_hook_name=MENU_HOOK), icon_name="mail", name="mailbox", order=270
    )


@hooks.register("register_home_panel")
def letters_panel(request, portal):
    """警民互动 on the home page: write, follow, and the latest published letters."""
    from .site import home_panel

    return home_panel(request, portal)
