"""Serializers of the staff API: requests with their personal data, clock, consultations, answer and history
(for staff who may see them), and the input of each action (derived from the admin's action forms, so both
validate alike)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.clocks import ClockSerializer

from .choices import Channel, State
from .models import DisclosureRequest
from .staff_actions import ACTIONS, Action


class DepartmentRefSerializer(serializers.Serializer):
    """A department: code and name."""

    code = serializers.CharField()
    name = serializers.CharField()


def department_of(req: DisclosureRequest) -> dict[str, str] | None:
    """{code, name} of the handling department, or None."""
    dept = req.department
    return {"code": dept.code, "name": dept.name} if dept is not None else None


class StaffRequestItemSerializer(serializers.Serializer):
    """A request in the staff list: number, title, state, department, applicant, receipt and deadline."""

    number = serializers.CharField()
    title = serializers.CharField(help_text=_("Title of the information asked for."))
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    department = DepartmentRefSerializer(allow_null=True)
    applicant_name = serializers.CharField()
    received_on = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    working_days_left = serializers.IntegerField(allow_null=True)
    clock_state = serializers.CharField(allow_null=True, help_text=_("running, paused, met or overdue."))
    clock_state_label = serializers.CharField(allow_null=True)
    is_due_soon = serializers.BooleanField()
    url = serializers.CharField(help_text=_("The request's staff API address."))

    def to_representation(self, req: DisclosureRequest) -> dict[str, Any]:
        """The request with `clock_info` attached (staff_queries.attach_clocks)."""
        info = getattr(req, "clock_info", None) or {}
        due = info.get("due_date")
        return {
            "number": req.number,
            "title": req.info_title,
            "state": req.state,
            "state_label": str(req.get_state_display()),
            "channel": req.channel,
            "department": department_of(req),
            "applicant_name": req.applicant_name,
            "received_on": req.received_on.isoformat(),
            "due_date": due.isoformat() if due else None,
            "working_days_left": info.get("working_days_left"),
            "clock_state": info.get("state"),
            "clock_state_label": info.get("state_label"),
            "is_due_soon": bool(info.get("is_due_soon")),
            "url": reverse("disclosure_requests:staff-detail", args=[req.number]),
        }


class RequestClockSerializer(ClockSerializer):
    """The answer clock (`Clock.as_dict`)."""

    id = None
    owner = None

    def to_representation(self, clock) -> dict:
        return clock.as_dict()


class ConsultationSerializer(serializers.Serializer):
    """A consultation of a third party or co-producing organ."""

    id = serializers.IntegerField()
    party = serializers.CharField()
    party_name = serializers.CharField()
    sent_on = serializers.DateField()
    due_on = serializers.DateField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)
    opinion = serializers.CharField()
    consents = serializers.BooleanField(allow_null=True)


class RemedySerializer(serializers.Serializer):
    """A reconsideration or lawsuit and its outcome."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    filed_on = serializers.DateField()
    authority = serializers.CharField()
    outcome = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class AnswerSummarySerializer(serializers.Serializer):
    """The answer draft and where it stands in the approval chain."""

    answer_type = serializers.CharField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    body = serializers.CharField()
    already_public_at = serializers.CharField()
    right_organ = serializers.CharField()
    public_summary = serializers.CharField()
    needs_secrecy_review = serializers.BooleanField()
    needs_legal_review = serializers.BooleanField()
    live = serializers.BooleanField(help_text=_("True once approved."))
    in_approval = serializers.BooleanField()


class HistoryEntrySerializer(serializers.Serializer):
    """One recorded change: when, who, why and the state after it."""

    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField()


