"""App config of the working-day calendar and deadline engine."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    """Working-day calendar (法定节假日 and 调休) and deadline clocks."""

    name = "cms.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")
    default_auto_field = "django.db.models.BigAutoField"
