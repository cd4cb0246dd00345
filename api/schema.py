"""The OpenAPI 3 document of /api/ (drf-spectacular): area tags, Wagtail API v2 endpoints, router indexes.

- `AutoSchema` tags each operation with its area (pages, images, documents, catalogue, clocks, search,
  outlets, preview, plugins, index) from its path, so a new endpoint lands in the right group by itself.
- `WagtailEndpointExtension` documents every Wagtail v2 viewset (pages, images, documents and their
  subclasses, e.g. `api.wagtail.PagesViewSet`): listing, detail and `find`, with the query parameters
  Wagtail really accepts and the `{"meta": {"total_count"}, "items": [...]}` envelope.
- `SchemaGenerator` also documents DRF router index views (a plugin's `/api/<plugin>/`), which DRF hides.
- Shared response components for views to use: `CodeName`, `FieldErrors`, `ErrorDetail`, `THROTTLED`.

How to document a new endpoint: docs/api.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular import generators, openapi
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiViewExtension
from drf_spectacular.plumbing import get_class
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.routers import APIRootView

#: Query parameters Wagtail accepts but which are no use to document ("_" is jQuery's cache-buster, "format"
#: picks DRF's browsable renderer).
UNDOCUMENTED_WAGTAIL_PARAMETERS = frozenset({"_", "format"})


def area_of(path: str) -> str:
    """The tag of an API path: `index` for /api/, the endpoint under /api/v2/, `plugins` for a plugin's
    mount, otherwise the first path segment after /api/ (catalogue, clocks, search, outlets, preview…)."""
    from cms.plugins.registry import registry

    parts = [part for part in path.split("/") if part]
    if parts[:1] == ["api"]:
        parts = parts[1:]
    if not parts:
        return "index"
    if parts[0] == "v2" and len(parts) > 1:
        return parts[1]
    if parts[0] in {plugin.mount for plugin in registry}:
        return "plugins"
    return parts[0]


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, tagging each operation with its area of the API (`area_of`)."""

    def get_tags(self) -> list[str]:
        """The operation's area; `@extend_schema(tags=...)` still overrides it."""
        return [area_of(self.path)]


def only_api_paths(endpoints: list[tuple]) -> list[tuple]:
    """Preprocessing hook: keep the endpoints under /api/ (Wagtail's admin has DRF views of its own)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


class EndpointEnumerator(generators.EndpointEnumerator):
    """Endpoints of the schema: DRF's, plus router index views (DRF sets their `schema` to None)."""

    def should_include_endpoint(self, path: str, callback: Any) -> bool:
        """Include DRF router indexes (not their format-suffix variants) besides what DRF includes."""
        view_class = getattr(callback, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIRootView):
            return "{format}" not in path
        return super().should_include_endpoint(path, callback)


class SchemaGenerator(generators.SchemaGenerator):
    """drf-spectacular's generator with `EndpointEnumerator` (router indexes documented)."""

    endpoint_inspector_cls = EndpointEnumerator


# --- Shared response components ---------------------------------------------------------------------------


class RawSchema(serializers.Serializer):
    """Base of documentation-only components given as a JSON schema in `raw_schema`."""

    raw_schema: dict[str, Any] = {}


class RawSchemaExtension(OpenApiSerializerExtension):
    """Map a `RawSchema` subclass to its `raw_schema` (a named component)."""

    target_class = RawSchema
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        """The subclass's JSON schema as is."""
        return dict(get_class(self.target).raw_schema)


class OpenObject(serializers.Serializer):
    """Base of Wagtail-style response objects: the `fields` parameter adds properties and removes defaults, so
    the declared ones (the defaults) are not required and others may appear."""


class OpenObjectExtension(OpenApiSerializerExtension):
    """Map an `OpenObject` subclass like any serializer, with no property required and any other allowed."""

    target_class = OpenObject
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        """The declared fields, none required, and any other property."""
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema.pop("required", None)
        schema["additionalProperties"] = True
        return schema


class CodeName(serializers.Serializer):
    """A coded value with its display name (department, topic, genre, disclosure mode…)."""

    code = serializers.CharField(help_text=_("Stable code, usable as a filter value."))
    name = serializers.CharField(help_text=_("Display name (Chinese)."))


class FieldErrors(RawSchema):
    """A 400 answer of a DRF endpoint: the messages of each invalid parameter."""

    raw_schema = {
        "type": "object",
        "description": "Each invalid parameter with its message(s). 参数错误：每个无效参数及其说明。",
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
        "example": {"year": ["Ensure this value is greater than or equal to 1990."]},
    }


