"""The staff's actions on a request, shared by the admin and the staff API: one Django form and one call of
`transitions` per action, the states in which it is offered and who may take it.

`available_actions(req, user)` lists what a user may do now; `run_action(name, req, user, data)` validates
the data with the action's form and runs the transition (raising `transitions.TransitionError` or returning
the form with its errors).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cms import actions

from . import transitions
from .choices import (
    CLOSED_STATES,
    AnswerType,
    ConsultationParty,
    RemedyKind,
    RemedyOutcome,
    State,
    reason_choices,
)
from .models import DisclosureRequest
from .permissions import can_act, is_handler, reviews_answer

OPEN_STATES = frozenset(s for s in State if s not in CLOSED_STATES)
TEXT = 2000
SHORT = 255


class ActionForm(actions.ActionForm):
    """A form of one action on one request (`req`); subclasses add their fields."""

    @property
    def req(self) -> DisclosureRequest:
        """The request."""
        return self.obj


def _on(label: Any = None) -> forms.DateField:
    return actions.date_field(label)


def _text(label: Any, required: bool = True, max_length: int = TEXT) -> forms.CharField:
    return actions.text_field(label, required, max_length)


class NoFieldsForm(ActionForm):
    """An action without fields."""


class DateForm(ActionForm):
    """An action with only its date."""

    on = _on()


class CorrectionRequestForm(ActionForm):
    """Ask the applicant to correct the request."""

    note = _text(_("What the applicant must correct"))
    on = _on()


class CorrectionForm(ActionForm):
    """The corrected request arrived."""

    text = _text(_("Corrected description"))
    on = _on(_("Corrected request received on"))


class AssignForm(ActionForm):
    """Transfer to a department with a transfer slip."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=None, to_field_name="code")
    note = _text(_("Transfer slip (转办单) note"), required=False)
    on = _on()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = self.req.portal.departments.order_by("sort_order", "name")


class StartConsultationForm(ActionForm):
    """Consult a third party or co-producing organ."""

    party = forms.ChoiceField(label=_("Party"), choices=ConsultationParty.choices)
    party_name = forms.CharField(label=_("Consulted party"), max_length=128)
    on = _on(_("Sent on"))


class EndConsultationForm(ActionForm):
    """Record a consulted party's answer."""

    consultation = forms.ModelChoiceField(label=_("Consultation"), queryset=None)
    opinion = _text(_("Opinion"), required=False)
    consents = forms.NullBooleanField(
        label=_("Agrees to disclosure"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("No answer")), ("true", _("Yes")), ("false", _("No"))]),
    )
    on = _on(_("Answered on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = self.req.consultations.filter(answered_on__isnull=True)


class FeeForm(ActionForm):
    """Send the fee notice."""

    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=10, decimal_places=2)
    basis = forms.CharField(label=_("Fee basis"), max_length=SHORT, required=False)
    on = _on()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Prefill the fee the 2021 rules allow by count (按件计收) for this applicant's month."""
        super().__init__(*args, **kwargs)
        from .fees import suggested_fee

        if self.req.pk and self.req.id_number:
            fee = suggested_fee(self.req)
            self.fields["amount"].initial = fee.amount
            self.fields["basis"].initial = fee.basis
            self.fields["basis"].help_text = _(
                "Suggested by the 2021 fee rules (by count); by volume: 1-30 pages free, 31-100 10 yuan a page, "
                "101-200 20 yuan, from 201 40 yuan."
            )


class ExtendForm(ActionForm):
    """Extend the answer limit."""

    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=60)
    reason = _text(_("Reason for the extension"))


