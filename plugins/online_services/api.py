"""API routes of `online_services`, mounted under /api/online_services/ (the router's index lists them).

    GET /api/online_services/hotlines/?police_type=huzheng&county=hanbin&q=户籍&limit=20&offset=0
    GET /api/online_services/forms/?police_type=churujing&guide=123&q=护照
    GET /api/online_services/police-types/

Everything is of the portal whose site serves the request's host. Public, read-only, cached like the other
public reads (ETag, Last-Modified, `Cache-Control: public, max-age=300`, a server cache invalidated by the
content version, which every change of a hotline, form or location moves). Guides themselves are pages:
`/api/v2/pages/?type=online_services.ServiceGuidePage&fields=*`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from wagtail.models import Site

from api.schema import ErrorDetail, FieldErrors
from cms.cache import CachePolicy
from cms.models import Department, DepartmentKind, Portal

from .consultation import consultation_link, mailbox_write_path
from .models import HOTLINE_ORDER, Hotline, ServiceForm, ServiceFormGuide, ServiceGuidePage
from .police_types import police_types
from .serializers import FormSerializer, HotlineSerializer, PoliceTypeSerializer, department_ref

#: Public reads of the plugin: like the catalogue's.
SERVICES = CachePolicy(max_age=300)
MAX_QUERY = 50
CITY = "city"


def plugin_setting(name: str) -> Any:
    """A setting of the plugin (SUNLIGHT_PLUGINS_CONFIG["online_services"] over the defaults)."""
    return apps.get_app_config("online_services").settings[name]


class Pagination(LimitOffsetPagination):
    """`limit` (default 20, at most 200) and `offset`."""

    @property
    def default_limit(self) -> int:
        """Items per page unless `limit` is given (setting `page_size`)."""
        return int(plugin_setting("page_size"))

    @property
    def max_limit(self) -> int:
        """The largest `limit` (setting `max_page_size`)."""
        return int(plugin_setting("max_page_size"))


def portal_for_request(request) -> Portal | None:
    """The portal of the site serving the request's host."""
    site = Site.find_for_request(request)
    return Portal.objects.filter(site=site).first() if site is not None else None


def text_query(request) -> str:
    """The `q` parameter, stripped; 400 when longer than MAX_QUERY."""
    text = (request.query_params.get("q") or "").strip()
    if len(text) > MAX_QUERY:
        raise ValidationError({"q": _("At most %(n)d characters.") % {"n": MAX_QUERY}})
    return text


def department_filter(portal: Portal | None, request, name: str, kind: str) -> Department | None:
    """The department named by the query parameter `name` (a code), of this kind; 400 when unknown."""
    code = (request.query_params.get(name) or "").strip()
    if not code:
        return None
    found = Department.objects.filter(portal=portal, kind=kind, code=code).first() if portal else None
    if found is None:
        raise ValidationError({name: _("Unknown code %(code)s.") % {"code": code}})
    return found


def _param(name: str, description: str, type_=str) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description)


