"""API routes of `online_services`, mounted under /api/online_services/ (the router's index lists them)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
