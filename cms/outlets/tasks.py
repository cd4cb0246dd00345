"""The delivery task (django-tasks). Publishing enqueues `deliver_due` after the commit.

With the ImmediateBackend (the default, and the demo) the task runs in the publishing process right after
the commit: it makes one short attempt per row (`SUNLIGHT_OUTLET_INLINE_TIMEOUT`, default 1 s to connect,
5 s to read) within `SUNLIGHT_OUTLET_INLINE_BUDGET` seconds (default 8) and leaves anything else to
`manage.py deliver_outbox`. With a backend that can defer (django_tasks_db's DatabaseBackend), a row that
must wait is enqueued again with `run_after` at its next attempt time.
"""

from __future__ import annotations

import logging

from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from .models import Delivery, DeliveryState

logger = logging.getLogger("sunlight.outlets")


def runs_inline() -> bool:
    """True when `deliver_due` runs in the enqueuing process (ImmediateBackend)."""
    return isinstance(deliver_due.get_backend(), ImmediateBackend)


def defer(ids: list[int]) -> int:
    """Enqueue `deliver_due` for these waiting rows at their next attempt time, if the backend can defer.
    Returns how many were enqueued."""
    backend = deliver_due.get_backend()
    if not backend.supports_defer:
        return 0
    count = 0
    rows = Delivery.objects.filter(pk__in=ids, state=DeliveryState.RETRYING).values_list("pk", "next_attempt_at")
    for pk, due in rows:
        try:
            deliver_due.using(run_after=due).enqueue([pk])
            count += 1
        except Exception:  # `manage.py deliver_outbox` still finds the row when it is due
            logger.exception("outlets: could not defer delivery %s", pk)
    return count


@task()
def deliver_due(ids: list[int] | None = None) -> dict[str, int]:
    """Claim and send these delivery rows (all due rows when `ids` is None) once each; defer the retries."""
    from django.conf import settings

    from . import outbox

    inline = runs_inline()
    waiting: list[int] = []

    def note(delivery, outcome) -> None:
        if delivery.state == DeliveryState.RETRYING:
            waiting.append(delivery.pk)

    result = outbox.deliver_pending(
        ids,
        timeout=outbox.timeouts(inline=inline),
        budget=getattr(settings, "SUNLIGHT_OUTLET_INLINE_BUDGET", 8.0) if inline else None,
        report=note,
    )
    deferred = defer(waiting)
    return {
        "attempted": result.attempted,
        "delivered": result.delivered,
        "retrying": result.retrying,
        "failed": result.failed,
        "deferred": deferred,
    }
