"""The outbox: delivery rows written in the publishing transaction, claimed with a lease, delivered after the
commit with exponential backoff.

- `record_page` / `record_item` render the payload now (what was approved) and write one `Delivery` per outlet
  in the caller's transaction; delivery is scheduled with `transaction.on_commit`, so a rolled-back publication
  leaves neither a row nor a request.
- `claim` takes a due row with one conditional UPDATE (state, due time, lease), so two workers never send the
  same row at once, and a row whose worker died is claimed again once its lease has expired. A row waits while
  an earlier delivery of the same item to the same outlet is still open, so outlets see events in order.
- `deliver_pending` is one pass of the worker: the `deliver_due` task and `manage.py deliver_outbox` run it.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .delivery import Outcome, post
from .models import Delivery, DeliveryAction, DeliveryState, Outlet
from .registry import OutletItem, get_kind

if TYPE_CHECKING:
    from wagtail.models import Page

logger = logging.getLogger("sunlight.outlets")

OPEN_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING, DeliveryState.DELIVERING)
RETRYABLE_STATES = (DeliveryState.FAILED, DeliveryState.RETRYING, DeliveryState.PENDING)
WITHDRAWALS = (DeliveryAction.UNPUBLISH, DeliveryAction.WITHDRAW)
SHOWN = (DeliveryAction.PUBLISH, DeliveryAction.UPDATE)


def setting(name: str, default: float) -> float:
    """A numeric outbox setting `SUNLIGHT_OUTLET_<name>`."""
    return getattr(settings, f"SUNLIGHT_OUTLET_{name}", default)


def timeouts(inline: bool = False) -> tuple[float, float]:
    """(connect, read) timeouts of an attempt; shorter when it runs inside the publishing request."""
    if inline:
        return tuple(getattr(settings, "SUNLIGHT_OUTLET_INLINE_TIMEOUT", (1.0, 5.0)))
    return tuple(getattr(settings, "SUNLIGHT_OUTLET_TIMEOUT", (5.0, 15.0)))


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: base doubling, capped, ±10 % jitter."""
    base = setting("BACKOFF_BASE", 30.0)
    cap = setting("BACKOFF_CAP", 3600.0)
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return delay * random.uniform(0.9, 1.1)  # jitter, not cryptography


def idempotency_key(
    item_type: str, item_id: str, revision_id: int | None, outlet_id: int, action: str, occurrence: int
) -> str:
    """sha256 hex of the delivery's identity; `occurrence` counts earlier identical deliveries."""
    raw = "|".join(str(part) for part in (item_type, item_id, revision_id, outlet_id, action, occurrence))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- writing ---------------------------------------------------------------------------------------------


def _previous_action(outlet: Outlet, item: OutletItem) -> str | None:
    """The action of the latest delivery of this item to this outlet, if any."""
    return (
        Delivery.objects.filter(outlet=outlet, item_type=item.item_type, item_id=item.item_id)
        .order_by("-pk")
        .values_list("action", flat=True)
        .first()
    )


def _write(item: OutletItem, outlet: Outlet, action: str, payload: dict) -> Delivery:
    """Insert one delivery row with the next free occurrence of its identity."""
    same = Delivery.objects.filter(
        item_type=item.item_type, item_id=item.item_id, revision_id=item.revision_id, outlet=outlet, action=action
    )
    occurrence = same.count()
    for _attempt in range(5):
        key = idempotency_key(item.item_type, item.item_id, item.revision_id, outlet.pk, action, occurrence)
        try:
            with transaction.atomic():
                return Delivery.objects.create(
                    outlet=outlet,
                    action=action,
                    item_type=item.item_type,
                    item_id=item.item_id,
                    revision_id=item.revision_id,
                    title=(item.title or "")[:255],
                    payload=payload,
                    idempotency_key=key,
                )
        except IntegrityError:  # a concurrent transaction took this occurrence
            occurrence += 1
    raise IntegrityError(f"could not find a free idempotency key for {item.item_type} {item.item_id}")


