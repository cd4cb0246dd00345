"""Review chain models: workflow task types whose approvers are resolved from the item, the chain each
content kind uses per portal, secrecy clearances and the review ledger (审核审查台账)."""

from __future__ import annotations

import contextvars
import hashlib
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import Page, Revision, Task, TaskState, Workflow

from cms.models import Department, Portal


class ContentKind(models.TextChoices):
    """Kinds of content, each with its own review chain (SPEC §2)."""

    ROUTINE = "routine", _("routine work information")
    DOCUMENT = "document", _("official document")
    LEADER_ACTIVITY = "leader_activity", _("leader's activity")
    IMPORTANT_MEETING = "important_meeting", _("important meeting")


def portal_of(page: Page) -> Portal | None:
    """The portal whose home page is an ancestor of (or is) `page`."""
    if not page.path or len(page.path) < 2 * Page.steplen:
        return None
    home_path = page.path[: 2 * Page.steplen]
    return Portal.objects.filter(site__root_page__path=home_path).first()


def column_of(page: Page):
    """The nearest column (pages.ColumnPage) above `page`, or None. Another reviewed item (a snippet with a
    workflow, such as a letter's reply) names its column with a `review_column` attribute."""
    from pages.models import ColumnPage

    if not isinstance(page, Page):
        return getattr(page, "review_column", None)
    if page.pk is None and not page.path:
        return None
    return (
        ColumnPage.objects.filter(path__in=[page.path[:i] for i in range(Page.steplen, len(page.path), Page.steplen)])
        .order_by("-depth")
        .first()
    )


def item_department(page: Page) -> Department | None:
    """The department an item belongs to: its author department, else its column's lead department."""
    specific = page.specific if isinstance(page, Page) and type(page) is Page else page
    department = getattr(specific, "author_department", None)
    if department is not None:
        return department
    column = column_of(page)
    if column is not None:
        return column.responsible_departments.order_by("sort_order", "code").first()
    return None


class ReviewTask(Task):
    """A workflow step whose approvers are computed from the item (not a fixed group), so one task serves
    every department. Superusers may always act."""

    class Meta:
        abstract = True

    def approvers(self, obj):
        """Users who may decide this step for `obj`."""
        raise NotImplementedError

    def user_is_approver(self, obj, user) -> bool:
        """True when `user` may approve or reject this step for `obj`."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return self.approvers(obj).filter(pk=user.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self.user_is_approver(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_is_approver(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_is_approver(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self.user_is_approver(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        """Refuse a decision by anyone but the resolved approvers, whatever path it comes by. While an approver
        decides, `in_chain_approval()` is true, so the chain's last approval may publish an item (a snippet)
        whose permission policy lets only the chain publish."""
        obj = task_state.workflow_state.content_object
        if not self.user_is_approver(obj, user):
            raise PermissionDenied(_("You are not an approver of this review step for this item."))
        token = _CHAIN_APPROVAL.set(True)
        try:
            return super().on_action(task_state, user, action_name, **kwargs)
        finally:
            _CHAIN_APPROVAL.reset(token)

    def start(self, workflow_state, user=None):
        """Start the step; pass it at once when the item says this step is not needed for it.

        An item opts in with ``review_step_needed(task) -> bool`` (e.g. an answer flagged for legal review
        only sometimes); the automatic approval carries a comment and lands in the ledger like any other.
        """
        task_state = super().start(workflow_state, user=user)
        obj = task_state.revision.as_object() if task_state.revision_id else workflow_state.content_object
        needed = getattr(obj, "review_step_needed", None)
        if callable(needed) and not needed(self):
            task_state.approve(user=None, update=False, comment=STEP_NOT_NEEDED)
        return task_state

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("workflow_state")
        allowed = [s.pk for s in states if self.user_is_approver(s.workflow_state.content_object, user)]
        return TaskState.objects.filter(pk__in=allowed)


_CHAIN_APPROVAL: contextvars.ContextVar[bool] = contextvars.ContextVar("chain_approval", default=False)


def in_chain_approval() -> bool:
    """True while a resolved approver's decision on a review step is being carried out."""
    return _CHAIN_APPROVAL.get()


