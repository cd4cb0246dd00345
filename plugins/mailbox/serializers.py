"""Serializers of the public side: a letter as a citizen writes it, its receipt, the status lookup, the boxes,
and published letters. Every text is cleaned of HTML (nh3) before its length is checked. No public answer
carries the writer's data: the status and the published letters show masked text only (`cms.privacy`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.public import REQUIRED, idempotency_key_field, idempotency_key_problem, normalise_phone, plain_text
from cms.deadlines.calendar import WorkingCalendar
from cms.deadlines.engine import working_days_between
from cms.privacy import is_valid_id_number

from .attachments import MAX_BYTES, MAX_FILES
from .choices import State
from .emergency import POINTER
from .models import Box, Letter, LetterKind

#: Longest letter content (characters, after cleaning).
MAX_CONTENT = 5000


def _max(name: str) -> int:
    return Letter._meta.get_field(name).max_length


class PublicLetterSerializer(serializers.Serializer):
    """A letter as a citizen writes it: box and kind, name, phone, optional ID number, subject, content, whether
    the reply may be shown publicly (default yes), attachments (multipart only)."""

    box = serializers.SlugField(max_length=32, help_text=_("The box's key, e.g. juzhang (see /api/mailbox/boxes/)."))
    kind = serializers.SlugField(max_length=32, help_text=_("The kind's key, e.g. consultation."))
    name = plain_text(_max("name"), required=True, help_text=_("Your name."))
    phone = plain_text(_max("phone"), required=True, help_text=_("Mobile or landline, e.g. 13912345678."))
    id_number = plain_text(18, help_text=_("Optional: your resident ID number."))
    subject = plain_text(_max("subject"), required=True)
    content = plain_text(MAX_CONTENT, required=True)
    public_allowed = serializers.BooleanField(
        default=True, help_text=_("Whether the reply may be shown publicly (masked). Default: yes.")
    )
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        max_length=MAX_FILES,
        help_text=_("At most %(n)d JPEG, PNG or PDF files of %(mb)d MB each (multipart/form-data).")
        % {"n": MAX_FILES, "mb": MAX_BYTES // (1024 * 1024)},
    )
    idempotency_key = idempotency_key_field()

    def __init__(self, *args: Any, portal: Any = None, **kwargs: Any) -> None:
        """`portal`: the portal whose boxes the letter may go to."""
        self.portal = portal
        super().__init__(*args, **kwargs)

    def validate_phone(self, value: str) -> str:
        """A mainland mobile or landline number."""
        return normalise_phone(value)

    def validate_id_number(self, value: str) -> str:
        """A valid resident ID number, or empty."""
        value = (value or "").replace(" ", "").upper()
        if value and not is_valid_id_number(value):
            raise serializers.ValidationError(_("This is not a valid resident ID number: check every digit."))
        return value

    def validate_idempotency_key(self, value: str) -> str:
        """Letters, digits and . _ : - only."""
        problem = idempotency_key_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def box_and_kind(self, box_key: Any, kind_key: Any) -> tuple[Box | None, LetterKind | None, dict[str, list]]:
        """The portal's active box and a kind it takes, or the errors."""
        box = Box.objects.filter(portal=self.portal, key=str(box_key or "")[:32], active=True).first()
        if box is None:
            return None, None, {"box": [_("Choose one of the letter boxes.")]}
        kind = LetterKind.objects.filter(portal=self.portal, key=str(kind_key or "")[:32], boxes=box).first()
        if kind is None:
            return box, None, {"kind": [_("This box does not take letters of this kind.")]}
        return box, kind, {}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """Field checks, then box and kind; both kinds of error are reported together."""
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict) or not hasattr(data, "get"):
                raise
            errors = dict(exc.detail)
            for name, messages in self.box_and_kind(data.get("box"), data.get("kind"))[2].items():
                errors.setdefault(name, messages)
            raise serializers.ValidationError(errors) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The box must be one of the portal's active boxes and take the kind."""
        box, kind, errors = self.box_and_kind(attrs.get("box"), attrs.get("kind"))
        if errors:
            raise serializers.ValidationError(errors)
        attrs["box"], attrs["kind"] = box, kind
        return attrs


def required_messages(serializer: serializers.Serializer) -> None:
    """The same Chinese message for a missing and a blank field."""
    for field in serializer.fields.values():
        field.error_messages.update({"required": REQUIRED, "blank": REQUIRED})


class LetterReceiptSerializer(serializers.Serializer):
    """The receipt of a letter: its number and query code (shown once), dates and, for an emergency, the 110
    pointer."""

    number = serializers.CharField()
    query_code = serializers.CharField(allow_null=True, help_text=_("Shown once; null on a resubmission."))
    received_on = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    status_url = serializers.URLField()
    detail = serializers.CharField()
    emergency = serializers.BooleanField()
    emergency_notice = serializers.CharField(allow_blank=True)


