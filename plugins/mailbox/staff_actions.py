"""The staff's actions on a letter: one Django form and one call of `transitions` per action, the states in
which it is offered and who may take it (`available_actions`; `cms.actions` runs them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cms import actions

from . import transitions
from .choices import OPEN_STATES, CloseReason, Complexity, State
from .models import Letter, LetterKind, ReplyTemplate
from .permissions import handles, is_with_department_of, may_publish, reviews_reply

TEXT = 5000


class ActionForm(actions.ActionForm):
    """A form of one action on one letter (`letter`); subclasses add their fields."""

    @property
    def letter(self) -> Letter:
        """The letter."""
        return self.obj


_on = actions.date_field


def _text(label: Any, required: bool = True, max_length: int = TEXT, rows: int = 3) -> forms.CharField:
    return actions.text_field(label, required, max_length, rows)


class TriageForm(ActionForm):
    """Kind and complexity."""

    kind = forms.ModelChoiceField(label=_("Kind"), queryset=None, to_field_name="key")
    complexity = forms.ChoiceField(label=_("Complexity"), choices=Complexity.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = LetterKind.objects.filter(boxes=self.letter.box)
        if not self.is_bound:
            self.fields["kind"].initial = self.letter.kind.key
            self.fields["complexity"].initial = self.letter.complexity


class RouteForm(ActionForm):
    """Transfer to a department (转办)."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=None, to_field_name="code")
    note = _text(_("Transfer note"), required=False)
    on = _on()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = self.letter.portal.departments.order_by("sort_order", "name")


class AnswerForm(ActionForm):
    """The department's answer."""

    text = _text(_("Answer"), rows=5)
    on = _on()


