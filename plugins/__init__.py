"""Built-in plugins. Each is a Django app whose AppConfig subclasses cms.plugins.PluginConfig."""
