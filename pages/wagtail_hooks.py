"""Admin registrations of the page types: the report of documents awaiting publication."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import PendingPublicationView


@hooks.register("register_admin_urls")
def register_pending_publication_urls():
    """The report at /admin/pending-publication/."""
    return [
        path("pending-publication/", PendingPublicationView.as_view(), name="pending_publication"),
        path(
            "pending-publication/results/",
            PendingPublicationView.as_view(results_only=True),
            name="pending_publication_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_pending_publication_menu_item():
    """Reports › Government information awaiting publication."""
    return MenuItem(
        _("Government information awaiting publication"), reverse("pending_publication"), icon_name="time", order=160
    )