#: The comment of a step passed because the item did not need it (``review_step_needed``).
STEP_NOT_NEEDED = "本项无需此环节审核，系统自动通过。"


def _members(group):
    User = get_user_model()
    if group is None:
        return User.objects.none()
    return group.user_set.filter(is_active=True)


class DepartmentHeadTask(ReviewTask):
    """Approval by the head of the item's own department (部门负责人审核)."""

    class Meta:
        verbose_name = _("department head approval")
        verbose_name_plural = _("department head approvals")

    @classmethod
    def get_description(cls):
        return _("The head of the item's department approves it.")

    def approvers(self, obj):
        department = item_department(obj)
        return _members(department.heads_group if department else None)


class LeaderApprovalTask(ReviewTask):
    """Approval by the bureau leader in charge of the item's department (分管局领导审批)."""

    class Meta:
        verbose_name = _("bureau leader approval")
        verbose_name_plural = _("bureau leader approvals")

    @classmethod
    def get_description(cls):
        return _("The bureau leader supervising the item's department approves it.")

    def approvers(self, obj):
        User = get_user_model()
        department = item_department(obj)
        if department is not None and department.supervisor_id:
            return User.objects.filter(pk=department.supervisor_id, is_active=True)
        portal = department.portal if department else portal_of(obj)
        leaders = Department.objects.filter(portal=portal, kind="leadership")
        return User.objects.filter(groups__in=[d.heads_group_id for d in leaders], is_active=True).distinct()


class DepartmentReviewTask(ReviewTask):
    """A review done by the heads of one named department (secrecy office, legal affairs)."""

    department = models.ForeignKey(
        Department, verbose_name=_("reviewing department"), on_delete=models.PROTECT, related_name="+"
    )
    admin_form_fields = [*Task.admin_form_fields, "department"]

    class Meta:
        abstract = True

    def approvers(self, obj):
        return _members(self.department.heads_group)


class SecrecyReviewTask(DepartmentReviewTask):
    """Secrecy review (保密审查). Approving records a clearance of the findings in the revision under
    review; an approval of content with findings needs a written opinion. With `automatic_when_clean`,
    content in which the scanner finds nothing (or only findings already cleared) passes at once, and
    the ledger records the automatic decision; anything else waits for the secrecy office."""

    automatic_when_clean = models.BooleanField(
        _("pass clean content automatically"),
        default=False,
        help_text=_(
            "Content without classification marks, sensitive terms or personal data passes without a reviewer."
        ),
    )
    admin_form_fields = [*DepartmentReviewTask.admin_form_fields, "automatic_when_clean"]

    class Meta:
        verbose_name = _("secrecy review")
        verbose_name_plural = _("secrecy reviews")

    @classmethod
    def get_description(cls):
        return _("The secrecy office checks classification marks, sensitive terms and personal data.")

    def start(self, workflow_state, user=None):
        """Start the step; pass it at once when automatic and the content is clean or already cleared."""
        task_state = super().start(workflow_state, user=user)
        if task_state.status != TaskState.STATUS_IN_PROGRESS:  # passed: the item did not need this step
            return task_state
        if self.automatic_when_clean and task_state.revision is not None:
            from .gate import findings_for, is_cleared

            obj = task_state.revision.as_object()
            findings = findings_for(obj)
            if not findings or is_cleared(obj, findings):
                comment = (
                    "系统自动保密检查：未发现密级标志、敏感词或个人信息。"
                    if not findings
                    else "系统自动保密检查：发现的内容已经保密审查签发意见。"
                )
                task_state.approve(user=None, update=False, comment=comment)  # Wagtail moves on itself
        return task_state

    def get_actions(self, obj, user):
        """Approving always takes a written opinion (保密审查意见)."""
        if self.user_is_approver(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve with secrecy opinion"), True),
            ]
        return []

    def get_form_for_action(self, action):
        if action == "approve":
            from .forms import SecrecyOpinionForm

            return SecrecyOpinionForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            from .gate import record_clearance

            obj = (
                task_state.revision.as_object() if task_state.revision_id else task_state.workflow_state.content_object
            )
            if not self.user_is_approver(obj, user):
                raise PermissionDenied(_("You are not an approver of this review step for this item."))
            record_clearance(obj, task_state.revision, user, kwargs.get("comment", ""), require_opinion=True)
        return super().on_action(task_state, user, action_name, **kwargs)


