"""Serializers of 网上办事: the fields of a service guide in the page API (`/api/v2/pages/?type=
online_services.ServiceGuidePage`), and the hotline, form and police-type resources of /api/online_services/.

Page API listings load relations for many guides at once (api.wagtail prefetches the relations the shown
fields name; the child models' managers join their documents and counties), so every field here reads only
what is already loaded; the consultation link batches its column lookup per listing (`_listing_cache`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.schema import CodeName

from .choices import GuideStatus, MaterialForm


class ReadOnlyField(serializers.Field):
    """Base of the read-only fields below."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)


def code_name(code: str, choices) -> dict | None:
    """A coded value with its Chinese name, or None when empty."""
    if not code:
        return None
    return {"code": code, "name": str(dict(choices.choices).get(code, code))}


def absolute(request, url: str) -> str:
    """`url` made absolute for the request (when there is one)."""
    if request is None or not url or not url.startswith("/"):
        return url
    return request.build_absolute_uri(url)


class DocumentRefSerializer(serializers.Serializer):
    """A downloadable file (a Wagtail document)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("Download URL of the file."))
    file_extension = serializers.CharField(help_text=_("e.g. docx, pdf"))
    file_size = serializers.IntegerField(allow_null=True, help_text=_("Size in bytes."))


def document_ref(document, request) -> dict | None:
    """A document as {id, title, url, file_extension, file_size}."""
    if document is None:
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": absolute(request, document.url),
        "file_extension": document.file_extension,
        "file_size": document.file_size,
    }


@extend_schema_field(CodeName(allow_null=True))
class ChoiceField(ReadOnlyField):
    """A choice as {code, name}."""

    def __init__(self, choices, **kwargs):
        self.choices_class = choices
        super().__init__(**kwargs)

    def to_representation(self, value):
        return code_name(value, self.choices_class)


class LegalBasisSerializer(serializers.Serializer):
    """A law or regulation and the provisions an item rests on."""

    name = serializers.CharField(help_text=_("e.g. 《中华人民共和国护照法》"))
    provisions = serializers.CharField(allow_blank=True)


@extend_schema_field(LegalBasisSerializer(many=True))
class LegalBasisField(ReadOnlyField):
    """The legal bases, in order."""

    def to_representation(self, value):
        return [{"name": b.name, "provisions": b.provisions} for b in value.all()]


class NumberedTextSerializer(serializers.Serializer):
    """A numbered condition."""

    number = serializers.IntegerField()
    text = serializers.CharField()


@extend_schema_field(NumberedTextSerializer(many=True))
class ConditionsField(ReadOnlyField):
    """The conditions, numbered from 1."""

    def to_representation(self, value):
        return [{"number": i, "text": c.text} for i, c in enumerate(value.all(), start=1)]


class MaterialSerializer(serializers.Serializer):
    """An application material."""

    number = serializers.IntegerField()
    name = serializers.CharField()
    form = CodeName(allow_null=True, help_text=_("原件, 复印件, 原件和复印件 or 电子件."))
    copies = serializers.IntegerField()
    required = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True, help_text=_("Requirements, e.g. 加盖单位公章."))
    document = DocumentRefSerializer(allow_null=True, help_text=_("A sample or blank form to download."))


@extend_schema_field(MaterialSerializer(many=True))
class MaterialsField(ReadOnlyField):
    """The materials, numbered from 1, each with its sample or blank form."""

    def to_representation(self, value):
        request = self.context.get("request")
        return [
            {
                "number": i,
                "name": m.name,
                "form": code_name(m.form, MaterialForm),
                "copies": m.copies,
                "required": m.required,
                "note": m.note,
                "document": document_ref(m.document, request),
            }
            for i, m in enumerate(value.all(), start=1)
        ]


class StepSerializer(serializers.Serializer):
    """A step of the procedure."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    time_limit = serializers.CharField(allow_blank=True)


@extend_schema_field(StepSerializer(many=True))
class StepsField(ReadOnlyField):
    """The procedure's steps, numbered from 1."""

    def to_representation(self, value):
        return [
            {"number": i, "title": s.title, "description": s.description, "time_limit": s.time_limit}
            for i, s in enumerate(value.all(), start=1)
        ]


class QuestionSerializer(serializers.Serializer):
    """A frequently asked question."""

    question = serializers.CharField()
    answer = serializers.CharField()


