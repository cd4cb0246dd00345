"""Write every review decision and every publication into the review ledger."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.models import Page, WorkflowMixin
from wagtail.signals import page_published, published, task_approved, task_rejected

from .models import Decision, ReviewLedgerEntry


def _record_task(task_state, user, decision: str) -> None:
    revision = task_state.revision
    obj = revision.as_object() if revision else task_state.workflow_state.content_object
    ReviewLedgerEntry.record(
        obj,
        decision,
        user=user,
        revision=revision,
        task=task_state.task.specific,
        opinion=task_state.get_comment(),
        decided_at=task_state.finished_at,  # Wagtail sends the signals out of order; the ledger is chronological
    )


@receiver(task_approved)
def ledger_task_approved(sender, instance, user=None, **kwargs):
    """A review step was approved."""
    _record_task(instance, user, Decision.APPROVED)


@receiver(task_rejected)
def ledger_task_rejected(sender, instance, user=None, **kwargs):
    """A review step asked for changes."""
    _record_task(instance, user, Decision.REJECTED)


@receiver(page_published)
def ledger_published(sender, instance, revision=None, **kwargs):
    """An item went live (by hand, by workflow, by schedule)."""
    from .gate import bypass_reason

    user = getattr(revision, "user", None) if revision else None
    reason = bypass_reason()
    opinion = f"未经审核流程发布：{reason}" if reason else ""
    ReviewLedgerEntry.record(instance, Decision.PUBLISHED, user=user, revision=revision, opinion=opinion)


@receiver(published)
def ledger_item_published(sender, instance, revision=None, **kwargs):
    """Another reviewed item (a snippet with a workflow, e.g. a disclosure answer) went live."""
    if isinstance(instance, Page) or not isinstance(instance, WorkflowMixin):
        return
    user = getattr(revision, "user", None) if revision else None
    ReviewLedgerEntry.record(instance, Decision.PUBLISHED, user=user, revision=revision)
