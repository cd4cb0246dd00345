"""Public pages of `wanted` at /wanted/ (namespace `wanted_site`): the tip form of a notice."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/tip/", views.tip, name="tip"),
]
