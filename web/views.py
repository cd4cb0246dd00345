"""Views of the public site besides the page tree: search (the whole site, or the disclosure catalogue with its
facets), the site map (HTML, and XML for search engines), the error pages, and the page tree itself served
through the public cache (ETag and 304, invalidated by any publication)."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import Throttled
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from api.public import ScopeThrottle
from cms import cache
from cms.public_forms import throttled_page

#: Pages of the tree (and the site map): public, shared caches may keep them a minute, the server until the next
#: publication; never for logged-in users (see api/caching.py).
SITE_PAGES = cache.CachePolicy(max_age=60, anonymous_only=True)
PAGE_SIZE = 10
#: Headings of the facets on the search page.
FACET_NAMES = {
    "kind": gettext_lazy("Kind"),
    "year": gettext_lazy("Year"),
    "department": gettext_lazy("Department"),
    "topic": gettext_lazy("Topic"),
    "genre": gettext_lazy("Genre"),
    "mode": gettext_lazy("Disclosure mode"),
    "validity": gettext_lazy("Validity"),
}


class SearchThrottle(ScopeThrottle):
    """Searches per client address: the API's search scope (SUNLIGHT_SEARCH_RATE)."""

    scope = "search"
    default_rate = "120/min"
    message = gettext_lazy("Too many searches from your address. Please wait a moment and try again.")


@cache.cache_policy(SITE_PAGES)
def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page serving, under the public cache policy of site pages."""
    return wagtail_views.serve(request, path)


def _query_string(data: dict[str, Any], **changes: Any) -> str:
    from urllib.parse import urlencode

    values = {k: v for k, v in {**data, **changes}.items() if v not in (None, "")}
    return urlencode(values)


@require_http_methods(["GET", "HEAD"])
def search(request: HttpRequest) -> HttpResponse:
    """站内搜索 and 信息公开目录 search (`?scope=catalogue`): results with marked titles and snippets, facets that
    narrow the search, corrections of misspelt words, paging. Parameters are the API's (a clear message for a bad
    one); the rate limit is the API's too."""
    from search.api import CatalogueParams, SiteParams
    from search.engines.base import CATALOGUE_FACETS, SITE_FACETS, Query
    from search.highlight import mark, snippet
    from search.service import search as run_search

    try:
        SearchThrottle().check(request)
    except Throttled as exc:
        return throttled_page(request, exc)
    scope = "catalogue" if request.GET.get("scope") == "catalogue" else "site"
    params_class, facet_names = (
        (CatalogueParams, CATALOGUE_FACETS) if scope == "catalogue" else (SiteParams, SITE_FACETS)
    )
    raw = {k: v for k, v in request.GET.items() if k in params_class().fields}
    params = params_class(data={**raw, "page_size": PAGE_SIZE})
    context: dict[str, Any] = {"scope": scope, "search_query": raw.get("q", ""), "errors": [], "results": []}
    status = 200
    if not params.is_valid():
        context["errors"] = [f"{name}: {message}" for name, messages in params.errors.items() for message in messages]
        status = 400
    elif raw.get("q") or any(raw.get(f) for f in facet_names) or scope == "catalogue":
        data = params.validated_data
        site = Site.find_for_request(request)
        query = Query(
            text=data.get("q", ""),
            scope=scope,
            site_id=site.pk if site else None,
            filters={name: str(data[name]) for name in (*facet_names, "kind") if data.get(name) is not None},
            sort=data["sort"],
            page=data["page"],
            page_size=PAGE_SIZE,
            facets=facet_names,
        )
        result, suggestions = run_search(query)
        base = {"q": query.text, "scope": scope if scope == "catalogue" else "", "sort": data["sort"], **query.filters}
        context.update(
            searched=True,
            count=result.total,
            page=query.page,
            start=(query.page - 1) * PAGE_SIZE + 1,
            pages=math.ceil(result.total / PAGE_SIZE) if result.total else 0,
            results=[
                {
                    "title_html": mark(hit.entry.title, result.tokens),
                    "snippet_html": snippet(hit.entry.body or hit.entry.summary, result.tokens),
                    "url": hit.entry.url,
                    "entry": hit.entry,
                }
                for hit in result.hits
            ],
            facets=[
                {
                    "name": name,
                    "label": FACET_NAMES.get(name, name),
                    "values": [
                        {
                            "label": v.label,
                            "count": v.count,
                            "selected": query.filters.get(name) == str(v.value),
                            "url": "?" + _query_string(base, **{name: v.value, "page": None}),
                            "clear": "?" + _query_string(base, **{name: None, "page": None}),
                        }
                        for v in values
                    ],
                }
                for name, values in result.facets.items()
                if values
            ],
            suggestions=[{"text": s, "url": "?" + _query_string(base, q=s, page=None)} for s in suggestions],
            previous_url="?" + _query_string(base, page=query.page - 1) if query.page > 1 else "",
            next_url="?" + _query_string(base, page=query.page + 1) if query.page * PAGE_SIZE < result.total else "",
            sort=data["sort"],
        )
    return render(request, "sunlight/site/search.html", context, status=status)


@cache.cache_policy(SITE_PAGES)
@require_http_methods(["GET", "HEAD"])
def sitemap(request: HttpRequest) -> HttpResponse:
    """网站地图: the site's sections and columns, as a tree of links."""
    site = Site.find_for_request(request)
    tree: list[dict[str, Any]] = []
    if site is not None:
        from pages.models import ColumnPage, SectionPage

        nodes = (
            Page.objects.descendant_of(site.root_page)
            .live()
            .public()
            .type(SectionPage, ColumnPage)
            .order_by("path")
            .specific()
        )
        parents: dict[str, dict[str, Any]] = {}
        for node in nodes:
            entry = {"page": node, "children": []}
            parent = parents.get(node.path[: -Page.steplen])
            (parent["children"] if parent else tree).append(entry)
            parents[node.path] = entry
    return render(request, "sunlight/site/sitemap.html", {"tree": tree, "page_title": _("Site map")})


#: Plugins answer for addresses of things that are gone (a closed wanted notice's page) with this Wagtail hook: a
#: function `(request) -> HttpResponse | None`, tried before the 404 page; use `gone()` for a 410 in the layout.
GONE_HOOK = "register_gone_page"


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in Chinese, in the site's layout — unless a plugin knows the address as something withdrawn (410)."""
    from wagtail import hooks

    for answer in hooks.get_hooks(GONE_HOOK):
        try:
            response = answer(request)
        except Exception:  # a plugin's failing lookup must not turn a 404 into a 500
            import logging

            logging.getLogger("sunlight.web").exception("gone-page hook failed")
            continue
        if response is not None:
            return response
    return render(request, "404.html", status=404)


def gone(request: HttpRequest, context: dict[str, Any] | None = None, template: str = "410.html") -> HttpResponse:
    """410 Gone in the site's layout (e.g. a closed wanted notice shows its tombstone)."""
    return render(request, template, context or {}, status=410)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: a page that needs no database and no context processor (the error may be theirs)."""
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
