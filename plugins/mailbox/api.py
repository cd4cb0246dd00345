"""API routes of `mailbox`, mounted under /api/mailbox/: the boxes, writing a letter, the status lookup and the
published letters (`public_api.py`). The root lists them."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import public_api


class IndexView(APIView):
    """The plugin's endpoints."""

    permission_classes = [AllowAny]

    @extend_schema(summary="Endpoints of the mailbox plugin", tags=["mailbox"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        """Links to the boxes, submission, status lookup and published letters."""
        return Response(
            {
                name: request.build_absolute_uri(reverse(f"mailbox:{route}"))
                for name, route in (
                    ("boxes", "boxes"),
                    ("submit", "public-submit"),
                    ("status", "public-status"),
                    ("published", "published-list"),
                )
            }
        )


urlpatterns = [path("", IndexView.as_view(), name="index"), *public_api.urlpatterns]
