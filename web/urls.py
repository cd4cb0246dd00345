"""URLs of the public site besides the page tree (namespace `web`): search, the site map and sitemap.xml."""

from django.contrib.sitemaps.views import sitemap as xml_sitemap
from django.urls import path
from wagtail.contrib.sitemaps import Sitemap

from cms import cache

from . import views

app_name = "web"


def _xml(request, **kwargs):
    return xml_sitemap(request, sitemaps={"pages": Sitemap(request)}, **kwargs)


urlpatterns = [
    path("search/", views.search, name="search"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("sitemap.xml", cache.cache_policy(views.SITE_PAGES)(_xml), name="sitemap-xml"),
]
