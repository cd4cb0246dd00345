"""Public API of disclosure requests: submission and status lookup (no personal data in any response).

    POST /api/disclosure_requests/requests/   submit a request (JSON; header Idempotency-Key)
    GET  /api/disclosure_requests/status/?number=依申2026-0042&code=K7QM2XHP   (or POST the same fields)

The portal is the one whose Wagtail site serves the request's host. Submissions are rate-limited per client
address (scope `disclosure_submit`), lookups too (`disclosure_status`), and failed lookups (wrong number or
code) per address and per number (`disclosure_status_failures`): past the limit even the right code answers
429 until the window has passed. Lookups are never cached (`Cache-Control: private, no-store`).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.public import (
    IDEMPOTENCY_HEADER,
    MAX_IDEMPOTENCY_KEY,
    NoStoreMixin,
    StatusLookupView,
    ThrottledMessageMixin,
    check_idempotency_key,
    idempotency_key_of,
    portal_for,
    spend_like_a_check,
)
from api.schema import RETRY_AFTER, THROTTLED, ErrorDetail, FieldErrors
from cms.models import Portal

from . import transitions
from .models import DisclosureRequest
from .serializers import (
    PublicIntakeSerializer,
    PublicReceiptSerializer,
    PublicStatusQuerySerializer,
    PublicStatusSerializer,
    status_of,
)
from .throttles import StatusThrottle, SubmitThrottle, lookup_failures

__all__ = ["check_idempotency_key", "idempotency_key_of", "portal_for"]


def earlier_submission(portal: Portal, key: str) -> DisclosureRequest | None:
    """The request already submitted on `portal` with this idempotency key, if any."""
    if not key:
        return None
    return DisclosureRequest.objects.filter(portal=portal, idempotency_key=key).first()


def register(portal: Portal, data: dict[str, Any], key: str) -> tuple[DisclosureRequest, str | None, bool]:
    """Register validated intake data (all or nothing, `transitions.submit`); a concurrent submission with
    the same key returns the request it created (no code, created=False)."""
    values = {k: v for k, v in data.items() if k in transitions.INTAKE_FIELDS}
    try:
        return transitions.submit(portal, values, idempotency_key=key or None)
    except IntegrityError:
        existing = earlier_submission(portal, key)
        if existing is None:
            raise
        return existing, None, False


def due_date_of(req: DisclosureRequest) -> str | None:
    """The answer's due date (ISO) by the request's clock."""
    clock = req.clock
    return clock.as_dict()["due_date"] if clock is not None else None


def receipt(request: HttpRequest, req: DisclosureRequest, code: str | None) -> dict[str, Any]:
    """The receipt of a submission (PublicReceiptSerializer)."""
    if code is not None:
        detail = _("Your request has been received. Keep the number and the query code to follow it.")
    else:
        detail = _("This request was already received; the query code was shown when it was first submitted.")
    return {
        "number": req.number,
        "query_code": code,
        "received_on": req.received_on.isoformat(),
        "due_date": due_date_of(req),
        "status_url": request.build_absolute_uri(reverse("disclosure_requests:public-status")),
        "detail": detail,
    }


NOT_FOUND = gettext_lazy("No request matches this number and query code. Check both and try again.")


def find_request(portal: Portal, number: str, code: str) -> DisclosureRequest | None:
    """The portal's request with this number and query code, or None (same cost whether the number exists)."""
    req = DisclosureRequest.objects.filter(portal=portal, number=(number or "").strip()).first()
    if req is None:
        spend_like_a_check(code)
        return None
    return req if req.check_query_code(code) else None


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "A key of at most %(n)d characters (letters, digits, . _ : -) chosen by the client, e.g. a UUID: "
        "a resubmission with the same key returns the first request instead of creating another."
    )
    % {"n": MAX_IDEMPOTENCY_KEY},
)


@extend_schema(
    summary=gettext_lazy("Submit a disclosure request"),
    request=PublicIntakeSerializer,
    parameters=[IDEMPOTENCY_PARAMETER, RETRY_AFTER],
    responses={
        201: OpenApiResponse(PublicReceiptSerializer, description=gettext_lazy("Received: number and query code.")),
        200: OpenApiResponse(
            PublicReceiptSerializer, description=gettext_lazy("Already received with this idempotency key (no code).")
        ),
        400: FieldErrors,
        404: OpenApiResponse(ErrorDetail, description=gettext_lazy("No portal is served at this address.")),
        429: THROTTLED,
    },
)
class SubmitView(ThrottledMessageMixin, NoStoreMixin, APIView):
    """Register a citizen's request and answer its number and query code (once)."""

    throttle_classes = [SubmitThrottle]

    def post(self, request: Request) -> Response:
        """Validate and register the request (all or nothing)."""
        portal = portal_for(request)
        if portal is None:
            raise NotFound(_("No portal is served at this address."))
        key = idempotency_key_of(request, request.data)
        check_idempotency_key(key)
        earlier = earlier_submission(portal, key)
        if earlier is not None:
            return Response(receipt(request, earlier, None), status=status.HTTP_200_OK)
        serializer = PublicIntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        req, code, created = register(portal, serializer.validated_data, key)
        return Response(
            receipt(request, req, code if created else None),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(
    parameters=[RETRY_AFTER],
    responses={
        200: PublicStatusSerializer,
        400: FieldErrors,
        404: OpenApiResponse(ErrorDetail, description=gettext_lazy("Wrong number or query code.")),
        429: THROTTLED,
    },
)
@extend_schema_view(
    get=extend_schema(summary=gettext_lazy("Look up a request's status"), parameters=[PublicStatusQuerySerializer]),
    post=extend_schema(
        summary=gettext_lazy("Look up a request's status (number and code in the body)"),
        request=PublicStatusQuerySerializer,
    ),
)
class StatusView(StatusLookupView, APIView):
    """Where a request stands, for whoever has its number and query code (never personal data)."""

    throttle_classes = [StatusThrottle]
    query_serializer = PublicStatusQuerySerializer
    not_found = NOT_FOUND

    def failures(self):
        """Failed lookups of requests."""
        return lookup_failures()

    def find(self, portal: Portal, number: str, code: str) -> DisclosureRequest | None:
        """The request with this number and code."""
        return find_request(portal, number, code)

    def represent(self, obj: DisclosureRequest) -> dict[str, Any]:
        """The request's public status."""
        return status_of(obj)


urlpatterns = [
    path("requests/", SubmitView.as_view(), name="public-submit"),
    path("status/", StatusView.as_view(), name="public-status"),
]
