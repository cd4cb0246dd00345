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
    default_settings = {
        # Slugs of a police type's four service columns (seed 000 §一); the guides column is also recognised
        # by accepting online_services.ServiceGuidePage.
        "service_columns": {"hotlines": "bmdh", "guides": "bszn", "forms": "bgxz", "consultation": "ywzx"},
        # The mailbox box that takes each portal's consultations: a box key, or profile name -> box key (the
        # shipped profiles' boxes); without one the mailbox's form lets the citizen choose.
        "consultation_box": {"ankang": "juzhang", "ningxia": "tingzhang"},
        # Hotlines and forms per page of the public API (the client may ask for up to `max_page_size`).
        "page_size": 20,
        "max_page_size": 200,
        # Hotlines per page of a police type's 便民电话 column on the public site.
        "site_page_size": 20,
    }

    def ready(self) -> None:
        """Merge settings; count the public models in the content version; guard submissions for review."""
        super().ready()
        from cms import cache

        from . import models, submission

        for model in (models.Hotline, models.ServiceLocation, models.ServiceForm, models.ServiceFormGuide):
            cache.watch(model)
        submission.connect()
