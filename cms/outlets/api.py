"""Staff API of the delivery outbox (/api/outlets/deliveries/): the deliveries with their state, filters, and
a retry. Session authentication; the same model permissions as the admin (view_delivery to read,
change_delivery to retry)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from . import outbox
from .models import Delivery, DeliveryAction, DeliveryState


class DeliveryPermissions(permissions.DjangoModelPermissions):
    """Model permissions where reading needs `view_delivery` and the only write (retry) `change_delivery`."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


class DeliverySerializer(serializers.ModelSerializer):
    """A delivery as staff see it: the outlet, the item, the state and the last attempt."""

    outlet = serializers.SerializerMethodField()
    item = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    retryable = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "created_at",
            "outlet",
            "action",
            "item",
            "title",
            "state",
            "state_label",
            "attempts",
            "last_status",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "idempotency_key",
            "retryable",
        ]

    def get_outlet(self, delivery: Delivery) -> dict:
        """{id, kind, name} of the outlet."""
        return {"id": delivery.outlet_id, "kind": delivery.outlet.kind, "name": delivery.outlet.name}

    def get_item(self, delivery: Delivery) -> dict:
        """{type, id, revision} of the delivered item."""
        return {"type": delivery.item_type, "id": delivery.item_id, "revision": delivery.revision_id}

    def get_retryable(self, delivery: Delivery) -> bool:
        """True when a retry may be asked for (failed or waiting)."""
        return delivery.state in outbox.RETRYABLE_STATES


class DeliveryDetailSerializer(DeliverySerializer):
    """A delivery with the payload it carries."""

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "payload"]


def _choice_param(name: str, choices: list[str], description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, enum=choices, description=description)


@extend_schema_view(
    list=extend_schema(
        summary="Outlet deliveries",
        parameters=[
            _choice_param("state", DeliveryState.values, "Only deliveries in this state."),
            _choice_param("action", DeliveryAction.values, "Only deliveries of this action."),
            OpenApiParameter("outlet", OpenApiTypes.INT, description="Only deliveries to this outlet (id)."),
        ],
    ),
    retrieve=extend_schema(summary="One outlet delivery, with its payload"),
)
class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Outlet deliveries, newest first. Filters: `state`, `outlet` (id), `action`. `POST <id>/retry/` makes a
    failed or waiting delivery due now."""

    queryset = Delivery.objects.select_related("outlet").order_by("-created_at", "-pk")
    serializer_class = DeliverySerializer
    authentication_classes = [SessionAuthentication]
    permission_classes = [DeliveryPermissions]

    def get_serializer_class(self):
        """The detail (with payload) for one delivery, the summary in lists."""
        return DeliveryDetailSerializer if self.action in ("retrieve", "retry") else DeliverySerializer

    def get_queryset(self):
        """The deliveries, filtered by the query parameters (a clear 400 for a wrong value)."""
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        params = self.request.query_params
        errors = {}
        if state := params.get("state"):
            if state not in DeliveryState.values:
                errors["state"] = _("Use one of: %s.") % ", ".join(DeliveryState.values)
            queryset = queryset.filter(state=state)
        if kind := params.get("action"):
            if kind not in DeliveryAction.values:
                errors["action"] = _("Use one of: %s.") % ", ".join(DeliveryAction.values)
            queryset = queryset.filter(action=kind)
        if outlet := params.get("outlet"):
            if not outlet.isdigit():
                errors["outlet"] = _("Give the outlet's numeric id.")
            else:
                queryset = queryset.filter(outlet_id=int(outlet))
        if errors:
            raise ValidationError(errors)
        return queryset

    @extend_schema(
        summary="Retry an outlet delivery",
        request=None,
        responses={
            200: DeliveryDetailSerializer,
            409: OpenApiResponse(description="The delivery is being delivered or was delivered."),
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Make a failed or waiting delivery due now; 409 for one that is being delivered or was delivered."""
        delivery = self.get_object()
        try:
            outbox.retry(delivery)
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=409)
        return Response(self.get_serializer(delivery).data)
