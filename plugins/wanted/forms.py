"""The page editor's form of a notice: the name of the person sought is required while the notice is open (the
model field may be empty, for the minimal record a closed notice becomes)."""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm


class WantedNoticeForm(WagtailAdminPageForm):
    """The notice's admin form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Mark the name required."""
        super().__init__(*args, **kwargs)
        if "subject_name" in self.fields:
            self.fields["subject_name"].required = True
