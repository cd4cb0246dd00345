"""URLs of the site benchmark's servers: the bare template view at /bare/, then the project's own."""

from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns

from . import site_views

urlpatterns = [
    path("bare/ping/", site_views.ping),
    path("bare/home/", site_views.home),
    *project_urlpatterns,  # last: it ends with Wagtail's catch-all page serving
]
