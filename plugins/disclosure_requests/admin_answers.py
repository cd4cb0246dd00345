"""Admin of answers (答复书) and their letter templates: answers are Wagtail snippets with the portal's answer
chain as their workflow, so reviewers approve them in Wagtail's workflow UI; templates are editable snippets;
the letter downloads as DOCX.

Who may open an answer: whoever may see its request (`permissions.py`) and the approvers of its current review
step (the leader, the secrecy and legal offices, the proof-reader). Nobody publishes an answer by hand: the
chain's last approval does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from cms.review.models import in_chain_approval

from .letters import render_letter
from .models import Answer, LetterTemplate
from .permissions import can_act, can_see, can_see_any, visible_requests


def _is_step_approver(user: Any, answer: Answer) -> bool:
    task_state = answer.current_workflow_task_state
    if task_state is None:
        return False
    task = task_state.task.specific
    check = getattr(task, "user_is_approver", None)
    return bool(check and check(answer, user))


class AnswerPermissionPolicy(ModelPermissionPolicy):
    """Answers follow their request's visibility; reviewers of the current step may open it; only the chain
    publishes."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if not (user and user.is_active):
            return False
        if user.is_superuser:
            return True
        if action == "publish":  # only the chain's last approval publishes an answer
            return in_chain_approval()
        if action in ("delete", "add", "unpublish"):
            return False
        return can_see_any(user) or super().user_has_permission(user, action) or _has_review_tasks(user)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Answer) -> bool:
        if not (user and user.is_active):
            return False
        if user.is_superuser:
            return True
        if action in ("publish", "delete", "add", "unpublish"):
            return False
        if action == "view":
            return can_see(user, instance.request) or _is_step_approver(user, instance)
        return can_act(user, instance.request) or _is_step_approver(user, instance)

    def instances_user_has_permission_for(self, user: Any, action: str):
        if user and user.is_active and user.is_superuser:
            return Answer.objects.all()
        return Answer.objects.filter(request__in=visible_requests(user))


def _has_review_tasks(user: Any) -> bool:
    from wagtail.models import Task

    tasks = Task.objects.filter(active=True, task_states__status="in_progress").distinct()
    return any(task.specific.get_task_states_user_can_moderate(user).exists() for task in tasks)


class AnswerEditView(EditView):
    """The answer's edit view, opened only by those who may see its request or review its current step."""

    def get_object(self, queryset: Any = None) -> Answer:
        """The answer, or PermissionDenied for anyone else."""
        answer = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "change", answer):
            raise PermissionDenied
        return answer


class AnswerViewSet(SnippetViewSet):
    """Answers: listing of those the user may see; the edit view carries the workflow actions."""

    model = Answer
    edit_view_class = AnswerEditView
    icon = "doc-full"
    menu_label = _("Answers")
    add_to_admin_menu = False
    list_display = ["__str__", "answer_type", "live", "updated_at"]
    list_filter = ["answer_type", "live"]

    def get_queryset(self, request: HttpRequest):
        """Only the answers of requests the user may see."""
        return AnswerPermissionPolicy(Answer).instances_user_has_permission_for(request.user, "view")


class LetterTemplateViewSet(SnippetViewSet):
    """Editable letter templates (答复书模板)."""

    model = LetterTemplate
    icon = "doc-empty"
    menu_label = _("Letter templates")
    add_to_admin_menu = False
    list_display = ["name", "answer_type", "reason", "portal", "active"]
    list_filter = ["answer_type", "active"]


register_permission_policy(Answer, AnswerPermissionPolicy(Answer))
register_snippet(AnswerViewSet)
register_snippet(LetterTemplateViewSet)


def download_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer letter as DOCX, for staff who may see the request."""
    answer = get_object_or_404(Answer.objects.select_related("request__portal", "template"), pk=pk)
    if not (can_see(request.user, answer.request) or _is_step_approver(request.user, answer)):
        raise PermissionDenied
    try:
        body = render_letter(answer)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
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
