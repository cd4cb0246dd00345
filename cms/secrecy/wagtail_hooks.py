"""Admin registration of the sensitive-term list (a snippet: searchable, filtered by category and state)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SensitiveTerm


class SensitiveTermViewSet(SnippetViewSet):
    """The sensitive terms the secrecy scanner checks every item against before it goes live."""

    model = SensitiveTerm
    icon = "warning"
    menu_label = _("Sensitive terms")
    menu_name = "sensitive-terms"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["term", "category", "active", "created_at"]
    list_filter = ["category", "active"]
    search_fields = ["term", "note"]
    search_backend_name = None  # plain database search: the list is small and not in the search index
    ordering = ["term"]
    panels = [FieldPanel("term"), FieldPanel("category"), FieldPanel("note"), FieldPanel("active")]


register_snippet(SensitiveTermViewSet)
