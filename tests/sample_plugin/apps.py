"""Plugin config of the sample plugin."""

from cms.plugins import PluginConfig


class SamplePluginConfig(PluginConfig):
    """A test plugin: a page type, a snippet, a workflow task, API routes and a search document."""

    name = "tests.sample_plugin"
    label = "sample_plugin"
    verbose_name = "Sample plugin"
    version = "1.2.3"
    requires = ">=0.1"
    base_url = "sample"
    default_settings = {"greeting": "你好", "page_size": 10}
    default_auto_field = "django.db.models.BigAutoField"
    outlet_kinds = ["tests.sample_plugin.outlets.SampleOutletKind"]
