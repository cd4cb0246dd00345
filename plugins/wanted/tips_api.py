"""Public API of tips: a citizen sends what they know about an active notice.

    POST /api/wanted/<id>/tips/   multipart/form-data (with files) or JSON; header Idempotency-Key

The tip is numbered (线索2026-0007, gap-free per portal and year), routed to the notice's department and never
shown publicly: the answer is a receipt with the number only. Texts are cleaned of HTML (nh3) and
size-limited; files are checked by content (JPEG, PNG, PDF; 5 MB each, at most 3). Submissions are
rate-limited per client address (`throttles.TipThrottle`, scope `wanted_tip`). Never cached.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.public import (
    IDEMPOTENCY_HEADER,
    MAX_IDEMPOTENCY_KEY,
    NoStoreMixin,
    ThrottledMessageMixin,
    check_idempotency_key,
    idempotency_key_of,
    portal_for,
)
from api.schema import RETRY_AFTER, THROTTLED, ErrorDetail, FieldErrors
from cms.models import Portal

from .models import Tip, WantedNotice
from .notices_api import gone, site_notices
from .serializers import ClosedNoticeSerializer, TipReceiptSerializer, TipSerializer
from .throttles import TipThrottle
from .tips import earlier_tip, submit_tip, too_large


def open_notice(request: HttpRequest, pk: int) -> WantedNotice | None:
    """The site's live, public, open notice `pk`, or None."""
    return site_notices(request).live().public().open().filter(pk=pk).first()


def receipt(tip: Tip, created: bool) -> dict[str, Any]:
    """The receipt of a tip (TipReceiptSerializer)."""
    if created:
        detail = _("Thank you. Your tip has been received and goes to the investigating department.")
    else:
        detail = _("This tip was already received.")
    return {
        "number": tip.number,
        "received_at": tip.received_at,
        "notice_number": tip.notice_number,
        "detail": detail,
    }


def register(portal: Portal, notice: WantedNotice, data: dict[str, Any], key: str) -> tuple[Tip, bool]:
    """Register validated tip data (the API's and the form's common path)."""
    values = {name: data.get(name) or "" for name in ("content", "contact_name", "contact_phone")}
    values["attachments"] = data.get("attachments") or []
    return submit_tip(portal, notice, values, key)


TOO_LARGE = gettext_lazy("The tip is too large: send at most 3 files of 5 MB each.")

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "A key of at most %(n)d characters (letters, digits, . _ : -) chosen by the client: a resubmission with "
        "the same key returns the first tip's receipt instead of sending another."
    )
    % {"n": MAX_IDEMPOTENCY_KEY},
)


class TipSubmitView(ThrottledMessageMixin, NoStoreMixin, APIView):
    """Send a tip on an active wanted notice."""

    throttle_classes = [TipThrottle]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="wanted_tips_create",
        summary=gettext_lazy("Send a tip on a wanted notice"),
        request={"multipart/form-data": TipSerializer, "application/json": TipSerializer},
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH), IDEMPOTENCY_PARAMETER, RETRY_AFTER],
        responses={
            201: OpenApiResponse(TipReceiptSerializer, description=gettext_lazy("Received: the tip's number.")),
            200: OpenApiResponse(
                TipReceiptSerializer, description=gettext_lazy("Already received with this idempotency key.")
            ),
            400: FieldErrors,
            404: OpenApiResponse(ErrorDetail, description=gettext_lazy("No such active notice.")),
            410: OpenApiResponse(ClosedNoticeSerializer, description=gettext_lazy("The notice is closed.")),
            413: OpenApiResponse(ErrorDetail, description=gettext_lazy("The request is larger than 3 files allow.")),
            429: THROTTLED,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        """Validate and register the tip (all or nothing)."""
        if too_large(request):
            return Response({"detail": str(TOO_LARGE)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        portal = portal_for(request)
        if portal is None:
            raise NotFound(_("No portal is served at this address."))
        notice = open_notice(request, pk)
        if notice is None:
            closed = gone(request, pk)
            if closed is not None:
                return Response(ClosedNoticeSerializer(closed).data, status=status.HTTP_410_GONE)
            raise NotFound(_("No such wanted notice."))
        key = idempotency_key_of(request, request.data)
        check_idempotency_key(key)
        earlier = earlier_tip(portal, key)
        if earlier is not None:
            return Response(TipReceiptSerializer(receipt(earlier, False)).data, status=status.HTTP_200_OK)
        serializer = TipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tip, created = register(portal, notice, serializer.validated_data, key)
        return Response(
            TipReceiptSerializer(receipt(tip, created)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
