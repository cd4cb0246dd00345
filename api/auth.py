"""Authentication by outlet API token (`Authorization: Bearer slt_…` or `Token slt_…`) and the headers of
private responses.

A token authenticates as no one: `request.user` stays anonymous and `request.auth` is the `ApiToken`, so a
token grants no staff rights anywhere; it only opens views that ask for `HasOutletToken`, and only for safe
(read-only) requests.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from .models import USER_KEY_SCHEME, ApiToken, UserToken

#: Authorization schemes accepted for a token (compared case-insensitively).
KEYWORDS = ("bearer", "token")
#: The scheme named in `WWW-Authenticate` of a 401.
REALM_HEADER = 'Bearer realm="sunlight-outlets"'

INVALID_MESSAGE = _("The API token is invalid, revoked or expired.")
MALFORMED_MESSAGE = _("Send the API token as 'Authorization: Bearer <token>'.")
READ_ONLY_MESSAGE = _("Outlet tokens are read-only.")
MISSING_MESSAGE = _("This endpoint needs an outlet API token: 'Authorization: Bearer <token>'.")


class OutletTokenAuthentication(BaseAuthentication):
    """Authenticate a request by an outlet's API token. Unknown, revoked or expired tokens are a 401; a token on
    an unsafe request (anything but GET, HEAD, OPTIONS) is a 403."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiToken] | None:
        """(AnonymousUser, the ApiToken), or None when the request carries no token."""
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED_MESSAGE)
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(INVALID_MESSAGE) from exc
        if key.startswith(f"{USER_KEY_SCHEME}_"):
            return None  # a personal staff token: UserTokenAuthentication's business
        token = ApiToken.objects.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_MESSAGE)
        if request.method not in permissions.SAFE_METHODS:
            raise exceptions.PermissionDenied(READ_ONLY_MESSAGE)
        token.touch()
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        """Makes a missing or bad token a 401 with `WWW-Authenticate: Bearer`."""
        return REALM_HEADER


class HasOutletToken(permissions.BasePermission):
    """Only requests authenticated by an outlet token (see `OutletTokenAuthentication`), only safe methods."""

    message = MISSING_MESSAGE

    def has_permission(self, request: Request, view: Any) -> bool:
        """True for a safe request carrying a valid token."""
        if not isinstance(request.auth, ApiToken):
            return False
        if request.method not in permissions.SAFE_METHODS:
            self.message = READ_ONLY_MESSAGE
            return False
        return True


def private(response: HttpResponseBase, vary: tuple[str, ...] = ("Authorization",)) -> HttpResponseBase:
    """Mark `response` as for this client only: `Cache-Control: private, no-store` and `Vary: Authorization`
    (no shared cache, CDN or browser keeps it)."""
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, vary)
    return response


class OutletTokenScheme(OpenApiAuthenticationExtension):
    """The outlet token in the OpenAPI document: an HTTP bearer scheme."""

    target_class = "api.auth.OutletTokenAuthentication"
    name = "outletToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """HTTP bearer with the key format as its description."""
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "slt_<prefix>_<secret>",
            "description": "An outlet's read-only API token (manage.py api_token create, or the admin). 渠道令牌",
        }


USER_TOKEN_INVALID_MESSAGE = _("The personal API token is invalid, revoked or expired.")
#: The scheme named in `WWW-Authenticate` of a 401 on staff routes.
STAFF_REALM_HEADER = 'Bearer realm="sunlight-staff"'


class UserTokenAuthentication(BaseAuthentication):
    """Authenticate a request by a personal staff token (`Authorization: Bearer sls_…`): the request acts as
    the token's user, with that user's permissions. Unknown, revoked or expired tokens, and tokens of
    inactive users, are a 401. Requests without an `sls_` key are left to the other authenticators."""

    def authenticate(self, request: Request) -> tuple[Any, UserToken] | None:
        """(the token's user, the UserToken), or None when the request carries no personal token."""
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED_MESSAGE)
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(USER_TOKEN_INVALID_MESSAGE) from exc
        if not key.startswith(f"{USER_KEY_SCHEME}_"):
            return None
        token = UserToken.objects.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(USER_TOKEN_INVALID_MESSAGE)
        token.touch()
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        """Makes a missing or bad token a 401 with `WWW-Authenticate: Bearer`."""
        return STAFF_REALM_HEADER


class UserTokenScheme(OpenApiAuthenticationExtension):
    """The personal staff token in the OpenAPI document: an HTTP bearer scheme."""

    target_class = "api.auth.UserTokenAuthentication"
    name = "staffToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """HTTP bearer with the key format as its description."""
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "sls_<prefix>_<secret>",
            "description": "A staff member's personal API token (manage.py api_token create-user); it acts with "
            "that user's permissions. 个人令牌",
        }