class LetterStatusQuerySerializer(serializers.Serializer):
    """The number and query code of a status lookup."""

    number = serializers.CharField(max_length=32, help_text=_("The letter's number, e.g. 信2026-0042."))
    code = serializers.CharField(max_length=32, help_text=_("The query code given at submission."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        required_messages(self)


class LetterExtension(serializers.Serializer):
    """An extension of the reply limit (the writer is told)."""

    days = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class LetterStatus(serializers.Serializer):
    """Where a letter stands, for whoever holds its number and query code. No personal data: the reply is
    shown masked."""

    number = serializers.CharField()
    box = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()
    is_closed = serializers.BooleanField()
    received_on = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    due_date_is_estimate = serializers.BooleanField()
    working_days_left = serializers.IntegerField(allow_null=True)
    extension = LetterExtension(allow_null=True)
    replied_on = serializers.DateField(allow_null=True)
    reply = serializers.CharField(allow_blank=True, help_text=_("The approved reply, masked."))
    closed_on = serializers.DateField(allow_null=True)
    close_reason = serializers.CharField(allow_blank=True)
    close_note = serializers.CharField(allow_blank=True)
    published = serializers.BooleanField()
    emergency_notice = serializers.CharField(allow_blank=True)


def status_of(letter: Letter) -> dict[str, Any]:
    """The public status of `letter` (LetterStatus)."""
    from . import transitions

    clock = letter.reply_clock
    clock_data = clock.as_dict() if clock is not None else None
    masked = transitions.masked(letter) if letter.state in (State.REPLIED, State.CLOSED) else None
    extension = clock_data["extension"] if clock_data else None
    return {
        "number": letter.number,
        "box": letter.box.name,
        "kind": letter.kind.name,
        "state": letter.state,
        "state_label": str(letter.get_state_display()),
        "is_closed": letter.is_closed,
        "received_on": letter.received_on.isoformat(),
        "due_date": clock_data["due_date"] if clock_data else None,
        "due_date_is_estimate": bool(clock_data and clock_data["due_date_is_estimate"]),
        "working_days_left": clock_data["working_days_left"] if clock_data and not letter.is_closed else None,
        "extension": {"days": extension["days"], "reason": extension["reason"] or ""} if extension else None,
        "replied_on": letter.replied_on.isoformat() if letter.replied_on else None,
        "reply": masked["reply"].text if masked and letter.state == State.REPLIED else "",
        "closed_on": letter.closed_on.isoformat() if letter.closed_on else None,
        "close_reason": str(letter.get_close_reason_display()) if letter.close_reason else "",
        "close_note": _mask_note(letter) if letter.close_note else "",
        "published": letter.is_published,
        "emergency_notice": str(POINTER) if letter.is_emergency else "",
    }


def _mask_note(letter: Letter) -> str:
    from cms.privacy import mask_text

    return mask_text(
        letter.close_note, known_names=[letter.name], add=[letter.id_number] if letter.id_number else []
    ).text


class LetterKindInfo(serializers.Serializer):
    """A kind of letter a box takes, with its reply limits in working days."""

    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    reply_days = serializers.DictField(child=serializers.IntegerField())


class LetterBox(serializers.Serializer):
    """A letter box."""

    key = serializers.CharField()
    name = serializers.CharField()
    intro = serializers.CharField(allow_blank=True)
    department = serializers.CharField()
    kinds = LetterKindInfo(many=True)
    letters_url = serializers.URLField()


def box_data(box: Box, letters_url: str) -> dict[str, Any]:
    """A box for the public API (LetterBox)."""
    return {
        "key": box.key,
        "name": box.name,
        "intro": box.intro,
        "department": box.department.name,
        "kinds": [
            {"key": k.key, "name": k.name, "description": k.description, "reply_days": dict(k.limits or {})}
            for k in box.kinds.all()
        ],
        "letters_url": letters_url,
    }


class PublishedLetterSerializer(serializers.Serializer):
    """A published letter and its reply, masked on the server; with the time the reply took."""

    number = serializers.CharField()
    box = serializers.CharField()
    box_name = serializers.CharField()
    kind = serializers.CharField()
    subject = serializers.CharField()
    content = serializers.CharField()
    reply = serializers.CharField()
    department = serializers.CharField()
    received_on = serializers.DateField()
    replied_on = serializers.DateField()
    reply_working_days = serializers.IntegerField()
    published_at = serializers.DateTimeField()


def published_data(letter: Letter, calendar: WorkingCalendar | None = None) -> dict[str, Any]:
    """A published letter for the public (PublishedLetterSerializer): only its masked snapshot and dates."""
    calendar = calendar or WorkingCalendar.from_db(strict=False)
    return {
        "number": letter.number,
        "box": letter.box.key,
        "box_name": letter.box.name,
        "kind": letter.kind.name,
        "subject": letter.public_subject,
        "content": letter.public_content,
        "reply": letter.public_reply,
        "department": letter.handling_department.name,
        "received_on": letter.received_on.isoformat(),
        "replied_on": letter.replied_on.isoformat() if letter.replied_on else None,
        "reply_working_days": working_days_between(letter.received_on, letter.replied_on, calendar)
        if letter.replied_on
        else None,
        "published_at": letter.published_at.isoformat() if letter.published_at else None,
    }
