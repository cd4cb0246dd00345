"""The Deliveries view in the Wagtail admin: a read-only ModelViewSet (listing, filters, Retry).

`delivery_viewset` is one of the viewsets of the Outlets menu group (`OUTLET_VIEWSETS` in wagtail_hooks.py)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Delivery
from .views import DeliveryIndexView, retry_view


class DeliveryViewSet(ModelViewSet):
    """Outlet deliveries: read-only listing filtered by state, outlet and action, with a Retry button."""

    model = Delivery
    name = "outlet_deliveries"
    url_prefix = "outlets/deliveries"
    icon = "mail"
    menu_label = _("Deliveries")
    menu_order = 200
    index_view_class = DeliveryIndexView
    list_filter = ["state", "outlet", "action"]
    list_per_page = 50
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        """No add, edit or delete: deliveries are written by the outbox only."""
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        """The listing, its results and the retry action."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("retry/<int:pk>/", retry_view, name="retry"),
        ]

    def register_admin_url_finder(self) -> None:
        """Deliveries have no edit page to find."""

    def register_reference_index(self) -> None:
        """Deliveries are not indexed for usage."""


delivery_viewset = DeliveryViewSet()