class LegalReviewTask(DepartmentReviewTask):
    """Legal review (法制审核) by the legal affairs department."""

    class Meta:
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")

    @classmethod
    def get_description(cls):
        return _("The legal affairs department reviews the item.")


class ProofreadTask(DepartmentReviewTask):
    """Proof-reading by the office (办公室核稿), e.g. of disclosure answers before the leader signs them
    (seed 002 art. 20)."""

    class Meta:
        verbose_name = _("office proof-reading")
        verbose_name_plural = _("office proof-readings")

    @classmethod
    def get_description(cls):
        return _("The office proof-reads the item before the leader signs it.")


class ColumnPublishTask(ReviewTask):
    """Publication by a column administrator of the column's reviewing department, or of its
    responsible departments when it has none (栏目管理员发布). Approving the last step publishes."""

    class Meta:
        verbose_name = _("column administrator publication")
        verbose_name_plural = _("column administrator publications")

    @classmethod
    def get_description(cls):
        return _("A column administrator publishes the item.")

    def approvers(self, obj):
        User = get_user_model()
        column = column_of(obj)
        if column is None:
            return User.objects.none()
        if column.reviewing_department_id:
            departments = [column.reviewing_department]
        else:
            departments = list(column.responsible_departments.all())
        group_ids = [d.admins_group_id for d in departments if d.admins_group_id]
        return User.objects.filter(groups__in=group_ids, is_active=True).distinct()


#: Steps a profile can name in a chain: (task model, Chinese name, extra attributes).
TASK_TYPES = {
    "department_head": (DepartmentHeadTask, "部门负责人审核", {}),
    "leader": (LeaderApprovalTask, "分管局领导审批", {}),
    "secrecy": (SecrecyReviewTask, "保密审查", {"automatic_when_clean": False}),
    "secrecy_check": (SecrecyReviewTask, "保密检查", {"automatic_when_clean": True}),
    "legal": (LegalReviewTask, "法制审核", {}),
    "proofread": (ProofreadTask, "办公室核稿", {}),
    "column_admin": (ColumnPublishTask, "栏目管理员发布", {}),
}
#: Chinese names of the chains' workflows.
CHAIN_NAMES = {
    "routine": "日常信息审核流程",
    "document": "文件审批流程",
    "leader_activity": "领导活动信息审批流程",
    "important_meeting": "重要会议信息审批流程",
}


