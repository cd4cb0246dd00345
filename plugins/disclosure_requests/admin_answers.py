"""Admin of answers (答复书) and their letter templates: answers are Wagtail snippets with the portal's answer
chain as their workflow, so reviewers approve them in Wagtail's workflow UI; templates are editable snippets;
the letter downloads as DOCX.

Who may open an answer: whoever may see its request (`permissions.py`) and the approvers of its current review
step (the leader, the secrecy and legal offices, the proof-reader). Nobody publishes an answer by hand: the
chain's last approval does.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.review.snippets import (
    ReviewedEditView,
    ReviewedItemPolicy,
    ReviewedSnippetViewSet,
    is_step_approver,
)
from cms.sanitize import clean_plain

from . import transitions
from .choices import AnswerType, State, validate_reason
from .letters import LetterError, check_template, render_letter
from .models import Answer, LetterTemplate
from .permissions import can_act, can_see, can_see_any, visible_requests

#: Request states in which the handling department may edit the answer draft.
DRAFT_STATES = frozenset({State.RECEIVED, State.CHECKING, State.ASSIGNED, State.DRAFTING})
#: Plain-text fields of the answer (tags stripped on save).
ANSWER_TEXT_FIELDS = ("body", "already_public_at", "right_organ", "public_summary")


class AnswerPermissionPolicy(ReviewedItemPolicy):
    """Answers follow their request's visibility; the handling department edits drafts, the approvers of the
    current step decide (and may edit) while it is their turn; only the chain publishes."""

    def may_use(self, user: Any) -> bool:
        """Users who see some requests."""
        return can_see_any(user)

    def may_see(self, user: Any, obj: Answer) -> bool:
        """Whoever may see the answer's request."""
        return can_see(user, obj.request)

    def may_edit_draft(self, user: Any, obj: Answer) -> bool:
        """The request's handlers, while the answer is being drafted."""
        return obj.request.state in DRAFT_STATES and can_act(user, obj.request)

    def visible(self, user: Any):
        """The answers of the requests the user may see."""
        return Answer.objects.filter(request__in=visible_requests(user)).values("pk")


class AnswerForm(WagtailAdminModelForm):
    """The answer draft: text fields as plain text, a reason that fits the type, the competent organ for
    "not held", and a letter template of the answer's type from its portal or a global one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "template" in self.fields and self.instance.request_id:
            portal = self.instance.request.portal
            self.fields["template"].queryset = LetterTemplate.objects.filter(
                Q(portal=portal) | Q(portal__isnull=True), active=True
            )

    def clean(self) -> dict[str, Any]:
        """Apply the rules of `transitions.check_answer` to what the editor typed."""
        data = super().clean()
        for name in ANSWER_TEXT_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = clean_plain(data[name]).strip()
        answer_type = data.get("answer_type")
        if answer_type:
            problem = validate_reason(answer_type, data.get("reason") or "")
            if problem:
                self.add_error("reason", problem)
            elif answer_type == AnswerType.UNABLE and data.get("reason") == "not_held" and not data.get("right_organ"):
                self.add_error(
                    "right_organ",
                    _("Name the organ that holds the information, or write that it cannot be determined."),
                )
            template = data.get("template")
            if template is not None and template.answer_type != answer_type:
                self.add_error("template", _("Choose a template of the answer's type."))
        return data


class LetterTemplateForm(WagtailAdminModelForm):
    """A letter template whose text compiles and uses only the allowed tags."""

    def clean_body(self) -> str:
        """The template text, refused when it does not compile or uses a forbidden tag."""
        body = self.cleaned_data.get("body") or ""
        problem = check_template(body)
        if problem:
            raise forms.ValidationError(
                _("The letter text is not a usable template: %(problem)s"), params={"problem": problem}
            )
        return body

    def clean(self) -> dict[str, Any]:
        """Plain-text name and heading; a reason that belongs to the answer type."""
        data = super().clean()
        for name in ("name", "title"):
            if isinstance(data.get(name), str):
                data[name] = clean_plain(data[name]).strip()
        answer_type, reason = data.get("answer_type"), data.get("reason") or ""
        if answer_type and reason:
            problem = validate_reason(answer_type, reason)
            if problem:
                self.add_error("reason", problem)
        return data


class AnswerEditView(ReviewedEditView):
    """The answer's edit view. Submitting goes through `transitions.submit_answer`, so the request moves to
    `approving` with the answer (and an incomplete answer is refused with a message)."""

    def submit_item(self, obj: Answer, user: Any) -> None:
        """Start (or resume) the portal's answer chain."""
        transitions.submit_answer(obj.request, user)


