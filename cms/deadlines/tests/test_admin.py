"""The working calendar in the Wagtail admin: snippets and the dashboard coverage panel."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from cms.deadlines.calendar import local_today
from cms.deadlines.models import CalendarDay, CalendarYear, Clock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_calendar_snippets_list_and_add(admin_client) -> None:
    CalendarDay.objects.create(date=date(2027, 2, 6), is_workday=False, name="春节")
    CalendarYear.objects.create(year=2027, complete=False)
    response = admin_client.get(reverse("wagtailsnippets_deadlines_calendarday:list"))
    assert response.status_code == 200
    assert "春节" in response.content.decode()
    assert admin_client.get(reverse("wagtailsnippets_deadlines_calendaryear:list")).status_code == 200
    response = admin_client.post(
        reverse("wagtailsnippets_deadlines_calendarday:add"),
        {"date": "2027-02-07", "is_workday": "", "name": "春节", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarDay.objects.filter(date=date(2027, 2, 7), is_workday=False).exists()


def test_dashboard_warns_about_an_uncovered_year_with_open_clocks(admin_client) -> None:
    Clock.start_for(None, kind="letter_reply", start_date=date(2026, 12, 21), limit_days=20)
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "calendar-coverage" in html
    assert "2027" in html and "1 open deadline runs into that year" in html


def test_dashboard_panel_only_for_calendar_editors(client, django_user_model) -> None:
    Clock.start_for(None, kind="letter_reply", start_date=date(2026, 12, 21), limit_days=20)
    user = django_user_model.objects.create_user("editor", password="pw-123456")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "calendar-coverage" not in html
    user.user_permissions.add(Permission.objects.get(codename="change_calendarday"))
    user = django_user_model.objects.get(pk=user.pk)  # drop the permission cache
    client.force_login(user)
    assert "calendar-coverage" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_no_panel_when_everything_is_covered(admin_client) -> None:
    for year in {2027, local_today().year, local_today().year + 1}:
        CalendarYear.objects.create(year=year, complete=True)
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "calendar-coverage" not in html


def test_editing_and_deleting_a_day_in_the_admin_moves_due_dates(admin_client) -> None:
    clock = Clock.start_for(None, kind="publication", start_date=date(2026, 3, 2), limit_days=5)
    day = CalendarDay.objects.create(date=date(2026, 3, 4), is_workday=False, name="local holiday")
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 3, 10)
    edit_url = reverse("wagtailsnippets_deadlines_calendarday:edit", args=[day.pk])
    assert admin_client.get(edit_url).status_code == 200
    response = admin_client.post(edit_url, {"date": "2026-03-04", "is_workday": "on", "name": "", "note": "undo"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 3, 9)
    response = admin_client.post(reverse("wagtailsnippets_deadlines_calendarday:delete", args=[day.pk]))
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    assert day.history.count() == 3  # created, changed, deleted
