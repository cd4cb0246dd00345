"""Root URL configuration: admin, API, documents, plugins' public pages, the public site's search and site map,
then the page tree (served through the public cache)."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.plugins.registry import registry
from web import views as web_views

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

# The public site: search and site map, Wagtail's own front-end URLs (password-protected pages, login), then the
# page tree served through the public cache (web.views.serve keeps Wagtail's URL name).
urlpatterns += [
    path("", include("web.urls")),
    *[p for p in wagtail_urls.urlpatterns if getattr(p, "name", "") != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, web_views.serve, name="wagtail_serve"),
]

handler404 = "web.views.page_not_found"
handler500 = "web.views.server_error"
