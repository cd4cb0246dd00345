"""API routes: /api/ index, /api/v2/ (Wagtail pages, images, documents), /api/<plugin>/ per plugin."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from cms.plugins.registry import registry
from search.api import urlpatterns as search_urls

from .catalogue import CatalogueViewSet
from .clocks import ClockViewSet
from .views import api_root
from .wagtail import api_router

catalogue_router = SimpleRouter()
catalogue_router.register("catalogue", CatalogueViewSet, basename="catalogue")
catalogue_router.register("clocks", ClockViewSet, basename="clocks")

urlpatterns = [
    path("", api_root, name="api-root"),
    path("v2/", api_router.urls),
    path("search/", include(search_urls)),
    *catalogue_router.urls,
]

for plugin in registry:
    patterns = plugin.api_urlconf
    if patterns is not None:
        urlpatterns.append(path(f"{plugin.mount}/", include((patterns, plugin.label), namespace=plugin.label)))
