"""System checks: refused plugins show up in `manage.py check`, runserver's start-up and deploy checks."""

from django.conf import settings
from django.core.checks import Warning, register


@register("sunlight")
def refused_plugins(app_configs, **kwargs):
    """Warn once per plugin that discovery refused, naming the plugin and the reason."""
    discovery = getattr(settings, "PLUGIN_DISCOVERY", None)
    return [
        Warning(
            f"Plugin {r.name!r} ({r.source}) was not loaded: {r.reason}",
            hint="Fix or upgrade the plugin, or disable it with SUNLIGHT_DISABLED_PLUGINS.",
            id="sunlight.W001",
        )
        for r in getattr(discovery, "refused", ())
    ]
