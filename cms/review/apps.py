"""App config of the review chain."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Review chain tasks, the publication gate and the review ledger."""

    name = "cms.review"
    label = "review"
    verbose_name = _("Review chain")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the ledger's signal handlers."""
        from . import signals  # noqa: F401
