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
    profile_section = "mailbox"

    def ready(self) -> None:
        """Merge settings, connect the reply chain's signals and watch the public models."""
        super().ready()
        from cms import cache

        from . import signals

        signals.connect()
        from .models import Box, LetterKind

        cache.watch(Box)
        cache.watch(LetterKind)

    def parse_profile_section(self, checker, raw, path, department_ref):
        """Validate the profile's `mailbox:` section (profile.py)."""
        from .profile import parse_section

        return parse_section(checker, raw, path, department_ref)

    def load_profile_section(self, portal, spec, departments, report) -> None:
        """Load the rules, kinds, boxes and the reply chain into the portal (profile.py)."""
        from .profile import load_section

        load_section(portal, spec, departments, report)
