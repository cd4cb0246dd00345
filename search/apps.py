"""App config of search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Search engines and catalogue documents."""

    name = "search"
    label = "sunlight_search"
    verbose_name = _("Search")
