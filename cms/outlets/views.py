"""Admin views of the delivery outbox: the read-only Deliveries listing (state in colour, filters, the count of
failed deliveries) and its Retry button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView

from . import outbox
from .models import Delivery, DeliveryState

RETRY_PERMISSION = "outlets.change_delivery"

#: Background and text colours of each state's tag.
STATE_COLOURS = {
    DeliveryState.PENDING: ("#e6e6e6", "#262626"),
    DeliveryState.DELIVERING: ("#dbeafe", "#1e3a8a"),
    DeliveryState.RETRYING: ("#fef3c7", "#78350f"),
    DeliveryState.DELIVERED: ("#dcfce7", "#14532d"),
    DeliveryState.FAILED: ("#fee2e2", "#7f1d1d"),
}


class StateColumn(Column):
    """The delivery state as a coloured tag."""

    cell_template_name = "outlets/deliveries/state_cell.html"

    def get_cell_context_data(self, instance: Delivery, parent_context: dict) -> dict[str, Any]:
        """Add the state's label and colours."""
        context = super().get_cell_context_data(instance, parent_context)
        background, colour = STATE_COLOURS.get(instance.state, ("#e6e6e6", "#262626"))
        context.update(label=instance.get_state_display(), background=background, colour=colour)
        return context


class LastAttemptColumn(Column):
    """The last HTTP status and error of a delivery."""

    cell_template_name = "outlets/deliveries/last_attempt_cell.html"


class RetryColumn(Column):
    """A Retry button (POST) for failed and waiting deliveries, for users who may change deliveries."""

    cell_template_name = "outlets/deliveries/retry_cell.html"

    def get_cell_context_data(self, instance: Delivery, parent_context: dict) -> dict[str, Any]:
        """Whether to show the button, where it posts, and the CSRF token."""
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["can_retry"] = bool(
            request is not None
            and instance.state in outbox.RETRYABLE_STATES
            and request.user.has_perm(RETRY_PERMISSION)
        )
        context["retry_url"] = reverse("outlet_deliveries:retry", args=(instance.pk,))
        context["next_url"] = request.get_full_path() if request is not None else ""
        context["csrf_token"] = parent_context.get("csrf_token")
        return context


class DeliveryIndexView(IndexView):
    """Deliveries, newest first, read-only; the header says how many have failed."""

    template_name = "outlets/deliveries/index.html"
    default_ordering = "-created_at"

    def get_base_queryset(self):
        """Deliveries with their outlet (one query for the page)."""
        return super().get_base_queryset().select_related("outlet")

    @property
    def columns(self) -> list[Column]:
        """The listing's columns."""
        return [
            DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
            Column("outlet", label=gettext_lazy("Outlet")),
            Column("action", label=gettext_lazy("Action"), accessor="get_action_display"),
            TitleColumn("title", label=gettext_lazy("Title"), get_url=lambda delivery: None),
            StateColumn("state", label=gettext_lazy("State"), sort_key="state"),
            Column("attempts", label=gettext_lazy("Attempts")),
            LastAttemptColumn("last_status", label=gettext_lazy("Last status / error")),
            DateColumn("next_attempt_at", label=gettext_lazy("Next attempt"), sort_key="next_attempt_at"),
            DateColumn("delivered_at", label=gettext_lazy("Delivered"), sort_key="delivered_at"),
            RetryColumn("retry", label=""),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Add the number of failed deliveries and a link that lists them."""
        context = super().get_context_data(**kwargs)
        context["failed_count"] = Delivery.objects.filter(state=DeliveryState.FAILED).count()
        context["failed_url"] = reverse("outlet_deliveries:index") + f"?state={DeliveryState.FAILED}"
        return context


@require_POST
def retry_view(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """Make a failed or waiting delivery due now (needs `outlets.change_delivery`), then go back."""
    if not request.user.has_perm(RETRY_PERMISSION):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery.objects.select_related("outlet"), pk=pk)
    try:
        outbox.retry(delivery)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Delivery “%(title)s” to %(outlet)s will be tried again now.")
            % {
                "title": delivery.title,
                "outlet": delivery.outlet.name,
            },
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("outlet_deliveries:index")
    return HttpResponseRedirect(target)
