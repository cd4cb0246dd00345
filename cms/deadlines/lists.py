"""Clocks in staff lists: the clock of each object on a page in a bounded number of queries, and the objects
whose clock is overdue or due soon (filtered in the database by due date, confirmed by the engine).

Every function takes the owners' model and the clock kind (e.g. `DisclosureRequest`, "disclosure_request";
`Letter`, "letter_reply"), so each plugin's lists read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, OuterRef, QuerySet, Subquery

from .calendar import WorkingCalendar, calendar_warning, local_today
from .engine import Pause, Schedule, State
from .models import STATE_LABELS, Clock

#: "Due soon": running with at most this many working days left.
DUE_SOON_DAYS = 3
#: Calendar days that can hold DUE_SOON_DAYS working days, even across the Spring Festival (DB pre-filter).
DUE_SOON_WINDOW = timedelta(days=16)


def clocks_of(model: type[Model], kind: str) -> QuerySet:
    """The clocks of kind `kind` owned by objects of `model`."""
    return Clock.objects.filter(content_type=ContentType.objects.get_for_model(model), kind=kind)


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
        "stopped_on": clock.stopped_on,
        "met_on_time": (clock.stopped_on <= clock.due_date) if clock.stopped_on else None,
        "calendar_warning": calendar_warning(clock.uncovered_years),
    }


def attach_clocks(
    objects: Iterable[Model], model: type[Model], kind: str, today: date | None = None, attr: str = "clock_info"
) -> list[Model]:
    """Set `attr` (see `summarize`) on each object from its newest clock of `kind`: two queries for the clocks and
    their pauses, and the calendar's, however many objects."""
    objects = list(objects)
    today = today or local_today()
    calendar = WorkingCalendar.from_db(strict=False)
    clocks: dict[int, Clock] = {}
    for clock in clocks_of(model, kind).filter(object_id__in=[o.pk for o in objects]).prefetch_related("pauses"):
        if clock.object_id not in clocks or clock.pk > clocks[clock.object_id].pk:
            clocks[clock.object_id] = clock
    for obj in objects:
        setattr(obj, attr, summarize(clocks.get(obj.pk), today, calendar))
    return objects


def overdue_ids(model: type[Model], kind: str, today: date | None = None) -> QuerySet:
    """Ids of `model` objects whose clock of `kind` is overdue on `today` (a subquery)."""
    return clocks_of(model, kind).overdue(today).values("object_id")


def due_soon_ids(model: type[Model], kind: str, today: date | None = None, within: int = DUE_SOON_DAYS) -> list[int]:
    """Ids of `model` objects whose running clock of `kind` has at most `within` working days left on `today`."""
    today = today or local_today()
    candidates = (
        clocks_of(model, kind)
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


def with_due_date(queryset: QuerySet, kind: str) -> QuerySet:
    """Annotate `due_date` (of each object's newest clock of `kind`) for sorting."""
    latest = clocks_of(queryset.model, kind).filter(object_id=OuterRef("pk")).order_by("-pk").values("due_date")[:1]
    return queryset.annotate(due_date=Subquery(latest))