class PortalTask(models.Model):
    """The task instance a portal uses for one step key (e.g. its 'secrecy' step)."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=32)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "key"], name="one_task_per_key_per_portal")]

    def __str__(self) -> str:
        return f"{self.portal_id}:{self.key}"


class ReviewChain(models.Model):
    """The workflow a portal uses for one content kind (loaded from the profile)."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="chains")
    kind = models.CharField(_("content kind"), max_length=32, choices=ContentKind.choices)
    workflow = models.ForeignKey(Workflow, verbose_name=_("workflow"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("review chain")
        verbose_name_plural = _("review chains")
        constraints = [models.UniqueConstraint(fields=["portal", "kind"], name="one_chain_per_kind_per_portal")]

    def __str__(self) -> str:
        return f"{self.portal} · {self.get_kind_display()}"


def revision_hash(revision: Revision | None) -> str:
    """SHA-256 of a revision's content, so the ledger proves which text was judged."""
    if revision is None:
        return ""
    payload = json.dumps(revision.content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class SecrecyClearance(models.Model):
    """A secrecy reviewer's written clearance of the findings in one version of an item."""

    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="secrecy_clearances")
    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField(_("findings digest"), max_length=64, db_index=True)
    findings = models.JSONField(_("findings"), default=list)
    opinion = models.TextField(_("opinion"))
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cleared by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_at = models.DateTimeField(_("cleared at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("secrecy clearance")
        verbose_name_plural = _("secrecy clearances")
        ordering = ["-cleared_at"]

    def __str__(self) -> str:
        return f"{self.page_id} {self.digest[:8]}"


class Decision(models.TextChoices):
    """What a ledger entry records."""

    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("changes requested")
    CLEARED = "cleared", _("secrecy findings cleared")
    PUBLISHED = "published", _("published")


class ReviewLedgerEntry(models.Model):
    """One decision on one version of one item: who, when, which step, what, why, and the content hash.

    Snapshots (titles, names, ids) keep the entry meaningful after the page, task or user is deleted.
    """

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), null=True, on_delete=models.SET_NULL, related_name="+")
    page = models.ForeignKey(Page, verbose_name=_("item"), null=True, on_delete=models.SET_NULL, related_name="+")
    page_title = models.CharField(_("item title"), max_length=255)
    #: Another reviewed item (a snippet with a workflow, such as a disclosure answer): its type and id.
    item_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("item type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item_id = models.CharField(_("item id"), max_length=64, blank=True, db_index=True)
    column = models.ForeignKey(Page, verbose_name=_("column"), null=True, on_delete=models.SET_NULL, related_name="+")
    column_title = models.CharField(_("column title"), max_length=255, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("review step"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_name = models.CharField(_("review step"), max_length=255, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_name = models.CharField(_("reviewer"), max_length=255, blank=True)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, db_index=True)
    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision_number = models.BigIntegerField(_("revision id"), null=True)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review ledger entry")
        verbose_name_plural = _("review ledger")
        ordering = ["-decided_at", "-pk"]
        permissions = [("export_reviewledgerentry", "Can export the review ledger")]

    def __str__(self) -> str:
        return f"{self.page_title} · {self.get_decision_display()}"

    @classmethod
    def record(
        cls,
        page: Page,
        decision: str,
        user=None,
        revision: Revision | None = None,
        task: Task | None = None,
        opinion: str = "",
        decided_at=None,
    ) -> ReviewLedgerEntry:
        """Write one ledger entry for a decision on `page` (taken at `decided_at`, default now).

        `page` may also be another reviewed item (a snippet with a workflow, such as a disclosure answer): its
        title is its `str()`, its portal its `review_portal` attribute, its department `author_department`, and
        `item_type`/`item_id` point to it (`for_item`).
        """
        from django.contrib.contenttypes.models import ContentType

        is_page = isinstance(page, Page)
        specific = page.specific if type(page) is Page else page
        item_type = None if is_page or specific.pk is None else ContentType.objects.get_for_model(specific)
        column = column_of(page) if is_page else None
        name = ""
        if user is not None:
            name = (user.get_full_name() or user.get_username()) if hasattr(user, "get_username") else str(user)
        return cls.objects.create(
            portal=portal_of(page) if is_page else getattr(specific, "review_portal", None),
            page=page if is_page and page.pk else None,
            page_title=(specific.title if is_page else str(specific))[:255],
            item_type=item_type,
            item_id=str(specific.pk) if item_type else "",
            column=column,
            column_title=column.title if column else "",
            department=item_department(specific),
            task=task,
            task_name=str(task.name if task else "")[:255],
            decision=decision,
            opinion=opinion or "",
            reviewer=user if getattr(user, "pk", None) else None,
            reviewer_name=name[:255],
            revision=revision,
            revision_number=revision.pk if revision else None,
            content_hash=revision_hash(revision),
            decided_at=decided_at or timezone.now(),
        )

    @classmethod
    def for_item(cls, item) -> models.QuerySet:
        """The entries of one item: a page, or another reviewed item (a snippet) by its type and id."""
        from django.contrib.contenttypes.models import ContentType

        if isinstance(item, Page):
            return cls.objects.filter(page_id=item.pk)
        return cls.objects.filter(item_type=ContentType.objects.get_for_model(item), item_id=str(item.pk))
