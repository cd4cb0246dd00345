"""Public search endpoints: /api/search/ (whole site), /api/search/catalogue/ (disclosure catalogue) and
/api/search/suggest/ (type-ahead).

Every parameter is validated and size-limited; a bad one is a 400 naming it, never a 500. Responses carry
what the index holds of public pages only (titles, snippets, catalogue fields), never personal data.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from wagtail.models import Site

from api.schema import RETRY_AFTER, THROTTLED, FieldErrors
from cms import cache

from . import suggest
from .api_schema import CatalogueSearchResults, SearchResults, Suggestions
from .engines.base import CATALOGUE_FACETS, SITE_FACETS, SORTS, Hit, Query
from .highlight import mark, snippet
from .service import search, suggestions_for

#: Longest query accepted (characters).
MAX_QUERY_CHARS = 200
MAX_PAGE = 100
MAX_PAGE_SIZE = 50
CODE = re.compile(r"^[\w.-]{1,64}$")


def _code_field(label: str) -> serializers.CharField:
    """An optional facet code (letters, digits, '_', '.', '-')."""
    return serializers.RegexField(CODE, required=False, max_length=64, label=label, error_messages={
        "invalid": _("Use a code of letters, digits, '_', '.' or '-'."),
    })  # fmt: skip


class SearchParams(serializers.Serializer):
    """Query parameters shared by both endpoints."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        max_length=MAX_QUERY_CHARS,
        error_messages={"max_length": _("Search for at most {max_length} characters.")},
    )
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    department = _code_field(_("department"))
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=10)

    def validate_q(self, value: str) -> str:
        """No control characters (a NUL byte is refused by PostgreSQL)."""
        if any(ord(char) < 32 and char not in "\t\n\r" for char in value):
            raise serializers.ValidationError(_("The search text contains control characters."))
        return value


class CatalogueParams(SearchParams):
    """Catalogue filters: topic, genre, disclosure mode, validity."""

    topic = _code_field(_("topic"))
    genre = _code_field(_("genre"))
    mode = serializers.ChoiceField(choices=["proactive", "on_request"], required=False)
    validity = serializers.ChoiceField(choices=["valid", "invalid"], required=False)


class SiteParams(SearchParams):
    """Site filters: the kind of page or object."""

    kind = _code_field(_("kind"))


def _absolute(request: Request, url: str) -> str:
    """A stored site-relative URL made absolute for API clients."""
    return request.build_absolute_uri(url) if url.startswith("/") else url


def serialize_hit(request: Request, hit: Hit, tokens: list[str], catalogue: bool) -> dict[str, Any]:
    """One result as JSON: title and snippet with <em> marks, catalogue fields in catalogue searches."""
    entry = hit.entry
    data: dict[str, Any] = {
        "key": entry.key,
        "kind": entry.kind,
        "title": entry.title,
        "title_html": mark(entry.title, tokens),
        "snippet_html": snippet(entry.body or entry.summary, tokens),
        "summary": entry.summary,
        "url": _absolute(request, entry.url),
        "published_at": entry.published_at.isoformat() if entry.published_at else None,
        "department": {"code": entry.department_code, "name": entry.department_name} if entry.department_code else None,
        "score": round(hit.score, 6),
    }
    if catalogue:
        data.update(
            index_number=entry.index_number,
            document_number=entry.document_number,
            topic={"code": entry.topic_code, "name": entry.topic_name} if entry.topic_code else None,
            genre={"code": entry.genre_code, "name": entry.genre_name} if entry.genre_code else None,
            mode=entry.mode,
            validity=entry.validity,
            valid_until=entry.valid_until.isoformat() if entry.valid_until else None,
        )
    return data


class BaseSearchView(APIView):
    """Validate the parameters, run the query, render the page of results with facets and suggestions."""

    scope = "site"
    params_class: type[SearchParams] = SiteParams
    facet_names: tuple[str, ...] = SITE_FACETS
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "search"
    cache_policy = cache.SEARCH

    def get(self, request: Request) -> Response:
        """Answer a search."""
        params = self.params_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        site = Site.find_for_request(request)
        query = Query(
            text=data.get("q", ""),
            scope=self.scope,
            site_id=site.pk if site else None,
            filters={name: str(data[name]) for name in (*self.facet_names, "kind") if data.get(name) is not None},
            sort=data["sort"],
            page=data["page"],
            page_size=data["page_size"],
            facets=self.facet_names,
        )
        result, suggestions = search(query)
        return Response(
            {
                "query": query.text,
                "tokens": result.tokens,
                "count": result.total,
                "page": query.page,
                "page_size": query.page_size,
                "pages": math.ceil(result.total / query.page_size) if result.total else 0,
                "sort": query.sort,
                "filters": query.filters,
                "results": [
                    serialize_hit(request, hit, result.tokens, self.scope == "catalogue") for hit in result.hits
                ],
                "facets": {
                    name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                    for name, values in result.facets.items()
                },
                "suggestions": suggestions,
            }
        )


@extend_schema(
    summary=_("Search the whole site"),
    parameters=[SiteParams, RETRY_AFTER],
    responses={200: SearchResults, 400: FieldErrors, 429: THROTTLED},
)
class SiteSearchView(BaseSearchView):
    """Search every live public page of the site (and plugins' searchable objects)."""


@extend_schema(
    summary=_("Search the disclosure catalogue"),
    parameters=[CatalogueParams, RETRY_AFTER],
    responses={200: CatalogueSearchResults, 400: FieldErrors, 429: THROTTLED},
)
class CatalogueSearchView(BaseSearchView):
    """Search the disclosure catalogue (信息公开目录) with its six facets."""

    scope = "catalogue"
    params_class = CatalogueParams
    facet_names = CATALOGUE_FACETS


class SuggestParams(serializers.Serializer):
    """Parameters of the type-ahead endpoint."""

    q = serializers.CharField(max_length=50, trim_whitespace=True)
    scope = serializers.ChoiceField(choices=["site", "catalogue"], required=False, default="site")


@extend_schema(
    summary=_("Type-ahead: completions and corrections"),
    parameters=[SuggestParams, RETRY_AFTER],
    responses={200: Suggestions, 400: FieldErrors, 429: THROTTLED},
)
class SuggestView(APIView):
    """Completions of a partial query and corrections of a misspelt one, each known to find something."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "search"
    cache_policy = cache.SEARCH

    def get(self, request: Request) -> Response:
        """Answer a type-ahead request."""
        params = SuggestParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        text = params.validated_data["q"]
        site = Site.find_for_request(request)
        query = Query(text=text, scope=params.validated_data["scope"], site_id=site.pk if site else None)
        completions = [word for word in suggest.complete(text.split()[-1]) if word != text] if text.split() else []
        return Response(
            {
                "query": text,
                "completions": completions,
                "suggestions": suggestions_for(query, completions=False),  # completions are listed above
            }
        )


urlpatterns = [
    path("", SiteSearchView.as_view(), name="search-site"),
    path("catalogue/", CatalogueSearchView.as_view(), name="search-catalogue"),
    path("suggest/", SuggestView.as_view(), name="search-suggest"),
]
