"""Admin views of outlet API tokens (/admin/api-tokens/): the listing, issuing a token (its key is shown once,
on the page that follows) and revoking one. Model permissions: view, add and change `ApiToken`."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.outlets.models import Outlet

from .models import ApiToken

VIEW_PERMISSION = "sunlight_api.view_apitoken"
ADD_PERMISSION = "sunlight_api.add_apitoken"
CHANGE_PERMISSION = "sunlight_api.change_apitoken"
PER_PAGE = 50


def can_view(user) -> bool:
    """Whether `user` may see the token listing (any of view, add, change)."""
    return any(user.has_perm(p) for p in (VIEW_PERMISSION, ADD_PERMISSION, CHANGE_PERMISSION))


class OutletChoiceField(forms.ModelChoiceField):
    """Outlets labelled with their portal and kind."""

    def label_from_instance(self, obj: Outlet) -> str:
        """'portal · name (kind)'."""
        return f"{obj.portal} · {obj.name} ({obj.kind})"


class TokenForm(forms.Form):
    """What a new token needs: its outlet, a label and an optional lifetime."""

    outlet = OutletChoiceField(
        label=gettext_lazy("Outlet"), queryset=Outlet.objects.select_related("portal").order_by("portal", "name")
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=128,
        help_text=gettext_lazy("Who or what uses the token, e.g. the app's server."),
    )
    expires_days = forms.IntegerField(
        label=gettext_lazy("Expires after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=gettext_lazy("Leave empty for a token that does not expire."),
    )


def index(request: HttpRequest) -> HttpResponse:
    """Every token: prefix, outlet, name, who created it, last use, expiry and revocation."""
    if not can_view(request.user):
        raise PermissionDenied
    tokens = ApiToken.objects.select_related("outlet", "created_by").order_by("-created_at", "-pk")
    page = Paginator(tokens, PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "sunlight_api/tokens/index.html",
        {
            "page_obj": page,
            "tokens": page.object_list,
            "can_add": request.user.has_perm(ADD_PERMISSION),
            "can_revoke": request.user.has_perm(CHANGE_PERMISSION),
            "page_title": _("API tokens"),
            "header_icon": "key",
        },
    )


def create(request: HttpRequest) -> HttpResponse:
    """The form; on success the next page shows the key, once (never stored, never shown again)."""
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_days"]
        token, key = ApiToken.issue(
            form.cleaned_data["outlet"],
            form.cleaned_data["name"],
            created_by=request.user,
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        response = render(
            request,
            "sunlight_api/tokens/created.html",
            {"token": token, "key": key, "page_title": _("API token created"), "header_icon": "key"},
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "sunlight_api/tokens/create.html",
        {"form": form, "page_title": _("New API token"), "header_icon": "key"},
    )


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """Revoke a token (POST, CSRF-protected) and go back to the listing."""
    if not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    token = get_object_or_404(ApiToken.objects.select_related("outlet"), pk=pk)
    if token.revoke():
        messages.success(
            request,
            _("Token %(prefix)s (%(name)s) is revoked.")
            % {
                "prefix": token.display_prefix,
                "name": token.name,
            },
        )
    else:
        messages.warning(request, _("Token %s was already revoked.") % token.display_prefix)
    return HttpResponseRedirect(reverse("api_tokens:index"))
