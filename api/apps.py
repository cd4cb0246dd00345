"""App config of the API router."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The API router."""

    name = "api"
    label = "sunlight_api"
    verbose_name = _("API")

    def ready(self) -> None:
        """Connect the CDN purge of API URLs."""
        from .signals import connect

        connect()
