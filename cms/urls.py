"""Root URL configuration: admin, API, documents, plugins' public pages, then the page tree."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.plugins.registry import registry

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Plugins' public pages (forms, status lookups) at /<mount>/, before the page tree's catch-all.
for plugin in registry:
    if plugin.site_urlconf:
        urlpatterns.append(
            path(
                f"{plugin.mount}/",
                include((plugin.site_urlconf, f"{plugin.label}_site"), namespace=f"{plugin.label}_site"),
            )
        )

urlpatterns.append(path("", include(wagtail_urls)))
