"""The completeness panel of the guide editor: which required elements are still missing."""

from __future__ import annotations

from wagtail.admin.panels import Panel

from .completeness import checklist, material_problems


class CompletenessPanel(Panel):
    """Lists the required elements and marks the missing ones (as of the guide shown in the editor)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "online_services/admin/completeness_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            items = checklist(self.instance)
            context["checklist"] = items
            context["missing"] = [label for label, present in items if not present] + material_problems(self.instance)
            context["done"] = sum(1 for _label, present in items if present)
            context["total"] = len(items)
            return context
