"""Admin registrations of the API: the outlet API tokens (Settings › API tokens) and their permissions."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import tokens

_token_urls = [
    path("", tokens.index, name="index"),
    path("new/", tokens.create, name="create"),
    path("<int:pk>/revoke/", tokens.revoke, name="revoke"),
]


@hooks.register("register_admin_urls")
def register_token_urls() -> list:
    """The token views at /admin/api-tokens/."""
    return [path("api-tokens/", include((_token_urls, "api_tokens"), namespace="api_tokens"))]


class TokenMenuItem(MenuItem):
    """Shown to users who may see tokens."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True for users with the view, add or change permission of tokens."""
        return tokens.can_view(request.user)


@hooks.register("register_settings_menu_item")
def register_token_menu_item() -> MenuItem:
    """Settings › API tokens."""
    return TokenMenuItem(_("API tokens"), reverse("api_tokens:index"), icon_name="key", order=900)


@hooks.register("register_permissions")
def register_token_permissions() -> QuerySet:
    """View, add (issue) and change (revoke) API tokens, assignable to groups in the admin."""
    return Permission.objects.filter(
        content_type__app_label="sunlight_api", codename__in=["view_apitoken", "add_apitoken", "change_apitoken"]
    )
