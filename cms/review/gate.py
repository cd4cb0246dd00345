"""The publication gate: what blocks an item from going live, checked on every publish path.

Every path — the admin publish button, the last workflow approval, bulk actions, scheduled publishing,
any API and management commands — ends in the page's own `save()` with a new live revision;
`GatedPublishMixin` checks there, so no path can skip it. Blocks:

- secrecy findings (classification marks, sensitive terms, personal data) in the revision's content that
  no secrecy reviewer has cleared with a written opinion for exactly this set of findings;
- a revision that has not passed the review chain of its content kind;
- a leader's activity whose end time has not yet passed (SPEC §2: published only after it ends);
- what a page type itself forbids (`extra_publication_blockers`, e.g. information marked 不予公开).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState

from cms.secrecy.scanner import findings_digest, scan_object

from .models import ContentKind, Decision, ReviewLedgerEntry, SecrecyClearance, portal_of

logger = logging.getLogger("sunlight.review")

KIND_LABELS = {
    "classification": "密级标志",
    "sensitive_term": "敏感词",
    "id_number": "身份证号码",
    "mobile": "手机号码",
    "landline": "固定电话",
}


@dataclass
class Blocker:
    """One reason an item may not be published."""

    code: str
    message: str
    findings: list = field(default_factory=list)


class ReviewRefused(Exception):
    """A review action or publication was refused; `blockers` says why (messages in Chinese). Not a
    PermissionDenied: the user may act, the content may not go out yet."""

    def __init__(self, blockers: list[Blocker], page_id: int | None = None):
        self.blockers = blockers
        self.page_id = page_id
        super().__init__(" ".join(b.message for b in blockers))


class PublicationBlocked(ReviewRefused):
    """Publishing was refused by the gate."""


def field_label(obj, path: str) -> str:
    """A finding's place for people: the field's verbose name, e.g. 正文 for `body`, 附件[1].title."""
    if not path:
        return ""
    first = path.split(".")[0].split("[")[0]
    try:
        label = str(obj._meta.get_field(first).verbose_name)
    except Exception:  # not a model field (e.g. a related name): show the path as it is
        return path
    return label + path[len(first) :]


def describe_findings(findings, obj=None) -> str:
    """A short Chinese list of findings, e.g. 密级标志“秘密★1年”（正文）."""
    parts = []
    for f in findings[:10]:
        where = f"（{field_label(obj, f.field) if obj is not None else f.field}）" if f.field else ""
        parts.append(f"{KIND_LABELS.get(f.kind, f.kind)}“{f.text}”{where}")
    more = f"等{len(findings)}处" if len(findings) > 10 else ""
    return "、".join(parts) + more


def findings_for(obj) -> list:
    """Secrecy findings in `obj`, not counting its portal's published office numbers."""
    portal = portal_of(obj) if getattr(obj, "path", "") else getattr(obj, "review_portal", None)
    return scan_object(obj, public_numbers=portal.public_numbers if portal else ())


def is_cleared(obj, findings) -> bool:
    """True when a secrecy reviewer cleared exactly this set of findings for this item."""
    if not findings:
        return True
    if obj.pk is None or not isinstance(obj, Page):  # other items keep no clearances: each approval is anew
        return False
    return SecrecyClearance.objects.filter(page_id=obj.pk, digest=findings_digest(findings)).exists()


_chain_bypass: contextvars.ContextVar[str | None] = contextvars.ContextVar("sunlight_chain_bypass", default=None)


@contextlib.contextmanager
def chain_bypass(reason: str):
    """Let code (imports, data migration, demo content) publish without the review chain. Never reachable
    over HTTP; the secrecy and leader-activity checks still apply, and the ledger's publication entry
    carries `reason`."""
    if not reason.strip():
        raise ValueError("a reason is required to publish outside the review chain")
    token = _chain_bypass.set(reason)
    try:
        yield
    finally:
        _chain_bypass.reset(token)


def bypass_reason() -> str | None:
    """The reason of an active chain bypass, or None."""
    return _chain_bypass.get()


def chain_passed(obj, revision) -> bool:
    """True when `obj` needs no chain, or its chain was completed for `revision`: the final step was
    approved on this revision, or after it was created (approving from the edit page saves the edited
    revision first, and the approver approves what the page then shows). The content checks run on the
    revision itself whatever this says."""
    get_workflow = getattr(obj, "get_workflow", None)
    workflow = get_workflow() if get_workflow else None
    if workflow is None or not workflow.active or bypass_reason():
        return True
    if revision is None or obj.pk is None:
        return False
    finished = (
        WorkflowState.objects.for_instance(obj)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .select_related("current_task_state")
    )
    for state in finished:
        last = state.current_task_state
        if last is None:
            continue
        if last.revision_id == revision.pk or (last.finished_at and last.finished_at >= revision.created_at):
            return True
    return False


