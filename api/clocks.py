"""Staff API of deadline clocks (/api/clocks/): every open clock with its due date, state and, for a year
the working-day calendar does not cover yet, the calendar warning. Staff only (Wagtail admin access)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from api.schema import ErrorDetail, FieldErrors
from cms.deadlines.engine import State
from cms.deadlines.models import Clock


class CanAccessAdmin(permissions.BasePermission):
    """The same gate as the Wagtail admin: an active user with `wagtailadmin.access_admin`."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin"))


#: The states of a clock (named ClockStateEnum in the OpenAPI document).
CLOCK_STATES = [state.value for state in State]


class ClockOwnerSerializer(serializers.Serializer):
    """What a clock counts the deadline of."""

    type = serializers.CharField(allow_null=True, help_text=gettext_lazy("Model label, e.g. pages.ArticlePage."))
    id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_null=True)


class ClockExtensionSerializer(serializers.Serializer):
    """An approved extension of a clock."""

    days = serializers.IntegerField(help_text=gettext_lazy("Working days added."))
    reason = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)


class ClockPauseSerializer(serializers.Serializer):
    """A pause of a clock."""

    paused_on = serializers.DateField()
    resumed_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField()


class ClockSerializer(serializers.Serializer):
    """A clock: its owner and `Clock.as_dict()` (dates, state, days left, calendar warning).

    The fields below document the output of `to_representation` (tests/test_api_schema.py compares them).
    """

    id = serializers.IntegerField(read_only=True)
    owner = ClockOwnerSerializer(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=gettext_lazy("Kind of deadline, e.g. publication."))
    start_date = serializers.DateField(read_only=True)
    original_start_date = serializers.DateField(read_only=True)
    restarts = serializers.IntegerField(read_only=True)
    limit_days = serializers.IntegerField(read_only=True, help_text=gettext_lazy("Working days allowed."))
    extension = ClockExtensionSerializer(read_only=True, allow_null=True)
    due_date = serializers.DateField(read_only=True)
    due_date_is_estimate = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("True when the holidays of a year it spans are not entered yet.")
    )
    state = serializers.ChoiceField(choices=CLOCK_STATES, read_only=True)
    state_label = serializers.CharField(read_only=True)
    working_days_left = serializers.IntegerField(read_only=True)
    is_due_soon = serializers.BooleanField(read_only=True)
    paused_since = serializers.DateField(read_only=True, allow_null=True)
    paused_working_days = serializers.IntegerField(read_only=True)
    pauses = ClockPauseSerializer(many=True, read_only=True)
    stopped_on = serializers.DateField(read_only=True, allow_null=True)
    met_on_time = serializers.BooleanField(read_only=True, allow_null=True)
    calendar_warning = serializers.CharField(read_only=True, allow_null=True)

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


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Open deadline clocks (staff only)"),
        parameters=[
            OpenApiParameter("kind", str, description=gettext_lazy("Kind of deadline, e.g. publication.")),
            OpenApiParameter("state", str, description=gettext_lazy("State today."), enum=CLOCK_STATES),
            OpenApiParameter("all", str, description=gettext_lazy("1: include clocks already met."), enum=["1"]),
        ],
        responses={200: ClockSerializer(many=True), 400: FieldErrors, 403: ErrorDetail},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A deadline clock (staff only)"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("Clock ID."))],
        responses={200: ClockSerializer, 403: ErrorDetail, 404: ErrorDetail},
    ),
)
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
