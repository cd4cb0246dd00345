"""Keep the publication clock of government information in step with its drafts."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Revision

from .clocks import sync_publication_clock


@receiver(post_save, sender=Revision)
def revision_saved(sender, instance: Revision, created: bool, **kwargs):
    """A new draft of a government document may mark it for publication or change its dates."""
    from .models import GovernmentDocumentPage

    if not created or instance.content_type.model_class() is not GovernmentDocumentPage:
        return
    sync_publication_clock(instance.as_object())
