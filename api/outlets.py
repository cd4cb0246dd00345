"""The outlet feed (/api/outlets/feed/): what an outlet pulls with its API token — the live, public items under
the outlet's columns, newest first, each rendered by the outlet's kind (Weibo text, WeChat article, app JSON …).

Rendering an item costs queries (the page's type, site, column, images), so each rendered item is kept in the
cache under its kind, page, live revision and the public content version (`cms.cache`): a feed request reads
a constant number of rows whatever its page size, and any public change re-renders what is shown next.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.models import Page

from cms import cache as content_cache
from cms.outlets.models import Outlet
from cms.outlets.registry import OutletKind, get_kind

from .auth import MISSING_MESSAGE, HasOutletToken, OutletTokenAuthentication, private
from .models import ApiToken

#: How long a rendered item stays in the cache (it is also replaced when the content version moves).
RENDER_CACHE_SECONDS = 24 * 3600
#: Container pages of the column tree: not items of a feed.
CONTAINER_MODELS = ("pages.homepage", "pages.sectionpage", "pages.columnpage")


class FeedPagination(LimitOffsetPagination):
    """`limit` (default 20, at most 50) and `offset`."""

    default_limit = 20
    max_limit = 50


class FeedItemSerializer(serializers.Serializer):
    """One item of an outlet's feed: the page, its live revision and the payload rendered for the outlet."""

    id = serializers.IntegerField(help_text="Page id.")
    type = serializers.CharField(help_text="app_label.model of the page, e.g. pages.articlepage.")
    revision_id = serializers.IntegerField(allow_null=True, help_text="The live revision the payload shows.")
    published_at = serializers.DateTimeField(allow_null=True, help_text="When this revision went live.")
    url = serializers.URLField(help_text="The public page.")
    payload = serializers.DictField(help_text="The item rendered by the outlet's kind (web, weibo, wechat, app …).")


def _parse_since(value: str) -> datetime.datetime:
    """An ISO 8601 date-time (naive: the site's time zone) or date; a clear 400 otherwise. A "+" of the UTC
    offset that arrived unencoded (as a space) is taken back."""
    value = value.strip()
    parsed = None
    for candidate in (value, "+".join(value.rsplit(" ", 1))):
        try:
            parsed = parse_datetime(candidate)
            if parsed is None and (day := parse_date(candidate)) is not None:
                parsed = datetime.datetime.combine(day, datetime.time.min)
        except ValueError:
            parsed = None
        if parsed is not None:
            break
    if parsed is None:
        raise exceptions.ValidationError(
            {"since": [_("Give an ISO 8601 date and time, e.g. 2026-05-01T08:00:00+08:00.")]}
        )
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def feed_queryset(outlet: Outlet) -> QuerySet:
    """The live, public pages below the outlet's columns (containers left out), newest first."""
    columns = list(outlet.columns.values_list("path", "depth"))
    if not columns:
        return Page.objects.none()
    below = Q()
    for path, depth in columns:
        below |= Q(path__startswith=path, depth__gt=depth)
    containers = [ContentType.objects.get_by_natural_key(*label.split(".")).pk for label in CONTAINER_MODELS]
    return (
        Page.objects.live()
        .public()
        .filter(below)
        .exclude(content_type_id__in=containers)
        .order_by("-last_published_at", "-pk")
    )


def _cache_key(kind: OutletKind, version: int, page: Page) -> str:
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    return f"sunlight:outlet-feed:{kind.code}:{version}:{page.pk}:{page.live_revision_id}:{published}"