def _record(item: OutletItem, outlets: Iterable[Outlet], action: str, reason: str = "") -> list[Delivery]:
    """Render `item` for each outlet and write its delivery rows; schedule them after the commit."""
    if action not in DeliveryAction.values:
        raise ValueError(f"unknown delivery action {action!r}")
    rows = []
    with transaction.atomic():
        for outlet in outlets:
            if not (outlet.enabled and outlet.endpoint_url):
                continue
            try:
                kind = get_kind(outlet.kind)
            except KeyError:
                logger.error("outlet %s has an unknown kind %r: nothing delivered", outlet.pk, outlet.kind)
                continue
            outlet_action = action
            if action == DeliveryAction.PUBLISH and _previous_action(outlet, item) in SHOWN:
                outlet_action = DeliveryAction.UPDATE  # the outlet has (or is getting) this item already
            if outlet_action in WITHDRAWALS:
                payload = kind.render_withdrawal(item, reason)
            else:
                payload = kind.render(item)
            rows.append(_write(item, outlet, outlet_action, payload))
    schedule([row.pk for row in rows])
    return rows


def _withdrawal_item(page: Page) -> OutletItem:
    """The item of a page that is going or has gone offline (its renderer may expect a live page)."""
    from .render import item_for_page

    try:
        return item_for_page(page)
    except Exception:
        logger.debug("outlets: item_for_page failed for offline page %s; using its basic fields", page.pk)
    try:
        url = page.full_url or ""
    except Exception:
        url = ""
    return OutletItem(
        item_type=page._meta.label_lower,
        item_id=str(page.pk),
        revision_id=page.live_revision_id or page.latest_revision_id,
        title=page.title,
        url=url,
    )


def record_page(page: Page, action: str) -> list[Delivery]:
    """Write one delivery per outlet of `page` for `action` (publish, update, unpublish, withdraw).

    Must be called inside the transaction that changes the page; delivery starts after the commit. A publish
    becomes an update for an outlet that received the page before. An unpublish or withdrawal goes to the
    outlets that were sent the page (and have not been told to take it down since)."""
    from .render import item_for_page, outlets_for_page

    page = page.specific
    if action in WITHDRAWALS:
        if not Delivery.objects.filter(item_type=page._meta.label_lower, item_id=str(page.pk)).exists():
            return []  # never sent anywhere: nothing to take down
        item = _withdrawal_item(page)
        shown = [
            outlet
            for outlet in Outlet.objects.filter(
                deliveries__item_type=item.item_type, deliveries__item_id=item.item_id
            ).distinct()
            if _previous_action(outlet, item) in SHOWN
        ]
        return _record(item, shown, action)
    outlets = outlets_for_page(page)
    if not outlets:
        return []
    return _record(item_for_page(page), outlets, action)


def record_item(item: OutletItem, outlets: list[Outlet], action: str, reason: str = "") -> list[Delivery]:
    """Write deliveries of a plugin object (e.g. a closed wanted notice's withdrawal) to `outlets`."""
    return _record(item, outlets, action, reason)


def schedule(ids: list[int]) -> None:
    """Enqueue the `deliver_due` task for these rows once the current transaction commits."""
    if not ids:
        return

    def enqueue() -> None:
        from .tasks import deliver_due

        try:
            deliver_due.enqueue(ids)
        except Exception:  # the rows are durable: `manage.py deliver_outbox` delivers them anyway
            logger.exception("outlets: could not enqueue the delivery of %s", ids)

    transaction.on_commit(enqueue)


def retry(delivery: Delivery) -> None:
    """Make a delivered-failed or waiting delivery due now and schedule it (the admin's and API's retry).

    The attempt count starts again, so the row gets a full round of retries. Raises ValueError for a row that
    is being delivered or was delivered."""
    updated = Delivery.objects.filter(pk=delivery.pk, state__in=RETRYABLE_STATES).update(
        state=DeliveryState.PENDING, next_attempt_at=timezone.now(), locked_until=None, attempts=0
    )
    if not updated:
        raise ValueError(_("Only failed deliveries and deliveries waiting to retry can be retried."))
    delivery.refresh_from_db()
    schedule([delivery.pk])


