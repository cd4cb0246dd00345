"""Fixtures of the staff tests: the ankang office (mishu), requests received on chosen past dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cms.deadlines.calendar import local_today
from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import Channel
from plugins.disclosure_requests.models import RequestRules

APPLICANT = {
    "applicant_name": "张三",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "info_title": "2024年交通事故统计",
    "info_description": "安康市2024年道路交通事故起数、死亡人数",
}


@pytest.fixture
def office(ankang, department):
    """The ankang disclosure office: mishu."""
    rules, _ = RequestRules.objects.get_or_create(portal=ankang)
    rules.office = department("mishu")
    rules.save()
    return rules.office


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("staff-admin", password="pw-123456")


def working_days_back(n: int) -> date:
    """A date about `n` working days before today (Monday to Friday; good enough to choose far-off dates)."""
    d = local_today()
    while n > 0:
        d -= timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


@pytest.fixture
def make_request(ankang, admin_user):
    """Return a function registering a request received by post on `received` (default: today)."""

    def make(received: date | None = None, title: str = APPLICANT["info_title"], **data):
        req, _code, _ = t.submit(
            ankang,
            {**APPLICANT, "info_title": title, **data},
            channel=Channel.POST,
            channel_date=received or local_today(),
            user=admin_user,
        )
        return req

    return make


def received_with_days_left(left_wanted: range, limit: int = 20) -> date:
    """A past date of receipt whose clock (limit 20) has working days left in `left_wanted` today."""
    from cms.deadlines.calendar import WorkingCalendar
    from cms.deadlines.engine import Schedule

    cal = WorkingCalendar.from_db(strict=False)
    today = local_today()
    for back in range(1, 80):
        start = today - timedelta(days=back)
        left = Schedule(start=start, limit_days=limit).working_days_left(today, cal)
        if left in left_wanted:
            return start
    raise AssertionError("no such date")
