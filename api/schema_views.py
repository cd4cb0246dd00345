"""The views of /api/schema/ (the OpenAPI document), /api/docs/ (Swagger UI) and /api/redoc/ (Redoc).

Kept apart from `api.schema`, which drf-spectacular imports while its own views module is loading.
"""

from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from cms import cache


class SchemaView(SpectacularAPIView):
    """The OpenAPI document: JSON by default, YAML with `?format=yaml` or `Accept: application/yaml`."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer, OpenApiYamlRenderer2]
    cache_policy = cache.SCHEMA


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI over the OpenAPI document, from the sidecar's static files (no CDN)."""

    url_name = "api-schema"


class RedocView(SpectacularRedocView):
    """Redoc over the OpenAPI document, from the sidecar's static files (no CDN, no web fonts)."""

    url_name = "api-schema"
    template_name = "api/redoc.html"
