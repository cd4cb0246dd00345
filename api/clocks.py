"""Staff API of deadline clocks (/api/clocks/): every open clock with its due date, state and, for a year
the working-day calendar does not cover yet, the calendar warning. Staff only (Wagtail admin access)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from cms.deadlines.engine import State
from cms.deadlines.models import Clock


class CanAccessAdmin(permissions.BasePermission):
    """The same gate as the Wagtail admin: an active user with `wagtailadmin.access_admin`."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin"))


class ClockSerializer(serializers.Serializer):
    """A clock: its owner and `Clock.as_dict()` (dates, state, days left, calendar warning)."""

    def to_representation(self, clock: Clock) -> dict:
        owner = clock.owner
        title = getattr(owner, "title", None) or (str(owner) if owner is not None else None)
        return {
            "id": clock.pk,
            "owner": {
                "type": clock.content_type.model_class()._meta.label if clock.content_type_id else None,
                "id": clock.object_id,
                "title": title,
            },
            **clock.as_dict(),
        }


class ClockViewSet(viewsets.ReadOnlyModelViewSet):
    """Open deadline clocks, soonest due first. Filters: `kind` (e.g. publication), `state` (running,
    paused, overdue), `all=1` to include clocks already met."""

    serializer_class = ClockSerializer
    permission_classes = [CanAccessAdmin]

    def get_queryset(self):
        params = self.request.query_params
        queryset = Clock.objects.select_related("content_type").order_by("due_date", "pk")
        if params.get("all") != "1":
            queryset = queryset.filter(stopped_on__isnull=True)
        if kind := params.get("kind"):
            queryset = queryset.filter(kind=kind)
        if state := params.get("state"):
            if state not in {s.value for s in State}:
                raise ValidationError({"state": _("Use running, paused, met or overdue.")})
            return [c for c in queryset if c.state_on() == state]
        return queryset
