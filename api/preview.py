"""Draft previews for headless front ends (/api/preview/).

An editor signed in to the admin asks for a preview token of a page revision (`POST /api/preview/`): allowed
exactly when Wagtail's admin would show them that preview — they may edit or publish the page, or act on the
page's current review task. The token is the revision (and page) id signed with the site's SECRET_KEY (salt
"sunlight.preview") and a timestamp; it expires after SUNLIGHT_PREVIEW_TTL seconds. Anyone holding it reads
that revision (`GET /api/preview/<token>/`) as the Wagtail v2 page detail would show a live page, plus a
"preview" block: drafts that were never published preview too. Answers are never cached or indexed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Page, Revision

from .auth import private
from .wagtail import PagesViewSet, api_router

SALT = "sunlight.preview"
#: Default lifetime of a preview token in seconds (setting SUNLIGHT_PREVIEW_TTL).
DEFAULT_TTL = 3600


def preview_ttl() -> int:
    """Seconds a preview token is valid (setting SUNLIGHT_PREVIEW_TTL, default 3600)."""
    return int(getattr(settings, "SUNLIGHT_PREVIEW_TTL", DEFAULT_TTL))


@dataclass(frozen=True)
class PreviewToken:
    """A signed preview token and what it unlocks."""

    token: str
    page_id: int
    revision_id: int
    signed_at: datetime.datetime

    @property
    def expires_at(self) -> datetime.datetime:
        """When the token stops working (under the current TTL setting)."""
        return self.signed_at + datetime.timedelta(seconds=preview_ttl())


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def _signed_at(token: str) -> datetime.datetime:
    """The signing time inside a token whose signature was checked."""
    timestamp = signing.b62_decode(token.rsplit(":", 2)[1])
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def make_token(revision: Revision) -> PreviewToken:
    """Sign a preview token of a page revision."""
    token = _signer().sign_object({"p": int(revision.object_id), "r": revision.pk})
    return PreviewToken(token, int(revision.object_id), revision.pk, _signed_at(token))


class PreviewExpired(exceptions.APIException):
    """The token's signature is good but it is older than SUNLIGHT_PREVIEW_TTL: 410 Gone."""

    status_code = status.HTTP_410_GONE
    default_code = "expired"


def read_token(token: str) -> PreviewToken:
    """Check a token: 410 when it expired, 404 (revealing nothing) when it was not signed by this site."""
    try:
        data = _signer().unsign_object(token, max_age=preview_ttl())
        page_id, revision_id = int(data["p"]), int(data["r"])
    except signing.SignatureExpired as exc:
        raise PreviewExpired(_("The preview link has expired.")) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise exceptions.NotFound(_("Not found.")) from exc
    return PreviewToken(token, page_id, revision_id, _signed_at(token))


def may_preview(user: Model, page: Page, revision: Revision) -> bool:
    """Whether Wagtail's admin would show `user` this revision's preview: admin access and edit or publish
    permission on the page, or an action on the page's current review task (for the revision under review)."""
    if not (user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return False
    perms = page.permissions_for_user(user)
    if perms.can_edit() or perms.can_publish():
        return True
    task_state = page.current_workflow_task_state
    if task_state is None or task_state.revision_id != revision.pk:
        return False
    return bool(task_state.task.specific.get_actions(page, user))


class PreviewSerializer(serializers.Serializer):
    """What to preview: a page and, optionally, one of its revisions (default: its latest, or the one under
    review for a reviewer)."""

    page = serializers.IntegerField(help_text="Page id.")
    revision = serializers.IntegerField(
        required=False, allow_null=True, help_text="Revision id (default: the latest revision)."
    )


class PreviewTokenSerializer(serializers.Serializer):
    """A preview token: send `url` to the front end, which GETs it without signing in."""

    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="GET it for the revision's content.")


