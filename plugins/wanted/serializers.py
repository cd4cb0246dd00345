"""Serializers of the public notice API (/api/wanted/) and of tip submissions.

What goes out for an open notice is what the notice publishes, with the ID number masked (`identity.py`);
for a closed notice only the minimal record (`ClosedNoticeSerializer`). Tips are write-only: the receipt
carries the tip's number and nothing of its content.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.public import idempotency_key_field, normalise_phone, plain_text
from api.schema import CodeName

from .choices import NoticeLevel, NoticeStatus, Sex
from .identity import age_on, mask_id_number

#: Renditions of the photos: list thumbnails and the detail's pictures.
LIST_PHOTO = "fill-240x320"
DETAIL_PHOTO = "max-800x800"

#: Limits of a tip.
MAX_TIP_TEXT = 2000


def code_name(choices: type, value: str) -> dict[str, str]:
    """{code, name} of a choice value."""
    labels = dict(choices.choices)
    return {"code": value, "name": str(labels.get(value, value))}


def _absolute(request: Any, url: str) -> str:
    if request is None or not url or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)


class PhotoSerializer(serializers.Serializer):
    """A photo as a rendition: absolute URL, size and alternative text."""

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()


def photo_record(photo: Any, spec: str, request: Any) -> dict[str, Any] | None:
    """The rendition record of a photo (None when its file is missing)."""
    try:
        rendition = photo.image.get_rendition(spec)
    except (OSError, ValueError):
        return None
    alt = photo.caption or str(_("Photo of the person sought"))
    return {"url": _absolute(request, rendition.url), "width": rendition.width, "height": rendition.height, "alt": alt}


class SubjectSerializer(serializers.Serializer):
    """The person sought, as published (the ID number masked: first 6 and last 4 digits)."""

    name = serializers.CharField(source="subject_name")
    aliases = serializers.SerializerMethodField()
    sex = serializers.SerializerMethodField()
    birth_date = serializers.DateField(allow_null=True, help_text=_("Exact date of birth, when known."))
    age = serializers.SerializerMethodField()
    ethnicity = serializers.CharField()
    native_place = serializers.CharField()
    household_address = serializers.CharField()
    residence_address = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    height_cm = serializers.IntegerField(allow_null=True)
    accent = serializers.CharField()
    build = serializers.CharField()
    features = serializers.CharField()
    habits = serializers.CharField()
    clothing = serializers.CharField()

    def get_aliases(self, page: Any) -> list[str]:
        """Other names and nicknames."""
        return page.alias_list()

    @extend_schema_field(CodeName)
    def get_sex(self, page: Any) -> dict[str, str]:
        """{code, name}: male, female or unknown."""
        return code_name(Sex, page.sex)

    def get_age(self, page: Any) -> int | None:
        """Age today (from the date of birth, the ID number, or the age given at the issue date)."""
        return age_on(page.born_on, timezone.localdate())

    def get_id_number(self, page: Any) -> str:
        """The ID number masked: 610902********1235."""
        return mask_id_number(page.id_number)


class CaseSerializer(serializers.Serializer):
    """The case: time, place, region, suspected offence and summary."""

    time = serializers.CharField(source="case_time")
    place = serializers.CharField(source="case_place")
    region = serializers.CharField(source="case_region")
    charge = serializers.CharField()
    summary = serializers.CharField(source="case_summary")


class RewardSerializer(serializers.Serializer):
    """The reward: amount in yuan (null: none stated) and its conditions."""

    amount = serializers.IntegerField(source="reward_amount", allow_null=True)
    text = serializers.CharField(source="reward_text")


class ContactSerializer(serializers.Serializer):
    """Whom to tell: the unit and its phones."""

    unit = serializers.CharField(source="contact_unit")
    phones = serializers.CharField(source="contact_phones")


class BulletinSerializer(serializers.Serializer):
    """A supplementary bulletin (补发通报), citing the original notice's number and issue date."""

    number = serializers.CharField()
    issued_on = serializers.DateField()
    text = serializers.CharField()
    cites = serializers.SerializerMethodField()
    citation = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"number": {"type": "string"}, "issued_on": {"type": "string", "format": "date"}},
            "required": ["number", "issued_on"],
        }
    )
    def get_cites(self, bulletin: Any) -> dict[str, str]:
        """{number, issued_on} of the original notice."""
        return {"number": bulletin.page.number, "issued_on": bulletin.page.date.isoformat()}

    def get_citation(self, bulletin: Any) -> str:
        """The citation as a sentence (本通报系对…通缉令的补充)."""
        return bulletin.citation()


