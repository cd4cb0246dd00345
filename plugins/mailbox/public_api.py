"""Public API of the mailbox (no personal data in any response):

    GET  /api/mailbox/boxes/                      the portal's boxes, their kinds and reply limits
    POST /api/mailbox/letters/                    write a letter (JSON, or multipart with attachments;
                                                  header Idempotency-Key)
    GET  /api/mailbox/status/?number=信2026-0042&code=K7QM2XHP   (or POST the same fields)
    GET  /api/mailbox/published/?box=juzhang      published letters with their replies, masked, newest first
    GET  /api/mailbox/published/<number>/         one published letter

The portal is the one whose Wagtail site serves the request's host. Letters are rate-limited per client address
(`mailbox_submit`), lookups too (`mailbox_status`), failed lookups per address and per number
(`mailbox_status_failures`). Receipts and lookups are never cached; boxes and published letters are public
and cached like the other public reads (the content version moves on publication).
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
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.public import (
    IDEMPOTENCY_HEADER,
    NoStoreMixin,
    StatusLookupView,
    ThrottledMessageMixin,
    check_idempotency_key,
    idempotency_key_of,
    portal_for,
    spend_like_a_check,
)
from api.schema import RETRY_AFTER, THROTTLED, ErrorDetail, FieldErrors
from cms import cache
from cms.deadlines.calendar import WorkingCalendar
from cms.models import Portal

from . import transitions
from .attachments import AttachmentError, check_uploads
from .emergency import POINTER
from .models import Box, Letter
from .serializers import (
    LetterBox,
    LetterReceiptSerializer,
    LetterStatus,
    LetterStatusQuerySerializer,
    PublicLetterSerializer,
    PublishedLetterSerializer,
    box_data,
    published_data,
    required_messages,
    status_of,
)
from .throttles import StatusThrottle, SubmitThrottle, lookup_failures

#: Published letters change only on publication (which moves the content version).
PUBLIC = cache.CachePolicy(max_age=300)
PAGE_SIZE, MAX_PAGE_SIZE = 20, 50
NOT_FOUND = gettext_lazy("No letter matches this number and query code. Check both and try again.")


def _portal(request: HttpRequest) -> Portal:
    portal = portal_for(request)
    if portal is None:
        raise NotFound(_("No portal is served at this address."))
    return portal


def earlier_letter(portal: Portal, key: str) -> Letter | None:
    """The letter already submitted on `portal` with this idempotency key, if any."""
    return Letter.objects.filter(portal=portal, idempotency_key=key).first() if key else None


def register(portal: Portal, data: dict[str, Any], key: str, uploads: list[Any]) -> tuple[Letter, str | None, bool]:
    """Register validated letter data with its checked attachments (all or nothing); a concurrent submission with
    the same key returns the letter it created (no code, created=False). AttachmentError for a refused file."""
    checked = check_uploads(uploads)
    values = {k: v for k, v in data.items() if k in transitions.INTAKE_FIELDS}
    try:
        return transitions.submit(
            portal, data["box"], data["kind"], values, idempotency_key=key or None, attachments=checked
        )
    except IntegrityError:
        existing = earlier_letter(portal, key)
        if existing is None:
            raise
        return existing, None, False


def receipt(request: HttpRequest, letter: Letter, code: str | None) -> dict[str, Any]:
    """The receipt of a letter (LetterReceiptSerializer)."""
    clock = letter.reply_clock
    if code is not None:
        detail = _("Your letter has been received. Keep the number and the query code to follow it.")
    else:
        detail = _("This letter was already received; the query code was shown when it was first sent.")
    return {
        "number": letter.number,
        "query_code": code,
        "received_on": letter.received_on.isoformat(),
        "due_date": clock.due_date.isoformat() if clock else None,
        "status_url": request.build_absolute_uri(reverse("mailbox:public-status")),
        "detail": detail,
        "emergency": letter.is_emergency,
        "emergency_notice": str(POINTER) if letter.is_emergency else "",
    }


def find_letter(portal: Portal, number: str, code: str) -> Letter | None:
    """The portal's letter with this number and query code, or None (same cost whether the number exists)."""
    letter = Letter.objects.filter(portal=portal, number=(number or "").strip()).select_related("box", "kind").first()
    if letter is None:
        spend_like_a_check(code)
        return None
    return letter if letter.check_query_code(code) else None


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy("A key chosen by the client: a resubmission with it returns the first letter."),
)