class _Private(APIView):
    """Private, unindexed answers (errors too)."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        """`Cache-Control: private, no-store`, `Vary: Authorization, Cookie`, `X-Robots-Tag: noindex`."""
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return private(response, vary=("Authorization", "Cookie"))


class PreviewCreateView(_Private):
    """Issue a preview token for a page revision (signed-in editors and reviewers; CSRF applies)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["preview"],
        summary="Issue a draft preview token (admin session)",
        request=PreviewSerializer,
        responses={
            201: PreviewTokenSerializer,
            400: OpenApiResponse(description="The revision is not one of the page's."),
            403: OpenApiResponse(description="Not signed in, or may not preview this page."),
            404: OpenApiResponse(description="No such page."),
        },
    )
    def post(self, request: Request) -> Response:
        """201 {token, expires_at, url}."""
        data = PreviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        page = Page.objects.filter(pk=data.validated_data["page"]).first()
        if page is None:
            raise exceptions.NotFound(_("No page with id %s.") % data.validated_data["page"])
        page = page.specific
        revision = self._revision(request, page, data.validated_data.get("revision"))
        if not may_preview(request.user, page, revision):
            raise exceptions.PermissionDenied(_("You may not preview this page."))
        issued = make_token(revision)
        url = request.build_absolute_uri(reverse("api-preview-detail", args=(issued.token,)))
        body = {"token": issued.token, "expires_at": issued.expires_at, "url": url}
        return Response(PreviewTokenSerializer(body).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _revision(request: Request, page: Page, revision_id: int | None) -> Revision:
        revisions = Revision.objects.page_revisions().filter(object_id=str(page.pk))
        if revision_id is not None:
            revision = revisions.filter(pk=revision_id).first()
            if revision is None:
                raise exceptions.ValidationError({"revision": [_("No revision %s of this page.") % revision_id]})
            return revision
        task_state = page.current_workflow_task_state
        can_edit = page.permissions_for_user(request.user).can_edit()
        revision = task_state.revision if task_state is not None and not can_edit else page.latest_revision
        if revision is None:
            raise exceptions.ValidationError({"revision": [_("The page has no saved revision to preview.")]})
        return revision


class _RevisionPagesViewSet(PagesViewSet):
    """Wagtail's page detail serialisation, applied to a revision instead of the live page."""


def page_detail_data(request: Request, page: Page) -> dict[str, Any]:
    """`page` as the Wagtail v2 detail endpoint (`/api/v2/pages/<id>/`) shows a live page: all its API fields
    (`?fields=` narrows them as there)."""
    request._request.wagtailapi_router = api_router
    view = _RevisionPagesViewSet()
    view.request = request
    view.args = ()
    view.kwargs = {"pk": page.pk}
    view.format_kwarg = None
    view.action = "detail_view"
    view.headers = {}
    view._cached_object = page
    return view.get_serializer(page).data


class PreviewDetailView(_Private):
    """A revision's content by its preview token (no sign-in: the token is the credential)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["preview"],
        summary="Read a draft by its preview token",
        auth=[],
        responses={
            200: inline_serializer(
                "PreviewPage",
                {
                    "id": serializers.IntegerField(),
                    "meta": serializers.DictField(),
                    "title": serializers.CharField(),
                    "preview": inline_serializer(
                        "PreviewInfo",
                        {
                            "revision_id": serializers.IntegerField(),
                            "created_at": serializers.DateTimeField(),
                            "expires_at": serializers.DateTimeField(),
                        },
                    ),
                },
            ),
            404: OpenApiResponse(description="Unknown or tampered token, or the page was deleted."),
            410: OpenApiResponse(description="The preview link has expired."),
        },
    )
    def get(self, request: Request, token: str) -> Response:
        """The page's fields as in `/api/v2/pages/<id>/`, from the revision, plus `preview`."""
        issued = read_token(token)
        revision = (
            Revision.objects.page_revisions()
            .filter(pk=issued.revision_id, object_id=str(issued.page_id))
            .select_related("content_type")
            .first()
        )
        if revision is None or not Page.objects.filter(pk=issued.page_id).exists():
            raise exceptions.NotFound(_("Not found."))
        page = revision.as_object()
        data = page_detail_data(request, page)
        data["preview"] = {
            "revision_id": revision.pk,
            "created_at": serializers.DateTimeField().to_representation(revision.created_at),
            "expires_at": serializers.DateTimeField().to_representation(issued.expires_at),
        }
        return Response(data)
