"""Admin of replies and quick replies: a reply is a Wagtail snippet with the portal's reply chain as its
workflow (`cms.review.snippets`), so reviewers decide in Wagtail's workflow UI; quick replies (快捷回复) are
editable snippets per box."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.review.snippets import ReviewedEditView, ReviewedItemPolicy, ReviewedSnippetViewSet
from cms.sanitize import clean_plain

from . import transitions
from .models import Box, Reply, ReplyTemplate
from .permissions import can_see, can_see_any, handles, is_with_department_of, visible_letters


class ReplyPolicy(ReviewedItemPolicy):
    """Replies follow their letter's visibility; the letter's handlers edit drafts; the current step's approvers
    decide; only the chain publishes."""

    def may_use(self, user: Any) -> bool:
        """Users who see some letters."""
        return can_see_any(user)

    def may_see(self, user: Any, obj: Reply) -> bool:
        """Whoever may see the letter."""
        return can_see(user, obj.letter)

    def may_edit_draft(self, user: Any, obj: Reply) -> bool:
        """The letter's handlers and the department it is with, while the reply is being drafted."""
        letter = obj.letter
        return letter.state in transitions.DRAFT_STATES and (
            handles(user, letter) or is_with_department_of(user, letter)
        )

    def visible(self, user: Any):
        """The replies of the letters the user may see."""
        return Reply.objects.filter(letter__in=visible_letters(user)).values("pk")


class ReplyForm(WagtailAdminModelForm):
    """The reply draft as plain text."""

    def clean_body(self) -> str:
        """Tags stripped."""
        return clean_plain(self.cleaned_data.get("body") or "").strip()


class ReplyEditView(ReviewedEditView):
    """Submitting runs `transitions.submit_reply`, so the letter moves to `approving` with the reply."""

    def submit_item(self, obj: Reply, user: Any) -> None:
        """Start (or resume) the portal's reply chain."""
        transitions.submit_reply(obj.letter, user)


class ReplyViewSet(ReviewedSnippetViewSet):
    """Replies: the ones the user may see; the edit view carries the workflow actions."""

    model = Reply
    policy = ReplyPolicy(Reply)
    edit_view_class = ReplyEditView
    icon = "mail"
    menu_label = _("Replies")
    list_display = ["__str__", "live", "updated_at"]
    list_filter = ["live"]
    edit_handler = ObjectList([FieldPanel("body"), FieldPanel("needs_legal_review")], base_form_class=ReplyForm)


class ReplyTemplateForm(WagtailAdminModelForm):
    """A quick reply: plain text, for one of the user's boxes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is not None and not user.is_superuser and "box" in self.fields:
            self.fields["box"].queryset = _boxes_of(user)

    def clean(self) -> dict[str, Any]:
        """Plain-text title and text."""
        data = super().clean()
        for name in ("title", "body"):
            if isinstance(data.get(name), str):
                data[name] = clean_plain(data[name]).strip()
        return data


class ReplyTemplateViewSet(SnippetViewSet):
    """Quick replies (快捷回复) per box."""

    model = ReplyTemplate
    icon = "doc-empty"
    menu_label = _("Quick replies")
    add_to_admin_menu = False
    list_display = ["title", "box", "active"]
    list_filter = ["box", "active"]
    edit_handler = ObjectList(
        [FieldPanel("box"), FieldPanel("title"), FieldPanel("body"), FieldPanel("active"), FieldPanel("sort_order")],
        base_form_class=ReplyTemplateForm,
    )

    def get_queryset(self, request: HttpRequest):
        """Quick replies of the boxes of the user's departments (all for superusers)."""
        user = request.user
        if user.is_superuser:
            return ReplyTemplate.objects.all()
        return ReplyTemplate.objects.filter(box__in=_boxes_of(user))


def _boxes_of(user: Any):
    """The boxes of the departments whose groups `user` belongs to."""
    from django.db.models import Q

    group_ids = list(user.groups.values_list("pk", flat=True))
    return Box.objects.filter(
        Q(department__admins_group__in=group_ids)
        | Q(department__heads_group__in=group_ids)
        | Q(department__editors_group__in=group_ids)
    ).distinct()


REPLY_POLICY = ReplyViewSet.policy
register_permission_policy(Reply, REPLY_POLICY)
register_snippet(ReplyViewSet)
register_snippet(ReplyTemplateViewSet)


class RepliesMenuItem(MenuItem):
    """Shown to users who may see letters."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True when the user may see letters."""
        return can_see_any(request.user)


class QuickRepliesMenuItem(MenuItem):
    """Shown to users who may change quick replies."""

    def is_shown(self, request: HttpRequest) -> bool:
        """True for holders of the quick-reply permission."""
        return request.user.has_perm("mailbox.change_replytemplate")


@hooks.register("register_mailbox_menu_item")
def replies_menu_item() -> MenuItem:
    """Letters › Replies."""
    return RepliesMenuItem(_("Replies"), reverse("wagtailsnippets_mailbox_reply:list"), icon_name="mail", order=300)


@hooks.register("register_mailbox_menu_item")
def quick_replies_menu_item() -> MenuItem:
    """Letters › Quick replies."""
    return QuickRepliesMenuItem(
        _("Quick replies"), reverse("wagtailsnippets_mailbox_replytemplate:list"), icon_name="doc-empty", order=310
    )