class DraftAnswerForm(ActionForm):
    """Create or update the answer draft."""

    answer_type = forms.ChoiceField(label=_("Answer type"), choices=AnswerType.choices)
    reason = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", "—"), *reason_choices()],
        help_text=_("Only for answer types that need one."),
    )
    body = _text(_("Answer text"), max_length=20000)
    already_public_at = forms.CharField(label=_("Where it is already public"), max_length=SHORT, required=False)
    right_organ = forms.CharField(label=_("The competent organ"), max_length=SHORT, required=False)
    public_summary = _text(_("Public summary"), required=False)
    needs_secrecy_review = forms.BooleanField(label=_("Needs secrecy review"), required=False)
    needs_legal_review = forms.BooleanField(label=_("Needs legal review"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answer = getattr(self.req, "answer", None) if self.req.pk else None
        if answer is not None and not self.is_bound:
            for name in self.fields:
                self.fields[name].initial = getattr(answer, name)


class WithdrawForm(ActionForm):
    """The applicant withdrew the request."""

    note = forms.CharField(label=_("Note"), max_length=SHORT, required=False)
    on = _on()


class RemedyForm(ActionForm):
    """Record a reconsideration or lawsuit."""

    kind = forms.ChoiceField(label=_("Kind"), choices=RemedyKind.choices)
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))
    authority = forms.CharField(label=_("Reconsideration organ or court"), max_length=128, required=False)
    note = _text(_("Note"), required=False)