def render_items(kind: OutletKind, pages: list[Page]) -> list[dict[str, Any]]:
    """The feed records of `pages` for `kind`, from the cache where they were rendered before."""
    from cms.outlets.render import item_for_page

    version, _changed = content_cache.current()
    keys = {page.pk: _cache_key(kind, version, page) for page in pages}
    found = cache.get_many(list(keys.values())) if keys else {}
    fresh: dict[str, dict[str, Any]] = {}
    records = []
    for page in pages:
        key = keys[page.pk]
        record = found.get(key)
        if record is None:
            item = item_for_page(page.specific)
            record = {
                "id": page.pk,
                "type": item.item_type,
                "revision_id": page.live_revision_id,
                "published_at": page.last_published_at.isoformat() if page.last_published_at else None,
                "url": item.url,
                "payload": kind.render(item),
            }
            fresh[key] = record
        records.append(record)
    if fresh:
        cache.set_many(fresh, RENDER_CACHE_SECONDS)
    return records


class KindUnavailable(exceptions.APIException):
    """The outlet's kind is not registered (its plugin was removed): 503."""

    status_code = 503
    default_detail = "The outlet kind is not installed."


class OutletTokenView(GenericAPIView):
    """Base of the views an outlet token opens: token authentication only, private responses."""

    authentication_classes = [OutletTokenAuthentication]
    permission_classes = [HasOutletToken]

    def permission_denied(self, request: Request, message: str | None = None, code: str | None = None) -> None:
        """A request without a token is a 401 that says what to send."""
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(MISSING_MESSAGE)
        super().permission_denied(request, message=message, code=code)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        """Every answer (errors too) is private to the token holder."""
        response = super().finalize_response(request, response, *args, **kwargs)
        return private(response)

    @property
    def token(self) -> ApiToken:
        """The request's API token."""
        return self.request.auth

    def outlet_and_kind(self) -> tuple[Outlet, OutletKind]:
        """The token's outlet and its kind; 403 for a disabled outlet, 503 for a kind that is not installed."""
        outlet = self.token.outlet
        if not outlet.enabled:
            raise exceptions.PermissionDenied(_("The outlet “%s” is disabled.") % outlet.name)
        try:
            kind = get_kind(outlet.kind)
        except KeyError as exc:
            raise KindUnavailable(_("The outlet kind “%s” is not installed on this portal.") % outlet.kind) from exc
        return outlet, kind


_AUTH_RESPONSES = {
    401: OpenApiResponse(description="No token, or the token is invalid, revoked or expired."),
    403: OpenApiResponse(description="Not a safe method (tokens are read-only), or the outlet is disabled."),
}


class OutletFeedView(OutletTokenView):
    """The outlet's items, newest first (`last_published_at`), paginated by `limit` (≤ 50) and `offset`;
    `since` keeps the items published at or after that time (incremental pulls)."""

    serializer_class = FeedItemSerializer
    pagination_class = FeedPagination

    @extend_schema(
        tags=["outlets"],
        summary="The outlet's feed (outlet token)",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="Only items published at or after this time (ISO 8601), for incremental pulls.",
            ),
        ],
        responses={200: FeedItemSerializer(many=True), **_AUTH_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        """A page of the feed."""
        outlet, kind = self.outlet_and_kind()
        queryset = feed_queryset(outlet)
        if since := request.query_params.get("since"):
            queryset = queryset.filter(last_published_at__gte=_parse_since(since))
        pages = self.paginate_queryset(queryset)
        return self.get_paginated_response(render_items(kind, list(pages)))


class OutletFeedItemView(OutletTokenView):
    """One item of the outlet's feed; 404 when the page is not a live public item under its columns."""

    serializer_class = FeedItemSerializer
    pagination_class = None

    @extend_schema(
        tags=["outlets"],
        summary="One item of the outlet's feed (outlet token)",
        responses={
            200: FeedItemSerializer,
            404: OpenApiResponse(description="Not an item of this outlet."),
            **_AUTH_RESPONSES,
        },
    )
    def get(self, request: Request, page_id: int) -> Response:
        """The item rendered for the outlet."""
        outlet, kind = self.outlet_and_kind()
        page = feed_queryset(outlet).filter(pk=page_id).first()
        if page is None:
            raise exceptions.NotFound(_("This outlet has no item with id %s.") % page_id)
        return Response(render_items(kind, [page])[0])
