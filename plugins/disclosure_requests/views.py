"""Public pages of disclosure requests: the request form with its receipt, and the status lookup.

Server-rendered, usable without JavaScript and with the keyboard alone: every field has a label, groups have a
fieldset and legend, help and errors are tied to their field (`aria-describedby`), and an error summary at
the top links to each wrong field. The form validates with the API's `PublicIntakeSerializer`, submits through
`public_api.register` (all or nothing) and carries a hidden idempotency token made when the form is shown, so
a double click or a resubmission never creates a second request. Rate limits are the API's. No page is
stored by any cache (the receipt shows the query code).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import Throttled
from rest_framework.serializers import ValidationError

from api.public import check_idempotency_key, portal_for
from cms.public_forms import Fieldsets, FormField, error_summary, fill, no_portal_page, throttled_page

from .choices import ApplicantType, DeliveryForm, OrganisationKind, ReceiptWay
from .models import DisclosureRequest
from .public_api import NOT_FOUND, due_date_of, earlier_submission, find_request
from .public_api import register as register_request
from .serializers import ID_TYPES, MAX_LONG_TEXT, PublicIntakeSerializer, PublicStatusQuerySerializer, status_of
from .throttles import StatusThrottle, SubmitThrottle, lookup_failures

TEMPLATES = "disclosure_requests/public/"


def _label(name: str) -> str:
    return str(DisclosureRequest._meta.get_field(name).verbose_name)


def _max(name: str) -> int | None:
    return DisclosureRequest._meta.get_field(name).max_length


def intake_fieldsets() -> Fieldsets:
    """The request form's groups of fields, in order (legend, fields)."""
    return [
        (
            _("Applicant"),
            [
                FormField(
                    "applicant_type", _label("applicant_type"), "radio", True, choices=list(ApplicantType.choices)
                ),
                FormField(
                    "organisation_kind",
                    _label("organisation_kind"),
                    "select",
                    help=_("Only for an organisation: the kind that describes it best."),
                    choices=[("", _("— not an organisation —")), *OrganisationKind.choices],
                ),
                FormField(
                    "applicant_name",
                    _label("applicant_name"),
                    required=True,
                    maxlength=_max("applicant_name"),
                    autocomplete="name",
                    help=_("Your full name, or the organisation's full name."),
                ),
                FormField(
                    "legal_representative",
                    _label("legal_representative"),
                    maxlength=_max("legal_representative"),
                    help=_("Only for an organisation."),
                ),
                FormField(
                    "contact_person",
                    _label("contact_person"),
                    maxlength=_max("contact_person"),
                    help=_("Only for an organisation."),
                ),
                FormField("id_type", _label("id_type"), "select", True, choices=ID_TYPES),
                FormField(
                    "id_number",
                    _label("id_number"),
                    required=True,
                    maxlength=_max("id_number"),
                    help=_("A resident ID number has 18 characters; an organisation gives its credit code."),
                ),
            ],
        ),
        (
            _("Contact"),
            [
                FormField(
                    "phone",
                    _label("phone"),
                    "tel",
                    True,
                    maxlength=_max("phone"),
                    autocomplete="tel",
                    inputmode="tel",
                    help=_("Mobile (11 digits) or landline with area code, e.g. 0915-3212345."),
                ),
                FormField(
                    "email",
                    _label("email"),
                    "email",
                    maxlength=254,
                    autocomplete="email",
                    help=_("Required when the information or the answer is to come by email."),
                ),
                FormField("address", _label("address"), maxlength=_max("address"), autocomplete="street-address"),
                FormField(
                    "postcode",
                    _label("postcode"),
                    maxlength=6,
                    autocomplete="postal-code",
                    inputmode="numeric",
                    help=_("Six digits."),
                ),
            ],
        ),
        (
            _("The information you ask for"),
            [
                FormField("info_title", _label("info_title"), required=True, maxlength=_max("info_title")),
                FormField(
                    "info_document_number",
                    _label("info_document_number"),
                    maxlength=_max("info_document_number"),
                    help=_("If you know it, e.g. 安公发〔2025〕12号."),
                ),
                FormField(
                    "info_description",
                    _label("info_description"),
                    "textarea",
                    True,
                    maxlength=MAX_LONG_TEXT,
                    help=_("Describe the information so that it can be found: subject, period, issuing organ."),
                ),
                FormField(
                    "purpose",
                    _label("purpose"),
                    "textarea",
                    maxlength=MAX_LONG_TEXT,
                    help=_("Optional."),
                ),
            ],
        ),
        (
            _("How you want the answer"),
            [
                FormField("delivery_form", _label("delivery_form"), "radio", True, choices=list(DeliveryForm.choices)),
                FormField("receipt_way", _label("receipt_way"), "radio", True, choices=list(ReceiptWay.choices)),
            ],
        ),
    ]


