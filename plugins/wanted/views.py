"""Public pages of wanted notices: the tip form of a notice and its receipt.

Server-rendered, usable without JavaScript and with the keyboard alone (the shared `sunlight/public/`
templates: labels, fieldsets, help and errors tied to their field, an error summary linking to each wrong
field). The form validates with the API's `TipSerializer`, registers through the same path as the API (all or
nothing) and carries a hidden idempotency token made when the form is shown, so a double click or a reload
never sends a second tip. The rate limit is the API's. No page is stored by any cache.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import Throttled
from rest_framework.serializers import ValidationError

from api.public import check_idempotency_key, portal_for
from cms.public_forms import Fieldsets, FormField, error_summary, fill, no_portal_page, throttled_page

from .notices_api import gone
from .rendering import public_context
from .serializers import MAX_TIP_TEXT
from .throttles import TipThrottle
from .tips import ACCEPT, MAX_FILES, earlier_tip, too_large
from .tips_api import TOO_LARGE, open_notice, register

TEMPLATES = "wanted/public/"
BASE_TEMPLATE = TEMPLATES + "base.html"


def tip_fieldsets() -> Fieldsets:
    """The tip form's groups of fields."""
    return [
        (
            _("Your tip"),
            [
                FormField(
                    "content",
                    _("What you know"),
                    "textarea",
                    True,
                    maxlength=MAX_TIP_TEXT,
                    help=_(
                        "When and where you saw the person, what they did, who they were with. At most %(n)d "
                        "characters."
                    )
                    % {"n": MAX_TIP_TEXT},
                ),
                FormField(
                    "attachments",
                    _("Photos or documents"),
                    "file",
                    accept=ACCEPT,
                    multiple=True,
                    help=_("Optional: up to %(n)d files, JPEG, PNG or PDF, at most 5 MB each.") % {"n": MAX_FILES},
                ),
            ],
        ),
        (
            _("How we can reach you (optional)"),
            [
                FormField("contact_name", _("Your name"), maxlength=50, autocomplete="name"),
                FormField(
                    "contact_phone",
                    _("Your phone"),
                    "tel",
                    maxlength=32,
                    autocomplete="tel",
                    inputmode="tel",
                    help=_("Mobile (11 digits) or landline with area code, if we may call you back."),
                ),
            ],
        ),
    ]


@never_cache
@csrf_exempt  # checked by `_tip` below, after the size check, so an oversized body is never parsed
@require_http_methods(["GET", "HEAD", "POST"])
def tip(request: HttpRequest, pk: int) -> HttpResponse:
    """The tip form of an active notice (GET) and its submission (POST): the receipt, or the form with errors;
    413 for a body larger than the files allow, before it is read."""
    if request.method == "POST" and too_large(request):
        context = {"message": TOO_LARGE, "form_url": reverse("wanted_site:tip", args=[pk])}
        return render(request, TEMPLATES + "too_large.html", context, status=413)
    return _tip(request, pk)


@csrf_protect
def _tip(request: HttpRequest, pk: int) -> HttpResponse:
    portal = portal_for(request)
    if portal is None:
        return no_portal_page(request, BASE_TEMPLATE)
    notice = open_notice(request, pk)
    if notice is None:
        closed = gone(request, pk)
        status = 410 if closed is not None else 404
        return render(request, TEMPLATES + "unavailable.html", {"closed": closed, "portal": portal}, status=status)
    fieldsets = tip_fieldsets()
    context: dict[str, Any] = {"notice": notice, "portal": portal, **public_context(notice)}
    if request.method != "POST":
        fill(fieldsets, {}, {})
        context.update(fieldsets=fieldsets, idempotency_key=uuid.uuid4().hex, errors=[])
        return render(request, TEMPLATES + "tip.html", context)
    try:
        TipThrottle().check(request)
    except Throttled as exc:
        return throttled_page(request, exc, BASE_TEMPLATE)
    data = {name: request.POST.get(name, "") for name in ("content", "contact_name", "contact_phone")}
    key = (request.POST.get("idempotency_key", "") or "").strip()
    try:
        check_idempotency_key(key)
    except ValidationError:
        key = ""
    earlier = earlier_tip(portal, key)
    if earlier is not None:
        return _receipt(request, earlier, notice, portal)
    from .serializers import TipSerializer

    serializer = TipSerializer(data={**data, "attachments": request.FILES.getlist("attachments")})
    if serializer.is_valid():
        created_tip, created = register(portal, notice, serializer.validated_data, key)
        return _receipt(request, created_tip, notice, portal, status=201 if created else 200)
    errors = {name: _flat(messages) for name, messages in serializer.errors.items()}
    fill(fieldsets, data, errors)
    context.update(
        fieldsets=fieldsets, idempotency_key=key or uuid.uuid4().hex, errors=error_summary(fieldsets, errors)
    )
    return render(request, TEMPLATES + "tip.html", context, status=400)


def _flat(messages: Any) -> list[str]:
    """A field's messages as a flat list (a list field's errors come keyed by item)."""
    if isinstance(messages, dict):
        return [str(m) for value in messages.values() for m in _flat(value)]
    if isinstance(messages, list | tuple):
        return [str(m) for value in messages for m in _flat(value)]
    return [str(messages)]


def _receipt(request: HttpRequest, tip_obj: Any, notice: Any, portal: Any, status: int = 200) -> HttpResponse:
    context = {"tip": tip_obj, "notice": notice, "portal": portal}
    return render(request, TEMPLATES + "receipt.html", context, status=status)
