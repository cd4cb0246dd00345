"""API routes of `mailbox`, mounted under /api/mailbox/ (the router's index lists them)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
