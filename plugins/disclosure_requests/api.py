"""API routes of `disclosure_requests`, mounted under /api/disclosure_requests/ (the router's index lists them)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