POLICE_TYPE_PARAM = _param("police_type", gettext_lazy("Department code of a police type, e.g. huzheng."))
Q_PARAM = _param("q", gettext_lazy("Words to look for (at most 50 characters)."))


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The hotline directory (便民电话)"),
        parameters=[
            POLICE_TYPE_PARAM,
            _param(
                "county",
                gettext_lazy("Department code of a county bureau, e.g. hanbin; `city` for the city bureau's numbers."),
            ),
            _param("q", gettext_lazy("Words of the name, answering unit, number or note (at most 50 characters).")),
        ],
        responses={200: HotlineSerializer(many=True), 400: FieldErrors},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A hotline"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("Hotline ID."))],
        responses={200: HotlineSerializer, 404: ErrorDetail},
    ),
)
class HotlineViewSet(viewsets.ReadOnlyModelViewSet):
    """The portal's hotlines, by police type, county (city bureau first) and order."""

    serializer_class = HotlineSerializer
    pagination_class = Pagination
    cache_policy = SERVICES

    def get_queryset(self) -> QuerySet:
        portal = portal_for_request(self.request)
        queryset = Hotline.objects.filter(portal=portal).select_related("police_type", "county")
        if self.action != "list":
            return queryset
        params = self.request.query_params
        police_type = department_filter(portal, self.request, "police_type", DepartmentKind.POLICE_TYPE)
        if police_type is not None:
            queryset = queryset.filter(police_type=police_type)
        if params.get("county", "").strip() == CITY:
            queryset = queryset.filter(county__isnull=True)
        else:
            county = department_filter(portal, self.request, "county", DepartmentKind.COUNTY)
            if county is not None:
                queryset = queryset.filter(county=county)
        if text := text_query(self.request):
            queryset = queryset.filter(
                Q(name__icontains=text)
                | Q(department__icontains=text)
                | Q(number__icontains=text)
                | Q(note__icontains=text)
            )
        return queryset.order_by(*HOTLINE_ORDER)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The forms library (表格下载)"),
        parameters=[
            POLICE_TYPE_PARAM,
            _param("guide", gettext_lazy("Page ID of a service guide: only the forms it uses."), int),
            _param("q", gettext_lazy("Words of the title or the filling-in notes (at most 50 characters).")),
        ],
        responses={200: FormSerializer(many=True), 400: FieldErrors},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A form"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("Form ID."))],
        responses={200: FormSerializer, 404: ErrorDetail},
    ),
)
class FormViewSet(viewsets.ReadOnlyModelViewSet):
    """The portal's downloadable forms, each with its file and the live guides it serves."""

    serializer_class = FormSerializer
    pagination_class = Pagination
    cache_policy = SERVICES

    def get_queryset(self) -> QuerySet:
        portal = portal_for_request(self.request)
        links = ServiceFormGuide.objects.select_related("guide").order_by("sort_order")
        queryset = (
            ServiceForm.objects.filter(portal=portal)
            .select_related("police_type", "document")
            .prefetch_related(Prefetch("guide_links", queryset=links))
        )
        if self.action != "list":
            return queryset
        police_type = department_filter(portal, self.request, "police_type", DepartmentKind.POLICE_TYPE)
        if police_type is not None:
            queryset = queryset.filter(police_type=police_type)
        guide = (self.request.query_params.get("guide") or "").strip()
        if guide:
            if not guide.isdigit():
                raise ValidationError({"guide": _("Give the page ID of a service guide.")})
            queryset = queryset.filter(guide_links__guide_id=int(guide)).distinct()
        if text := text_query(self.request):
            queryset = queryset.filter(Q(title__icontains=text) | Q(description__icontains=text))
        return queryset.order_by("police_type__sort_order", "police_type__code", "sort_order", "pk")


def _column_entry(request, column, count: int | None) -> dict | None:
    if column is None:
        return None
    return {
        "id": column.pk,
        "title": column.title,
        "url": column.get_full_url(request=request),
        "detail_url": request.build_absolute_uri(reverse("wagtailapi:pages:detail", args=[column.pk])),
        "count": count,
    }


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The police types of 网上办事 and their four services"),
        responses={200: PoliceTypeSerializer(many=True)},
    )
)
class PoliceTypeViewSet(viewsets.ViewSet):
    """Each police type's page: its column, department, the four service columns with their counts (hotlines,
    live guides, forms) and the consultation link."""

    pagination_class = Pagination
    cache_policy = SERVICES
    serializer_class = PoliceTypeSerializer

    def list(self, request: Request) -> Response:
        """The police types in tree order."""
        site = Site.find_for_request(request)
        portal = Portal.objects.filter(site=site).first() if site is not None else None
        entries = police_types(site.root_page) if site is not None else []
        hotlines = dict(
            Hotline.objects.filter(portal=portal).values_list("police_type_id").annotate(n=Count("pk")).order_by()
        )
        guides = dict(
            ServiceGuidePage.objects.live()
            .filter(path__startswith=site.root_page.path if site else "-")
            .values_list("police_type_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        forms = dict(
            ServiceForm.objects.filter(portal=portal).values_list("police_type_id").annotate(n=Count("pk")).order_by()
        )
        counts = {"hotlines": hotlines, "guides": guides, "forms": forms}
        write_path = mailbox_write_path()
        rows = []
        for entry in entries:
            department = entry.department
            services = {
                service: _column_entry(
                    request,
                    column,
                    counts[service].get(department.pk if department else None, 0) if service in counts else None,
                )
                for service, column in entry.services.items()
            }
            rows.append(
                {
                    "id": entry.column.pk,
                    "title": entry.column.title,
                    "url": entry.column.get_full_url(request=request),
                    "detail_url": request.build_absolute_uri(
                        reverse("wagtailapi:pages:detail", args=[entry.column.pk])
                    ),
                    "police_type": department_ref(department),
                    "services": services,
                    "consultation_url": consultation_link(
                        portal.profile if portal else None,
                        entry.services.get("consultation"),
                        request,
                        write_path=write_path,
                    ),
                }
            )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)


router = DefaultRouter()
router.register("hotlines", HotlineViewSet, basename="hotline")
router.register("forms", FormViewSet, basename="form")
router.register("police-types", PoliceTypeViewSet, basename="police-type")
