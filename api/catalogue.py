"""The disclosure catalogue API (/api/catalogue/): live government information of the request's site,
filterable by year, department, topic, genre, disclosure mode and validity. Full-text search with facets
is /api/search/catalogue/ (search.api)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from wagtail.models import Site

from api.schema import CodeName, ErrorDetail, FieldErrors
from cms import cache
from pages.models import DisclosureMode, GovernmentDocumentPage, Validity


@extend_schema_field(CodeName)
class CategoryField(serializers.Field):
    """A topic or genre as {code, name}."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"code": value.code, "name": value.name}


class CatalogueEntrySerializer(serializers.ModelSerializer):
    """One catalogue entry, with the fields of the catalogue table (SPEC §3)."""

    department = serializers.SerializerMethodField()
    topic = CategoryField()
    genre = CategoryField()
    disclosure_mode = serializers.SerializerMethodField()
    disclosure_attribute = serializers.SerializerMethodField()
    published_on = serializers.DateField(read_only=True)
    is_valid = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    detail_url = serializers.HyperlinkedIdentityField(view_name="catalogue-detail", lookup_field="pk")

    class Meta:
        model = GovernmentDocumentPage
        fields = [
            "id",
            "index_number",
            "title",
            "document_number",
            "publishing_organ",
            "department",
            "created_on",
            "published_on",
            "disclosure_mode",
            "disclosure_attribute",
            "topic",
            "genre",
            "summary",
            "validity",
            "valid_until",
            "is_valid",
            "url",
            "detail_url",
        ]

    @extend_schema_field(CodeName(allow_null=True))
    def get_department(self, obj):
        d = obj.author_department
        return {"code": d.code, "name": d.name} if d else None

    @extend_schema_field(CodeName)
    def get_disclosure_mode(self, obj):
        return {"code": obj.disclosure_mode, "name": obj.get_disclosure_mode_display()}

    @extend_schema_field(CodeName(allow_null=True))
    def get_disclosure_attribute(self, obj):
        if not obj.disclosure_attribute:
            return None
        return {"code": obj.disclosure_attribute, "name": obj.get_disclosure_attribute_display()}

    def get_is_valid(self, obj) -> bool:
        return obj.is_valid_on()

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        return obj.get_full_url(request=request)


class AttachmentSerializer(serializers.Serializer):
    """An attachment of a catalogue entry (documentation of `CatalogueDetailSerializer.attachments`)."""

    title = serializers.CharField()
    url = serializers.URLField(help_text=gettext_lazy("Download URL of the file."))
    file_size = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Size in bytes."))


class CatalogueDetailSerializer(CatalogueEntrySerializer):
    """A catalogue entry with its body and attachments."""

    body = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(CatalogueEntrySerializer.Meta):
        fields = [*CatalogueEntrySerializer.Meta.fields, "body", "attachments"]

    def get_body(self, obj) -> str:
        from wagtail.rich_text import expand_db_html

        return expand_db_html(obj.body)

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj):
        request = self.context.get("request")
        return [
            {
                "title": a.title or a.document.title,
                "url": request.build_absolute_uri(a.document.url) if request else a.document.url,
                "file_size": a.document.get_file_size(),
            }
            for a in obj.attachments.all()
        ]


def _filter(name: str, description: str, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.QUERY, description=description, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The disclosure catalogue"),
        parameters=[
            OpenApiParameter("year", int, description=gettext_lazy("Year of publication, e.g. 2026.")),
            _filter("department", gettext_lazy("Code of the publishing department.")),
            _filter("topic", gettext_lazy("Code of the topic category.")),
            _filter("genre", gettext_lazy("Code of the genre category.")),
            _filter("mode", gettext_lazy("Disclosure mode."), enum=["proactive", "on_request"]),
            _filter("validity", gettext_lazy("In force today or not."), enum=["valid", "invalid"]),
        ],
        responses={200: CatalogueEntrySerializer(many=True), 400: FieldErrors},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A catalogue entry with its body and attachments"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("Page ID."))],
        responses={200: CatalogueDetailSerializer, 404: ErrorDetail},
    ),
)
class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail of the disclosure catalogue.

    Filters: `year` (of publication), `department` (code), `topic` (code), `genre` (code), `mode`
    (proactive, on_request), `validity` (valid, invalid). Ordered newest first.
    """

    serializer_class = CatalogueEntrySerializer
    cache_policy = cache.CATALOGUE

    def get_serializer_class(self):
        return CatalogueDetailSerializer if self.action == "retrieve" else CatalogueEntrySerializer

    def get_queryset(self):
        site = Site.find_for_request(self.request)
        queryset = GovernmentDocumentPage.objects.live().public()
        if site is not None:
            queryset = queryset.descendant_of(site.root_page, inclusive=True)
        params = self.request.query_params
        if year := params.get("year"):
            if not year.isdigit() or not 1990 <= int(year) <= 2100:
                raise ValidationError({"year": _("Give a year such as 2026.")})
            queryset = queryset.filter(first_published_at__year=int(year))
        if department := params.get("department"):
            queryset = queryset.filter(author_department__code=department)
        if topic := params.get("topic"):
            queryset = queryset.filter(topic__code=topic)
        if genre := params.get("genre"):
            queryset = queryset.filter(genre__code=genre)
        if mode := params.get("mode"):
            if mode not in (DisclosureMode.PROACTIVE, DisclosureMode.ON_REQUEST):
                raise ValidationError({"mode": _("Use proactive or on_request.")})
            queryset = queryset.filter(disclosure_mode=mode)
        if validity := params.get("validity"):
            today = timezone.localdate()
            in_force = Q(validity=Validity.VALID) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            if validity == "valid":
                queryset = queryset.filter(in_force)
            elif validity == "invalid":
                queryset = queryset.exclude(in_force)
            else:
                raise ValidationError({"validity": _("Use valid or invalid.")})
        return (
            queryset.select_related("author_department", "topic", "genre")
            .prefetch_related("attachments__document")
            .order_by("-first_published_at", "-pk")
        )