# --- delivering ------------------------------------------------------------------------------------------


def _claimable(now) -> Q:
    """Rows a worker may take now: due and unlocked, or abandoned by a worker whose lease has expired."""
    waiting = Q(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING), next_attempt_at__lte=now) & (
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    )
    abandoned = Q(state=DeliveryState.DELIVERING, locked_until__lte=now)
    return waiting | abandoned


def claim(pk: int) -> tuple[Delivery, object] | None:
    """Take delivery `pk` for one attempt with an atomic conditional UPDATE; None if it is not ours to take.

    Returns the row and the lease (its `locked_until`), which the attempt's result must still match."""
    now = timezone.now()
    lease = now + timedelta(seconds=setting("LEASE", 60.0))
    earlier_open = Delivery.objects.filter(
        outlet_id=OuterRef("outlet_id"),
        item_type=OuterRef("item_type"),
        item_id=OuterRef("item_id"),
        pk__lt=OuterRef("pk"),
        state__in=OPEN_STATES,
    )
    taken = (
        Delivery.objects.filter(_claimable(now), pk=pk)
        .filter(~Exists(earlier_open))
        .update(state=DeliveryState.DELIVERING, locked_until=lease, attempts=F("attempts") + 1)
    )
    if not taken:
        return None
    return Delivery.objects.select_related("outlet").get(pk=pk), lease


def attempt(delivery: Delivery, lease: object, timeout: tuple[float, float]) -> Outcome:
    """Send a claimed delivery once and record the outcome (if the lease is still ours)."""
    outcome = post(delivery, connect_timeout=timeout[0], read_timeout=timeout[1])
    now = timezone.now()
    result = {"locked_until": None, "last_status": outcome.status, "last_error": outcome.error}
    if outcome.delivered:
        result.update(state=DeliveryState.DELIVERED, delivered_at=now)
    elif outcome.retry and delivery.attempts < setting("MAX_ATTEMPTS", 10):
        result.update(state=DeliveryState.RETRYING, next_attempt_at=now + timedelta(seconds=backoff(delivery.attempts)))
    else:
        result.update(state=DeliveryState.FAILED)
    mine = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.DELIVERING, locked_until=lease)
    if not mine.update(**result):
        logger.warning("outlets: lease of delivery %s expired during the attempt; result dropped", delivery.pk)
    for name, value in result.items():
        setattr(delivery, name, value)
    return outcome


@dataclass
class PassResult:
    """What one worker pass did."""

    attempted: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    more: bool = False  # stopped early (limit or time budget): rows may still be due


def due_ids(ids: Iterable[int] | None = None, limit: int = 100) -> list[int]:
    """Ids of rows that are claimable now, oldest first."""
    queryset = Delivery.objects.filter(_claimable(timezone.now()))
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])


def deliver_pending(
    ids: Iterable[int] | None = None,
    *,
    timeout: tuple[float, float] | None = None,
    budget: float | None = None,
    limit: int = 100,
    report: Callable[[Delivery, Outcome], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> PassResult:
    """One worker pass: claim and send the due rows (only `ids` if given), at most `limit`, within `budget`
    seconds, until `stop()` says so. `report` is called after each attempt."""
    timeout = timeout or timeouts()
    started = time.monotonic()
    result = PassResult()
    candidates = due_ids(ids, limit)
    result.more = len(candidates) >= limit
    for pk in candidates:
        if (budget is not None and time.monotonic() - started > budget) or (stop is not None and stop()):
            result.more = True
            break
        claimed = claim(pk)
        if claimed is None:
            continue
        delivery, lease = claimed
        outcome = attempt(delivery, lease, timeout)
        result.attempted += 1
        if delivery.state == DeliveryState.DELIVERED:
            result.delivered += 1
        elif delivery.state == DeliveryState.RETRYING:
            result.retrying += 1
        else:
            result.failed += 1
        if report is not None:
            report(delivery, outcome)
    return result
