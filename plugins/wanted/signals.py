"""Deleting a notice (superusers only; closing is the normal end) deletes its photos' images and renditions
too, so no picture of the person stays in the image library or the image API."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from .models import WantedNotice

_PENDING = "_wanted_photo_ids"


@receiver(pre_delete, sender=WantedNotice, dispatch_uid="wanted_notice_pre_delete")
def remember_photos(sender: Any, instance: WantedNotice, **kwargs: Any) -> None:
    """Note the images of the notice and of its revisions before they are gone."""
    from .lifecycle import traces

    _secrets, images = traces(instance)
    setattr(instance, _PENDING, images)


@receiver(post_delete, sender=WantedNotice, dispatch_uid="wanted_notice_post_delete")
def delete_photos(sender: Any, instance: WantedNotice, **kwargs: Any) -> None:
    """Delete the noted images (their files go when the transaction commits)."""
    from wagtail.images import get_image_model

    ids = getattr(instance, _PENDING, set())
    if ids:
        with transaction.atomic():
            for image in get_image_model().objects.filter(pk__in=ids):
                image.delete()
