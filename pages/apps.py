"""App config of the page types."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Page types of the column tree."""

    name = "pages"
    verbose_name = _("Pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the publication-clock signal handlers."""
        from . import signals  # noqa: F401
