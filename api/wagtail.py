"""The Wagtail API v2 router: pages, images and documents, with prefetching listings and HTTP caching.

Wagtail's stock viewsets load each item's tags, departments, images and renditions one query at a time; ours
load every relation a listing shows in one query per relation, whatever the number of items, and carry the
cache policies of `api.caching`.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from rest_framework.fields import Field
from taggit.managers import _TaggableManager
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.images.models import AbstractImage

from cms import cache


def relation_lookups(model: type[Model], names: set[str]) -> tuple[list[str], list[str]]:
    """The select_related and prefetch_related lookups of the fields `names` of `model`'s API.

    An API field reads the model attribute its serializer's `source` names (e.g. a thumbnail of
    `cover_image`); image foreign keys also prefetch their renditions.
    """
    select: list[str] = []
    prefetch: list[str] = []
    sources = {}
    for api_field in getattr(model, "api_fields", ()):
        serializer = getattr(api_field, "serializer", None)
        source = getattr(serializer, "source", None) if serializer is not None else None
        sources[api_field.name] = source if source and "." not in source else api_field.name
    for name in names:
        attribute = sources.get(name, name)
        try:
            field = model._meta.get_field(attribute)
        except FieldDoesNotExist:
            continue
        if not field.is_relation:
            continue
        if field.many_to_one or field.one_to_one:
            if attribute not in select:
                select.append(attribute)
            related = field.related_model
            if isinstance(related, type) and issubclass(related, AbstractImage):
                lookup = f"{attribute}__renditions"
                if lookup not in prefetch:
                    prefetch.append(lookup)
        elif attribute not in prefetch:
            prefetch.append(attribute)
    return select, prefetch


class PrefetchedTagsField(Field):
    """Tags as a sorted list of names, read from the prefetched tags (Wagtail's field queries per item)."""

    def to_representation(self, value) -> list[str]:
        return sorted(tag.name for tag in value.all())


class PrefetchedTagsMixin:
    """Serialise taggit managers with `PrefetchedTagsField`."""

    def build_property_field(self, field_name, model_class):
        if isinstance(getattr(model_class, field_name), _TaggableManager):
            return PrefetchedTagsField, {"read_only": True}
        return super().build_property_field(field_name, model_class)


class ImagesSerializer(PrefetchedTagsMixin, ImageSerializer):
    """Wagtail's image serializer with prefetched tags."""


class DocumentsSerializer(PrefetchedTagsMixin, DocumentSerializer):
    """Wagtail's document serializer with prefetched tags."""


class PrefetchingListingMixin:
    """Load what a listing shows in a constant number of queries."""

    def shown_fields(self) -> set[str]:
        """Names of the body and meta fields the serializer of this request shows."""
        serializer_class = self.get_serializer_class()
        meta = getattr(serializer_class, "Meta", None)
        return set(getattr(meta, "fields", ())) | set(getattr(meta, "meta_fields", ()))

    def paginate_queryset(self, queryset: QuerySet):
        """Add the relation lookups of the shown fields before the page of items is read."""
        select, prefetch = relation_lookups(queryset.model, self.shown_fields())
        if select:
            queryset = queryset.select_related(*select)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        return super().paginate_queryset(queryset)


class PagesViewSet(PrefetchingListingMixin, PagesAPIViewSet):
    """Live public pages (Wagtail's pages endpoint) with prefetching listings."""

    cache_policy = cache.PAGES

    def get_base_queryset(self) -> QuerySet:
        """The site's public pages, computed once per request (Wagtail asks five times, each reading the
        view restrictions again)."""
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = super().get_base_queryset()
        return self._base_queryset

    def get_queryset(self) -> QuerySet:
        """The pages of the requested type(s), computed once per request."""
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset()
        return self._queryset


class ImagesViewSet(PrefetchingListingMixin, ImagesAPIViewSet):
    """Images with their tags loaded in one query."""

    base_serializer_class = ImagesSerializer
    cache_policy = cache.MEDIA


class DocumentsViewSet(PrefetchingListingMixin, DocumentsAPIViewSet):
    """Documents with their tags loaded in one query."""

    base_serializer_class = DocumentsSerializer
    cache_policy = cache.MEDIA


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesViewSet)
api_router.register_endpoint("images", ImagesViewSet)
api_router.register_endpoint("documents", DocumentsViewSet)
