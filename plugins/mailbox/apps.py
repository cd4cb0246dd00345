"""Plugin config of `mailbox`."""

from django.utils.translation import gettext_lazy as _

from cms.plugins import PluginConfig


class MailboxConfig(PluginConfig):
    """Letters to the bureau leader and the other letter boxes (局长信箱)."""

    name = "plugins.mailbox"
    label = "mailbox"
    verbose_name = _("Mailbox")
    description = _("Letters to the bureau leader and the other letter boxes (局长信箱).")
    version = "0.1.0"
    requires = ">=0.1,<1.0"
    author = "Sunlight"
    default_auto_field = "django.db.models.BigAutoField"
