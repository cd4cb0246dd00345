from cms.plugins import PluginConfig


class NeedsSettingsConfig(PluginConfig):
    name = "tests.bad_plugins.needs_settings"
    label = "needs_settings"
    version = "0.1.0"
    requires = ">=0.1"
    required_settings = ["api_key"]
