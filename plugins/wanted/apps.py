"""Plugin config of `wanted`."""

from django.utils.translation import gettext_lazy as _

from cms.plugins import PluginConfig


class WantedConfig(PluginConfig):
    """Wanted notices with a lifecycle that protects the person's data (网上通缉)."""

    name = "plugins.wanted"
    label = "wanted"
    verbose_name = _("Wanted notices")
    description = _("Wanted notices with a lifecycle that protects the person's data (网上通缉).")
    version = "0.1.0"
    requires = ">=0.1,<1.0"
    author = "Sunlight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Merge settings; connect the signals (a deleted notice's data go with it); the public API reads the
        notices' photos and bulletins, so their changes move the content version (pages do already)."""
        super().ready()
        from cms.cache import watch

        from . import signals  # noqa: F401
        from .models import NoticeBulletin, NoticePhoto

        watch(NoticePhoto)
        watch(NoticeBulletin)
