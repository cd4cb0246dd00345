"""Plugin config of `online_services`."""

from django.utils.translation import gettext_lazy as _

from cms.plugins import PluginConfig


class OnlineServicesConfig(PluginConfig):
    """Service guides, forms and hotlines for every police type (网上办事)."""

    name = "plugins.online_services"
    label = "online_services"
    verbose_name = _("Online services")
    description = _("Service guides, forms and hotlines for every police type (网上办事).")
    version = "0.1.0"
    requires = ">=0.1,<1.0"
    author = "Sunlight"
    default_auto_field = "django.db.models.BigAutoField"
