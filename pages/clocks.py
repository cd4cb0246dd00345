"""The publication clock of government information (SPEC §2): a document marked for proactive disclosure
goes online within 5 working days of its date of creation (enforcement information: 20). The clock
follows the latest revision and stops when the document goes live."""

from __future__ import annotations

from django.utils import timezone

PUBLICATION = "publication"


def publication_clock(page):
    """The open publication clock of `page`, or None."""
    from cms.deadlines.models import Clock

    return Clock.objects.for_object(page).filter(kind=PUBLICATION, stopped_on__isnull=True).first()


def sync_publication_clock(document) -> None:
    """Start, move or drop the clock of `document` (a GovernmentDocumentPage as in its latest revision)."""
    from cms.deadlines.models import Clock

    from .models import DisclosureMode

    if document.pk is None or document.live_revision_id or document.first_published_at:
        return
    clock = publication_clock(document)
    if document.disclosure_mode != DisclosureMode.PROACTIVE:
        if clock is not None:
            clock.delete()  # no longer marked for publication; the history keeps the record
        return
    limit = document.publication_limit_days
    if clock is not None and (clock.start_date, clock.limit_days) == (document.created_on, limit):
        return
    if clock is not None:
        clock.delete()
    Clock.start_for(document, kind=PUBLICATION, start_date=document.created_on, limit_days=limit)


def stop_publication_clock(document) -> None:
    """The document is live: its clock is met today."""
    clock = publication_clock(document)
    if clock is not None:
        clock.stop(timezone.localdate())