def blockers_for(obj, now=None, revision=None) -> list[Blocker]:
    """Everything that stops `obj` (a page as it would be published from `revision`) going live now."""
    blockers = []
    if not chain_passed(obj, revision):
        blockers.append(
            Blocker(
                "review_chain",
                _("Publication blocked: this item must pass its review chain (%(workflow)s) first.")
                % {"workflow": obj.get_workflow().name},
            )
        )
    findings = findings_for(obj)
    if findings and not is_cleared(obj, findings):
        blockers.append(
            Blocker(
                "secrecy",
                _("Publication blocked: %(findings)s must be cleared by the secrecy review first.")
                % {"findings": describe_findings(findings, obj)},
                findings,
            )
        )
    extra = getattr(obj, "extra_publication_blockers", None)
    if extra is not None:
        blockers.extend(Blocker(code, str(message)) for code, message in extra())
    if getattr(obj, "content_kind", None) == ContentKind.LEADER_ACTIVITY:
        ends = getattr(obj, "activity_ends_at", None)
        now = now or timezone.now()
        if ends is None:
            blockers.append(
                Blocker("leader_activity", _("Publication blocked: give the end time of the leader's activity."))
            )
        elif ends > now:
            blockers.append(
                Blocker(
                    "leader_activity",
                    _("Publication blocked: a leader's activity is published only after it ends (%(end)s).")
                    % {"end": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")},
                )
            )
    return blockers


def check_publishable(obj, revision=None) -> None:
    """Raise PublicationBlocked when `obj` may not go live now."""
    blockers = blockers_for(obj, revision=revision)
    if blockers:
        raise PublicationBlocked(blockers, page_id=obj.pk)


def record_clearance(obj, revision, user, opinion: str, require_opinion: bool = True) -> SecrecyClearance | None:
    """Clear the findings of `obj` (the revision under review) with a written opinion."""
    findings = findings_for(obj)
    if not findings:
        return None
    opinion = (opinion or "").strip()
    if require_opinion and not opinion:
        message = _("This item has secrecy findings (%(findings)s): approving it needs a written opinion.") % {
            "findings": describe_findings(findings, obj)
        }
        raise ReviewRefused([Blocker("opinion_required", message, findings)], page_id=obj.pk)
    if not isinstance(obj, Page):  # another reviewed item (e.g. an answer): the ledger is its record
        ReviewLedgerEntry.record(obj, Decision.CLEARED, user=user, revision=revision, opinion=opinion)
        return None
    clearance = SecrecyClearance.objects.create(
        page_id=obj.pk,
        revision=revision,
        digest=findings_digest(findings),
        findings=[{"kind": f.kind, "text": f.text, "field": f.field} for f in findings],
        opinion=opinion,
        cleared_by=user,
    )
    ReviewLedgerEntry.record(obj, Decision.CLEARED, user=user, revision=revision, opinion=opinion)
    return clearance


class GatedPublishMixin:
    """Mixed into page types: nothing goes live without passing the gate.

    Wagtail publishes through `PublishRevisionAction`, which the admin's edit view and admin API call
    directly and `Page.publish()` calls too; all of them end in the page's own `save()` with the new live
    revision. So the check sits in `save()`: whenever a save makes the page live or changes its live
    revision, the gate runs first, and `before_going_live()` runs in the same transaction as the write.
    """

    def going_live(self, update_fields=None) -> bool:
        """True when this save would make the page live or put a new revision live."""
        if not self.live:
            return False
        if update_fields is not None and not {"live", "live_revision", "live_revision_id"} & set(update_fields):
            return False
        if self.pk is None:
            return True
        row = type(self).objects.filter(pk=self.pk).values("live", "live_revision_id").first()
        return row is None or not row["live"] or row["live_revision_id"] != self.live_revision_id

    def before_going_live(self) -> None:
        """Hook for page types: runs after the gate, in the transaction that makes the page live."""

    def save(self, *args, **kwargs):
        """Save; if this makes the page (or a new revision of it) live, pass the gate first."""
        if not self.going_live(kwargs.get("update_fields")):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            check_publishable(self, revision=self.live_revision if self.live_revision_id else None)
            self.before_going_live()
            return super().save(*args, **kwargs)

    def publish(self, revision, user=None, **kwargs):
        """Publish `revision` unless the gate blocks it (PublicationBlocked, nothing changes).

        Scheduled publishing (`publish_scheduled`) has nobody to answer: a blocked scheduled revision is
        logged, stays scheduled and is tried again on the next run, and the other items still go out.
        """
        try:
            check_publishable(revision.as_object(), revision=revision)
        except PublicationBlocked as exc:
            if kwargs.get("log_action") == "wagtail.publish.scheduled":
                logger.warning("scheduled publication of page %s held back: %s", self.pk, exc)
                return None
            raise
        # One transaction: the page, its log entry and its outlet deliveries (cms.outlets) commit together,
        # also outside a request (scripts, publish_scheduled), where ATOMIC_REQUESTS does not apply.
        with transaction.atomic():
            return super().publish(revision, user=user, **kwargs)

    def unpublish(self, *args, **kwargs):
        """Unpublish in one transaction with the outlet deliveries it writes."""
        with transaction.atomic():
            return super().unpublish(*args, **kwargs)
