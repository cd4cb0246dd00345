"""The deadline engine without a database: real 2025–2026 dates from chinese_calendar, pauses, states.

Every holiday and 调休 date below was checked against chinesecalendar 1.11 (`get_holiday_detail`), and the
first test asserts them again, so a package that disagreed would fail loudly rather than silently.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from cms.deadlines import engine
from cms.deadlines.calendar import WorkingCalendar
from cms.deadlines.engine import CalendarNotCovered, Pause, Schedule, State

#: The package alone, strict (no database: these tests have no `db` fixture, so any query would fail).
CAL = WorkingCalendar()


def days(start: date, end: date) -> list[date]:
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


def test_package_knows_the_2025_and_2026_holidays_we_rely_on() -> None:
    # 2025 Spring Festival: off 01-28..02-04, working Sunday 01-26 and Saturday 02-08.
    assert not any(CAL(d) for d in days(date(2025, 1, 28), date(2025, 2, 4)))
    assert CAL(date(2025, 1, 26)) and CAL(date(2025, 2, 8))
    assert chinese_calendar.get_holiday_detail(date(2025, 1, 26)) == (False, "Spring Festival")
    # 2025 National Day: off 10-01..10-08, working Sunday 09-28 and Saturday 10-11.
    assert not any(CAL(d) for d in days(date(2025, 10, 1), date(2025, 10, 8)))
    assert CAL(date(2025, 9, 28)) and CAL(date(2025, 10, 11))
    # 2026 Spring Festival: off 02-15..02-23, working Saturdays 02-14 and 02-28.
    assert not any(CAL(d) for d in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert CAL(date(2026, 2, 14)) and CAL(date(2026, 2, 28))
    # 2026 Mid-autumn 09-25..09-27 and National Day 10-01..10-07, working Sunday 09-20 and Saturday 10-10.
    assert not any(CAL(d) for d in days(date(2026, 9, 25), date(2026, 9, 27)))
    assert not any(CAL(d) for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert CAL(date(2026, 9, 20)) and CAL(date(2026, 10, 10))
    assert chinese_calendar.get_holiday_detail(date(2026, 10, 10)) == (False, "National Day")


@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        # Mon 2025-01-20: 21–24, Sun 26 (调休), 27 = 6; holiday 28..02-04; 5, 6, 7, Sat 8 (调休) = 10; 10–14 = 15.
        (date(2025, 1, 20), 15, date(2025, 2, 14)),
        (date(2025, 1, 20), 20, date(2025, 2, 21)),
        # Mon 2025-09-22: 23–26, Sun 28 (调休), 29, 30 = 7; holiday 10-01..08; 9, 10, Sat 11 (调休) = 10; 13–17 = 15.
        (date(2025, 9, 22), 15, date(2025, 10, 17)),
        (date(2025, 9, 22), 20, date(2025, 10, 24)),
        # Mon 2026-02-09: 10–13, Sat 14 (调休) = 5; holiday 15..23; 24–27, Sat 28 (调休) = 10; 03-02..06 = 15.
        (date(2026, 2, 9), 15, date(2026, 3, 6)),
        (date(2026, 2, 9), 20, date(2026, 3, 13)),
        # Mon 2026-09-21: 22–24 = 3; Mid-autumn 25..27; 28–30 = 6; National Day 10-01..07; 8, 9, Sat 10 = 9; ...
        (date(2026, 9, 21), 15, date(2026, 10, 19)),
        (date(2026, 9, 21), 20, date(2026, 10, 26)),
        # The 5-day publication rule straight across a 调休 Sunday.
        (date(2025, 1, 20), 5, date(2025, 1, 26)),
    ],
)
def test_working_days_across_real_holidays(received: date, limit: int, due: date) -> None:
    assert engine.add_working_days(received, limit, CAL) == due
    assert engine.working_days_between(received, due, CAL) == limit


def test_day_zero_never_counts_even_when_it_is_a_holiday_or_a_working_weekend() -> None:
    assert engine.add_working_days(date(2025, 1, 28), 1, CAL) == date(2025, 2, 5)  # received on 除夕 holiday
    assert engine.add_working_days(date(2025, 1, 25), 1, CAL) == date(2025, 1, 26)  # Saturday -> 调休 Sunday
    assert engine.add_working_days(date(2025, 2, 8), 1, CAL) == date(2025, 2, 10)  # 调休 Saturday is day zero
    assert engine.add_working_days(date(2025, 2, 8), 0, CAL) == date(2025, 2, 8)


def test_working_days_between_counts_the_end_not_the_start_and_is_antisymmetric() -> None:
    assert engine.working_days_between(date(2025, 1, 27), date(2025, 2, 5), CAL) == 1
    assert engine.working_days_between(date(2025, 2, 5), date(2025, 1, 27), CAL) == -1
    assert engine.working_days_between(date(2025, 3, 3), date(2025, 3, 3), CAL) == 0
    with pytest.raises(ValueError):
        engine.add_working_days(date(2025, 3, 3), -1, CAL)


# --- pauses: (paused_on, resumed_on] does not count ---------------------------------------------------------
# March 2025 has no holiday: Mon 03-03 is day zero, a 5-day limit is due Mon 03-10.
START = date(2025, 3, 3)


def schedule(*pauses: Pause, limit: int = 5, **kwargs) -> Schedule:
    return Schedule(START, limit, pauses=pauses, **kwargs)


def test_without_pause() -> None:
    assert schedule().due_date(CAL) == date(2025, 3, 10)


def test_the_pause_day_counts_the_resume_day_does_not() -> None:
    s = schedule(Pause(date(2025, 3, 5), date(2025, 3, 7)))  # Wed..Fri: Thu 6 and Fri 7 do not count
    assert s.due_date(CAL) == date(2025, 3, 12)  # counted: 4, 5 (pause day), then 10, 11, 12
    assert s.paused_working_days(date(2025, 3, 31), CAL) == 2
    assert s.counted_days(date(2025, 3, 7), CAL) == 2
    assert s.counted_days(date(2025, 3, 10), CAL) == 3


def test_pause_and_resume_on_the_same_day_excludes_nothing() -> None:
    s = schedule(Pause(date(2025, 3, 5), date(2025, 3, 5)))
    assert s.due_date(CAL) == date(2025, 3, 10)
    assert s.paused_working_days(date(2025, 3, 31), CAL) == 0


def test_pause_on_day_zero_and_over_a_weekend() -> None:
    assert schedule(Pause(START, date(2025, 3, 5))).due_date(CAL) == date(2025, 3, 12)  # 4 and 5 excluded
    over_weekend = schedule(Pause(date(2025, 3, 8), date(2025, 3, 10)))  # Sat..Mon: only Monday was a working day
    assert over_weekend.paused_working_days(date(2025, 3, 31), CAL) == 1
    assert over_weekend.due_date(CAL) == date(2025, 3, 11)


def test_an_open_pause_freezes_the_clock() -> None:
    s = schedule(Pause(date(2025, 3, 5)))
    assert s.open_pause == Pause(date(2025, 3, 5))
    assert s.due_date(CAL) == date(2025, 3, 10)  # provisional: as if resumed on the pause day
    today = date(2025, 3, 20)  # long after the provisional due date
    assert s.state(today, CAL) == State.PAUSED
    assert s.working_days_left(today, CAL) == 3  # 4 and 5 used, frozen since
    assert s.paused_working_days(today, CAL) == 11  # 6, 7, 10–14, 17–20
    resumed = schedule(Pause(date(2025, 3, 5), today))
    assert resumed.due_date(CAL) == date(2025, 3, 25)  # 21, 24, 25
    assert resumed.state(today, CAL) == State.RUNNING


def test_two_pauses_and_a_new_pause_on_the_resume_day() -> None:
    s = schedule(Pause(date(2025, 3, 4), date(2025, 3, 5)), Pause(date(2025, 3, 5), date(2025, 3, 6)))
    assert s.paused_working_days(date(2025, 3, 31), CAL) == 2  # 5, then 6
    assert s.due_date(CAL) == date(2025, 3, 12)


@pytest.mark.parametrize(
    "pauses",
    [
        (Pause(date(2025, 3, 2), date(2025, 3, 4)),),  # before day zero
        (Pause(date(2025, 3, 5), date(2025, 3, 4)),),  # resumes before pausing
        (Pause(date(2025, 3, 4)), Pause(date(2025, 3, 6))),  # paused twice
        (Pause(date(2025, 3, 4), date(2025, 3, 7)), Pause(date(2025, 3, 6), date(2025, 3, 10))),  # overlap
    ],
)
def test_inconsistent_pauses_are_refused(pauses: tuple[Pause, ...]) -> None:
    with pytest.raises(ValueError):
        Schedule(START, 5, pauses=pauses)


def test_states_with_an_explicit_today() -> None:
    s = schedule()  # due Mon 03-10
    assert s.state(date(2025, 3, 7), CAL) == State.RUNNING
    assert s.working_days_left(date(2025, 3, 7), CAL) == 1
    assert s.state(date(2025, 3, 10), CAL) == State.RUNNING  # the due day itself is on time
    assert s.working_days_left(date(2025, 3, 10), CAL) == 0
    assert s.state(date(2025, 3, 11), CAL) == State.OVERDUE
    assert s.working_days_left(date(2025, 3, 12), CAL) == -2
    met = schedule(stopped_on=date(2025, 3, 12))
    assert met.state(date(2025, 4, 1), CAL) == State.MET
    assert met.working_days_left(date(2025, 4, 1), CAL) == -2  # it was met two working days late


def test_pausing_after_the_due_date_does_not_revive_the_clock() -> None:
    s = schedule(Pause(date(2025, 3, 11)))
    assert s.state(date(2025, 3, 11), CAL) == State.OVERDUE
    on_due_day = schedule(Pause(date(2025, 3, 10)))  # the due day counted before the pause
    assert on_due_day.state(date(2025, 3, 10), CAL) == State.PAUSED
    assert on_due_day.state(date(2025, 3, 11), CAL) == State.OVERDUE


def test_extension_adds_working_days() -> None:
    s = Schedule(date(2025, 1, 20), 20, extension_days=20)
    assert s.due_date(CAL) == engine.add_working_days(date(2025, 1, 20), 40, CAL) == date(2025, 3, 21)


def test_a_calendar_without_working_days_does_not_hang() -> None:
    with pytest.raises(ValueError):
        engine.add_working_days(START, 1, lambda d: False)


# --- the calendar object, built from plain data --------------------------------------------------------------


def test_strict_calendar_raises_for_2027() -> None:
    with pytest.raises(CalendarNotCovered) as caught:
        engine.add_working_days(date(2026, 12, 21), 20, WorkingCalendar())
    assert caught.value.year == 2027


def test_lenient_calendar_estimates_2027_with_weekends_and_remembers_it() -> None:
    cal = WorkingCalendar(strict=False)
    # 12-22..25, 28..31 (8), 2027-01-01 Friday taken as a working day (9), 01-04..08, 11..15, 18.
    assert engine.add_working_days(date(2026, 12, 21), 20, cal) == date(2027, 1, 18)
    assert cal.uncovered_years == {2027}


def test_overrides_and_complete_years() -> None:
    cal = WorkingCalendar({date(2027, 1, 1): False, date(2026, 3, 4): False}, complete_years={2027})
    assert engine.add_working_days(date(2026, 12, 21), 20, cal) == date(2027, 1, 19)
    assert not cal(date(2026, 3, 4))  # an ordinary Wednesday overridden as a day off
    assert cal.covers(2027) and cal.covers(2026) and not cal.covers(2028)


def test_a_clock_left_open_for_years_still_answers() -> None:
    s = Schedule(date(2012, 1, 4), 15)
    assert s.working_days_left(date(2026, 6, 1), CAL) < -3000
    assert s.state(date(2026, 6, 1), CAL) == State.OVERDUE