@extend_schema_field(QuestionSerializer(many=True))
class QuestionsField(ReadOnlyField):
    """The frequently asked questions."""

    def to_representation(self, value):
        return [{"question": q.question, "answer": q.answer} for q in value.all()]


class LocationSerializer(serializers.Serializer):
    """A place where the item is handled, with its hours."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    hours = serializers.CharField()
    county = CodeName(allow_null=True)
    directions = serializers.CharField(allow_blank=True)


def location_data(location) -> dict:
    """A location as LocationSerializer shows it."""
    county = location.county
    return {
        "id": location.pk,
        "name": location.name,
        "address": location.address,
        "hours": location.hours,
        "county": {"code": county.code, "name": county.name} if county else None,
        "directions": location.directions,
    }


@extend_schema_field(LocationSerializer(many=True))
class LocationsField(ReadOnlyField):
    """The places and hours, by name."""

    def to_representation(self, value):
        return [location_data(loc) for loc in sorted(value.all(), key=lambda loc: (loc.name, loc.pk))]


class HotlineRefSerializer(serializers.Serializer):
    """A number of the hotline directory."""

    id = serializers.IntegerField()
    department = serializers.CharField(help_text=_("The answering unit."))
    name = serializers.CharField()
    number = serializers.CharField()
    hours = serializers.CharField(allow_blank=True)


@extend_schema_field(HotlineRefSerializer(allow_null=True))
class HotlineRefField(ReadOnlyField):
    """A hotline (the guide's consultation or complaint phone)."""

    def to_representation(self, value):
        if value is None:
            return None
        return {
            "id": value.pk,
            "department": value.department,
            "name": value.name,
            "number": value.number,
            "hours": value.hours,
        }


class GuideFormSerializer(serializers.Serializer):
    """A form of the forms library that serves the guide."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    document = DocumentRefSerializer()


@extend_schema_field(GuideFormSerializer(many=True))
class GuideFormsField(ReadOnlyField):
    """The forms of the forms library linked to the guide."""

    def to_representation(self, value):
        request = self.context.get("request")
        forms = sorted((link.form for link in value.all()), key=lambda f: (f.sort_order, f.pk))
        return [
            {
                "id": f.pk,
                "title": f.title,
                "description": f.description,
                "document": document_ref(f.document, request),
            }
            for f in forms
        ]


@extend_schema_field(CodeName)
class StatusField(ReadOnlyField):
    """in_force (现行有效) or withdrawn (已废止)."""

    def to_representation(self, value):
        return code_name(value.status, GuideStatus)


class WithdrawalSerializer(serializers.Serializer):
    """The withdrawal notice of a guide."""

    withdrawn_on = serializers.DateField(help_text=_("Date of the withdrawal (local time)."))
    withdrawn_at = serializers.DateTimeField()
    reason = serializers.CharField()


@extend_schema_field(WithdrawalSerializer(allow_null=True))
class WithdrawalField(ReadOnlyField):
    """The withdrawal notice, or null while the guide is in force."""

    def to_representation(self, value):
        if value.withdrawn_at is None:
            return None
        from django.utils import timezone

        return {
            "withdrawn_on": timezone.localdate(value.withdrawn_at).isoformat(),
            "withdrawn_at": serializers.DateTimeField().to_representation(value.withdrawn_at),
            "reason": value.withdrawal_reason,
        }


class PageRefSerializer(serializers.Serializer):
    """Another page."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text=_("Public URL of the page."))


@extend_schema_field(PageRefSerializer(allow_null=True))
class PageRefField(ReadOnlyField):
    """A page as {id, title, url} (the guide replacing a withdrawn one), or null."""

    def to_representation(self, value):
        if value is None:
            return None
        request = self.context.get("request")
        return {"id": value.pk, "title": value.title, "url": value.get_full_url(request=request)}


def _listing_cache(context: dict, guide) -> dict:
    """Per-response lookups shared by the items of a listing: the mailbox form's path, the portal of the guide's
    site and its 业务咨询 columns (at most two queries per site, whatever the number of items)."""
    from wagtail.models import Page

    from cms.models import Portal

    from .consultation import mailbox_write_path
    from .police_types import consultation_columns

    cache = context.setdefault("_online_services", {"columns": {}, "profiles": {}})
    if "write_path" not in cache:
        cache["write_path"] = mailbox_write_path()
    root = guide.path[: 2 * Page.steplen]
    if root not in cache["profiles"]:
        cache["profiles"][root] = (
            Portal.objects.filter(site__root_page__path=root).values_list("profile", flat=True).first()
        )
    if cache["write_path"] is None and root not in cache["columns"]:
        cache["columns"][root] = consultation_columns(root)
    return cache


@extend_schema_field(serializers.CharField(allow_null=True))
class ConsultationUrlField(ReadOnlyField):
    """Where to ask about the item: the mailbox's consultation form when installed, else the police type's
    业务咨询 column."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, value):
        from wagtail.models import Page

        from .consultation import consultation_link, nearest

        cache = _listing_cache(self.context, value)
        root = value.path[: 2 * Page.steplen]
        column = None
        if cache["write_path"] is None:
            column = nearest(cache["columns"].get(root, {}), value.path)
        return consultation_link(
            cache["profiles"].get(root), column, self.context.get("request"), write_path=cache["write_path"]
        )


# --- /api/online_services/ resources -----------------------------------------------------------------------


def department_ref(department) -> dict | None:
    """A department as {code, name}."""
    return {"code": department.code, "name": department.name} if department else None


class HotlineSerializer(serializers.Serializer):
    """A number of the hotline directory (便民电话)."""

    id = serializers.IntegerField()
    police_type = CodeName(help_text=_("The police type (department code and name)."))
    county = CodeName(allow_null=True, help_text=_("The county bureau, or null for the city bureau."))
    department = serializers.CharField(help_text=_("The answering unit."))
    name = serializers.CharField()
    number = serializers.CharField(help_text=_("e.g. 0915-3268110, 12345, 400-123-4567"))
    hours = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)

    def to_representation(self, instance):
        return {
            "id": instance.pk,
            "police_type": department_ref(instance.police_type),
            "county": department_ref(instance.county),
            "department": instance.department,
            "name": instance.name,
            "number": instance.number,
            "hours": instance.hours,
            "note": instance.note,
        }


class GuideRefSerializer(serializers.Serializer):
    """A live service guide a form serves."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    detail_url = serializers.CharField(help_text=_("API URL of the guide."))


class FormSerializer(serializers.Serializer):
    """A form of the forms library (表格下载)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True, help_text=_("How to fill it in."))
    police_type = CodeName()
    document = DocumentRefSerializer()
    guides = GuideRefSerializer(many=True, help_text=_("The live guides it serves."))
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance):
        from django.urls import reverse

        request = self.context.get("request")
        guides = sorted(
            (link.guide for link in instance.guide_links.all() if link.guide.live),
            key=lambda g: (g.title, g.pk),
        )
        return {
            "id": instance.pk,
            "title": instance.title,
            "description": instance.description,
            "police_type": department_ref(instance.police_type),
            "document": document_ref(instance.document, request),
            "guides": [
                {
                    "id": g.pk,
                    "title": g.title,
                    "detail_url": absolute(request, reverse("wagtailapi:pages:detail", args=[g.pk])),
                }
                for g in guides
            ],
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
        }


class ServiceColumnSerializer(serializers.Serializer):
    """One of a police type's four service columns."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text=_("Public URL of the column."))
    detail_url = serializers.CharField(help_text=_("API URL of the column."))
    count = serializers.IntegerField(
        allow_null=True, help_text=_("Hotlines, live guides or forms of the police type; null for consultation.")
    )


class ServicesSerializer(serializers.Serializer):
    """The four services of a police type (seed 000 §一); null when the profile has no such column."""

    hotlines = ServiceColumnSerializer(allow_null=True, help_text=_("Hotlines (便民电话)."))
    guides = ServiceColumnSerializer(allow_null=True, help_text=_("Service guides (办事指南)."))
    forms = ServiceColumnSerializer(allow_null=True, help_text=_("Forms (表格下载)."))
    consultation = ServiceColumnSerializer(allow_null=True, help_text=_("Consultation (业务咨询)."))


class PoliceTypeSerializer(serializers.Serializer):
    """A police type's page of 网上办事: its column, department, services and consultation link."""

    id = serializers.IntegerField(help_text=_("Page ID of the police type's column."))
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    detail_url = serializers.CharField()
    police_type = CodeName(allow_null=True)
    services = ServicesSerializer()
    consultation_url = serializers.CharField(
        allow_null=True, help_text=_("The mailbox's consultation form when installed, else the 业务咨询 column.")
    )