DEFAULTS = {"applicant_type": ApplicantType.PERSON, "id_type": ID_TYPES[0][0], "delivery_form": "paper"}
DEFAULTS["receipt_way"] = ReceiptWay.POST


BASE_TEMPLATE = TEMPLATES + "base.html"


def _fill(fieldsets: Fieldsets, values: dict[str, Any], errors: dict[str, Any]) -> None:
    fill(fieldsets, values, errors, DEFAULTS)


def _throttled_page(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return throttled_page(request, exc, BASE_TEMPLATE)


def _no_portal(request: HttpRequest) -> HttpResponse:
    return no_portal_page(request, BASE_TEMPLATE)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The request form (GET) and its submission (POST): the receipt page, or the form with its errors."""
    portal = portal_for(request)
    if portal is None:
        return _no_portal(request)
    fieldsets = intake_fieldsets()
    if request.method != "POST":
        _fill(fieldsets, {}, {})
        context = {"fieldsets": fieldsets, "idempotency_key": uuid.uuid4().hex, "errors": [], "portal": portal}
        return render(request, TEMPLATES + "apply.html", context)
    try:
        SubmitThrottle().check(request)
    except Throttled as exc:
        return _throttled_page(request, exc)
    data = {key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"}
    key = (data.pop("idempotency_key", "") or "").strip()
    errors: dict[str, Any] = {}
    try:
        check_idempotency_key(key)
    except ValidationError:
        key = ""  # a tampered token: treat the submission as a new one with a fresh token below
    earlier = earlier_submission(portal, key)
    if earlier is not None:
        return _receipt_page(request, earlier, None)
    serializer = PublicIntakeSerializer(data=data)
    if serializer.is_valid():
        req, code, created = register_request(portal, serializer.validated_data, key)
        return _receipt_page(request, req, code if created else None, status=201 if created else 200)
    errors = serializer.errors
    _fill(fieldsets, data, errors)
    context = {
        "fieldsets": fieldsets,
        "idempotency_key": key or uuid.uuid4().hex,
        "errors": error_summary(fieldsets, errors),
        "portal": portal,
    }
    return render(request, TEMPLATES + "apply.html", context, status=400)


def _receipt_page(request: HttpRequest, req: DisclosureRequest, code: str | None, status: int = 200) -> HttpResponse:
    context = {"number": req.number, "code": code, "received_on": req.received_on, "due_date": due_date_of(req)}
    return render(request, TEMPLATES + "receipt.html", context, status=status)


STATUS_FIELDS_HELP = {
    "number": gettext_lazy("As on your receipt, e.g. 依申2026-0042."),
    "code": gettext_lazy("The 8-character query code shown when you submitted the request."),
}


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """The status lookup: the form (GET, the number may be given as ?number=) and the result (POST)."""
    portal = portal_for(request)
    if portal is None:
        return _no_portal(request)
    fields = [
        FormField("number", _("Request number"), required=True, maxlength=32, help=str(STATUS_FIELDS_HELP["number"])),
        FormField(
            "code",
            _("Query code"),
            required=True,
            maxlength=32,
            autocomplete="off",
            help=str(STATUS_FIELDS_HELP["code"]),
        ),
    ]
    fieldsets = [(_("Look up a request"), fields)]
    if request.method != "POST":
        _fill(fieldsets, {"number": request.GET.get("number", "")[:32]}, {})
        return render(request, TEMPLATES + "status.html", {"fieldsets": fieldsets, "errors": []})
    data = {"number": request.POST.get("number", ""), "code": request.POST.get("code", "")}
    params = PublicStatusQuerySerializer(data=data)
    errors: dict[str, Any] = {}
    problem = ""
    http_status = 400
    if params.is_valid():
        number, code = params.validated_data["number"], params.validated_data["code"]
        failures = lookup_failures()
        try:
            StatusThrottle().check(request)
            failures.check(request, number)
        except Throttled as exc:
            return _throttled_page(request, exc)
        req = find_request(portal, number, code)
        if req is not None:
            context = {"status": status_of(req)}
            return render(request, TEMPLATES + "status_result.html", context)
        failures.record(request, number)
        problem, http_status = str(NOT_FOUND), 404
    else:
        errors = params.errors
    _fill(fieldsets, {"number": data["number"]}, errors)  # the code is never echoed back
    summary = error_summary(fieldsets, errors)
    if problem:
        summary.append({"href": "#id_number", "label": "", "message": problem})
    return render(request, TEMPLATES + "status.html", {"fieldsets": fieldsets, "errors": summary}, status=http_status)
