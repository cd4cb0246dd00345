"""API routes: /api/ index, /api/v2/ (Wagtail pages, images, documents), /api/<plugin>/ per plugin."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from cms.outlets.api import DeliveryViewSet
from cms.plugins.registry import registry
from search.api import urlpatterns as search_urls

from .catalogue import CatalogueViewSet
from .clocks import ClockViewSet
from .outlets import OutletFeedItemView, OutletFeedView
from .preview import PreviewCreateView, PreviewDetailView
from .schema_views import RedocView, SchemaView, SwaggerView
from .views import api_root
from .wagtail import api_router

catalogue_router = SimpleRouter()
catalogue_router.register("catalogue", CatalogueViewSet, basename="catalogue")
catalogue_router.register("clocks", ClockViewSet, basename="clocks")
catalogue_router.register("outlets/deliveries", DeliveryViewSet, basename="outlet-deliveries")

urlpatterns = [
    path("", api_root, name="api-root"),
    # The OpenAPI document (JSON; ?format=yaml) and its browsable docs, served offline (docs/api.md).
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(), name="api-docs"),
    path("redoc/", RedocView.as_view(), name="api-redoc"),
    path("v2/", api_router.urls),
    path("search/", include(search_urls)),
    # Outlet feeds (an outlet's API token) and draft previews for headless front ends.
    path("outlets/feed/", OutletFeedView.as_view(), name="api-outlet-feed"),
    path("outlets/feed/<int:page_id>/", OutletFeedItemView.as_view(), name="api-outlet-feed-item"),
    path("preview/", PreviewCreateView.as_view(), name="api-preview"),
    path("preview/<str:token>/", PreviewDetailView.as_view(), name="api-preview-detail"),
    *catalogue_router.urls,
]

for plugin in registry:
    patterns = plugin.api_urlconf
    if patterns is not None:
        urlpatterns.append(path(f"{plugin.mount}/", include((patterns, plugin.label), namespace=plugin.label)))
