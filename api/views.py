"""The API index: where each endpoint and plugin is mounted."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from cms import __version__, cache
from cms.cache import cache_policy
from cms.plugins.registry import registry


class FrameworkSerializer(serializers.Serializer):
    """The framework serving the API."""

    name = serializers.CharField()
    version = serializers.CharField()


class PluginEntrySerializer(serializers.Serializer):
    """An installed plugin and where its API is mounted."""

    label = serializers.CharField(help_text=_("Plugin label."))
    name = serializers.CharField(help_text=_("Display name."))
    version = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text=_("URL of the plugin's API index, or null without an API."))


class ApiIndexSerializer(serializers.Serializer):
    """The API index."""

    framework = FrameworkSerializer()
    endpoints = serializers.DictField(child=serializers.URLField(), help_text=_("Each endpoint's name and URL."))
    plugins = PluginEntrySerializer(many=True)


@cache_policy(cache.INDEX)
@extend_schema(operation_id="index", summary=_("Index of the API"), responses={200: ApiIndexSerializer})
@api_view(["GET"])
def api_root(request: Request) -> Response:
    """List the Wagtail v2 endpoints, the OpenAPI document and its docs, and the installed plugins' API mounts."""
    base = request.build_absolute_uri("/api/")
    return Response(
        {
            "framework": {"name": "Sunlight", "version": __version__},
            "endpoints": {
                "pages": f"{base}v2/pages/",
                "images": f"{base}v2/images/",
                "documents": f"{base}v2/documents/",
                "catalogue": f"{base}catalogue/",
                "search": f"{base}search/",
                "catalogue_search": f"{base}search/catalogue/",
                "suggest": f"{base}search/suggest/",
                "outlet_feed": f"{base}outlets/feed/",
                "preview": f"{base}preview/",
                "schema": f"{base}schema/",
                "docs": f"{base}docs/",
            },
            "plugins": [
                {
                    "label": p.label,
                    "name": p.verbose_name,
                    "version": p.version,
                    "url": f"{base}{p.mount}/" if p.api_urlconf is not None else None,
                }
                for p in registry
            ],
        }
    )
