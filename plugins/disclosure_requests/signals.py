"""The answer chain moves the request: the last approval (the answer goes live) makes it `approved`, a request
for changes or a cancelled chain sends it back to `drafting`. Connected in `apps.py` (ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from wagtail.signals import published, workflow_cancelled, workflow_rejected

from . import transitions
from .models import Answer


@receiver(published)
def answer_published(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    """The chain's last step approved the answer."""
    if isinstance(instance, Answer):
        user = revision.user if revision is not None else None
        transitions.answer_approved(instance, user)


@receiver(workflow_rejected)
def answer_rejected(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
    """A step of the chain asked for changes."""
    obj = instance.content_object
    if isinstance(obj, Answer):
        transitions.answer_rejected(obj, user)


@receiver(workflow_cancelled)
def answer_withdrawn_from_review(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
    """The chain was cancelled (in the admin): the answer is a draft again."""
    obj = instance.content_object
    if isinstance(obj, Answer):
        transitions.answer_rejected(obj, user)
