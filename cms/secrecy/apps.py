"""App config of the secrecy checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecrecyConfig(AppConfig):
    """Classification marks, the sensitive-term list and the content scanner."""

    name = "cms.secrecy"
    label = "secrecy"
    verbose_name = _("Secrecy review")
    default_auto_field = "django.db.models.BigAutoField"