class ErrorDetail(serializers.Serializer):
    """A DRF error answer (403, 404, 405, 429)."""

    detail = serializers.CharField(help_text=_("What went wrong."))


#: The 429 answer of rate-limited endpoints, with its Retry-After header.
THROTTLED = OpenApiResponse(ErrorDetail, description=_("Too many requests from this address: wait Retry-After s."))
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    description=_("Seconds to wait before the next request."),
    response=[429],
)


# --- Wagtail API v2 ---------------------------------------------------------------------------------------


class WagtailError(serializers.Serializer):
    """A 400 or 404 answer of the Wagtail API v2."""

    message = serializers.CharField(
        help_text=_("What was wrong, e.g. 'query parameter is not an operation or a recognised field: foo'.")
    )


class ListingMeta(serializers.Serializer):
    """The `meta` of a Wagtail listing."""

    total_count = serializers.IntegerField(help_text=_("Number of items matching the filters, on all pages."))


class ItemMeta(OpenObject):
    """The `meta` of a Wagtail item: its type and API URL, plus meta fields asked for with `fields`."""

    type = serializers.CharField(help_text=_("Model label, e.g. pages.ArticlePage or wagtailimages.Image."))
    detail_url = serializers.URLField(help_text=_("API URL of the item."))


class PageReference(OpenObject):
    """A page nested in another page's meta (its parent, or the page it is an alias of)."""

    id = serializers.IntegerField()
    meta = ItemMeta()
    title = serializers.CharField()


class PageMeta(ItemMeta):
    """The `meta` of a page in a listing; `fields` adds the optional ones."""

    html_url = serializers.URLField(allow_null=True, help_text=_("Public URL of the page on the site."))
    slug = serializers.CharField(help_text=_("URL segment of the page."))
    first_published_at = serializers.DateTimeField(allow_null=True, help_text=_("When the page first went live."))
    show_in_menus = serializers.BooleanField(required=False)
    seo_title = serializers.CharField(required=False, allow_blank=True)
    search_description = serializers.CharField(required=False, allow_blank=True)
    alias_of = PageReference(required=False, allow_null=True, help_text=_("The page this page is an alias of."))
    parent = PageReference(required=False, allow_null=True, help_text=_("Parent page (detail only)."))
    locale = serializers.CharField(required=False, help_text=_("Language code of the page's locale."))


class PageItem(OpenObject):
    """A page in a listing. `fields` adds the fields of its type (with `type=`) or removes defaults."""

    id = serializers.IntegerField()
    meta = PageMeta()
    title = serializers.CharField()


class PageDetail(PageItem):
    """A page with every field of its specific type (see the `fields` parameter for the list)."""


class PageListing(serializers.Serializer):
    """A page of pages."""

    meta = ListingMeta()
    items = PageItem(many=True)


class MediaMeta(ItemMeta):
    """The `meta` of an image or a document."""

    tags = serializers.ListField(child=serializers.CharField(), help_text=_("Tag names, sorted."))
    download_url = serializers.CharField(help_text=_("URL of the original file."))


class ImageItem(OpenObject):
    """An image; the detail adds `width` and `height`."""

    id = serializers.IntegerField()
    meta = MediaMeta()
    title = serializers.CharField()
    width = serializers.IntegerField(required=False, help_text=_("Width of the original in pixels."))
    height = serializers.IntegerField(required=False, help_text=_("Height of the original in pixels."))


class ImageListing(serializers.Serializer):
    """A page of images."""

    meta = ListingMeta()
    items = ImageItem(many=True)


class DocumentItem(OpenObject):
    """A document."""

    id = serializers.IntegerField()
    meta = MediaMeta()
    title = serializers.CharField()


class DocumentListing(serializers.Serializer):
    """A page of documents."""

    meta = ListingMeta()
    items = DocumentItem(many=True)


class GenericItem(OpenObject):
    """An item of a Wagtail endpoint."""

    id = serializers.IntegerField()
    meta = ItemMeta()


class GenericListing(serializers.Serializer):
    """A page of items."""

    meta = ListingMeta()
    items = GenericItem(many=True)


def _rich_text_formats() -> list[str]:
    """The values of `rich_text_format` this Wagtail accepts."""
    try:
        from wagtail.api.rich_text import APIRichText
    except ImportError:  # older Wagtail: no rich_text_format parameter
        return []
    return sorted(APIRichText._serializers())