class DecideRemedyForm(ActionForm):
    """Record the outcome of a reconsideration or lawsuit."""

    remedy = forms.ModelChoiceField(label=_("Reconsideration or lawsuit"), queryset=None)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RemedyOutcome.choices)
    decided_on = _on(_("Decided on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remedy"].queryset = self.req.remedies.all()


class ReviewAnswerForm(ActionForm):
    """Decide the answer's current review step."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Request changes"))]
    )
    comment = forms.CharField(label=_("Opinion"), max_length=TEXT, required=False, widget=forms.Textarea)


#: Who may take an action: the office (handlers), or also the request's department.
OFFICE, DEPARTMENT, EXTENSION, REVIEWER = "office", "department", "extension", "reviewer"


Action = actions.Action
_date = actions.date_of


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "start_check",
            _("Start the first check"),
            NoFieldsForm,
            frozenset({State.RECEIVED}),
            OFFICE,
            lambda r, u, d: transitions.start_check(r, u),
        ),
        Action(
            "request_correction",
            _("Request a correction"),
            CorrectionRequestForm,
            frozenset({State.RECEIVED, State.CHECKING}),
            OFFICE,
            lambda r, u, d: transitions.request_correction(r, u, d["note"], on=_date(d)),
            available=lambda r: r.correction_requested_on is None,
        ),
        Action(
            "record_correction",
            _("Record the correction"),
            CorrectionForm,
            frozenset({State.CORRECTION}),
            OFFICE,
            lambda r, u, d: transitions.record_correction(r, u, d["text"], on=_date(d)),
        ),
        Action(
            "assign",
            _("Assign to a department"),
            AssignForm,
            frozenset({State.RECEIVED, State.CHECKING, State.ASSIGNED, State.DRAFTING}),
            OFFICE,
            lambda r, u, d: transitions.assign(r, u, d["department"], note=d.get("note", ""), on=_date(d)),
        ),
        Action(
            "start_consultation",
            _("Consult a third party"),
            StartConsultationForm,
            frozenset({State.ASSIGNED, State.CONSULTING, State.DRAFTING}),
            DEPARTMENT,
            lambda r, u, d: transitions.start_consultation(r, u, d["party"], d["party_name"], on=_date(d)),
        ),
        Action(
            "end_consultation",
            _("Record a consultation's answer"),
            EndConsultationForm,
            frozenset({State.CONSULTING}),
            DEPARTMENT,
            lambda r, u, d: transitions.end_consultation(
                d["consultation"], u, on=_date(d), opinion=d.get("opinion", ""), consents=d.get("consents")
            ),
        ),
        Action(
            "notify_fee",
            _("Send a fee notice"),
            FeeForm,
            frozenset({State.ASSIGNED, State.DRAFTING}),
            DEPARTMENT,
            lambda r, u, d: transitions.notify_fee(r, u, d["amount"], d.get("basis", ""), on=_date(d)),
        ),
        Action(
            "record_fee_paid",
            _("Record the fee as paid"),
            DateForm,
            frozenset({State.AWAITING_FEE}),
            DEPARTMENT,
            lambda r, u, d: transitions.record_fee_paid(r, u, on=_date(d)),
        ),
        Action(
            "waive_fee",
            _("Waive the fee"),
            DateForm,
            frozenset({State.AWAITING_FEE}),
            DEPARTMENT,
            lambda r, u, d: transitions.waive_fee(r, u, on=_date(d)),
        ),
        Action(
            "close_fee_unpaid",
            _("Close: fee not paid in time"),
            DateForm,
            frozenset({State.AWAITING_FEE}),
            OFFICE,
            lambda r, u, d: transitions.close_fee_unpaid(r, u, on=_date(d)),
            danger=True,
        ),
        Action(
            "extend",
            _("Extend the answer limit"),
            ExtendForm,
            OPEN_STATES,
            EXTENSION,
            lambda r, u, d: transitions.extend(r, u, d["days"], d["reason"]),
        ),
        Action(
            "draft_answer",
            _("Draft the answer"),
            DraftAnswerForm,
            frozenset({State.RECEIVED, State.CHECKING, State.ASSIGNED, State.DRAFTING}),
            DEPARTMENT,
            lambda r, u, d: transitions.draft_answer(r, u, **{**d, "reason": d.get("reason") or ""}),
        ),
        Action(
            "submit_answer",
            _("Submit the answer for approval"),
            NoFieldsForm,
            frozenset({State.DRAFTING}),
            DEPARTMENT,
            lambda r, u, d: transitions.submit_answer(r, u),
        ),
        Action(
            "review_answer",
            _("Decide the answer's review step"),
            ReviewAnswerForm,
            frozenset({State.APPROVING}),
            REVIEWER,
            lambda r, u, d: transitions.review_answer(r, u, d["decision"], d.get("comment", "")),
        ),
        Action(
            "send_answer",
            _("Record the answer as sent"),
            DateForm,
            frozenset({State.APPROVED}),
            OFFICE,
            lambda r, u, d: transitions.send_answer(r, u, on=_date(d)),
        ),
        Action(
            "withdraw",
            _("Record a withdrawal"),
            WithdrawForm,
            OPEN_STATES,
            OFFICE,
            lambda r, u, d: transitions.withdraw(r, u, note=d.get("note", ""), on=_date(d)),
            danger=True,
        ),
        Action(
            "abandon_uncorrected",
            _("Close: not corrected in time"),
            DateForm,
            frozenset({State.CORRECTION}),
            OFFICE,
            lambda r, u, d: transitions.abandon_uncorrected(r, u, on=_date(d)),
            danger=True,
        ),
        Action(
            "record_remedy",
            _("Record a reconsideration or lawsuit"),
            RemedyForm,
            CLOSED_STATES,
            OFFICE,
            lambda r, u, d: transitions.record_remedy(
                r, u, d["kind"], d["filed_on"], authority=d.get("authority", ""), note=d.get("note", "")
            ),
        ),
        Action(
            "decide_remedy",
            _("Record the outcome of a reconsideration or lawsuit"),
            DecideRemedyForm,
            CLOSED_STATES,
            OFFICE,
            lambda r, u, d: transitions.decide_remedy(d["remedy"], u, d["outcome"], decided_on=_date(d, "decided_on")),
            available=lambda r: r.remedies.exists(),
        ),
    ]
}


def may_take(action: Action, req: DisclosureRequest, user: Any) -> bool:
    """True when `user` may take `action` on `req` (whatever its state)."""
    if action.who == REVIEWER:
        return reviews_answer(user, req)
    if not can_act(user, req):
        return False
    if action.who == EXTENSION:
        return transitions.may_approve_extension(req, user)
    if action.who == OFFICE:
        return is_handler(user, req.portal_id)
    return True


def offered(action: Action, req: DisclosureRequest) -> bool:
    """True when the request's state offers `action`."""
    return actions.offered(action, req)


def available_actions(req: DisclosureRequest, user: Any) -> list[Action]:
    """The actions `user` may take on `req` in its current state, in workflow order."""
    return actions.available(ACTIONS, req, user, may_take)


def run_action(action: Action, req: DisclosureRequest, user: Any, data: Any) -> tuple[ActionForm, Any]:
    """Validate `data` with the action's form and run the transition when valid.

    Returns (form, result); result is None when the form has errors. Raises `transitions.TransitionError`
    when the transition refuses.
    """
    return actions.run(action, req, user, data)
