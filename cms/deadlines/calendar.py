"""The working-day calendar: the `chinese_calendar` package, overridden and extended by the admin's table.

Whether a date is a working day, in this order:

1. a `CalendarDay` row for the date decides (the admin adds or corrects a holiday or a 调休 working day);
2. else the `chinese_calendar` package, for the years it knows (2004–2026 in version 1.11);
3. else, in a year the admin marked complete (`CalendarYear.complete`), Monday to Friday are working days;
4. else the year is not covered: strict calendars raise `CalendarNotCovered(year)`; lenient ones (used by
   clocks) use Monday to Friday as an estimate and remember the year, so the result carries a warning.

The public helpers below are strict and read the database; `WorkingCalendar` can also be built from plain data.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Mapping
from datetime import date
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext

from . import engine
from .engine import CalendarNotCovered

__all__ = [
    "CalendarNotCovered",
    "WorkingCalendar",
    "add_working_days",
    "calendar_warning",
    "coverage_warning",
    "is_workday",
    "local_today",
    "package_covers",
    "working_days_between",
    "year_is_covered",
]

#: Police bureaus count days in Beijing time, whatever the server's TIME_ZONE.
CHINA_TZ = ZoneInfo("Asia/Shanghai")


def local_today() -> date:
    """Today's date in China (Asia/Shanghai)."""
    return timezone.now().astimezone(CHINA_TZ).date()


@functools.cache
def package_covers(year: int) -> bool:
    """True when the `chinese_calendar` package knows the holidays of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """Working days from the package plus overrides (date -> is working day) and complete years.

    Built from data (``WorkingCalendar({date(2027, 2, 8): False}, complete_years={2027})``) or from the
    database (`from_db`, loading each year's rows on first use). With ``strict=False`` an uncovered date is
    judged by the Monday–Friday rule and its year is added to `uncovered_years` instead of raising.
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        complete_years: Iterable[int] = (),
        *,
        strict: bool = True,
    ) -> None:
        self.strict = strict
        self.uncovered_years: set[int] = set()
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._complete_years: set[int] = set(complete_years)
        self._from_db = False
        self._loaded_years: set[int] = set()

    @classmethod
    def from_db(cls, *, strict: bool = True) -> WorkingCalendar:
        """A calendar reading `CalendarDay` and `CalendarYear` (one query for the years, one per year used)."""
        from .models import CalendarYear

        complete = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
        calendar = cls(complete_years=complete, strict=strict)
        calendar._from_db = True
        return calendar

    def _load_year(self, year: int) -> None:
        if not self._from_db or year in self._loaded_years:
            return
        from .models import CalendarDay

        rows = CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
        self._overrides.update(rows.values_list("date", "is_workday"))
        self._loaded_years.add(year)

    def tracking_copy(self) -> WorkingCalendar:
        """A lenient calendar sharing this one's data (and its loaded years) with an empty `uncovered_years`.

        Lets one database calendar serve many clocks while each clock learns which uncovered years it used.
        """
        twin = copy.copy(self)
        twin.strict = False
        twin.uncovered_years = set()
        return twin

    def covers(self, year: int) -> bool:
        """True when every date of `year` is known: the package knows it or the admin marked it complete."""
        return package_covers(year) or year in self._complete_years

    def is_workday(self, d: date) -> bool:
        """True when `d` is a working day (see the module docstring for the order of the rules)."""
        self._load_year(d.year)
        override = self._overrides.get(d)
        if override is not None:
            return override
        if package_covers(d.year):
            return chinese_calendar.is_workday(d)
        if d.year in self._complete_years:
            return engine.weekday_rule(d)
        if self.strict:
            raise CalendarNotCovered(d.year)
        self.uncovered_years.add(d.year)
        return engine.weekday_rule(d)

    __call__ = is_workday


def is_workday(d: date) -> bool:
    """True when `d` is a working day. Raises CalendarNotCovered for a year nobody has entered."""
    return WorkingCalendar.from_db().is_workday(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (day zero). Raises CalendarNotCovered for an unknown year."""
    return engine.add_working_days(start, n, WorkingCalendar.from_db())


def working_days_between(a: date, b: date) -> int:
    """The working days d with a < d <= b (negative when b < a). Raises CalendarNotCovered for an unknown year."""
    return engine.working_days_between(a, b, WorkingCalendar.from_db())


def year_is_covered(year: int) -> bool:
    """True when the package knows `year` or the admin marked it complete."""
    from .models import CalendarYear

    return package_covers(year) or CalendarYear.objects.filter(year=year, complete=True).exists()


def calendar_warning(years: Iterable[int]) -> str | None:
    """The warning shown with a due date estimated over the uncovered `years`, or None when there are none."""
    years = sorted(set(years))
    if not years:
        return None
    return gettext(
        "The public holidays of %(years)s have not been entered yet: the due date is estimated with ordinary "
        "weekends. Please enter them under “Working calendar”."
    ) % {"years": ", ".join(str(y) for y in years)}


def coverage_warning(d: date) -> str | None:
    """The warning for a date in a year nobody has entered, or None when the calendar covers it."""
    return None if year_is_covered(d.year) else calendar_warning([d.year])
