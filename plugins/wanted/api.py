"""API routes of `wanted`, mounted under /api/wanted/ (the router's index lists them)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
