"""URLs of the API benchmark's servers: the project's own, Wagtail's stock v2 endpoints at /stock/v2/ and the
bare Django JSON views (the ceiling) at /bare/."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.urls import urlpatterns as project_urlpatterns

from . import api_views

#: Wagtail's own viewsets, exactly as shipped (no prefetching, no caching policy).
stock_router = WagtailAPIRouter("stockapi")
stock_router.register_endpoint("pages", PagesAPIViewSet)
stock_router.register_endpoint("images", ImagesAPIViewSet)
stock_router.register_endpoint("documents", DocumentsAPIViewSet)

urlpatterns = [
    path("stock/v2/", stock_router.urls),
    path("bare/ping/", api_views.ping),
    path("bare/pages/", api_views.listing),
    path("bare/pages/<int:page_id>/", api_views.detail),
    path("bare/search/catalogue/", api_views.catalogue_search),
    *project_urlpatterns,  # last: it ends with Wagtail's catch-all page serving
]
