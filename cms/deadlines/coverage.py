"""Which years the working calendar is missing, for the admin dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min

from .calendar import WorkingCalendar, local_today
from .models import Clock

#: From this day of the year on, next year's holidays should be entered (the State Council usually publishes
#: them in October or November).
NEXT_YEAR_CHECK_FROM = (11, 1)


@dataclass(frozen=True)
class CoverageGap:
    """A year whose holidays are unknown, and how many open clocks count days in it (their dates are estimates)."""

    year: int
    open_clocks: int


def years_to_check(today: date) -> set[int]:
    """This year, next year from November 1, and every year an open clock counts days in."""
    years = {today.year}
    if (today.month, today.day) >= NEXT_YEAR_CHECK_FROM:
        years.add(today.year + 1)
    bounds = Clock.objects.open().aggregate(first=Min("start_date"), last=Max("due_date"))
    if bounds["first"] and bounds["last"]:
        years.update(range(bounds["first"].year, bounds["last"].year + 1))
    return years


def coverage_gaps(today: date | None = None) -> list[CoverageGap]:
    """The uncovered years that matter on `today` (default: today in China), in order."""
    today = today or local_today()
    calendar = WorkingCalendar.from_db()
    gaps = []
    for year in sorted(years_to_check(today)):
        if calendar.covers(year):
            continue
        counting = Clock.objects.open().filter(start_date__lt=date(year, 12, 31), due_date__gte=date(year, 1, 1))
        gaps.append(CoverageGap(year=year, open_clocks=counting.count()))
    return gaps
