"""Queries of the staff's request lists (admin and API): filters, the clock of each request on a page in a
bounded number of queries, and the overdue and due-soon requests (filtered in the database by due date,
confirmed by the engine).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from cms.deadlines import lists
from cms.deadlines.lists import DUE_SOON_DAYS, summarize

from .models import CLOCK_KIND, DisclosureRequest

__all__ = ["DUE_SOON_DAYS", "attach_clocks", "due_soon_ids", "filter_requests", "overdue_ids", "summarize"]


def request_clocks() -> QuerySet:
    """Clocks of disclosure requests."""
    return lists.clocks_of(DisclosureRequest, CLOCK_KIND)


def attach_clocks(requests: Iterable[DisclosureRequest], today: date | None = None) -> list[DisclosureRequest]:
    """Set `clock_info` (`cms.deadlines.lists.summarize`) on each request, in a bounded number of queries."""
    return lists.attach_clocks(requests, DisclosureRequest, CLOCK_KIND, today)


def overdue_ids(today: date | None = None) -> QuerySet:
    """Ids of requests whose clock is overdue on `today` (a subquery)."""
    return lists.overdue_ids(DisclosureRequest, CLOCK_KIND, today)


def due_soon_ids(today: date | None = None, within: int = DUE_SOON_DAYS) -> list[int]:
    """Ids of requests whose running clock has at most `within` working days left on `today`."""
    return lists.due_soon_ids(DisclosureRequest, CLOCK_KIND, today, within)


def with_due_date(queryset: QuerySet) -> QuerySet:
    """Annotate `due_date` (of the request's latest answer clock) for sorting."""
    return lists.with_due_date(queryset, CLOCK_KIND)


#: The filters of the staff lists (query parameters).
FILTERS = ("state", "department", "channel", "year", "overdue", "due_soon", "q")


def truthy(value: Any) -> bool:
    """True for 1, true, yes, on (query parameters)."""
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def filter_requests(queryset: QuerySet, params: Any, today: date | None = None) -> QuerySet:
    """Apply the list filters of `params` (a QueryDict or dict): state, department (code), channel, year,
    overdue, due_soon and q (text in the number or the title). Unknown values match nothing."""
    if state := params.get("state"):
        queryset = queryset.filter(state=state)
    if department := params.get("department"):
        queryset = queryset.filter(department__code=department)
    if channel := params.get("channel"):
        queryset = queryset.filter(channel=channel)
    if year := str(params.get("year") or "").strip():
        queryset = queryset.filter(year=int(year)) if year.isdigit() else queryset.none()
    if truthy(params.get("overdue")):
        queryset = queryset.filter(pk__in=overdue_ids(today))
    if truthy(params.get("due_soon")):
        queryset = queryset.filter(pk__in=due_soon_ids(today))
    if q := str(params.get("q") or "").strip()[:100]:
        queryset = queryset.filter(Q(number__icontains=q) | Q(info_title__icontains=q))
    return queryset
