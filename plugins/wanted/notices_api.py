"""Public API of wanted notices: the list of active notices and one notice.

    GET /api/wanted/?level=a,b&region=安康&sex=male&age_min=20&age_max=40&q=抢劫&page=1&page_size=20
    GET /api/wanted/<id>/      an active notice; 410 Gone with the minimal record once it is closed

Only notices of the site serving the request, live, public and open (wanted or updated) are listed. `q` is
free text: it is segmented like the site search (jieba, `search.segment`) and every word must occur in the
name, aliases, offence, case, region, native place, features or number. `region` matches the case's region,
the native place or the household address (or, given as 2, 4 or 6 digits, the region code that opens the ID
number). Ages are today's, from the date of birth, the ID number or the age given at the issue date. Lists
read a constant number of queries whatever the page size; answers carry ETag and Cache-Control like the other
public reads (`cms.cache.PAGES`).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Site

from api.schema import ErrorDetail, FieldErrors
from cms import cache
from search.segment import tokens_for_query

from .choices import NoticeLevel, Sex
from .models import NoticeBulletin, NoticePhoto, WantedNotice
from .serializers import ClosedNoticeSerializer, NoticeDetailSerializer, NoticeListItemSerializer

#: Fields free text (`q`) is looked for in.
TEXT_FIELDS = (
    "subject_name",
    "other_names",
    "charge",
    "case_summary",
    "case_place",
    "case_region",
    "native_place",
    "features",
    "number",
)
#: Fields `region` is looked for in.
REGION_FIELDS = ("case_region", "native_place", "household_address")
_REGION_CODE = re.compile(r"^\d{2}(?:\d{2}){0,2}$")
MAX_PAGE_SIZE = 50


class NoticeFilters(serializers.Serializer):
    """The list's query parameters."""

    level = serializers.CharField(
        required=False,
        max_length=64,
        help_text=gettext_lazy("One or more levels, comma-separated: a, b, province, city, county."),
    )
    region = serializers.CharField(
        required=False,
        max_length=64,
        help_text=gettext_lazy("A region name (e.g. 安康, 汉滨区) or code (61, 6109, 610902)."),
    )
    sex = serializers.ChoiceField(required=False, choices=[Sex.MALE, Sex.FEMALE], help_text="male, female")
    age_min = serializers.IntegerField(required=False, min_value=0, max_value=120)
    age_max = serializers.IntegerField(required=False, min_value=0, max_value=120)
    q = serializers.CharField(
        required=False, max_length=100, help_text=gettext_lazy("Free text (Chinese words are segmented).")
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def validate_level(self, value: str) -> list[str]:
        """The levels asked for; 400 for an unknown one."""
        levels = [part.strip().lower() for part in value.split(",") if part.strip()]
        unknown = [level for level in levels if level not in NoticeLevel.values]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown level %(levels)s; use a, b, province, city or county.") % {"levels": ", ".join(unknown)}
            )
        return levels

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """age_min ≤ age_max."""
        low, high = attrs.get("age_min"), attrs.get("age_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"age_max": [_("age_max must not be below age_min.")]})
        return attrs


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def filter_notices(queryset: QuerySet, params: dict[str, Any], today: datetime.date | None = None) -> QuerySet:
    """Apply validated list filters to a queryset of notices."""
    today = today or timezone.localdate()
    if params.get("level"):
        queryset = queryset.filter(level__in=params["level"])
    if params.get("sex"):
        queryset = queryset.filter(sex=params["sex"])
    if params.get("age_min") is not None:  # at least N years old: born on or before today N years ago
        queryset = queryset.filter(born_on__lte=_years_before(today, params["age_min"]))
    if params.get("age_max") is not None:  # at most N: born after today N+1 years ago
        queryset = queryset.filter(born_on__gt=_years_before(today, params["age_max"] + 1))
    region = (params.get("region") or "").strip()
    if region:
        if _REGION_CODE.match(region):
            queryset = queryset.filter(id_number__startswith=region)
        else:
            for token in tokens_for_query(region) or [region]:
                queryset = queryset.filter(_any_contains(REGION_FIELDS, token))
    text = (params.get("q") or "").strip()
    if text:
        tokens = tokens_for_query(text)
        if not tokens:
            return queryset.none()
        for token in tokens:
            queryset = queryset.filter(_any_contains(TEXT_FIELDS, token))
    return queryset


def _any_contains(fields: tuple[str, ...], token: str) -> Q:
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__icontains": token})
    return query


def site_notices(request: Request) -> QuerySet:
    """Notices of the site serving this request (none when no site does)."""
    site = Site.find_for_request(request)
    if site is None:
        return WantedNotice.objects.none()
    return WantedNotice.objects.filter(path__startswith=site.root_page.path)


def active_notices(request: Request) -> QuerySet:
    """The site's live, public, open notices, with what the list and detail show loaded in bulk."""
    photos = NoticePhoto.objects.select_related("image").prefetch_related("image__renditions").order_by("sort_order")
    return (
        site_notices(request)
        .live()
        .public()
        .open()
        .select_related("author_department")
        .prefetch_related(
            Prefetch("photos", queryset=photos),
            Prefetch("bulletins", queryset=NoticeBulletin.objects.order_by("sort_order")),
        )
        .order_by("-date", "-pk")
    )


class NoticePagination(PageNumberPagination):
    """`page` and `page_size` (default 20, at most 50)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class NoticeListPage(serializers.Serializer):
    """One page of active notices."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NoticeListItemSerializer(many=True)


class NoticeListView(APIView):
    """Active wanted notices, newest first, filtered and paged."""

    permission_classes = [AllowAny]
    cache_policy = cache.PAGES

    @extend_schema(
        operation_id="wanted_notices_list",
        summary=gettext_lazy("Active wanted notices"),
        parameters=[NoticeFilters],
        responses={
            200: NoticeListPage,
            400: FieldErrors,
            404: OpenApiResponse(ErrorDetail, description=gettext_lazy("No such page of results.")),
        },
    )
    def get(self, request: Request) -> Response:
        """The list (count, next, previous, results)."""
        params = NoticeFilters(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = filter_notices(active_notices(request), params.validated_data)
        paginator = NoticePagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = NoticeListItemSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class NoticeDetailView(APIView):
    """One wanted notice: in full while active, the minimal record with 410 Gone once closed."""

    permission_classes = [AllowAny]
    cache_policy = cache.PAGES

    @extend_schema(
        operation_id="wanted_notices_retrieve",
        summary=gettext_lazy("A wanted notice"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={
            200: NoticeDetailSerializer,
            404: OpenApiResponse(ErrorDetail, description=gettext_lazy("No such notice (or not published).")),
            410: OpenApiResponse(
                ClosedNoticeSerializer,
                description=gettext_lazy("Closed (captured, surrendered, deceased, revoked): the minimal record."),
            ),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        """The notice, or 410 with what remains of it."""
        notice = active_notices(request).filter(pk=pk).first()
        if notice is not None:
            return Response(NoticeDetailSerializer(notice, context={"request": request}).data)
        closed = gone(request, pk)
        if closed is not None:
            return Response(ClosedNoticeSerializer(closed).data, status=status.HTTP_410_GONE)
        raise NotFound(_("No such wanted notice."))


def gone(request: Request, pk: int) -> WantedNotice | None:
    """The site's closed notice `pk` if it was ever published (its minimal record is public), else None."""
    return site_notices(request).closed().filter(pk=pk, first_published_at__isnull=False).first()
