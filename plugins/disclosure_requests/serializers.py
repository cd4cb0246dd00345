"""Serializers of the public side: a citizen's submission (intake), its receipt, and the status lookup.

The API (`public_api.py`) and the public form (`views.py`) validate with the same `PublicIntakeSerializer`: every
text is cleaned of HTML (`cms.sanitize.clean_plain`, nh3) before its length is checked, and a text that is
empty once cleaned counts as missing. The status answer (`status_of`) carries no personal data: never the
applicant's name, identity document, phone, email or address, nor the names of staff.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.public import (
    REQUIRED,
    idempotency_key_field,
    idempotency_key_problem,
    normalise_phone,
    plain_text,
)
from cms.privacy import is_valid_id_number
from cms.sanitize import clean_plain

from .choices import (
    CLOSED_STATES,
    ApplicantType,
    DeliveryForm,
    FeeState,
    OrganisationKind,
    ReceiptWay,
    State,
)
from .models import DisclosureRequest

#: Longest description of the information and purpose a citizen may send (characters, after cleaning).
MAX_LONG_TEXT = 5000

RESIDENT_ID = "居民身份证"
USCC = "统一社会信用代码"
#: Identity documents offered by the form (the model stores any text up to 32 characters).
ID_TYPES = [
    (RESIDENT_ID, RESIDENT_ID),
    ("护照", "护照"),
    ("港澳居民来往内地通行证", "港澳居民来往内地通行证"),
    ("台湾居民来往大陆通行证", "台湾居民来往大陆通行证"),
    ("外国人永久居留身份证", "外国人永久居留身份证"),
    (USCC, USCC),
    ("其他", "其他"),
]

_POSTCODE_RE = re.compile(r"^\d{6}$")

_text = plain_text


def _model_max(name: str) -> int:
    return DisclosureRequest._meta.get_field(name).max_length


class PublicIntakeSerializer(serializers.Serializer):
    """A request as a citizen submits it (online): applicant, contact, the information asked for, purpose,
    form of delivery and way of receipt. Validated data are `transitions.INTAKE_FIELDS`."""

    applicant_type = serializers.ChoiceField(
        choices=ApplicantType.choices, default=ApplicantType.PERSON, help_text=_("Natural person or organisation.")
    )
    organisation_kind = serializers.ChoiceField(
        choices=OrganisationKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for an organisation."),
    )
    applicant_name = _text(_model_max("applicant_name"), required=True, help_text=_("Name or organisation."))
    legal_representative = _text(_model_max("legal_representative"))
    contact_person = _text(_model_max("contact_person"))
    id_type = serializers.ChoiceField(choices=ID_TYPES, default=RESIDENT_ID, help_text=_("Identity document."))
    id_number = _text(_model_max("id_number"), required=True, help_text=_("Number of the identity document."))
    phone = _text(_model_max("phone"), required=True, help_text=_("Mobile or landline, e.g. 13912345678."))
    email = _text(254, help_text=_("Required when the answer goes by email."))
    address = _text(_model_max("address"))
    postcode = _text(_model_max("postcode"))
    info_title = _text(_model_max("info_title"), required=True, help_text=_("Title of the information."))
    info_document_number = _text(_model_max("info_document_number"), help_text=_("Document number, if known."))
    info_description = _text(
        MAX_LONG_TEXT, required=True, help_text=_("Features of the information: what, when, which organ.")
    )
    purpose = _text(MAX_LONG_TEXT)
    delivery_form = serializers.ChoiceField(choices=DeliveryForm.choices, default=DeliveryForm.PAPER)
    receipt_way = serializers.ChoiceField(choices=ReceiptWay.choices, default=ReceiptWay.POST)
    idempotency_key = idempotency_key_field()

    def validate_phone(self, value: str) -> str:
        """A mainland mobile or landline number (spaces and brackets ignored)."""
        return normalise_phone(value)

    def validate_postcode(self, value: str) -> str:
        """Six digits, or empty."""
        if value and not _POSTCODE_RE.match(value):
            raise serializers.ValidationError(_("A postcode has six digits."))
        return value

    def validate_email(self, value: str) -> str:
        """A valid address, or empty."""
        if value:
            try:
                EmailValidator()(value)
            except Exception as exc:
                raise serializers.ValidationError(_("Give a valid email address.")) from exc
        return value

    def validate_idempotency_key(self, value: str) -> str:
        """Letters, digits and . _ : - only."""
        problem = idempotency_key_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """Field checks, then the checks across fields; both kinds of error are reported together."""
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict) or not hasattr(data, "get"):
                raise
            raw = {name: data.get(name) for name in self.fields}
            raw = {k: clean_plain(v).strip() if isinstance(v, str) else v for k, v in raw.items()}
            raw.setdefault("applicant_type", ApplicantType.PERSON)
            cross = self.cross_field_errors(raw)
            errors = dict(exc.detail)
            for name, messages in cross.items():
                errors.setdefault(name, messages)
            raise serializers.ValidationError(errors) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Checks across fields: organisation kind, identity document number, email when it is needed."""
        errors = self.cross_field_errors(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        if attrs.get("applicant_type") != ApplicantType.ORGANISATION:
            attrs["organisation_kind"] = ""
        if attrs.get("id_type", RESIDENT_ID) in (RESIDENT_ID, USCC):
            attrs["id_number"] = attrs.get("id_number", "").replace(" ", "").upper()
        return attrs

    @staticmethod
    def cross_field_errors(attrs: dict[str, Any]) -> dict[str, list[str]]:
        """The problems that depend on more than one field (each field's own value assumed valid)."""
        errors: dict[str, list[str]] = {}
        if attrs.get("applicant_type") == ApplicantType.ORGANISATION and not attrs.get("organisation_kind"):
            errors["organisation_kind"] = [_("Choose the kind of organisation.")]
        number = (attrs.get("id_number") or "").replace(" ", "").upper()
        id_type = attrs.get("id_type") or RESIDENT_ID
        if number and id_type == RESIDENT_ID and not is_valid_id_number(number):
            errors["id_number"] = [_("This is not a valid resident ID number: check every digit.")]
        elif number and id_type == USCC:
            from stdnum.cn import uscc

            if not uscc.is_valid(number):
                errors["id_number"] = [_("This is not a valid unified social credit code.")]
        wants_email = attrs.get("delivery_form") == DeliveryForm.EMAIL or attrs.get("receipt_way") == ReceiptWay.EMAIL
        if wants_email and not attrs.get("email"):
            errors["email"] = [_("Give an email address: the answer is to be sent by email.")]
        return errors


class PublicReceiptSerializer(serializers.Serializer):
    """What a submission answers: the request's number, its query code (only the first time), the date of
    receipt, the due date and where to look the request up."""

    number = serializers.CharField(help_text=_("The request's number, e.g. 依申2026-0042."))
    query_code = serializers.CharField(
        allow_null=True,
        help_text=_("Keep it: with the number it opens the status lookup. Null when the submission is a replay."),
    )
    received_on = serializers.DateField(help_text=_("Date of receipt (day zero of the answer limit)."))
    due_date = serializers.DateField(allow_null=True, help_text=_("The answer is due by this date."))
    status_url = serializers.CharField(help_text=_("The status lookup endpoint."))
    detail = serializers.CharField(help_text=_("A sentence for the applicant."))


class PublicStatusQuerySerializer(serializers.Serializer):
    """The number and query code of a status lookup."""

    number = serializers.CharField(max_length=32, help_text=_("The request's number, e.g. 依申2026-0042."))
    code = serializers.CharField(max_length=32, help_text=_("The query code given at submission."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Clear messages for missing fields."""
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update({"required": REQUIRED, "blank": REQUIRED})


class PublicClockPause(serializers.Serializer):
    """A pause of the answer clock (correction, fee, consultation)."""

    paused_on = serializers.DateField()
    resumed_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField(help_text=_("补正, 收费通知 or 征求意见 (never a party's name)."))


class PublicClockStatus(serializers.Serializer):
    """The answer clock as the applicant may see it (no approver)."""

    state = serializers.CharField()
    state_label = serializers.CharField()
    start_date = serializers.DateField()
    limit_days = serializers.IntegerField()
    working_days_left = serializers.IntegerField()
    due_date = serializers.DateField()
    due_date_is_estimate = serializers.BooleanField()
    paused_since = serializers.DateField(allow_null=True)
    pauses = PublicClockPause(many=True)
    stopped_on = serializers.DateField(allow_null=True)
    calendar_warning = serializers.CharField(allow_null=True, allow_blank=True)


class PublicExtension(serializers.Serializer):
    """An approved extension of the answer limit."""

    days = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class PublicCorrection(serializers.Serializer):
    """A correction asked of the applicant."""

    note = serializers.CharField(help_text=_("What the applicant must correct."))
    requested_on = serializers.DateField()
    due = serializers.DateField(allow_null=True)
    corrected_on = serializers.DateField(allow_null=True)


class PublicFee(serializers.Serializer):
    """The information processing fee."""

    amount = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)
    state = serializers.CharField()
    state_label = serializers.CharField()
    basis = serializers.CharField(allow_blank=True)
    notified_on = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True)
    paid_on = serializers.DateField(allow_null=True)


class PublicResult(serializers.Serializer):
    """The result of a closed request and the public part of the answer."""

    result_type = serializers.CharField(allow_blank=True)
    result_label = serializers.CharField(allow_blank=True)
    reason_label = serializers.CharField(allow_blank=True)
    public_reply = serializers.CharField(allow_blank=True)
    closed_on = serializers.DateField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)


class PublicStatusSerializer(serializers.Serializer):
    """Where a request stands, for whoever holds its number and query code. No personal data."""

    number = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()
    is_closed = serializers.BooleanField()
    received_on = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    clock = PublicClockStatus(allow_null=True)
    extension = PublicExtension(allow_null=True)
    correction = PublicCorrection(allow_null=True)
    fee = PublicFee(allow_null=True)
    result = PublicResult(allow_null=True)


def public_pause_reason(reason: str) -> str:
    """The kind of a pause without detail (a consultation's reason names the party: left out)."""
    return re.split(r"[:：]", reason or "", maxsplit=1)[0].strip()


def status_of(req: DisclosureRequest) -> dict[str, Any]:
    """The public status of `req` (see PublicStatusSerializer): state, dates, clock, extension, correction, fee
    and, once closed, the result with the public part of the answer. Never personal data."""
    clock = req.clock
    clock_data = clock.as_dict() if clock is not None else None
    data: dict[str, Any] = {
        "number": req.number,
        "state": req.state,
        "state_label": str(req.get_state_display()),
        "is_closed": req.is_closed,
        "received_on": req.received_on.isoformat(),
        "due_date": clock_data["due_date"] if clock_data else None,
        "clock": None,
        "extension": None,
        "correction": None,
        "fee": None,
        "result": None,
    }
    if clock_data:
        data["clock"] = {
            "state": clock_data["state"],
            "state_label": clock_data["state_label"],
            "start_date": clock_data["start_date"],
            "limit_days": clock_data["limit_days"],
            "working_days_left": clock_data["working_days_left"],
            "due_date": clock_data["due_date"],
            "due_date_is_estimate": clock_data["due_date_is_estimate"],
            "paused_since": clock_data["paused_since"],
            "pauses": [
                {
                    "paused_on": p["paused_on"],
                    "resumed_on": p["resumed_on"],
                    "reason": public_pause_reason(p["reason"]),
                }
                for p in clock_data["pauses"]
            ],
            "stopped_on": clock_data["stopped_on"],
            "calendar_warning": clock_data["calendar_warning"] or None,
        }
        if clock_data["extension"]:
            data["extension"] = {
                "days": clock_data["extension"]["days"],
                "reason": clock_data["extension"]["reason"] or "",
            }
    if req.correction_requested_on:
        data["correction"] = {
            "note": req.correction_note,
            "requested_on": req.correction_requested_on.isoformat(),
            "due": req.correction_due.isoformat() if req.correction_due else None,
            "corrected_on": req.corrected_on.isoformat() if req.corrected_on else None,
        }
    if req.fee_state != FeeState.NONE:
        data["fee"] = {
            "amount": f"{req.fee_amount:.2f}",
            "state": req.fee_state,
            "state_label": str(req.get_fee_state_display()),
            "basis": req.fee_basis,
            "notified_on": req.fee_notified_on.isoformat() if req.fee_notified_on else None,
            "due": req.fee_due.isoformat() if req.fee_due else None,
            "paid_on": req.fee_paid_on.isoformat() if req.fee_paid_on else None,
        }
    if req.state in CLOSED_STATES:
        data["result"] = {
            "result_type": req.result_type,
            "result_label": str(req.get_result_type_display()) if req.result_type else "",
            "reason_label": req.result_reason_label,
            "public_reply": req.public_reply,
            "closed_on": req.closed_on.isoformat() if req.closed_on else None,
            "answered_on": req.closed_on.isoformat() if req.state == State.ANSWERED and req.closed_on else None,
        }
    return data
