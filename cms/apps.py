"""App config of the Sunlight core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The framework core: departments, portals (profiles) and the plugin registry."""

    name = "cms"
    verbose_name = _("Sunlight core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register system checks, connect the content-version receivers, report refused plugins."""
        import logging

        from django.conf import settings

        from . import checks  # noqa: F401  (registers the checks)
        from .cache import connect

        connect()

        discovery = getattr(settings, "PLUGIN_DISCOVERY", None)
        for refusal in getattr(discovery, "refused", ()):
            logging.getLogger("sunlight.plugins").warning("%s", refusal)
