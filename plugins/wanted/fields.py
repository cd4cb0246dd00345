"""Fields of the notice in Wagtail's page API (/api/v2/pages/, previews): the public representation, masked,
read without extra queries per item so listings stay at a constant number of queries.

- `notice`: the notice as `/api/wanted/<id>/` shows it, without photos and bulletins (their own fields); for
  a closed notice (a preview link made before it closed) only the minimal record.
- `photos`: the photos' image ids and their `/api/v2/images/<id>/` URLs (the child rows are prefetched).
- `bulletins`: the supplementary bulletins with the number and date they cite.

The serializers are imported when a value is shown (this module is imported by the models).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class _ReadOnly(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.OBJECT)
class NoticeField(_ReadOnly):
    """The notice's public data (subject with the ID number masked, case, reward, contact), or the minimal record
    of a closed notice."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, page: Any) -> dict:
        from .serializers import ClosedNoticeSerializer, NoticeCoreSerializer

        if page.is_closed:
            return ClosedNoticeSerializer(page).data
        return NoticeCoreSerializer(page).data


@extend_schema_field({"type": "array", "items": {"type": "object"}})
class PhotoRefsField(_ReadOnly):
    """[{id, detail_url}] of the photos' images (empty for a closed notice)."""

    def to_representation(self, value: Any) -> list[dict]:
        if value.instance.is_closed:
            return []
        request = self.context.get("request")
        records = []
        for photo in value.all():
            url = f"/api/v2/images/{photo.image_id}/"
            records.append({"id": photo.image_id, "detail_url": request.build_absolute_uri(url) if request else url})
        return records


@extend_schema_field({"type": "array", "items": {"type": "object"}})
class BulletinsField(_ReadOnly):
    """The supplementary bulletins, oldest first (empty for a closed notice)."""

    def to_representation(self, value: Any) -> list[dict]:
        from .serializers import BulletinSerializer

        if value.instance.is_closed:
            return []
        return BulletinSerializer(list(value.all()), many=True).data
