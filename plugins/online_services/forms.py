"""The admin editor's form of a service guide: a submission for review of an incomplete guide is refused as
a form error listing the missing elements, so the editor keeps what was typed (the submission gate in
`submission.py` refuses it again on every other path)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .completeness import incompleteness_message, missing_elements

#: The editor's buttons that start a review (Wagtail's "submit for moderation" and "resubmit").
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


class WithdrawForm(forms.Form):
    """Reason (and optionally the guide replacing it) for withdrawing a guide."""

    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown publicly with the guide, e.g. 依据新修订的《机动车登记规定》，本指南自即日起废止。"),
    )
    replaced_by = forms.IntegerField(
        label=_("Replaced by (page ID)"),
        required=False,
        min_value=1,
        help_text=_("The guide that replaces this one, if any."),
    )


class ServiceGuideForm(WagtailAdminPageForm):
    """Refuses "submit for review" while required elements are missing."""

    def submitting(self) -> bool:
        """True when the editor pressed a button that starts a review."""
        return any(self.data.get(name) for name in SUBMIT_ACTIONS)

    def is_valid(self) -> bool:
        """Valid as a page form and, when submitting, complete."""
        valid = super().is_valid()
        if not valid or not self.submitting():
            return valid
        guide = self.save(commit=False)  # the edited guide with its inline rows, in memory
        missing = missing_elements(guide)
        if missing:
            self.add_error(None, incompleteness_message(missing, publishing=False))
            return False
        return True
