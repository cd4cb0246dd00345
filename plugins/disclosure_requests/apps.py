"""Plugin config of `disclosure_requests`."""

from django.utils.translation import gettext_lazy as _

from cms.plugins import PluginConfig


class DisclosureRequestsConfig(PluginConfig):
    """Requests for government information and the annual report (依申请公开)."""

    name = "plugins.disclosure_requests"
    label = "disclosure_requests"
    verbose_name = _("Disclosure requests")
    description = _("Requests for government information and the annual report (依申请公开).")
    version = "0.1.0"
    requires = ">=0.1,<1.0"
    author = "Sunlight"
    default_auto_field = "django.db.models.BigAutoField"
    profile_section = "disclosure_requests"

    def ready(self) -> None:
        """Merge settings and connect the answer chain's signals."""
        super().ready()
        from . import signals

        signals.connect()

    def parse_profile_section(self, checker, raw, path, department_ref):
        """Validate the profile's `disclosure_requests:` section (profile.py)."""
        from .profile import parse_section

        return parse_section(checker, raw, path, department_ref)

    def load_profile_section(self, portal, spec, departments, report) -> None:
        """Load the rules and the answer chain into the portal (profile.py)."""
        from .profile import load_section

        load_section(portal, spec, departments, report)
