"""The staff admin of letters: who sees what, the first reading, actions with their errors, attachments, masks
(edited, recorded, reflected in the public snapshot), deadlines, the dashboard panel, statistics and the daily
check."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cms.deadlines.calendar import CHINA_TZ, local_today
from cms.deadlines.models import Clock
from plugins.mailbox import transitions as t
from plugins.mailbox.attachments import CheckedFile
from plugins.mailbox.choices import Complexity, State
from plugins.mailbox.models import Letter
from plugins.mailbox.stats import letter_statistics

from .helpers import approve

pytestmark = pytest.mark.django_db

BASE = "/admin/mailbox/letters/"


def detail(letter) -> str:
    return f"{BASE}{letter.pk}/"


def replied(make_letter, staff, **data):
    """A letter answered on the spot by the petitions office and approved by ankang's chain."""
    letter = make_letter(**data)
    t.triage(letter, staff["office"], Complexity.SIMPLE)
    reply = t.draft_reply(letter, staff["office"], "王小明您好：请携带身份证到汉滨区政务服务中心办理。")
    t.submit_reply(letter, staff["office"])
    for user in (staff["office_head"], staff["leader"], staff["office_admin"]):
        approve(reply, user)
    letter.refresh_from_db()
    return letter


def test_each_box_is_seen_by_its_department(client, make_letter, staff, django_user_model):
    to_chief = make_letter()
    complaint = make_letter("jubao", "complaint", subject="投诉某民警态度恶劣")
    client.force_login(staff["office"])
    page = client.get(BASE).content.decode()
    assert to_chief.number in page and complaint.number not in page
    assert client.get(detail(complaint)).status_code == 404  # 纪委's letter, not the petitions office's
    client.force_login(staff["jiwei"])
    page = client.get(BASE).content.decode()
    assert complaint.number in page and to_chief.number not in page
    client.force_login(staff["leader"])
    page = client.get(BASE).content.decode()
    assert complaint.number in page and to_chief.number in page
    client.force_login(staff["stranger"])  # another department: sees only what is routed to it (nothing yet)
    page = client.get(BASE).content.decode()
    assert complaint.number not in page and to_chief.number not in page
    client.force_login(outsider(django_user_model))
    assert client.get(BASE).status_code == 404


