"""Bare Django JSON views of the API benchmark: the ceiling the API endpoints are compared with.

Plain function views over `.values()` of the same fields, in the same order and paging as the API URLs the
benchmark requests; no serializers, no field selection, no view restrictions, no caching. They are a lower
bound of the work, not a competitor in features.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from wagtail.images import get_image_model
from wagtail.models import Page

from pages.models import ArticlePage, ArticlePageTag, GovernmentDocumentPage

#: The rendition the API's `cover_image_thumbnail` field shows.
THUMBNAIL_SPEC = "fill-400x300"
MODELS = {"pages.articlepage": ArticlePage, "pages.governmentdocumentpage": GovernmentDocumentPage}
_COMMON = ("id", "title", "slug", "first_published_at", "summary", "author_department__code", "author_department__name")
LISTING_FIELDS = {
    ArticlePage: (*_COMMON, "cover_image_id"),
    GovernmentDocumentPage: (*_COMMON, "index_number", "document_number"),
}
DETAIL_FIELDS = ("body", "date", "last_published_at")
SEARCH_FIELDS = ("id", "title", "first_published_at", "index_number", "document_number", "author_department__name")


def _json(data: dict) -> JsonResponse:
    """A UTF-8 JSON response (Chinese unescaped, as the API renders it)."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def ping(request: HttpRequest) -> JsonResponse:
    """Readiness probe of the benchmark's server."""
    return _json({"ok": True})


def _tags_of(ids: list[int]) -> dict[int, list[str]]:
    """Tag names of these articles, in one query."""
    tags: dict[int, list[str]] = {}
    for page_id, name in ArticlePageTag.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        tags.setdefault(page_id, []).append(name)
    return tags


def _thumbnails(image_ids: set[int]) -> dict[int, str]:
    """URLs of the cover thumbnails of these images, in one query."""
    rendition_model = get_image_model().get_rendition_model()
    storage = rendition_model._meta.get_field("file").storage  # no model instances: they would decode the image
    rows = rendition_model.objects.filter(image_id__in=image_ids, filter_spec=THUMBNAIL_SPEC)
    return {image_id: storage.url(name) for image_id, name in rows.values_list("image_id", "file")}


def listing(request: HttpRequest) -> JsonResponse:
    """`?type=pages.ArticlePage&child_of=ID&limit=20&offset=0`: live children of one column, newest first."""
    model = MODELS.get(request.GET.get("type", "").lower())
    if model is None:
        raise Http404("type")
    parent = Page.objects.filter(pk=int(request.GET["child_of"])).values("path", "depth").first()
    if parent is None:
        raise Http404("child_of")
    limit = min(int(request.GET.get("limit", 20)), 100)
    offset = int(request.GET.get("offset", 0))
    queryset = model.objects.filter(live=True, depth=parent["depth"] + 1, path__startswith=parent["path"])
    items = list(queryset.order_by("-first_published_at").values(*LISTING_FIELDS[model])[offset : offset + limit])
    if model is ArticlePage:
        tags = _tags_of([item["id"] for item in items])
        thumbnails = _thumbnails({item["cover_image_id"] for item in items if item["cover_image_id"]})
        for item in items:
            item["tags"] = tags.get(item["id"], [])
            item["cover_image_thumbnail"] = thumbnails.get(item["cover_image_id"])
    return _json({"meta": {"total_count": queryset.count()}, "items": items})


def detail(request: HttpRequest, page_id: int) -> JsonResponse:
    """One live article or document with its body."""
    model_name = Page.objects.filter(pk=page_id, live=True).values_list("content_type__model", flat=True).first()
    model = MODELS.get(f"pages.{model_name}")
    if model is None:
        raise Http404("page")
    item = model.objects.filter(pk=page_id).values(*LISTING_FIELDS[model], *DETAIL_FIELDS).first()
    if model is ArticlePage:
        item["tags"] = _tags_of([page_id]).get(page_id, [])
    return _json(item)


def catalogue_search(request: HttpRequest) -> JsonResponse:
    """`?q=…`: the 10 newest live documents whose title contains q, and their count."""
    queryset = GovernmentDocumentPage.objects.filter(live=True, title__icontains=request.GET.get("q", ""))
    results = list(queryset.order_by("-first_published_at").values(*SEARCH_FIELDS)[:10])
    return _json({"count": queryset.count(), "results": results})