@extend_schema(
    summary=gettext_lazy("Write a letter"),
    request={"application/json": PublicLetterSerializer, "multipart/form-data": PublicLetterSerializer},
    parameters=[IDEMPOTENCY_PARAMETER, RETRY_AFTER],
    responses={
        201: OpenApiResponse(LetterReceiptSerializer, description=gettext_lazy("Received: number and query code.")),
        200: OpenApiResponse(
            LetterReceiptSerializer, description=gettext_lazy("Already received with this idempotency key (no code).")
        ),
        400: FieldErrors,
        404: OpenApiResponse(ErrorDetail, description=gettext_lazy("No portal is served at this address.")),
        429: THROTTLED,
    },
)
class SubmitView(ThrottledMessageMixin, NoStoreMixin, APIView):
    """Register a citizen's letter and answer its number and query code (once)."""

    throttle_classes = [SubmitThrottle]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def post(self, request: Request) -> Response:
        """Validate and register the letter (all or nothing)."""
        portal = _portal(request)
        key = idempotency_key_of(request, request.data)
        check_idempotency_key(key)
        earlier = earlier_letter(portal, key)
        if earlier is not None:
            return Response(receipt(request, earlier, None), status=status.HTTP_200_OK)
        raw = request.data
        data = {k: raw.get(k) for k in raw.keys() if k != "attachments"} if hasattr(raw, "keys") else raw
        uploads = request.FILES.getlist("attachments") if request.FILES else []
        serializer = PublicLetterSerializer(data=data, portal=portal)
        required_messages(serializer)
        serializer.is_valid(raise_exception=True)
        try:
            letter, code, created = register(portal, serializer.validated_data, key, uploads)
        except AttachmentError as exc:
            raise ValidationError({"attachments": [str(exc)]}) from exc
        except transitions.TransitionError as exc:
            raise ValidationError({"box": exc.messages}) from exc
        return Response(
            receipt(request, letter, code if created else None),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(
    parameters=[RETRY_AFTER],
    responses={
        200: LetterStatus,
        400: FieldErrors,
        404: OpenApiResponse(ErrorDetail, description=gettext_lazy("Wrong number or query code.")),
        429: THROTTLED,
    },
)
@extend_schema_view(
    get=extend_schema(summary=gettext_lazy("Look up a letter's status"), parameters=[LetterStatusQuerySerializer]),
    post=extend_schema(
        summary=gettext_lazy("Look up a letter's status (number and code in the body)"),
        request=LetterStatusQuerySerializer,
    ),
)
class StatusView(StatusLookupView, APIView):
    """Where a letter stands, for whoever has its number and query code (never personal data)."""

    throttle_classes = [StatusThrottle]
    query_serializer = LetterStatusQuerySerializer
    not_found = NOT_FOUND

    def failures(self):
        """Failed lookups of letters."""
        return lookup_failures()

    def find(self, portal: Portal, number: str, code: str) -> Letter | None:
        """The letter with this number and code."""
        return find_letter(portal, number, code)

    def represent(self, obj: Letter) -> dict[str, Any]:
        """The letter's public status."""
        return status_of(obj)


class BoxesView(APIView):
    """The portal's letter boxes with the kinds they take and their reply limits (working days)."""

    cache_policy = PUBLIC

    @extend_schema(summary=gettext_lazy("Letter boxes"), responses={200: LetterBox(many=True)})
    def get(self, request: Request) -> Response:
        """Active boxes, in the profile's order."""
        portal = _portal(request)
        boxes = Box.objects.filter(portal=portal, active=True).select_related("department").prefetch_related("kinds")
        base = request.build_absolute_uri(reverse("mailbox:published-list"))
        return Response([box_data(b, f"{base}?box={b.key}") for b in boxes.order_by("sort_order", "key")])


class PublishedQuerySerializer(serializers.Serializer):
    """Filters and paging of published letters."""

    box = serializers.SlugField(required=False, max_length=32)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=100000, default=0)


class PublishedPage(serializers.Serializer):
    """A page of published letters."""

    count = serializers.IntegerField()
    results = PublishedLetterSerializer(many=True)


def published_letters(portal: Portal):
    """The portal's published letters, newest reply first."""
    return (
        Letter.objects.published()
        .filter(portal=portal)
        .select_related("box", "kind", "department", "box__department")
        .order_by("-replied_on", "-published_at", "-pk")
    )


class PublishedListView(APIView):
    """Published letters and their replies, masked on the server, with the time the reply took."""

    cache_policy = PUBLIC

    @extend_schema(
        operation_id="mailbox_published_list",
        summary=gettext_lazy("Published letters"),
        parameters=[PublishedQuerySerializer],
        responses={200: PublishedPage, 400: FieldErrors},
    )
    def get(self, request: Request) -> Response:
        """Filter by box and year; page with limit and offset."""
        portal = _portal(request)
        params = PublishedQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = published_letters(portal)
        if box := params.validated_data.get("box"):
            queryset = queryset.filter(box__key=box)
        if year := params.validated_data.get("year"):
            queryset = queryset.filter(year=year)
        offset, limit = params.validated_data["offset"], params.validated_data["limit"]
        calendar = WorkingCalendar.from_db(strict=False)
        page = [published_data(letter, calendar) for letter in queryset[offset : offset + limit]]
        return Response({"count": queryset.count(), "results": page})


class PublishedDetailView(APIView):
    """One published letter (404 for any other letter: an unpublished letter is not public)."""

    cache_policy = PUBLIC

    @extend_schema(
        summary=gettext_lazy("A published letter"),
        responses={200: PublishedLetterSerializer, 404: OpenApiResponse(ErrorDetail)},
    )
    def get(self, request: Request, number: str) -> Response:
        """The letter's masked snapshot."""
        letter = published_letters(_portal(request)).filter(number=number).first()
        if letter is None:
            raise NotFound(_("No published letter has this number."))
        return Response(published_data(letter))


urlpatterns = [
    path("boxes/", BoxesView.as_view(), name="boxes"),
    path("letters/", SubmitView.as_view(), name="public-submit"),
    path("status/", StatusView.as_view(), name="public-status"),
    path("published/", PublishedListView.as_view(), name="published-list"),
    path("published/<str:number>/", PublishedDetailView.as_view(), name="published-detail"),
]
