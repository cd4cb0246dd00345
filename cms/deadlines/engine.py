"""The deadline engine: pure functions over dates, a working-day predicate and pause intervals (no database).

Every clock of the product (disclosure requests, letters, the 5-day publication rule ...) is computed here;
`cms.deadlines.models.Clock` only stores the inputs and the result. The working-day predicate is passed in
(`is_workday: Callable[[date], bool]`), so the engine can be tested with any calendar.

Counting rules (see docs/deadlines.md for worked examples):

* **Day zero.** The start date (e.g. the day a request is received) is day zero and never counts. Day N is
  the N-th working day strictly after day zero, so with a 15-day limit the due date is the 15th working day
  after receipt. Day zero itself may be a holiday; that changes nothing.
* **Pauses.** A pause is the half-open interval ``(paused_on, resumed_on]``:

  - the pause day ``paused_on`` still counts (the clock ran that day until it was paused);
  - every working day after it, up to and including ``resumed_on``, does not count;
  - the resume day is like a new day zero: counting resumes on the first working day *after* ``resumed_on``;
  - pausing and resuming on the same day excludes nothing (zero paused working days);
  - a clock pauses at most once at a time (pausing a paused clock, or resuming a running one, is an error),
    and a new pause may start on the day the previous one resumed, never earlier;
  - a pause may start on day zero (then no day counts until the resume), never before it.

  While a pause is open the clock is frozen: the days left do not change, and the due date is provisional
  (the date the clock would reach if it resumed on the pause day); it moves later when the clock resumes.
* **Restart.** A restart is a new day zero with the full limit; pauses of earlier runs no longer count.
* **Extension.** The extension days are added to the limit: the due date is day ``limit + extension``.
* **States.** ``met`` once stopped; ``paused`` while a pause is open that began before the due date;
  ``overdue`` when today is after the due date (also when a clock was paused only after its due date had
  passed: pausing does not revive an expired deadline); otherwise ``running``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

#: A predicate telling whether a date is a working day.
WorkdayFn = Callable[[date], bool]

#: The longest stretch of calendar days the engine searches for a due date before giving up (a calendar
#: without any working day, e.g. a mistaken override of a whole year, must not hang a request). Counting
#: between two given dates is bounded by them and needs no limit.
MAX_SPAN_DAYS = 3660

ONE_DAY = timedelta(days=1)


class CalendarNotCovered(LookupError):
    """The working-day calendar does not know the holidays of `year` (neither the package nor the admin)."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"the holidays of {year} are not known: enter them in the working calendar")


class State(enum.StrEnum):
    """The state of a clock on a given day."""

    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    OVERDUE = "overdue"


def weekday_rule(d: date) -> bool:
    """The plain rule: Monday to Friday are working days. Used for estimates and complete admin years."""
    return d.weekday() < 5


def add_working_days(start: date, n: int, is_workday: WorkdayFn) -> date:
    """The n-th working day after `start` (day zero); `start` itself for n = 0."""
    if n < 0:
        raise ValueError("n must not be negative")
    return Schedule(start, n).due_date(is_workday)


def working_days_between(a: date, b: date, is_workday: WorkdayFn) -> int:
    """The number of working days d with a < d <= b; negative (the same count) when b is before a.

    It is the inverse of `add_working_days`: ``working_days_between(s, add_working_days(s, n)) == n``.
    """
    if b < a:
        return -working_days_between(b, a, is_workday)
    count = 0
    d = a + ONE_DAY
    while d <= b:
        if is_workday(d):
            count += 1
        d += ONE_DAY
    return count


@dataclass(frozen=True)
class Pause:
    """A pause of a clock: no working day in ``(paused_on, resumed_on]`` counts; open while not resumed."""

    paused_on: date
    resumed_on: date | None = None

    @property
    def is_open(self) -> bool:
        """True while the clock has not resumed."""
        return self.resumed_on is None

    def excludes(self, d: date) -> bool:
        """True when `d` falls inside the pause (after the pause day, up to and including the resume day)."""
        return self.paused_on < d and (self.resumed_on is None or d <= self.resumed_on)


