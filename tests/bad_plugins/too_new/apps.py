from cms.plugins import PluginConfig


class TooNewConfig(PluginConfig):
    name = "tests.bad_plugins.too_new"
    label = "too_new"
    version = "2.0.0"
    requires = ">=99.0"