class StaffRequestDetailSerializer(serializers.Serializer):
    """A request with everything staff may see: applicant, information asked for, handling, fee, result,
    clock, consultations, remedies, answer, history and the actions the user may take now."""

    number = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    submitted_at = serializers.DateTimeField()
    received_on = serializers.DateField()
    department = DepartmentRefSerializer(allow_null=True)
    applicant = serializers.DictField(child=serializers.CharField(), help_text=_("Personal data: staff only."))
    information = serializers.DictField(child=serializers.CharField())
    handling = serializers.DictField(child=serializers.CharField(allow_null=True))
    clock = RequestClockSerializer(allow_null=True)
    consultations = ConsultationSerializer(many=True)
    remedies = RemedySerializer(many=True)
    answer = AnswerSummarySerializer(allow_null=True)
    history = HistoryEntrySerializer(many=True)
    actions = serializers.ListField(child=serializers.CharField(), help_text=_("Actions the user may take now."))

    def to_representation(self, req: DisclosureRequest) -> dict[str, Any]:
        from .staff_actions import available_actions

        user = self.context["request"].user
        clock = req.clock
        answer = getattr(req, "answer", None)
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "number": req.number,
            "state": req.state,
            "state_label": str(req.get_state_display()),
            "channel": req.channel,
            "submitted_at": req.submitted_at.isoformat(),
            "received_on": req.received_on.isoformat(),
            "department": department_of(req),
            "applicant": {
                f: str(getattr(req, f) or "")
                for f in (
                    "applicant_type",
                    "organisation_kind",
                    "applicant_name",
                    "legal_representative",
                    "contact_person",
                    "id_type",
                    "id_number",
                    "phone",
                    "email",
                    "address",
                    "postcode",
                )
            },
            "information": {
                f: str(getattr(req, f) or "")
                for f in (
                    "info_title",
                    "info_document_number",
                    "info_description",
                    "purpose",
                    "delivery_form",
                    "receipt_way",
                )
            },
            "handling": {
                "transfer_note": req.transfer_note,
                "transferred_on": iso(req.transferred_on),
                "correction_note": req.correction_note,
                "correction_requested_on": iso(req.correction_requested_on),
                "correction_due": iso(req.correction_due),
                "corrected_on": iso(req.corrected_on),
                "corrected_text": req.corrected_text,
                "fee_state": req.fee_state,
                "fee_amount": str(req.fee_amount),
                "fee_due": iso(req.fee_due),
                "fee_paid_on": iso(req.fee_paid_on),
                "result_type": req.result_type,
                "result_reason": req.result_reason,
                "closed_on": iso(req.closed_on),
                "public_reply": req.public_reply,
            },
            "clock": clock.as_dict() if clock is not None else None,
            "consultations": [
                {
                    "id": c.pk,
                    "party": c.party,
                    "party_name": c.party_name,
                    "sent_on": iso(c.sent_on),
                    "due_on": iso(c.due_on),
                    "answered_on": iso(c.answered_on),
                    "opinion": c.opinion,
                    "consents": c.consents,
                }
                for c in req.consultations.all()
            ],
            "remedies": [
                {
                    "id": r.pk,
                    "kind": r.kind,
                    "filed_on": iso(r.filed_on),
                    "authority": r.authority,
                    "outcome": r.outcome,
                    "decided_on": iso(r.decided_on),
                    "note": r.note,
                }
                for r in req.remedies.all()
            ],
            "answer": answer_summary(answer),
            "history": history_of(req),
            "actions": [a.name for a in available_actions(req, user)],
        }


def answer_summary(answer: Any) -> dict[str, Any] | None:
    """The answer's fields and approval state, or None."""
    if answer is None:
        return None
    return {
        "answer_type": answer.answer_type,
        "reason": answer.reason,
        "reason_label": answer.reason_label,
        "body": answer.body,
        "already_public_at": answer.already_public_at,
        "right_organ": answer.right_organ,
        "public_summary": answer.public_summary,
        "needs_secrecy_review": answer.needs_secrecy_review,
        "needs_legal_review": answer.needs_legal_review,
        "live": answer.live,
        "in_approval": answer.workflow_in_progress,
    }


def history_records(req: DisclosureRequest) -> list[Any]:
    """The request's history records, newest first, with their users."""
    return list(req.history.select_related("history_user").order_by("-history_date", "-history_id"))


def history_of(req: DisclosureRequest) -> list[dict[str, Any]]:
    """The request's history for the API (newest first)."""
    labels = dict(State.choices)
    return [
        {
            "at": h.history_date.isoformat(),
            "user": h.history_user.get_username() if h.history_user is not None else None,
            "reason": h.history_change_reason,
            "state": h.state,
            "state_label": str(labels.get(h.state, h.state)),
        }
        for h in history_records(req)
    ]


class ActionResultSerializer(serializers.Serializer):
    """The request after an action."""

    number = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()
    detail = serializers.CharField()


def _field_of(field: forms.Field) -> serializers.Field:
    """The DRF field documenting a Django form field."""
    common = {"required": field.required, "help_text": field.help_text or None, "label": field.label}
    if isinstance(field, forms.ModelChoiceField):
        if field.to_field_name == "code":
            return serializers.CharField(**common, max_length=64)
        return serializers.IntegerField(**common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=field.choices, allow_blank=not field.required, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **common)
    if isinstance(field, forms.NullBooleanField):
        return serializers.BooleanField(allow_null=True, **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**common, "required": False})
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(max_digits=field.max_digits, decimal_places=field.decimal_places, **common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    return serializers.CharField(allow_blank=not field.required, max_length=field.max_length, **common)


def action_serializer(action: Action) -> type[serializers.Serializer]:
    """A serializer class documenting the input of `action` (the form validates; this is for OpenAPI)."""
    form_fields = action.form_class.base_fields
    attrs = {name: _field_of(field) for name, field in form_fields.items()}
    attrs["__doc__"] = str(action.label)
    name = "".join(part.title() for part in action.name.split("_")) + "ActionInput"
    return type(name, (serializers.Serializer,), attrs)


#: Input serializers of all actions, by name.
ACTION_SERIALIZERS = {name: action_serializer(action) for name, action in ACTIONS.items()}