def _field_filter_type(model: type[models.Model], name: str) -> type:
    """The parameter type of Wagtail's field filter `?name=value` on `model`."""
    try:
        field = model._meta.get_field(name)
    except LookupError:
        return str
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField | models.AutoField):
        return int
    return str


def _page_types_description() -> str:
    """Each page type with the fields `fields=` may add when listing that `type`."""
    from wagtail.models import get_page_models

    lines = []
    for model in get_page_models():
        names = [getattr(field, "name", field) for field in getattr(model, "api_fields", ())]
        if names:
            lines.append(f"- `{model._meta.label}`: {', '.join(names)}")
    return "\n".join(lines)


def _registered_name(view_class: type) -> str | None:
    """The name `view_class` is registered under in the /api/v2/ router (DRF resets the class's `name`)."""
    from .wagtail import api_router

    for name, endpoint in api_router._endpoints.items():
        if endpoint is view_class:
            return name
    return None


def _query(name: str, type_: Any, description: str, **kwargs: Any) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description, **kwargs)


class WagtailEndpoint:
    """What the schema says about one Wagtail v2 viewset class (pages, images, documents or another)."""

    def __init__(self, view_class: type) -> None:
        from wagtail.api.v2.views import PagesAPIViewSet
        from wagtail.documents.api.v2.views import DocumentsAPIViewSet
        from wagtail.images.api.v2.views import ImagesAPIViewSet

        self.view_class = view_class
        self.model = view_class.model
        self.is_pages = issubclass(view_class, PagesAPIViewSet)
        if self.is_pages:
            self.item, self.detail, self.listing = PageItem, PageDetail, PageListing
            default_name = "pages"
        elif issubclass(view_class, ImagesAPIViewSet):
            self.item, self.detail, self.listing = ImageItem, ImageItem, ImageListing
            default_name = "images"
        elif issubclass(view_class, DocumentsAPIViewSet):
            self.item, self.detail, self.listing = DocumentItem, DocumentItem, DocumentListing
            default_name = "documents"
        else:
            self.item, self.detail, self.listing = GenericItem, GenericItem, GenericListing
            default_name = self.model._meta.model_name
        self.name = _registered_name(view_class) or default_name

    def common_parameters(self) -> list[OpenApiParameter]:
        """`fields` and `rich_text_format`, of every operation (and, for pages, `site`)."""
        listing_fields = ", ".join(self.view_class.get_listing_default_fields(self.model))
        available = ", ".join(self.view_class.get_available_fields(self.model))
        fields_text = _(
            "Comma-separated fields to show besides the defaults ({defaults}); `-name` removes one, `*` starts "
            "from all fields, `_` from none; `name(sub,fields)` picks the fields of a related object. "
            "Available: {available}."
        ).format(defaults=listing_fields, available=available)
        if self.is_pages:
            heading = str(_("Fields of each page type (with `type=`):"))
            fields_text += f"\n\n{heading}\n{_page_types_description()}"
        parameters = [_query("fields", str, fields_text)]
        formats = _rich_text_formats()
        if formats:
            parameters.append(_query("rich_text_format", str, _("How rich text fields are rendered."), enum=formats))
        if self.is_pages:
            parameters.append(
                _query("site", str, _("Host name (and :port) of the site whose pages to show; default: this one."))
            )
        return parameters

    def listing_parameters(self) -> list[OpenApiParameter]:
        """Paging, ordering, search, tree filters and field filters of the listing."""
        limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
        parameters = [
            *self.common_parameters(),
            _query("limit", int, _("Items per page (default 20, at most {max}).").format(max=limit_max)),
            _query("offset", int, _("Items to skip.")),
            _query(
                "order",
                str,
                _("Comma-separated fields to order by, `-field` descending; `random` alone for random order."),
            ),
            _query("search", str, _("Full-text search (Chinese is segmented); results by relevance unless `order`.")),
            _query("search_operator", str, _("How search words combine."), enum=["and", "or"]),
        ]
        if self.is_pages:
            parameters += [
                _query(
                    "type",
                    str,
                    _(
                        "Page type(s), comma-separated `app_label.ModelName`; one type allows its own fields in "
                        "`fields`, filters and `order`."
                    ),
                ),
                _query("child_of", str, _("Only children of this page ID, or of `root` (the site's home page).")),
                _query("descendant_of", str, _("Only descendants of this page ID, or of `root`.")),
                _query("ancestor_of", int, _("Only ancestors of this page ID.")),
                _query("translation_of", str, _("Only translations of this page ID, or of `root`.")),
                _query("locale", str, _("Only pages of this locale (language code).")),
            ]
        # A subclass documents query parameters of its own in `schema_parameters` (a list of OpenApiParameter).
        parameters += list(getattr(self.view_class, "schema_parameters", ()))
        documented = {p.name for p in parameters}
        for name in self.view_class.get_available_fields(self.model, db_fields_only=True):
            if name in documented or name == "locale":
                continue
            parameters.append(
                _query(
                    name,
                    _field_filter_type(self.model, name),
                    _("Only items whose `{name}` equals this value.").format(name=name)
                    + (str(_(" Tags: comma-separated, all required.")) if name == "tags" else ""),
                )
            )
        return parameters

    def find_parameters(self) -> list[OpenApiParameter]:
        """What `find` looks up by; other parameters are passed on to the detail URL."""
        parameters = [_query("id", int, _("ID of the item."))]
        if self.is_pages:
            parameters.append(
                _query("html_path", str, _("Path of the page on the site, e.g. /xxgk/jwyw/; tried before `id`."))
            )
        return parameters + self.common_parameters()

    def replacement(self) -> type:
        """A subclass of the viewset carrying the annotations (used only while generating the schema)."""
        endpoint = self
        label = self.name
        not_found = OpenApiResponse(WagtailError, description=_("No such item."))
        bad_request = OpenApiResponse(WagtailError, description=_("Unknown parameter, field, type or bad value."))

        class Documented(self.view_class):
            queryset = self.model._default_manager.none()  # the model, without a database query
            filter_backends = []  # their parameters are declared below
            pagination_class = None  # the envelope is declared below

            @extend_schema(
                operation_id=f"{label}_listing",
                summary=_("List {name}").format(name=label),
                description=endpoint.item.__doc__,
                parameters=endpoint.listing_parameters(),
                responses={200: endpoint.listing, 400: bad_request},
            )
            def listing_view(self, request, *args, **kwargs):
                return super().listing_view(request, *args, **kwargs)

            @extend_schema(
                operation_id=f"{label}_detail",
                summary=_("One of the {name}").format(name=label),
                description=endpoint.detail.__doc__,
                parameters=[
                    OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("ID of the item.")),
                    *endpoint.common_parameters(),
                ],
                responses={200: endpoint.detail, 400: bad_request, 404: not_found},
            )
            def detail_view(self, request, *args, **kwargs):
                return super().detail_view(request, *args, **kwargs)

            @extend_schema(
                operation_id=f"{label}_find",
                summary=_("Find one of the {name}").format(name=label),
                description=_("Redirects to the detail URL of the item found, keeping the other parameters."),
                parameters=[
                    *endpoint.find_parameters(),
                    OpenApiParameter(
                        "Location",
                        str,
                        OpenApiParameter.HEADER,
                        description=_("The item's detail URL."),
                        response=[302],
                    ),
                ],
                responses={302: OpenApiResponse(description=_("Found: see Location.")), 404: not_found},
            )
            def find_view(self, request, *args, **kwargs):
                return super().find_view(request, *args, **kwargs)

        Documented.__name__ = Documented.__qualname__ = self.view_class.__name__
        return Documented


