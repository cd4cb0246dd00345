"""Admin integration of wanted notices: one 网上通缉 menu (notices, tips), the "Close notice" buttons and the
`wanted.close` log action; and on the public site, the home page's strip of active notices and the tombstone of a
closed notice's address (`site.py`). The admin modules register their own URLs and menu items (hook
`register_wanted_menu_item`, a function returning a `wagtail.admin.menu.MenuItem`)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from . import admin_notices, admin_tips  # noqa: F401  (they register their hooks)
from . import site as public_site
from .lifecycle import CLOSE_ACTION

MENU_HOOK = "register_wanted_menu_item"


@hooks.register("register_admin_menu_item")
def register_menu():
    """The 网上通缉 submenu (hidden when none of its items is shown to the user)."""
    return SubmenuMenuItem(_("Wanted notices"), Menu(register_hook_name=MENU_HOOK), icon_name="warning",
                           name="wanted", order=265)  # fmt: skip


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """The closing of a notice in the page history."""
    actions.register_action(CLOSE_ACTION, _("Close wanted notice"), _("Wanted notice closed; personal data deleted"))


@hooks.register("register_home_panel")
def wanted_strip(request, portal):
    """网上通缉 on the home page: the latest active notices (none: no panel)."""
    return public_site.home_panel(request, portal)


@hooks.register("register_gone_page")
def closed_notice(request):
    """The old address of a closed notice: 410 with its minimal record."""
    return public_site.tombstone(request)
