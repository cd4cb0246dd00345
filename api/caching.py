"""HTTP caching of public API reads: ETag, Last-Modified, 304, Cache-Control and a server-side response cache.

A view opts in with a `cms.cache.CachePolicy` (a `cache_policy` attribute on the view class, or the
`cms.cache.cache_policy` decorator on a function view). For such a view, on GET and HEAD without an
Authorization header:

- the ETag is derived from the public content version (`cms.cache`), today's date (validity is judged by
  the day), the host, the full path and the Accept header; Last-Modified is when the content version last
  moved. A matching `If-None-Match` (or, without it, an `If-Modified-Since` not older than that) answers
  304 before the view runs: one indexed read.
- with `server=True` the 200 response body is kept in the cache under the same key; a publish, unpublish or
  any other public change moves the content version, so every cached response is invalidated at once in
  every process. `SUNLIGHT_API_CACHE=0` switches the server cache off (benchmarks' cold runs).
- with `shortcut=False` (throttled endpoints such as search) the view always runs, so its rate limit holds;
  the 304 is decided after it.

Every other GET under /api/ gets an ETag of its body, `Cache-Control: private, no-cache` and 304 on a
match: nothing the policy does not vouch for is shared by caches. Requests with an Authorization header
(outlet tokens) and non-200 responses are never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from cms.cache import CachePolicy, current

_PREFIX = "sunlight:api:"


def policy_of(view_func: Callable) -> CachePolicy | None:
    """The policy of a resolved view: its own attribute, or its DRF view class's."""
    policy = getattr(view_func, "cache_policy", None)
    if policy is None:
        policy = getattr(getattr(view_func, "cls", None), "cache_policy", None)
    if policy is None:
        policy = getattr(getattr(view_func, "view_class", None), "cache_policy", None)
    return policy if isinstance(policy, CachePolicy) else None


def server_cache_enabled() -> bool:
    """Whether 200 bodies are kept in the server cache (setting SUNLIGHT_API_CACHE)."""
    return bool(getattr(settings, "SUNLIGHT_API_CACHE", True))


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in header.split(","))


@dataclass
class _State:
    policy: CachePolicy
    key: str
    etag: str
    last_modified: str
    changed_at_ts: int


def _decorate(response: HttpResponse, state: _State) -> HttpResponse:
    response["ETag"] = state.etag
    response["Last-Modified"] = state.last_modified
    response["Cache-Control"] = state.policy.cache_control
    response["Vary"] = "Accept"
    return response


def _not_modified(request: HttpRequest, state: _State) -> bool:
    inm = request.META.get("HTTP_IF_NONE_MATCH", "")
    if inm:
        return _etag_matches(inm, state.etag)
    ims = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return ims is not None and state.changed_at_ts <= ims


class PublicCacheMiddleware:
    """Conditional GETs and the server-side response cache of the public API (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cache = caches[getattr(settings, "SUNLIGHT_API_CACHE_ALIAS", "default")]

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        """Answer 304 or a cached body before the view when its policy allows."""
        if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
            return None
        policy = policy_of(view_func)
        if policy is None:
            return None
        if policy.anonymous_only and getattr(getattr(request, "user", None), "is_authenticated", False):
            return None
        version, changed_at = current()
        material = "|".join(
            (
                str(version),
                timezone.localdate().isoformat(),
                request.get_host(),
                request.get_full_path(),
                request.META.get("HTTP_ACCEPT", ""),
            )
        )
        digest = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
        timestamp = int(changed_at.timestamp())
        state = _State(policy, _PREFIX + digest, f'"{digest}"', http_date(timestamp), timestamp)
        request._sunlight_cache = state
        if not policy.shortcut:
            return None
        if _not_modified(request, state):
            return _decorate(HttpResponseNotModified(), state)
        if policy.server and server_cache_enabled():
            cached = self.cache.get(state.key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Cache"] = "hit"
                request._sunlight_cache_hit = True
                return _decorate(response, state)
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Run the view; add validators and headers to its response and keep its body when allowed."""
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        state: _State | None = getattr(request, "_sunlight_cache", None)
        if state is None:
            if "HTTP_AUTHORIZATION" in request.META or not request.path.startswith("/api/"):
                return response
            return self._body_etag(request, response)
        if getattr(request, "_sunlight_cache_hit", False):
            return response
        if response.cookies or "cookie" in response.get("Vary", "").lower():
            return response  # a response that sets or varies on cookies (a CSRF token, a session) is not shared
        _decorate(response, state)
        if not state.policy.shortcut and _not_modified(request, state):
            return _decorate(HttpResponseNotModified(), state)
        if state.policy.server and server_cache_enabled():
            self.cache.set(state.key, (response.content, response["Content-Type"]), state.policy.server_timeout)
        response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _body_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """ETag of the body and `private, no-cache` for API GETs without a policy."""
        if response.has_header("Cache-Control") and "no-store" in response["Cache-Control"]:
            return response
        if not response.has_header("ETag"):
            response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response.setdefault("Cache-Control", "private, no-cache")
        if _etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), response["ETag"]):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Last-Modified", "Vary"):
                if response.has_header(header):
                    not_modified[header] = response[header]
            return not_modified
        return response
