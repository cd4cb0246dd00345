"""Public pages of `disclosure_requests` at /disclosure_requests/: the request form and the status lookup
(namespace `disclosure_requests_site`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("status/", views.status, name="status"),
]
