"""The reply chain moves the letter: the last approval (the reply goes live) makes it `replied`; a request for
changes or a cancelled chain sends it back to `drafting`. Connected in `apps.py` (ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from wagtail.signals import published, workflow_cancelled, workflow_rejected

from . import transitions
from .models import Reply


@receiver(published)
def reply_published(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    """The chain's last approval published the reply."""
    if isinstance(instance, Reply):
        transitions.reply_approved(instance, getattr(revision, "user", None))


@receiver(workflow_rejected)
def reply_rejected(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
    """A step requested changes."""
    obj = instance.content_object
    if isinstance(obj, Reply):
        transitions.reply_rejected(obj, user)


@receiver(workflow_cancelled)
def reply_withdrawn_from_review(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
    """The chain was cancelled (in the admin, or by closing the letter): the reply is a draft again."""
    obj = instance.content_object
    if isinstance(obj, Reply):
        transitions.reply_rejected(obj, user)
