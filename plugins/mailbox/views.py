"""Public pages of the mailbox: the letter form with its receipt, the status lookup, and the published letters
of each box (masked), with the time each reply took.

Server-rendered, usable without JavaScript and with the keyboard alone (`cms.public_forms`). The form validates
with the API's `PublicLetterSerializer`, submits through `public_api.register` (all or nothing, attachments
included) and carries an idempotency token made when the form is shown, so a double click never sends a second
letter. Rate limits are the API's. Pages with a query code or a writer's data are never cached.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import Throttled

from api.public import idempotency_key_problem, portal_for
from cms.deadlines.calendar import WorkingCalendar
from cms.public_forms import Fieldsets, FormField, error_summary, fill, no_portal_page, throttled_page

from .attachments import ACCEPT, MAX_BYTES, MAX_FILES, AttachmentError
from .emergency import POINTER
from .models import Box, Letter, LetterKind
from .public_api import NOT_FOUND, earlier_letter, find_letter, published_letters, register
from .serializers import MAX_CONTENT, LetterStatusQuerySerializer, PublicLetterSerializer, published_data, status_of
from .throttles import StatusThrottle, SubmitThrottle, lookup_failures

TEMPLATES = "mailbox/public/"
BASE_TEMPLATE = TEMPLATES + "base.html"
PER_PAGE = 10


def _label(name: str) -> str:
    return str(Letter._meta.get_field(name).verbose_name)


def _max(name: str) -> int | None:
    return Letter._meta.get_field(name).max_length


def letter_fieldsets(portal: Any, box: Box | None) -> Fieldsets:
    """The letter form's groups of fields (legend, fields); the box and kind choices are the portal's."""
    boxes = Box.objects.filter(portal=portal, active=True).order_by("sort_order", "key")
    kinds = LetterKind.objects.filter(boxes=box) if box is not None else LetterKind.objects.filter(boxes__in=boxes)
    return [
        (
            _("Your letter"),
            [
                FormField("box", _("Letter box"), "select", True, choices=[(b.key, b.name) for b in boxes]),
                FormField(
                    "kind",
                    _("Kind of letter"),
                    "radio",
                    True,
                    choices=[(k.key, k.name) for k in kinds.distinct().order_by("sort_order", "key")],
                ),
                FormField("subject", _label("subject"), required=True, maxlength=_max("subject")),
                FormField(
                    "content",
                    _label("content"),
                    "textarea",
                    True,
                    maxlength=MAX_CONTENT,
                    help=_("What happened, when and where, and what you ask for. Do not write passwords."),
                ),
                FormField(
                    "attachments",
                    _("Attachments"),
                    "file",
                    accept=ACCEPT,
                    multiple=True,
                    help=_("Optional: at most %(n)d JPEG, PNG or PDF files of %(mb)d MB each.")
                    % {"n": MAX_FILES, "mb": MAX_BYTES // (1024 * 1024)},
                ),
            ],
        ),
        (
            _("About you"),
            [
                FormField("name", _label("name"), required=True, maxlength=_max("name"), autocomplete="name"),
                FormField(
                    "phone",
                    _label("phone"),
                    "tel",
                    True,
                    maxlength=_max("phone"),
                    autocomplete="tel",
                    inputmode="tel",
                    help=_("Mobile (11 digits) or landline with area code; we may call you about the letter."),
                ),
                FormField(
                    "id_number",
                    _("ID number (optional)"),
                    maxlength=18,
                    help=_("Only if the matter needs it. It is never shown publicly."),
                ),
                FormField(
                    "public_allowed",
                    _("The reply may be shown publicly"),
                    "checkbox",
                    help=_(
                        "Unless you untick this, the letter and its reply may be published with your name, "
                        "numbers, address and other personal data masked."
                    ),
                ),
            ],
        ),
    ]


def _no_portal(request: HttpRequest) -> HttpResponse:
    return no_portal_page(request, BASE_TEMPLATE)


def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return throttled_page(request, exc, BASE_TEMPLATE)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """The letter form (GET, `?box=<key>&kind=<key>` preselect) and its submission (POST): the receipt, or the
    form with its errors (nothing stored)."""
    portal = portal_for(request)
    if portal is None:
        return _no_portal(request)
    source = request.POST if request.method == "POST" else request.GET
    box = Box.objects.filter(portal=portal, active=True, key=str(source.get("box", ""))[:32]).first()
    fieldsets = letter_fieldsets(portal, box)
    context: dict[str, Any] = {"portal": portal, "box": box, "emergency_pointer": POINTER}
    if request.method != "POST":
        defaults = {"public_allowed": "1", "box": box.key if box else "", "kind": str(request.GET.get("kind", ""))[:32]}
        fill(fieldsets, {}, {}, defaults)
        context.update(fieldsets=fieldsets, idempotency_key=uuid.uuid4().hex, errors=[])
        return render(request, TEMPLATES + "write.html", context)
    try:
        SubmitThrottle().check(request)
    except Throttled as exc:
        return _throttled(request, exc)
    data = {k: request.POST.get(k, "") for k in request.POST if k not in ("csrfmiddlewaretoken", "attachments")}
    data["public_allowed"] = "public_allowed" in request.POST  # an unticked box sends nothing
    key = (data.pop("idempotency_key", "") or "").strip()
    if idempotency_key_problem(key):
        key = ""  # a tampered token: a new submission, with a fresh token below
    earlier = earlier_letter(portal, key)
    if earlier is not None:
        return _receipt_page(request, earlier, None)
    serializer = PublicLetterSerializer(data=data, portal=portal)
    errors: dict[str, Any] = {}
    if serializer.is_valid():
        try:
            letter, code, created = register(
                portal, serializer.validated_data, key, request.FILES.getlist("attachments")
            )
        except AttachmentError as exc:
            errors = {"attachments": [str(exc)]}
        else:
            return _receipt_page(request, letter, code if created else None, status=201 if created else 200)
    else:
        errors = serializer.errors
    fill(fieldsets, {**data, "public_allowed": "1" if data["public_allowed"] else ""}, errors)
    context.update(
        fieldsets=fieldsets, idempotency_key=key or uuid.uuid4().hex, errors=error_summary(fieldsets, errors)
    )
    return render(request, TEMPLATES + "write.html", context, status=400)


def _receipt_page(request: HttpRequest, letter: Letter, code: str | None, status: int = 200) -> HttpResponse:
    clock = letter.reply_clock
    context = {
        "number": letter.number,
        "code": code,
        "received_on": letter.received_on,
        "due_date": clock.due_date if clock else None,
        "emergency": letter.is_emergency,
        "emergency_pointer": POINTER,
    }
    return render(request, TEMPLATES + "receipt.html", context, status=status)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """The status lookup: the form (GET, `?number=` prefills) and the result (POST)."""
    portal = portal_for(request)
    if portal is None:
        return _no_portal(request)
    fields = [
        FormField(
            "number", _("Letter number"), required=True, maxlength=32, help=_("As on your receipt, e.g. 信2026-0042.")
        ),
        FormField(
            "code",
            _("Query code"),
            required=True,
            maxlength=32,
            autocomplete="off",
            help=_("The 8-character query code shown when you sent the letter."),
        ),
    ]
    fieldsets: Fieldsets = [(_("Look up a letter"), fields)]
    if request.method != "POST":
        fill(fieldsets, {"number": request.GET.get("number", "")[:32]}, {})
        return render(request, TEMPLATES + "status.html", {"fieldsets": fieldsets, "errors": [], "portal": portal})
    data = {"number": request.POST.get("number", ""), "code": request.POST.get("code", "")}
    params = LetterStatusQuerySerializer(data=data)
    errors: dict[str, Any] = {}
    problem, http_status = "", 400
    if params.is_valid():
        number, code = params.validated_data["number"], params.validated_data["code"]
        failures = lookup_failures()
        try:
            StatusThrottle().check(request)
            failures.check(request, number)
        except Throttled as exc:
            return _throttled(request, exc)
        letter = find_letter(portal, number, code)
        if letter is not None:
            return render(request, TEMPLATES + "status_result.html", {"status": status_of(letter), "portal": portal})
        failures.record(request, number)
        problem, http_status = str(NOT_FOUND), 404
    else:
        errors = params.errors
    fill(fieldsets, {"number": data["number"]}, errors)  # the code is never echoed back
    summary = error_summary(fieldsets, errors)
    if problem:
        summary.append({"href": "#id_number", "label": "", "message": problem})
    context = {"fieldsets": fieldsets, "errors": summary, "portal": portal}
    return render(request, TEMPLATES + "status.html", context, status=http_status)


@require_http_methods(["GET", "HEAD"])
def letters(request: HttpRequest) -> HttpResponse:
    """The published letters of the portal (or of one box: `?box=<key>`), newest first, masked."""
    portal = portal_for(request)
    if portal is None:
        return _no_portal(request)
    boxes = list(Box.objects.filter(portal=portal, active=True).order_by("sort_order", "key"))
    box = next((b for b in boxes if b.key == request.GET.get("box")), None)
    queryset = published_letters(portal)
    if box is not None:
        queryset = queryset.filter(box=box)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    calendar = WorkingCalendar.from_db(strict=False)
    context = {
        "portal": portal,
        "boxes": boxes,
        "box": box,
        "page_obj": page,
        "items": [published_data(letter, calendar) for letter in page.object_list],
    }
    return render(request, TEMPLATES + "letters.html", context)


@require_http_methods(["GET", "HEAD"])
def letter(request: HttpRequest, number: str) -> HttpResponse:
    """One published letter and its reply, masked (404 for any letter not published)."""
    portal = portal_for(request)
    if portal is None:
        return _no_portal(request)
    found = published_letters(portal).filter(number=number).first()
    if found is None:
        raise Http404
    return render(request, TEMPLATES + "letter.html", {"portal": portal, "item": published_data(found)})
