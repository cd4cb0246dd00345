"""The submission gate: an incomplete service guide cannot be submitted for review, by any path.

Mirrors the publication gate (cms.review.gate): every way of starting a review — the admin's "submit for
moderation" and "resubmit", a future API, `workflow.start(page, user)` in a shell or a script — creates a
`WorkflowState`; a receiver of its `pre_save` checks the guide's latest revision (what the reviewers would
judge) and raises `SubmissionRefused` with the missing elements, so nothing is written. In a request the
core's PublicationBlockedMiddleware turns it into an admin message (or a 409 with the blockers). The admin
editor's form refuses the same submission earlier, keeping what the editor typed (`forms.py`).
"""

from __future__ import annotations

from django.db.models.signals import pre_save
from wagtail.models import WorkflowState

from cms.review.gate import Blocker, ReviewRefused

from .completeness import incompleteness_message, missing_elements


class SubmissionRefused(ReviewRefused):
    """Submitting an item for review was refused; `blockers` says why (in Chinese)."""


def submission_blockers(guide) -> list[Blocker]:
    """What stops `guide` (as it would be reviewed) from being submitted for review."""
    missing = missing_elements(guide)
    if not missing:
        return []
    return [Blocker("incomplete", incompleteness_message(missing, publishing=False))]


def check_submittable(guide) -> None:
    """Raise SubmissionRefused when `guide` may not be submitted for review."""
    blockers = submission_blockers(guide)
    if blockers:
        raise SubmissionRefused(blockers, page_id=guide.pk)


def _guide_under_review(state: WorkflowState):
    """The service guide a new workflow state is about (as its latest revision), or None."""
    from .models import ServiceGuidePage

    if state.pk is not None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return None
    model = state.content_type.model_class() if state.content_type_id else None
    if model is None or not issubclass(model, ServiceGuidePage):
        return None
    page = ServiceGuidePage.objects.filter(pk=state.object_id).first()
    if page is None:
        return None
    revision = page.get_latest_revision()
    return revision.as_object() if revision is not None else page


def refuse_incomplete(sender, instance: WorkflowState, **kwargs) -> None:
    """pre_save of WorkflowState: refuse to start a review of an incomplete guide."""
    if kwargs.get("raw"):
        return
    guide = _guide_under_review(instance)
    if guide is not None:
        check_submittable(guide)


def connect() -> None:
    """Connect the gate (called once from the app config)."""
    pre_save.connect(refuse_incomplete, sender=WorkflowState, dispatch_uid="online-services-submission-gate")
