"""Admin registrations of the review chain: the ledger report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import ReviewLedgerEntry
from .views import ReviewLedgerView


@hooks.register("register_admin_urls")
def register_ledger_urls():
    """The ledger at /admin/review-ledger/."""
    return [
        path("review-ledger/", ReviewLedgerView.as_view(), name="review_ledger"),
        path("review-ledger/results/", ReviewLedgerView.as_view(results_only=True), name="review_ledger_results"),
    ]


class LedgerMenuItem(MenuItem):
    """Shown to users who may view the ledger."""

    def is_shown(self, request):
        return request.user.has_perm(f"review.view_{ReviewLedgerEntry._meta.model_name}")


@hooks.register("register_reports_menu_item")
def register_ledger_menu_item():
    """Reports › Review ledger."""
    return LedgerMenuItem(_("Review ledger"), reverse("review_ledger"), icon_name="list-ul", order=150)