class DraftReplyForm(ActionForm):
    """The reply draft, optionally from a quick reply."""

    extra_template = "mailbox/admin/_quick_replies.html"

    body = _text(_("Reply"), rows=8)
    needs_legal_review = forms.BooleanField(label=_("Needs legal review"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reply = getattr(self.letter, "reply", None) if self.letter.pk else None
        if not self.is_bound:
            if reply is not None:
                self.fields["body"].initial = reply.body
                self.fields["needs_legal_review"].initial = reply.needs_legal_review
            elif self.letter.department_answer:
                self.fields["body"].initial = self.letter.department_answer
        self.quick_replies = list(ReplyTemplate.objects.filter(box=self.letter.box, active=True))


class NoFieldsForm(ActionForm):
    """An action without fields."""


class ReviewForm(ActionForm):
    """Decide the reply's current review step."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Request changes"))]
    )
    comment = _text(_("Opinion"), required=False, max_length=2000)


class ExtendForm(ActionForm):
    """Extend the reply limit (with a leader's consent)."""

    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=60)
    reason = _text(_("Reason for the extension (the writer reads it)"))


class CloseForm(ActionForm):
    """Close without a reply."""

    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)
    note = _text(_("Note to the writer"), required=False, max_length=1000)
    on = _on()


class MasksForm(ActionForm):
    """What to mask besides what the server finds, and what it found that is not personal data."""

    add = _text(
        _("Also mask (one term a line)"),
        required=False,
        max_length=3000,
        rows=3,
    )
    keep = _text(_("Do not mask (one term a line)"), required=False, max_length=3000, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["add"].initial = "\n".join(self.letter.mask_add or [])
            self.fields["keep"].initial = "\n".join(self.letter.mask_keep or [])
        self.fields["add"].help_text = _("E.g. a name the server did not recognise. Recorded in the history.")
        self.fields["keep"].help_text = _("E.g. a public figure or a place taken for a name. Recorded in the history.")

    def clean(self) -> dict[str, Any]:
        """Terms, one a line, at most 64 characters each."""
        data = super().clean()
        for name in ("add", "keep"):
            terms = [t.strip() for t in (data.get(name) or "").splitlines() if t.strip()]
            if any(len(t) > 64 for t in terms):
                self.add_error(name, _("A term may have at most 64 characters."))
            data[name] = terms
        return data


OFFICE, DEPARTMENT, HANDLERS, LEADER, REVIEWER, PUBLISHER = (
    "office",
    "department",
    "handlers",
    "leader",
    "reviewer",
    "publisher",
)


Action = actions.Action
_date = actions.date_of


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "triage",
            _("Triage: kind and complexity"),
            TriageForm,
            frozenset({State.RECEIVED, State.TRIAGED, State.ROUTED, State.ANSWERED}),
            OFFICE,
            lambda ltr, u, d: transitions.triage(ltr, u, d["complexity"], kind=d["kind"]),
        ),
        Action(
            "route",
            _("Route to a department"),
            RouteForm,
            frozenset(transitions.ROUTE_STATES),
            OFFICE,
            lambda ltr, u, d: transitions.route(ltr, u, d["department"], d.get("note", ""), on=_date(d)),
        ),
        Action(
            "answer",
            _("Record the department's answer"),
            AnswerForm,
            frozenset({State.ROUTED}),
            DEPARTMENT,
            lambda ltr, u, d: transitions.answer_routing(ltr, u, d["text"], on=_date(d)),
        ),
        Action(
            "draft_reply",
            _("Draft the reply"),
            DraftReplyForm,
            frozenset(transitions.DRAFT_STATES),
            HANDLERS,
            lambda ltr, u, d: transitions.draft_reply(ltr, u, d["body"], d.get("needs_legal_review", False)),
        ),
        Action(
            "submit_reply",
            _("Submit the reply for approval"),
            NoFieldsForm,
            frozenset({State.DRAFTING}),
            HANDLERS,
            lambda ltr, u, d: transitions.submit_reply(ltr, u),
        ),
        Action(
            "review_reply",
            _("Decide the reply's review step"),
            ReviewForm,
            frozenset({State.APPROVING}),
            REVIEWER,
            lambda ltr, u, d: transitions.review_reply(ltr, u, d["decision"], d.get("comment", "")),
        ),
        Action(
            "extend",
            _("Extend the reply limit"),
            ExtendForm,
            OPEN_STATES,
            LEADER,
            lambda ltr, u, d: transitions.extend(ltr, u, d["days"], d["reason"]),
        ),
        Action(
            "close",
            _("Close without a reply"),
            CloseForm,
            OPEN_STATES,
            OFFICE,
            lambda ltr, u, d: transitions.close_without_reply(ltr, u, d["reason"], d.get("note", ""), on=_date(d)),
            danger=True,
        ),
        Action(
            "edit_masks",
            _("Edit the masks"),
            MasksForm,
            frozenset({State.ANSWERED, State.DRAFTING, State.APPROVING, State.REPLIED}),
            PUBLISHER,
            lambda ltr, u, d: transitions.edit_masks(ltr, u, d["add"], d["keep"]),
        ),
        Action(
            "publish",
            _("Publish (masked)"),
            NoFieldsForm,
            frozenset({State.REPLIED}),
            PUBLISHER,
            lambda ltr, u, d: transitions.publish(ltr, u),
            available=lambda ltr: ltr.published_at is None and ltr.public_allowed,
        ),
        Action(
            "unpublish",
            _("Stop showing publicly"),
            NoFieldsForm,
            frozenset({State.REPLIED}),
            PUBLISHER,
            lambda ltr, u, d: transitions.unpublish(ltr, u),
            danger=True,
            available=lambda ltr: ltr.published_at is not None,
        ),
    ]
}


def may_take(action: Action, letter: Letter, user: Any) -> bool:
    """True when `user` may take `action` on `letter` (whatever its state)."""
    if action.who == REVIEWER:
        return reviews_reply(user, letter)
    if action.who == LEADER:
        return transitions.may_approve_extension(letter, user)
    if action.who == PUBLISHER:
        return may_publish(user, letter)
    if action.who == DEPARTMENT:
        return is_with_department_of(user, letter)
    if action.who == HANDLERS:
        return handles(user, letter) or is_with_department_of(user, letter)
    return handles(user, letter)


def available_actions(letter: Letter, user: Any) -> list[Action]:
    """The actions `user` may take on `letter` now, in workflow order."""
    return actions.available(ACTIONS, letter, user, may_take)
