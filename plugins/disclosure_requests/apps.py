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
