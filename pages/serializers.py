"""API serializer fields for page types (departments and tags as readable values)."""

from __future__ import annotations

from rest_framework import serializers


class DepartmentField(serializers.Field):
    """A department as {code, name, kind}; null when unset."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        return {"code": value.code, "name": value.name, "short_name": value.short_name, "kind": value.kind}


class DepartmentListField(serializers.Field):
    """A many-to-many of departments as a list of {code, name, kind}."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        # Sorted here, not with order_by(), so a prefetched listing reads no more rows.
        departments = sorted(value.all(), key=lambda d: (d.sort_order, d.code))
        return [DepartmentField().to_representation(d) for d in departments]


class TagListField(serializers.Field):
    """Tags as a sorted list of names."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())
