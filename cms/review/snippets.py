"""Admin of reviewed items that are snippets (a disclosure answer, a letter's reply): Wagtail snippets whose
workflow is the portal's chain for them, so reviewers decide in Wagtail's workflow UI.

A plugin subclasses `ReviewedItemPolicy` (who may see an item, who may edit its draft, who may use the admin
at all, which items a user may list) and `ReviewedSnippetViewSet` (the edit view submits through the plugin's
own transition). What the core adds:

- nobody publishes such an item by hand, superusers included: `publish` is allowed only while a chain
  approver's decision is carried out (`in_chain_approval()`), and the Publish button is removed;
- the approvers of an item's current step may open (and, while it is their turn, edit) it even when they
  could not otherwise see it (a leader, the legal office);
- every Wagtail view of one item (edit, history, revisions, revert, lock, workflow actions, preview) checks that
  user's right on that item: GET needs sight, anything else the right to change it (Wagtail's own snippet
  views check only model permissions).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from .models import in_chain_approval

#: Models whose snippet action menu shows no Publish button.
_NO_PUBLISH_BUTTON: set[type[Model]] = set()


def is_step_approver(user: Any, obj: Any) -> bool:
    """True when `user` decides the current review step of `obj`."""
    task_state = obj.current_workflow_task_state
    if task_state is None:
        return False
    check = getattr(task_state.task.specific, "user_is_approver", None)
    return bool(check and check(obj, user))


def moderated_states(user: Any) -> list:
    """The task states (in progress) whose step `user` decides."""
    from wagtail.models import Task

    if not (user and user.is_active):
        return []
    tasks = Task.objects.filter(active=True, task_states__status="in_progress").distinct()
    return [state for task in tasks for state in task.specific.get_task_states_user_can_moderate(user)]


def reviewed_ids(user: Any, model: type[Model]) -> list[int]:
    """The ids of the `model` items whose current review step `user` decides."""
    content_type = ContentType.objects.get_for_model(model)
    return [
        int(state.workflow_state.object_id)
        for state in moderated_states(user)
        if state.workflow_state.base_content_type_id == content_type.pk
    ]


class ReviewedItemPolicy(ModelPermissionPolicy):
    """Permissions of a reviewed snippet. Subclasses define `may_use`, `may_see`, `may_edit_draft` and
    `visible`; publishing, adding, deleting and unpublishing by hand are refused to everyone."""

    def may_use(self, user: Any) -> bool:
        """True when `user` may use the item's admin at all (e.g. sees some of the plugin's cases)."""
        raise NotImplementedError

    def may_see(self, user: Any, obj: Any) -> bool:
        """True when `user` may see `obj` (besides the approvers of its current step)."""
        raise NotImplementedError

    def may_edit_draft(self, user: Any, obj: Any) -> bool:
        """True when `user` may change `obj` while it is a draft (besides its current step's approvers)."""
        raise NotImplementedError

    def visible(self, user: Any) -> QuerySet:
        """The items `user` may list (besides those whose current step `user` decides)."""
        raise NotImplementedError

    def user_has_permission(self, user: Any, action: str) -> bool:
        if not (user and user.is_active):
            return False
        if action == "publish":  # only the chain's last approval publishes
            return in_chain_approval()
        if user.is_superuser:
            return True
        if action in ("delete", "add", "unpublish"):
            return False
        return self.may_use(user) or super().user_has_permission(user, action) or bool(moderated_states(user))

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if not (user and user.is_active):
            return False
        if action == "publish":
            return in_chain_approval()
        if user.is_superuser:
            return True
        if action in ("delete", "add", "unpublish"):
            return False
        if action == "view":
            return self.may_see(user, instance) or is_step_approver(user, instance)
        return is_step_approver(user, instance) or self.may_edit_draft(user, instance)

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet:
        if user and user.is_active and user.is_superuser:
            return self.model.objects.all()
        return self.model.objects.filter(Q(pk__in=self.visible(user)) | Q(pk__in=reviewed_ids(user, self.model)))


def guarded(view: Callable, model: type[Model], policy: ReviewedItemPolicy) -> Callable:
    """Wrap a snippet view of one item (its `pk` in the URL): GET needs sight of it, any other method the right to
    change it; 404 for an unknown item."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                obj = model.objects.get(pk=int(unquote(str(pk))))
            except (model.DoesNotExist, ValueError) as exc:
                raise Http404 from exc
            action = "view" if request.method in ("GET", "HEAD", "OPTIONS") else "change"
            if not policy.user_has_permission_for_instance(request.user, action, obj):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class ReviewedEditView(EditView):
    """The edit view of a reviewed snippet: submitting runs the plugin's transition (`submit_item`), so the case
    it belongs to moves with it and an incomplete item is refused with a message."""

    def submit_item(self, obj: Any, user: Any) -> None:
        """Start (or resume) the chain of `obj` through the plugin's transition; raise ValidationError to refuse."""
        raise NotImplementedError

    def submit_action(self) -> HttpResponse | None:
        """Start (or resume) the chain."""
        return self._submit()

    def restart_workflow_action(self) -> HttpResponse | None:
        """Cancel the running chain and start it again from its first step."""
        self.workflow_state.cancel(user=self.request.user)
        return self._submit()

    def _submit(self) -> HttpResponse | None:
        try:
            self.submit_item(self.object, self.request.user)
        except ValidationError as exc:
            messages.error(self.request, exc.messages[0] if exc.messages else str(exc))
            return redirect(self.get_edit_url())
        return None


class ReviewedSnippetViewSet(SnippetViewSet):
    """A reviewed snippet's admin: the listing shows what the policy lets the user see, every view of one item is
    guarded, there is no chooser (nothing links to such an item) and no Publish button."""

    add_to_admin_menu = False
    #: The policy instance (also registered as the model's permission policy).
    policy: ReviewedItemPolicy

    def on_register(self) -> None:
        """Remember to hide the model's Publish button."""
        super().on_register()
        _NO_PUBLISH_BUTTON.add(self.model)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        """Only the items the user may see."""
        return self.policy.instances_user_has_permission_for(request.user, "view")

    def register_chooser_viewset(self) -> None:
        """No chooser: it would list every department's items."""

    def get_urlpatterns(self) -> list:
        """Wagtail's snippet URLs, each view of one item guarded by the item's own permissions."""
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = guarded(pattern.callback, self.model, self.policy)
        return patterns


@hooks.register("construct_snippet_action_menu")
def hide_publish_of_reviewed_items(menu_items: list, request: HttpRequest, context: dict) -> None:
    """No "Publish" button on reviewed snippets, not even for superusers: the chain's last approval publishes."""
    if context.get("model") in _NO_PUBLISH_BUTTON:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def follow_chain(
    model: type[Model], approved: Callable[[Any, Any], None], returned: Callable[[Any, Any], None]
) -> None:
    """Let a plugin's case follow its reviewed snippet's chain: `approved(obj, user)` when the last approval
    publishes an item of `model`, `returned(obj, user)` when a step requests changes or the chain is cancelled.
    Call once, from the plugin's `AppConfig.ready`."""
    from wagtail.signals import published, workflow_cancelled, workflow_rejected

    label = model._meta.label_lower

    def on_published(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
        if isinstance(instance, model):
            approved(instance, getattr(revision, "user", None))

    def on_returned(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
        obj = instance.content_object
        if isinstance(obj, model):
            returned(obj, user)

    published.connect(on_published, weak=False, dispatch_uid=f"sunlight-chain-published-{label}")
    workflow_rejected.connect(on_returned, weak=False, dispatch_uid=f"sunlight-chain-rejected-{label}")
    workflow_cancelled.connect(on_returned, weak=False, dispatch_uid=f"sunlight-chain-cancelled-{label}")
