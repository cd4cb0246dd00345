"""App config of the public site."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The public site (web outlet)."""

    name = "web"
    label = "web"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Fill the site settings from profiles as they load."""
        from . import signals  # noqa: F401
