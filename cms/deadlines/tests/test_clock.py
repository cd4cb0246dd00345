"""Clocks in the database: changes and their refusals, states, the admin's calendar, estimates and history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from cms.deadlines import calendar
from cms.deadlines.coverage import coverage_gaps
from cms.deadlines.engine import CalendarNotCovered, State
from cms.deadlines.models import CalendarDay, CalendarYear, Clock, ClockPause

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]

RECEIVED = date(2025, 1, 20)  # a Monday a week before the 2025 Spring Festival


@pytest.fixture(autouse=True)
def english():
    """Assert the English msgids, whatever translations exist."""
    with translation.override("en"):
        yield


@pytest.fixture
def approver(django_user_model):
    return django_user_model.objects.create_user("leader", first_name="Wang", password="pw-123456")


@pytest.fixture
def request_clock(approver) -> Clock:
    """A disclosure request under the 2019 regulation: 20 working days, extendable once by 20. Owned by a user
    here only because any model can own a clock."""
    return Clock.start_for(
        approver, kind="disclosure_request", start_date=RECEIVED, limit_days=20, max_extension_days=20
    )


@contextmanager
def refused(code: str) -> Iterator[pytest.ExceptionInfo[ValidationError]]:
    """Expect a ValidationError with this code."""
    with pytest.raises(ValidationError) as caught:
        yield caught
    assert caught.value.code == code, caught.value


def test_a_clock_stores_its_due_date_and_owner(request_clock: Clock, approver) -> None:
    request_clock.refresh_from_db()
    assert request_clock.due_date == date(2025, 2, 21)
    assert request_clock.original_start_date == RECEIVED
    assert request_clock.owner == approver
    assert list(Clock.objects.for_object(approver)) == [request_clock]
    assert request_clock.calendar_warning is None and not request_clock.is_estimate


def test_15_day_clock_from_the_2008_rules() -> None:
    clock = Clock.start_for(None, kind="disclosure_request", start_date=RECEIVED, limit_days=15)
    assert clock.due_date == date(2025, 2, 14)


def test_states_against_an_explicit_today(request_clock: Clock) -> None:
    assert request_clock.state_on(date(2025, 2, 20)) == State.RUNNING
    assert request_clock.working_days_left(date(2025, 2, 20)) == 1
    assert request_clock.is_due_soon(date(2025, 2, 18))  # 3 left
    assert not request_clock.is_due_soon(date(2025, 2, 17))  # 4 left
    assert request_clock.state_on(date(2025, 2, 22)) == State.OVERDUE
    assert list(Clock.objects.overdue(date(2025, 2, 22))) == [request_clock]
    assert not Clock.objects.overdue(date(2025, 2, 21)).exists()
    request_clock.stop(date(2025, 2, 24))
    assert request_clock.state_on(date(2025, 3, 1)) == State.MET
    assert request_clock.as_dict(date(2025, 3, 1))["met_on_time"] is False
    assert not Clock.objects.overdue(date(2025, 3, 1)).exists()
    with refused("stopped"):
        request_clock.stop(date(2025, 2, 25))
    with refused("stopped"):
        request_clock.pause(date(2025, 2, 25), "too late")


def test_pause_and_resume_semantics(request_clock: Clock) -> None:
    # Paused Wed 2025-02-05 (counts: day 7), resumed Fri 02-07 (does not count): Thu 6 and Fri 7 are paused.
    request_clock.pause(date(2025, 2, 5), "第三方意见征询")
    assert request_clock.paused_since == date(2025, 2, 5)
    assert request_clock.state_on(date(2025, 3, 31)) == State.PAUSED
    assert request_clock.working_days_left(date(2025, 3, 31)) == 20 - 7
    assert Clock.objects.paused().get() == request_clock
    assert not Clock.objects.overdue(date(2025, 3, 31)).exists()
    with refused("already_paused"):
        request_clock.pause(date(2025, 2, 6), "twice")
    with refused("resume_before_pause"):
        request_clock.resume(date(2025, 2, 4))
    request_clock.resume(date(2025, 2, 7))
    assert request_clock.paused_since is None
    assert request_clock.due_date == date(2025, 2, 25)  # two working days later than 02-21
    assert request_clock.paused_working_days(date(2025, 3, 31)) == 2
    with refused("not_paused"):
        request_clock.resume(date(2025, 2, 10))
    with refused("before_last_resume"):
        request_clock.pause(date(2025, 2, 6), "overlapping")
    # A same-day pause costs nothing; a new pause may begin on the last resume day.
    request_clock.pause(date(2025, 2, 7), "quick question")
    request_clock.resume(date(2025, 2, 7))
    assert request_clock.due_date == date(2025, 2, 25)
    assert request_clock.as_dict(date(2025, 2, 10))["paused_working_days"] == 2


def test_pause_needs_a_reason_and_day_zero(request_clock: Clock) -> None:
    with refused("reason_required"):
        request_clock.pause(date(2025, 2, 5), "  ")
    with refused("before_start"):
        request_clock.pause(date(2025, 1, 19), "before receipt")


def test_extension_once_with_approver_and_reason(request_clock: Clock, approver) -> None:
    with refused("extension_too_long"):
        request_clock.extend(21, approver, "complex")
    with refused("approver_required"):
        request_clock.extend(20, None, "complex")
    with refused("reason_required"):
        request_clock.extend(20, approver, "")
    request_clock.extend(20, approver, "需要调取档案")
    request_clock.refresh_from_db()
    assert request_clock.due_date == date(2025, 3, 21)  # the 40th working day
    assert request_clock.extension_approver == approver
    assert request_clock.extension_approver_name == "Wang"
    assert request_clock.extended_at is not None
    with refused("already_extended") as caught:
        request_clock.extend(1, approver, "again")
    assert "already extended once" in caught.value.messages[0]


def test_a_clock_without_extension_allowance_refuses_one(approver) -> None:
    clock = Clock.start_for(None, kind="publication", start_date=RECEIVED, limit_days=5)
    assert clock.due_date == date(2025, 1, 26)  # the 调休 Sunday is the 5th working day
    with refused("not_extendable"):
        clock.extend(1, approver, "please")


def test_restart_from_a_corrected_request(request_clock: Clock, approver) -> None:
    request_clock.pause(date(2025, 1, 22), "补正")
    request_clock.extend(5, approver, "before correction")
    with refused("restart_too_early"):
        request_clock.restart(date(2025, 1, 21))
    request_clock.restart(date(2025, 9, 22))  # the corrected request arrives before National Day
    request_clock.refresh_from_db()
    assert request_clock.start_date == date(2025, 9, 22)
    assert request_clock.original_start_date == RECEIVED
    assert request_clock.restart_count == 1
    assert request_clock.extension_days == 0 and request_clock.extension_approver is None
    assert request_clock.paused_since is None
    assert ClockPause.objects.get(clock=request_clock).resumed_on == date(2025, 9, 22)
    assert request_clock.due_date == date(2025, 10, 24)  # 20 working days over the 2025 National Day holiday
    data = request_clock.as_dict(date(2025, 10, 1))
    assert data["pauses"] == [] and data["paused_working_days"] == 0 and data["restarts"] == 1
    request_clock.extend(20, approver, "the new run may be extended once")
    assert request_clock.due_date == engine_add(date(2025, 9, 22), 40)


def engine_add(start: date, n: int) -> date:
    return calendar.add_working_days(start, n)


def test_stop_while_paused_closes_the_pause(request_clock: Clock) -> None:
    request_clock.pause(date(2025, 2, 5), "consulting")
    with refused("stop_too_early"):
        request_clock.stop(date(2025, 2, 4))
    request_clock.stop(date(2025, 2, 10))
    pause = request_clock.pauses.get()
    assert pause.resumed_on == date(2025, 2, 10)
    data = request_clock.as_dict(date(2025, 3, 1))
    assert data["state"] == "met" and data["met_on_time"] is True
    assert data["stopped_on"] == "2025-02-10"


def test_as_dict(request_clock: Clock, approver) -> None:
    request_clock.extend(10, approver, "档案调取")
    data = request_clock.as_dict(date(2025, 2, 20))
    assert data == {
        "kind": "disclosure_request",
        "start_date": "2025-01-20",
        "original_start_date": "2025-01-20",
        "restarts": 0,
        "limit_days": 20,
        "extension": {"days": 10, "reason": "档案调取", "at": request_clock.extended_at.isoformat()},
        "due_date": "2025-03-07",
        "due_date_is_estimate": False,
        "state": "running",
        "state_label": "running",
        "working_days_left": 11,
        "is_due_soon": False,
        "paused_since": None,
        "paused_working_days": 0,
        "pauses": [],
        "stopped_on": None,
        "met_on_time": None,
        "calendar_warning": None,
    }


def test_history_records_every_change(request_clock: Clock, approver) -> None:
    request_clock.pause(date(2025, 2, 5), "consulting")
    request_clock.resume(date(2025, 2, 7))
    request_clock.extend(5, approver, "complex")
    request_clock.restart(date(2025, 3, 3))
    reasons = list(request_clock.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == [None, "paused", "resumed", "extended", "restarted"]
    dues = list(request_clock.history.order_by("history_id").values_list("due_date", flat=True))
    assert dues[:3] == [date(2025, 2, 21), date(2025, 2, 21), date(2025, 2, 25)]
    assert request_clock.history.filter(extension_days=5, extension_approver=approver).exists()
    assert ClockPause.history.filter(clock_id=request_clock.pk).count() == 2  # created, then resumed


def test_editing_a_pause_directly_recomputes_its_clock(request_clock: Clock) -> None:
    pause = request_clock.pause(date(2025, 2, 5), "consulting")
    request_clock.resume(date(2025, 2, 7))
    pause.refresh_from_db()
    pause.resumed_on = date(2025, 2, 10)
    pause.save()
    request_clock.refresh_from_db()
    assert request_clock.due_date == date(2025, 2, 27)  # 6, 7, the 调休 Saturday 8 and 10 are paused
    pause.delete()
    request_clock.refresh_from_db()
    assert request_clock.due_date == date(2025, 2, 21)


# --- the admin's calendar ----------------------------------------------------------------------------------


def test_public_helpers_read_the_package_and_refuse_unknown_years() -> None:
    assert calendar.is_workday(date(2025, 1, 26))  # 调休 Sunday
    assert not calendar.is_workday(date(2025, 1, 28))
    assert calendar.add_working_days(date(2026, 2, 9), 15) == date(2026, 3, 6)
    assert calendar.working_days_between(date(2026, 9, 21), date(2026, 10, 19)) == 15
    assert calendar.coverage_warning(date(2026, 6, 1)) is None
    with pytest.raises(CalendarNotCovered) as caught:
        calendar.is_workday(date(2027, 1, 4))
    assert caught.value.year == 2027
    assert "2027" in calendar.coverage_warning(date(2027, 1, 4))
    assert not calendar.year_is_covered(2027)


def test_a_clock_into_an_uncovered_year_is_a_flagged_estimate() -> None:
    clock = Clock.start_for(None, kind="letter_reply", start_date=date(2026, 12, 21), limit_days=20)
    assert clock.due_date == date(2027, 1, 18)  # Monday–Friday estimate (it even counts 2027-01-01)
    assert clock.uncovered_years == [2027] and clock.is_estimate
    warning = clock.calendar_warning
    assert "2027" in warning and "Working calendar" in warning
    data = clock.as_dict(date(2027, 1, 5))
    assert data["due_date"] == "2027-01-18" and data["due_date_is_estimate"] and data["state"] == "running"
    assert data["calendar_warning"] == warning
    assert clock.is_due_soon(date(2027, 1, 13)) and clock.state_on(date(2027, 1, 19)) == State.OVERDUE
    # The estimate never crashes a request, even when only "today" is uncovered.
    old = Clock.start_for(None, kind="letter_reply", start_date=date(2026, 12, 1), limit_days=3)
    assert old.calendar_warning is None
    old_data = old.as_dict(date(2027, 2, 1))
    assert "2027" in old_data["calendar_warning"] and not old_data["due_date_is_estimate"]
    assert old_data["state"] == "overdue" and old_data["working_days_left"] < 0
    assert [(g.year, g.open_clocks) for g in coverage_gaps(date(2026, 12, 1))] == [(2027, 1)]


def test_a_complete_2027_with_its_days_replaces_the_estimate() -> None:
    clock = Clock.start_for(None, kind="letter_reply", start_date=date(2026, 12, 21), limit_days=20)
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    clock.refresh_from_db()
    assert clock.is_estimate  # days alone do not cover a year
    CalendarYear.objects.create(year=2027, complete=True, note="国务院办公厅通知")
    clock.refresh_from_db()
    assert clock.due_date == date(2027, 1, 19) and clock.uncovered_years == []
    assert clock.calendar_warning is None
    assert clock.history.first().history_change_reason == "calendar changed"
    assert calendar.is_workday(date(2027, 1, 4)) and not calendar.is_workday(date(2027, 1, 1))
    assert calendar.coverage_warning(date(2027, 5, 1)) is None
    assert coverage_gaps(date(2026, 12, 1)) == []
    # A 调休 Saturday entered later pulls the due date in.
    CalendarDay.objects.create(date=date(2027, 1, 9), is_workday=True, name="调休上班")
    clock.refresh_from_db()
    assert clock.due_date == date(2027, 1, 18)


def test_an_override_of_a_2026_day_changes_results_and_running_clocks() -> None:
    clock = Clock.start_for(None, kind="publication", start_date=date(2026, 3, 2), limit_days=5)
    assert clock.due_date == date(2026, 3, 9)  # Mon 03-02: 3, 4, 5, 6, 9
    day = CalendarDay.objects.create(date=date(2026, 3, 4), is_workday=False, name="local holiday")
    assert not calendar.is_workday(date(2026, 3, 4))
    assert calendar.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 10)
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 3, 10)
    day.date = date(2026, 3, 7)  # moved onto a Saturday, now a working day: the old date counts again
    day.is_workday = True
    day.save()
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 3, 7)
    day.delete()
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 3, 9)


def test_next_year_reminder_after_november_first() -> None:
    assert coverage_gaps(date(2026, 10, 31)) == []
    assert [(g.year, g.open_clocks) for g in coverage_gaps(date(2026, 11, 1))] == [(2027, 0)]


def test_recompute_clocks_command(capsys) -> None:
    clock = Clock.start_for(None, kind="publication", start_date=date(2026, 3, 2), limit_days=5)
    Clock.objects.filter(pk=clock.pk).update(due_date=date(2026, 1, 1))  # stale, as after a package upgrade
    call_command("recompute_clocks")
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 3, 9)
    assert "1 clock(s) changed" in capsys.readouterr().out
