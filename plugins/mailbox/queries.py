"""Queries of the staff's letter lists: filters, the reply clock of each letter on a page, overdue and due-soon
letters, and the unread ones (seed 000 §四.3: the boxes are read at least daily)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cms.deadlines import lists

from .choices import CLOSED_STATES
from .models import DEPARTMENT_CLOCK, REPLY_CLOCK, Letter, rules_for

#: The filters of the staff list (query parameters).
FILTERS = ("box", "state", "kind", "department", "year", "overdue", "due_soon", "unread", "q")


def truthy(value: Any) -> bool:
    """True for 1, true, yes, on (query parameters)."""
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def attach_clocks(letters: Iterable[Letter], today: date | None = None) -> list[Letter]:
    """Set `clock_info` (the reply clock) and `department_clock_info` on each letter, in a bounded number of
    queries."""
    letters = lists.attach_clocks(letters, Letter, REPLY_CLOCK, today)
    return lists.attach_clocks(letters, Letter, DEPARTMENT_CLOCK, today, attr="department_clock_info")


def overdue_ids(today: date | None = None) -> list[int]:
    """Ids of letters whose reply clock, or whose routed department's clock, is overdue on `today`."""
    ids = set(lists.overdue_ids(Letter, REPLY_CLOCK, today).values_list("object_id", flat=True))
    ids |= set(lists.overdue_ids(Letter, DEPARTMENT_CLOCK, today).values_list("object_id", flat=True))
    return sorted(ids)


def due_soon_ids(today: date | None = None) -> list[int]:
    """Ids of letters whose reply clock runs with at most 3 working days left."""
    return lists.due_soon_ids(Letter, REPLY_CLOCK, today)


def unread(queryset: QuerySet, now: Any = None) -> QuerySet:
    """Open letters nobody on the staff has opened (any age)."""
    return queryset.filter(read_at__isnull=True).exclude(state__in=list(CLOSED_STATES))


def unread_too_long(queryset: QuerySet, now: Any = None) -> QuerySet:
    """Unread letters older than their portal's `unread_alert_hours` (24 by default)."""
    now = now or timezone.now()
    hours: dict[int, int] = {}
    keep = []
    for pk, portal_id, submitted_at in unread(queryset).values_list("pk", "portal_id", "submitted_at"):
        if portal_id not in hours:
            from cms.models import Portal

            hours[portal_id] = rules_for(Portal.objects.get(pk=portal_id)).unread_alert_hours
        if submitted_at <= now - timedelta(hours=hours[portal_id]):
            keep.append(pk)
    return queryset.filter(pk__in=keep)


def filter_letters(queryset: QuerySet, params: Any, today: date | None = None) -> QuerySet:
    """Apply the list filters of `params`: box (key), state, kind (key), department (code), year, overdue,
    due_soon, unread and q (text in the number or the subject). Unknown values match nothing."""
    if box := params.get("box"):
        queryset = queryset.filter(box__key=box)
    if state := params.get("state"):
        queryset = queryset.filter(state=state)
    if kind := params.get("kind"):
        queryset = queryset.filter(kind__key=kind)
    if department := params.get("department"):
        queryset = queryset.filter(
            Q(department__code=department) | Q(department=None, box__department__code=department)
        )
    if year := str(params.get("year") or "").strip():
        queryset = queryset.filter(year=int(year)) if year.isdigit() else queryset.none()
    if truthy(params.get("overdue")):
        queryset = queryset.filter(pk__in=overdue_ids(today))
    if truthy(params.get("due_soon")):
        queryset = queryset.filter(pk__in=due_soon_ids(today))
    if truthy(params.get("unread")):
        queryset = unread(queryset)
    if q := str(params.get("q") or "").strip()[:100]:
        queryset = queryset.filter(Q(number__icontains=q) | Q(subject__icontains=q))
    return queryset