def outsider(django_user_model):
    """An admin user in no department."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("no-department", password="pw-123456")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_opening_records_the_first_reading_and_routing_shows_the_letter(client, make_letter, staff, department):
    letter = make_letter()
    client.force_login(staff["huzheng"])
    assert client.get(detail(letter)).status_code == 404  # not routed to 户政 yet
    client.force_login(staff["office"])
    page = client.get(detail(letter))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    letter.refresh_from_db()
    assert letter.read_by == staff["office"] and letter.read_at is not None
    first = letter.read_at
    client.get(detail(letter))
    letter.refresh_from_db()
    assert letter.read_at == first
    response = client.post(f"{detail(letter)}route/", {"route-department": "huzheng", "route-note": "请答复"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.state == State.ROUTED and letter.department.code == "huzheng"
    client.force_login(staff["huzheng"])
    page = client.get(detail(letter)).content.decode()
    assert 'data-action="answer"' in page and 'data-action="route"' not in page


def test_a_refused_action_shows_the_reason_and_changes_nothing(client, make_letter, staff):
    letter = make_letter()
    client.force_login(staff["office"])
    response = client.post(f"{detail(letter)}answer/", {"answer-text": "答复"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["您无权对该来信执行此操作。"]
    response = client.post(f"{detail(letter)}extend/", {"extend-days": "5", "extend-reason": "需核实"}, follow=True)
    assert "您无权" in [str(m) for m in response.context["messages"]][-1]
    client.force_login(staff["leader"])
    response = client.post(f"{detail(letter)}extend/", {"extend-days": "99", "extend-reason": "需核实"})
    assert response.status_code == 200 and "请改正“延长答复期限”中的错误。" in response.content.decode()
    letter.refresh_from_db()
    assert letter.reply_clock.extension_days == 0 and letter.history.count() == 1


def test_attachments_download_only_for_staff_who_see_the_letter(client, ankang, box, kind, staff):
    from .helpers import WRITER

    png = CheckedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"1" * 10, "image/png", "png")
    letter, _code, _ = t.submit(ankang, box("juzhang"), kind("consultation"), WRITER, attachments=[png])
    item = letter.attachments.get()
    url = f"{detail(letter)}attachments/{item.pk}/"
    client.force_login(staff["office"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png.content
    assert response["Content-Type"] == "image/png" and "attachment;" in response["Content-Disposition"]
    client.force_login(staff["jiwei"])
    assert client.get(url).status_code == 404


def test_masks_are_edited_recorded_and_published(client, make_letter, staff):
    letter = replied(
        make_letter,
        staff,
        content="我叫王小明，与邻居李建国因停车发生纠纷，请民警调解。车牌陕G12345，电话13912345678。",
    )
    client.force_login(staff["office_admin"])
    page = client.get(detail(letter)).content.decode()
    assert "data-preview" in page and "<mark" in page
    response = client.post(f"{detail(letter)}edit_masks/", {"edit_masks-add": "停车", "edit_masks-keep": ""})
    assert response.status_code == 302
    response = client.post(f"{detail(letter)}publish/")
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.is_published and "停车" not in letter.public_content
    for secret in ("王小明", "李建国", "陕G12345", "13912345678"):
        assert secret not in letter.public_content + letter.public_reply
    reasons = list(letter.history.values_list("history_change_reason", flat=True))
    assert any(r.startswith("masks edited: add ['停车']") for r in reasons) and "published" in reasons
    # A later edit updates the public snapshot at once.
    t.edit_masks(letter, staff["office_admin"], [], ["停车"])
    letter.refresh_from_db()
    assert "停车" in letter.public_content
    client.force_login(staff["office"])  # an editor, not the column's administrator
    page = client.get(detail(letter)).content.decode()
    assert "data-preview" not in page and 'data-action="publish"' not in page


def test_a_writer_who_said_no_is_never_published(make_letter, staff):
    letter = replied(make_letter, staff, public_allowed=False)
    with pytest.raises(t.TransitionError) as exc:
        t.publish(letter, staff["office_admin"])
    assert exc.value.messages == ["来信人要求不公开该来信。"]


def test_deadlines_panel_and_the_daily_check(client, make_letter, staff, django_user_model):
    today = local_today()
    late = make_letter(when=datetime.combine(today - timedelta(days=30), datetime.min.time(), tzinfo=CHINA_TZ))
    fresh = make_letter(subject="刚刚收到", when=timezone.now())
    Letter.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    client.force_login(staff["office"])
    page = client.get(f"{BASE}deadlines/").content.decode()
    overdue = page.split("data-overdue")[1].split("data-due-soon")[0]
    assert late.number in overdue and fresh.number not in overdue
    unread = page.split("data-unread-list>")[-1]
    assert late.number in unread and fresh.number not in unread  # fresh is not a day old yet
    home = client.get("/admin/").content.decode()
    assert 'id="mailbox-letters-section"' in home and 'data-overdue-count="1"' in home
    assert 'data-unread-alert="1"' in home
    out = io.StringIO()
    call_command("mailbox_daily_check", "--portal", "ankang", stdout=out)
    assert "局长信箱：超时未读 1，已超期 1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("mailbox_daily_check", "--fail-on-alert", stdout=io.StringIO())
    client.force_login(outsider(django_user_model))
    assert 'id="mailbox-letters-section"' not in client.get("/admin/").content.decode()


def test_statistics_per_department_and_month(client, ankang, make_letter, staff, department):
    march = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TZ)
    on_time = replied(make_letter, staff, when=march)
    # replied on 4 March (the chain ran today): the letter and its clock say so
    Letter.objects.filter(pk=on_time.pk).update(replied_on=date(2026, 3, 4))
    Clock.objects.filter(pk=on_time.reply_clock.pk).update(stopped_on=date(2026, 3, 4))
    routed = make_letter(when=march)
    t.route(routed, staff["office"], department("huzheng"), on=date(2026, 3, 3))
    make_letter("jubao", "complaint", when=datetime(2026, 4, 1, 9, 0, tzinfo=CHINA_TZ))
    rows = letter_statistics(ankang, 2026, today=date(2026, 4, 20))
    by_key = {(r.department, r.month): r for r in rows}
    xinfang = by_key[("信访科", 3)]
    assert (xinfang.received, xinfang.replied, xinfang.on_time, xinfang.average_reply_days) == (1, 1, 1, 2.0)
    huzheng = next(r for r in rows if r.month == 3 and r.department == department("huzheng").name)
    assert (huzheng.received, huzheng.open, huzheng.overdue) == (1, 1, 1)
    total_march = next(r for r in rows if r.department == "" and r.month == 3)
    assert (total_march.received, total_march.replied, total_march.on_time_rate) == (2, 1, 100.0)
    client.force_login(staff["office"])
    page = client.get(f"{BASE}statistics/", {"portal": "ankang", "year": 2026}).content.decode()
    assert 'data-row="信访科-3"' in page and "100.0%" in page
    client.force_login(staff["huzheng"])
    assert client.get(f"{BASE}statistics/").status_code == 404
