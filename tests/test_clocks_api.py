"""The staff clock API: open deadlines with their state and, for an uncovered year, the calendar warning."""

from __future__ import annotations

import datetime

import pytest

from pages.models import GovernmentDocumentPage

pytestmark = pytest.mark.django_db


def document(column, title, created_on):
    page = GovernmentDocumentPage(title=title, live=False, created_on=created_on)
    column.add_child(instance=page)
    page.save_revision()
    return page


def test_clocks_are_for_staff_only(client, member):
    assert client.get("/api/clocks/").status_code == 403
    client.force_login(member("xingjing"))
    assert client.get("/api/clocks/").status_code == 200


def test_a_deadline_in_an_uncovered_year_carries_the_calendar_warning(client, column, member):
    late = document(column("xxgk/zwgk/zfwj"), "跨年发布的文件", datetime.date(2026, 12, 29))
    document(column("xxgk/zwgk/zfwj"), "年内发布的文件", datetime.date(2026, 11, 2))
    client.force_login(member("mishu"))
    data = client.get("/api/clocks/?kind=publication").json()
    by_title = {c["owner"]["title"]: c for c in data["results"]}
    crossing = by_title["跨年发布的文件"]
    assert crossing["owner"] == {"type": "pages.GovernmentDocumentPage", "id": late.pk, "title": "跨年发布的文件"}
    assert crossing["limit_days"] == 5 and crossing["due_date"].startswith("2027-01")
    assert crossing["due_date_is_estimate"] is True
    assert "2027年的节假日安排尚未录入" in crossing["calendar_warning"]
    within = by_title["年内发布的文件"]
    assert within["due_date_is_estimate"] is False and not within["calendar_warning"]
    assert within["state"] == "overdue"  # 2026-11-02 + 5 working days is long past


def test_state_filter_and_bad_values(client, column, member):
    document(column("xxgk/zwgk/zfwj"), "逾期文件", datetime.date(2026, 1, 5))
    client.force_login(member("mishu"))
    overdue = client.get("/api/clocks/?state=overdue").json()
    assert overdue["results"] and all(c["state"] == "overdue" for c in overdue["results"])
    assert client.get("/api/clocks/?state=soon").status_code == 400