class AnswerViewSet(ReviewedSnippetViewSet):
    """Answers: listing of those the user may see; the edit view carries the workflow actions."""

    model = Answer
    policy = AnswerPermissionPolicy(Answer)
    edit_view_class = AnswerEditView
    icon = "doc-full"
    menu_label = _("Answers")
    add_to_admin_menu = False
    list_display = ["__str__", "answer_type", "live", "updated_at"]
    list_filter = ["answer_type", "live"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel([FieldPanel("answer_type"), FieldPanel("reason")], heading=_("Answer type")),
            FieldPanel("body"),
            FieldPanel("already_public_at"),
            FieldPanel("right_organ"),
            FieldPanel("public_summary"),
            MultiFieldPanel(
                [FieldPanel("needs_secrecy_review"), FieldPanel("needs_legal_review")], heading=_("Review")
            ),
            FieldPanel("template"),
        ],
        base_form_class=AnswerForm,
    )


class LetterTemplateViewSet(SnippetViewSet):
    """Editable letter templates (答复书模板)."""

    model = LetterTemplate
    icon = "doc-empty"
    menu_label = _("Letter templates")
    add_to_admin_menu = False
    list_display = ["name", "answer_type", "reason", "portal", "active"]
    list_filter = ["answer_type", "active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            MultiFieldPanel([FieldPanel("portal"), FieldPanel("answer_type"), FieldPanel("reason")], heading=_("Use")),
            FieldPanel("title"),
            FieldPanel("body"),
            FieldPanel("active"),
        ],
        base_form_class=LetterTemplateForm,
    )


ANSWER_POLICY = AnswerViewSet.policy
register_permission_policy(Answer, ANSWER_POLICY)
register_snippet(AnswerViewSet)
register_snippet(LetterTemplateViewSet)


def download_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer letter as DOCX, for staff who may see the request."""
    answer = get_object_or_404(Answer.objects.select_related("request__portal", "template"), pk=pk)
    if not (can_see(request.user, answer.request) or is_step_approver(request.user, answer)):
        return HttpResponseForbidden(_("You may not see this request."), content_type="text/plain; charset=utf-8")
    try:
        body = render_letter(answer)
    except LetterError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("wagtailsnippets_disclosure_requests_answer:edit", args=[answer.pk]))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"answer-{answer.request.year}-{answer.request.serial:04d}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@hooks.register("register_admin_urls")
def register_letter_url() -> list:
    """/admin/disclosure-requests/letters/<answer id>/."""
    return [path("disclosure-requests/letters/<int:pk>/", download_letter, name="disclosure_requests_letter")]


class AnswersMenuItem(MenuItem):
    """Shown to users who may see requests."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the user may see requests."""
        return can_see_any(request.user)


class TemplatesMenuItem(MenuItem):
    """Shown to users who may change letter templates."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True for holders of the template permission."""
        return request.user.has_perm("disclosure_requests.change_lettertemplate")


@hooks.register("register_disclosure_requests_menu_item")
def answers_menu_item() -> MenuItem:
    """依申请公开 › Answers."""
    return AnswersMenuItem(
        _("Answers"), reverse("wagtailsnippets_disclosure_requests_answer:list"), icon_name="doc-full", order=200
    )


@hooks.register("register_disclosure_requests_menu_item")
def templates_menu_item() -> MenuItem:
    """依申请公开 › Letter templates."""
    return TemplatesMenuItem(
        _("Letter templates"),
        reverse("wagtailsnippets_disclosure_requests_lettertemplate:list"),
        icon_name="doc-empty",
        order=210,
    )
