"""The API index: where each endpoint and plugin is mounted."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from cms import __version__
from cms.plugins.registry import registry


@require_GET
def api_root(request: HttpRequest) -> JsonResponse:
    """List the Wagtail v2 endpoints and the installed plugins' API mounts."""
    base = request.build_absolute_uri("/api/")
    return JsonResponse(
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
        },
        json_dumps_params={"ensure_ascii": False},
    )