class _NoticeBase(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    level = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    issuing_organ = serializers.CharField()
    issued_on = serializers.DateField(source="date")

    @extend_schema_field(CodeName)
    def get_level(self, page: Any) -> dict[str, str]:
        """{code, name}: a, b, province, city, county."""
        return code_name(NoticeLevel, page.level)

    @extend_schema_field(CodeName)
    def get_status(self, page: Any) -> dict[str, str]:
        """{code, name}: wanted or updated (open); captured, surrendered, deceased, revoked (closed)."""
        return code_name(NoticeStatus, page.status)


class NoticeCoreSerializer(_NoticeBase):
    """An open notice's own data (what the page API's `notice` field shows)."""

    scope = serializers.CharField()
    subject = SubjectSerializer(source="*")
    case = CaseSerializer(source="*")
    reward = RewardSerializer(source="*")
    contact = ContactSerializer(source="*")


class _Links(serializers.Serializer):
    url = serializers.SerializerMethodField()
    detail_url = serializers.SerializerMethodField()

    def get_url(self, page: Any) -> str:
        """The notice's page on the site (absolute)."""
        return page.get_full_url(request=self.context.get("request")) or ""

    def get_detail_url(self, page: Any) -> str:
        """This notice in the API."""
        return _absolute(self.context.get("request"), reverse("wanted:notice-detail", args=[page.pk]))


class NoticeListItemSerializer(_Links, _NoticeBase):
    """A notice in the list: enough to recognise the person and open the detail."""

    name = serializers.CharField(source="subject_name")
    sex = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()
    charge = serializers.CharField()
    region = serializers.CharField(source="case_region")
    reward_amount = serializers.IntegerField(allow_null=True)
    photo = serializers.SerializerMethodField()

    @extend_schema_field(CodeName)
    def get_sex(self, page: Any) -> dict[str, str]:
        """{code, name}."""
        return code_name(Sex, page.sex)

    def get_age(self, page: Any) -> int | None:
        """Age today, when known or estimated."""
        return age_on(page.born_on, timezone.localdate())

    @extend_schema_field(PhotoSerializer(allow_null=True))
    def get_photo(self, page: Any) -> dict[str, Any] | None:
        """The first photo as a thumbnail, or null."""
        for photo in page.photos.all():
            return photo_record(photo, LIST_PHOTO, self.context.get("request"))
        return None


class NoticeDetailSerializer(_Links, NoticeCoreSerializer):
    """An open notice in full: its data, photos, bulletins, department and where to send a tip."""

    photos = serializers.SerializerMethodField()
    bulletins = BulletinSerializer(many=True)
    department = serializers.SerializerMethodField()
    tip_url = serializers.SerializerMethodField()
    tip_form_url = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="first_published_at", allow_null=True)
    updated_at = serializers.DateTimeField(source="last_published_at", allow_null=True)

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, page: Any) -> list[dict[str, Any]]:
        """The photos, in order, as renditions of at most 800×800."""
        request = self.context.get("request")
        return [r for r in (photo_record(p, DETAIL_PHOTO, request) for p in page.photos.all()) if r is not None]

    @extend_schema_field(CodeName(allow_null=True))
    def get_department(self, page: Any) -> dict[str, str] | None:
        """{code, name} of the department that maintains the notice."""
        department = page.author_department
        return {"code": department.code, "name": department.name} if department else None

    def get_tip_url(self, page: Any) -> str:
        """POST a tip on this notice here."""
        return _absolute(self.context.get("request"), reverse("wanted:tip-submit", args=[page.pk]))

    def get_tip_form_url(self, page: Any) -> str:
        """The accessible tip form on the site."""
        return _absolute(self.context.get("request"), reverse("wanted_site:tip", args=[page.pk]))


class ClosedNoticeSerializer(_NoticeBase):
    """What remains of a closed notice: number, level, issuing organ, issue date and the closing."""

    detail = serializers.SerializerMethodField()
    closed_on = serializers.DateField(allow_null=True)
    closing_text = serializers.CharField()

    def get_detail(self, page: Any) -> str:
        """Why the notice is gone."""
        return str(_("This wanted notice is closed; its personal data have been deleted."))


# --- tips ----------------------------------------------------------------------------------------------------


class TipSerializer(serializers.Serializer):
    """A citizen's tip: what they know, optionally how to reach them, up to 3 files (JPEG, PNG, PDF, 5 MB each)."""

    content = plain_text(
        MAX_TIP_TEXT, required=True, label=_("Your tip"), help_text=_("What you know: when, where, what you saw.")
    )
    contact_name = plain_text(50, label=_("Your name"), help_text=_("Optional."))
    contact_phone = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        label=_("Your phone"),
        help_text=_("Optional: mobile (11 digits) or landline with area code, if we may call you back."),
    )
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, use_url=False),
        required=False,
        allow_empty=True,
        write_only=True,
        help_text=_("Up to 3 files: JPEG, PNG or PDF, at most 5 MB each (multipart/form-data)."),
    )
    idempotency_key = idempotency_key_field()

    def validate_contact_phone(self, value: str) -> str:
        """Blank, or a valid phone number (normalised)."""
        value = (value or "").strip()
        return normalise_phone(value) if value else ""

    def validate_attachments(self, files: list) -> list:
        """At most 3 files, each of an accepted type by content and within the size limit."""
        from .tips import check_attachments

        return check_attachments(files)


class TipReceiptSerializer(serializers.Serializer):
    """The receipt of a tip: its number and when it arrived (nothing of its content)."""

    number = serializers.CharField(help_text=_("The tip's number, e.g. 线索2026-0007."))
    received_at = serializers.DateTimeField()
    notice_number = serializers.CharField()
    detail = serializers.CharField()
