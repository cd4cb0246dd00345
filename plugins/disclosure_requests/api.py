"""API routes of `disclosure_requests`, mounted under /api/disclosure_requests/.

Public: submit a request and look up its status (`public_api.py`). Staff: list, filter and act on requests
(`staff_api.py`). The root lists both.
"""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import public_api, staff_api


class IndexView(APIView):
    """The plugin's endpoints."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Endpoints of the disclosure requests plugin",
        tags=["disclosure_requests"],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        """Links to submission, status lookup and the staff list."""
        return Response(
            {
                "submit": request.build_absolute_uri(reverse("disclosure_requests:public-submit")),
                "status": request.build_absolute_uri(reverse("disclosure_requests:public-status")),
                "staff_requests": request.build_absolute_uri(reverse("disclosure_requests:staff-list")),
            }
        )


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    *public_api.urlpatterns,
    *staff_api.urlpatterns,
]
