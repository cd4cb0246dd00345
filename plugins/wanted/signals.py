"""Deleting a notice (superusers only; closing is the normal end) removes the person's data around it as closing
does (`lifecycle.forget`): the photos' images and renditions, quotes in the ledger, clearances, comments and
logs, delivery payloads, the tips' text and files. The page's revisions go with the page.

Django collects the rows a deletion cascades to before it sends `pre_delete`, so the secrecy clearances it then
deletes write their history rows from the values it read; those rows are redacted once the page row itself is
gone (`post_delete` of the page, which comes after everything that depends on it).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from wagtail.models import Page

from .models import WantedNotice

#: Redactors of notices being deleted, by page id (from pre_delete to the page's post_delete).
_DELETING: dict[int, Any] = {}


@receiver(pre_delete, sender=WantedNotice, dispatch_uid="wanted_notice_pre_delete")
def forget_deleted_notice(sender: Any, instance: WantedNotice, **kwargs: Any) -> None:
    """Remove the person's data from everything that outlives the page row."""
    from .lifecycle import Redactor, _image_titles, forget, traces

    secrets, images = traces(instance)
    redactor = Redactor([*secrets, *_image_titles(images)])
    forget(instance, redactor, images)
    _DELETING[instance.pk] = redactor


@receiver(post_delete, sender=Page, dispatch_uid="wanted_notice_page_post_delete")
def redact_late_history(sender: Any, instance: Page, **kwargs: Any) -> None:
    """Redact the history rows the cascade wrote from values read before `forget` ran."""
    redactor = _DELETING.pop(instance.pk, None)
    if redactor is None:
        return
    from cms.review.models import SecrecyClearance

    history = SecrecyClearance.history.model
    for pk, opinion, findings in history.objects.filter(page_id=instance.pk).values_list("pk", "opinion", "findings"):
        history.objects.filter(pk=pk).update(opinion=redactor.text(opinion), findings=redactor.json(findings))
