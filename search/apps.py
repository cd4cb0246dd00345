"""App config of search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Search engines, catalogue documents and the index-keeping signals."""

    name = "search"
    label = "sunlight_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        """Keep the index in step with pages and plugin objects."""
        from . import segment, signals

        segment.add_word_source(profile_words)
        signals.connect()


def profile_words() -> list[str]:
    """Words of the loaded profiles: their `search_words` and the names of their departments."""
    from cms.models import Department, Portal

    words = [word for portal_words in Portal.objects.values_list("search_words", flat=True) for word in portal_words]
    for name, short_name in Department.objects.values_list("name", "short_name"):
        words += [name, short_name]
    return [word for word in words if word and len(word) >= 2]