@dataclass(frozen=True)
class Schedule:
    """The inputs of one run of a clock: day zero, limit, extension, pauses (in order) and the stop day.

    Raises ValueError when the pauses are inconsistent (see `check_pauses`) or a number is negative.
    """

    start: date
    limit_days: int
    extension_days: int = 0
    pauses: tuple[Pause, ...] = field(default=())
    stopped_on: date | None = None

    def __post_init__(self) -> None:
        if self.limit_days < 0 or self.extension_days < 0:
            raise ValueError("limit and extension must not be negative")
        object.__setattr__(self, "pauses", tuple(self.pauses))
        check_pauses(self.start, self.pauses)
        if self.stopped_on is not None:
            if self.stopped_on < self.start:
                raise ValueError(f"stopped on {self.stopped_on}, before day zero {self.start}")
            if self.open_pause is not None:
                raise ValueError("a stopped clock cannot have an open pause")
            if self.pauses and self.stopped_on < (self.pauses[-1].resumed_on or self.pauses[-1].paused_on):
                raise ValueError(f"stopped on {self.stopped_on}, before the last pause ended")

    @property
    def total_days(self) -> int:
        """The limit plus the extension, in working days."""
        return self.limit_days + self.extension_days

    @property
    def open_pause(self) -> Pause | None:
        """The pause that has not resumed, if any (always the last one)."""
        if self.pauses and self.pauses[-1].is_open:
            return self.pauses[-1]
        return None

    def is_excluded(self, d: date, *, provisional: bool = False) -> bool:
        """True when `d` is inside a pause. With `provisional`, an open pause is taken as resumed on its pause
        day (it excludes nothing), which is how the provisional due date of a paused clock is computed."""
        for pause in self.pauses:
            if provisional and pause.is_open:
                continue
            if pause.excludes(d):
                return True
        return False

    def due_date(self, is_workday: WorkdayFn) -> date:
        """Day `total_days`: the last working day on which the clock is still on time.

        While a pause is open this is provisional (as if the clock resumed on the pause day).
        """
        if self.total_days == 0:
            return self.start
        count = 0
        d = self.start
        for _step in range(MAX_SPAN_DAYS):
            d += ONE_DAY
            if self.is_excluded(d, provisional=True):
                continue
            if is_workday(d):
                count += 1
                if count == self.total_days:
                    return d
        raise ValueError(f"no {self.total_days} working days within {MAX_SPAN_DAYS} days after {self.start}")

    def counted_days(self, until: date, is_workday: WorkdayFn) -> int:
        """The working days used by `until`: those in (start, until] outside every pause."""
        return sum(1 for d in self._days(until) if not self.is_excluded(d) and is_workday(d))

    def paused_working_days(self, until: date, is_workday: WorkdayFn) -> int:
        """The working days in (start, until] that did not count because the clock was paused."""
        return sum(1 for d in self._days(until) if self.is_excluded(d) and is_workday(d))

    def working_days_left(self, today: date, is_workday: WorkdayFn) -> int:
        """Working days still available after `today` (0 on the due day; negative: working days overdue).

        A stopped clock reports what was left on the day it stopped; a paused one what was left when it paused.
        """
        until = self.stopped_on if self.stopped_on is not None else today
        return self.total_days - self.counted_days(until, is_workday)

    def state(self, today: date, is_workday: WorkdayFn) -> State:
        """The state on `today`: met, paused, overdue or running (see the module docstring)."""
        if self.stopped_on is not None:
            return State.MET
        due = self.due_date(is_workday)
        pause = self.open_pause
        if pause is not None and (pause.paused_on < due or today <= due):
            return State.PAUSED
        return State.OVERDUE if today > due else State.RUNNING

    def _days(self, until: date) -> Iterable[date]:
        d = self.start + ONE_DAY
        while d <= until:
            yield d
            d += ONE_DAY


def check_pauses(start: date, pauses: Sequence[Pause]) -> None:
    """Raise ValueError unless the pauses are in order, do not overlap, begin on or after day zero, resume on or
    after their pause day, and only the last one is open."""
    previous: Pause | None = None
    for pause in pauses:
        if pause.paused_on < start:
            raise ValueError(f"pause on {pause.paused_on} before day zero {start}")
        if pause.resumed_on is not None and pause.resumed_on < pause.paused_on:
            raise ValueError(f"resumed on {pause.resumed_on} before pausing on {pause.paused_on}")
        if previous is not None:
            if previous.resumed_on is None:
                raise ValueError("only the last pause may be open")
            if pause.paused_on < previous.resumed_on:
                raise ValueError(f"pause on {pause.paused_on} before the previous resume on {previous.resumed_on}")
        previous = pause
