"""App config of the outlets and their delivery outbox."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletsConfig(AppConfig):
    """Outlet registry, per-portal outlets and the delivery outbox."""

    name = "cms.outlets"
    label = "outlets"
    verbose_name = _("Outlets")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the outbox's publish/unpublish receivers."""
        from . import signals  # noqa: F401