class WagtailEndpointExtension(OpenApiViewExtension):
    """Document every Wagtail API v2 viewset (and subclass): listing, detail and find."""

    target_class = "wagtail.api.v2.views.BaseAPIViewSet"
    match_subclasses = True

    def view_replacement(self) -> type:
        """The annotated subclass of the target viewset."""
        return WagtailEndpoint(self.target).replacement()


class RouterIndexSchema(AutoSchema):
    """The schema of a router index: operation ID `<mount>_index`."""

    def get_operation_id(self) -> str:
        """E.g. `wanted_index` for /api/wanted/."""
        return "_".join([*self._tokenize_path(), "index"])


class RouterIndexExtension(OpenApiViewExtension):
    """Document a DRF router index (e.g. a plugin's /api/<plugin>/): the names and URLs of its routes."""

    target_class = APIRootView
    match_subclasses = True

    def view_replacement(self) -> type:
        """The index view with a schema and its response."""

        @extend_schema(
            summary=_("Index of the routes"),
            responses={
                200: OpenApiResponse(
                    {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}},
                    description=_("Each route's name and URL."),
                )
            },
        )
        class Documented(self.target):
            schema = RouterIndexSchema()

        Documented.__name__ = Documented.__qualname__ = self.target.__name__
        return Documented


__all__ = [
    "RETRY_AFTER",
    "THROTTLED",
    "AutoSchema",
    "CodeName",
    "ErrorDetail",
    "FieldErrors",
    "OpenApiTypes",
    "SchemaGenerator",
]
