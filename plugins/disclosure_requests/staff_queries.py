"""Queries of the staff's request lists (admin and API): filters, the clock of each request on a page in a
bounded number of queries, and the overdue and due-soon requests (filtered in the database by due date,
confirmed by the engine).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, QuerySet, Subquery

from cms.deadlines.calendar import WorkingCalendar, calendar_warning, local_today
from cms.deadlines.engine import Pause, Schedule, State
from cms.deadlines.models import STATE_LABELS, Clock

from .models import CLOCK_KIND, DisclosureRequest

#: "Due soon": running with at most this many working days left.
DUE_SOON_DAYS = 3
#: Calendar days that can hold DUE_SOON_DAYS working days, even across the Spring Festival (DB pre-filter).
DUE_SOON_WINDOW = timedelta(days=16)


def request_clocks() -> QuerySet:
    """Clocks of disclosure requests."""
    return Clock.objects.filter(content_type=ContentType.objects.get_for_model(DisclosureRequest), kind=CLOCK_KIND)


def summarize(clock: Clock | None, today: date, calendar: WorkingCalendar) -> dict[str, Any] | None:
    """Due date, state, working days left and due-soon flag of `clock` (its pauses prefetched), or None."""
    if clock is None:
        return None
    pauses = sorted((p for p in clock.pauses.all() if p.run == clock.restart_count), key=lambda p: (p.paused_on, p.pk))
    schedule = Schedule(
        start=clock.start_date,
        limit_days=clock.limit_days,
        extension_days=clock.extension_days,
        pauses=tuple(Pause(p.paused_on, p.resumed_on) for p in pauses),
        stopped_on=clock.stopped_on,
    )
    state = schedule.state(today, calendar)
    left = schedule.working_days_left(today, calendar)
    return {
        "due_date": clock.due_date,
        "due_date_is_estimate": bool(clock.uncovered_years),
        "state": state.value,
        "state_label": str(STATE_LABELS[state]),
        "working_days_left": left,
        "is_due_soon": state == State.RUNNING and left <= DUE_SOON_DAYS,
        "paused_since": clock.paused_since,
        "calendar_warning": calendar_warning(clock.uncovered_years),
    }


def attach_clocks(requests: Iterable[DisclosureRequest], today: date | None = None) -> list[DisclosureRequest]:
    """Set `clock_info` (see `summarize`) on each request: two queries for the clocks and their pauses, and
    the calendar's, however many requests."""
    requests = list(requests)
    today = today or local_today()
    calendar = WorkingCalendar.from_db(strict=False)
    clocks: dict[int, Clock] = {}
    for clock in request_clocks().filter(object_id__in=[r.pk for r in requests]).prefetch_related("pauses"):
        if clock.object_id not in clocks or clock.pk > clocks[clock.object_id].pk:
            clocks[clock.object_id] = clock
    for req in requests:
        req.clock_info = summarize(clocks.get(req.pk), today, calendar)
    return requests


def overdue_ids(today: date | None = None) -> QuerySet:
    """Ids of requests whose clock is overdue on `today` (a subquery)."""
    return request_clocks().overdue(today).values("object_id")


def due_soon_ids(today: date | None = None, within: int = DUE_SOON_DAYS) -> list[int]:
    """Ids of requests whose running clock has at most `within` working days left on `today`: clocks due in
    the next days are read from the database, then each is confirmed by the engine."""
    today = today or local_today()
    candidates = (
        request_clocks()
        .open()
        .filter(paused_since__isnull=True, due_date__gte=today, due_date__lte=today + DUE_SOON_WINDOW)
        .prefetch_related("pauses")
    )
    calendar = WorkingCalendar.from_db(strict=False)
    out = []
    for clock in candidates:
        info = summarize(clock, today, calendar)
        if info["state"] == State.RUNNING and info["working_days_left"] <= within:
            out.append(clock.object_id)
    return out


def with_due_date(queryset: QuerySet) -> QuerySet:
    """Annotate `due_date` (of the request's latest answer clock) for sorting."""
    latest = request_clocks().filter(object_id=OuterRef("pk")).order_by("-pk").values("due_date")[:1]
    return queryset.annotate(due_date=Subquery(latest))


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
