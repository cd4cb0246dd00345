"""Admin of disclosure requests: list, detail, actions, offline registration, deadline lists, dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.deadlines.calendar import local_today
from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.models import DisclosureRequest

from .staff_fixtures import *  # noqa: F403 - fixtures: admin_user, make_request, office
from .staff_fixtures import APPLICANT, received_with_days_left

pytestmark = pytest.mark.django_db

BASE = "/admin/disclosure-requests/requests/"


def detail(req) -> str:
    return f"{BASE}{req.pk}/"


def test_departments_see_only_their_requests_and_the_office_all(
    client, make_request, admin_user, department, office, member
):
    a, b = make_request(title="交警的请求"), make_request(title="刑警的请求")
    t.assign(a, admin_user, department("jiaojing"))
    t.assign(b, admin_user, department("xingjing"))
    client.force_login(member("jiaojing", "editors"))
    html = client.get(BASE).content.decode()
    assert a.number in html and b.number not in html
    assert client.get(detail(b)).status_code == 404
    assert client.get(detail(a)).status_code == 200
    client.force_login(member("mishu", "heads"))
    html = client.get(BASE).content.decode()
    assert a.number in html and b.number in html


def test_list_filters_and_bounded_queries(client, admin_user, make_request):
    late = make_request(received=received_with_days_left(range(-30, -1)), title="逾期的请求")
    for i in range(5):
        make_request(title=f"普通请求{i}")
    client.force_login(admin_user)
    html = client.get(BASE, {"overdue": "on"}).content.decode()
    assert late.number in html and "普通请求0" not in html
    html = client.get(BASE, {"q": "普通请求"}).content.decode()
    assert "普通请求4" in html and late.number not in html

    def count(q):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BASE, {"q": q}).status_code == 200
        return len(ctx.captured_queries)

    assert count("普通请求1") == count("普通请求")


def test_actions_change_state_and_history_shows_the_user(client, make_request, office, member):
    req = make_request()
    clerk = member("mishu", "editors", username="office-clerk")
    client.force_login(clerk)
    page = client.get(detail(req)).content.decode()
    assert 'data-action="start_check"' in page and 'data-action="extend"' not in page  # editors may not extend
    response = client.post(f"{detail(req)}start_check/")
    assert response.status_code == 302
    response = client.post(f"{detail(req)}assign/", {"assign-department": "jiaojing", "assign-note": "请交警支队办理"})
    req.refresh_from_db()
    assert req.state == "assigned" and req.department.code == "jiaojing"
    page = client.get(detail(req)).content.decode()
    assert 'data-history-user="office-clerk"' in page
    assert "assigned to jiaojing" in page
    assert "请交警支队办理" in page


def test_illegal_action_shows_the_error_and_changes_nothing(client, admin_user, make_request):
    req = make_request()
    client.force_login(admin_user)
    response = client.post(f"{detail(req)}record_fee_paid/")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["申请处于“已登记”状态，不能执行此操作。"]
    req.refresh_from_db()
    assert req.state == "received" and req.history.count() == 1
    # A transition refusing: a correction must be asked within 7 working days of receipt.
    old = make_request(received=local_today() - timedelta(days=40))
    response = client.post(f"{detail(old)}request_correction/", {"request_correction-note": "请写明年份"}, follow=True)
    message = [str(m) for m in response.context["messages"]][-1]
    assert message.startswith("应在收到申请后7个工作日内")
    assert message in response.content.decode()
    old.refresh_from_db()
    assert old.state == "received" and old.correction_note == "" and old.history.count() == 1


def test_extension_only_for_office_heads(client, make_request, office, member):
    req = make_request()
    client.force_login(member("mishu", "editors"))
    client.post(f"{detail(req)}extend/", {"extend-days": "10", "extend-reason": "需调档"})
    assert req.clock.extension_days == 0
    client.force_login(member("mishu", "heads"))
    assert 'data-action="extend"' in client.get(detail(req)).content.decode()
    client.post(f"{detail(req)}extend/", {"extend-days": "10", "extend-reason": "需调档"})
    assert req.clock.extension_days == 10


def test_draft_answer_form_validates_the_reason(client, admin_user, make_request):
    req = make_request()
    client.force_login(admin_user)
    data = {"draft_answer-answer_type": "withhold", "draft_answer-reason": "", "draft_answer-body": "不予公开"}
    response = client.post(f"{detail(req)}draft_answer/", data, follow=True)
    assert DisclosureRequest.objects.get(pk=req.pk).state == "received"
    data["draft_answer-reason"] = "state_secret"
    response = client.post(f"{detail(req)}draft_answer/", data, follow=True)
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.state == "drafting" and req.answer.reason == "state_secret"
    # the detail page links the answer letter, which downloads as DOCX
    page = client.get(detail(req)).content.decode()
    letter = f"/admin/disclosure-requests/letters/{req.answer.pk}/"
    assert letter in page
    assert f"/admin/snippets/disclosure_requests/answer/edit/{req.answer.pk}/" in page  # AdminURLFinder
    download = client.get(letter)
    assert download.status_code == 200 and download.content[:2] == b"PK"


@pytest.mark.parametrize("channel", ["post", "email", "fax"])
def test_register_offline_needs_the_channel_date(client, admin_user, ankang, channel):
    client.force_login(admin_user)
    base = {**APPLICANT, "portal": ankang.pk, "channel": channel, "applicant_type": "person"}
    base |= {"delivery_form": "paper", "receipt_way": "post", "id_type": "居民身份证"}
    before = DisclosureRequest.objects.count()
    response = client.post(f"{BASE}register/", base)
    assert response.status_code == 200 and DisclosureRequest.objects.count() == before
    future = (local_today() + timedelta(days=2)).isoformat()
    response = client.post(f"{BASE}register/", {**base, "channel_date": future})
    assert DisclosureRequest.objects.count() == before
    assert "不能晚于今天" in response.content.decode()  # the date of receipt cannot be in the future
    past = local_today() - timedelta(days=3)
    response = client.post(f"{BASE}register/", {**base, "channel_date": past.isoformat()})
    req = DisclosureRequest.objects.order_by("-pk").first()
    assert req.received_on == past and req.channel == channel and req.registered_by == admin_user
    html = response.content.decode()
    assert req.number in html and "data-query-code" in html
    code = html.split("<code>")[1].split("</code>")[0]
    assert req.check_query_code(code)


def test_register_in_person_is_today_and_shows_the_rules(client, ankang, office, member):
    client.force_login(member("mishu", "editors"))
    page = client.get(f"{BASE}register/").content.decode()
    assert "政务公开办公室签收之日" in page  # the post rule
    data = {**APPLICANT, "portal": ankang.pk, "channel": "in_person", "applicant_type": "person"}
    data |= {"delivery_form": "paper", "receipt_way": "post", "id_type": "居民身份证"}
    client.post(f"{BASE}register/", data)
    req = DisclosureRequest.objects.order_by("-pk").first()
    assert req.channel == "in_person" and req.received_on == local_today()


def test_department_members_may_not_register(client, member):
    client.force_login(member("jiaojing", "editors"))
    assert client.get(f"{BASE}register/").status_code == 404


def test_deadline_lists_and_dashboard_panel(client, make_request, admin_user, department, member, django_user_model):
    late = make_request(received=received_with_days_left(range(-30, -1)), title="逾期")
    soon = make_request(received=received_with_days_left(range(1, 4)), title="将到期")
    fresh = make_request(title="新请求")
    for req in (late, soon, fresh):
        t.assign(req, admin_user, department("jiaojing"))
    client.force_login(member("jiaojing", "heads"))
    html = client.get(f"{BASE}deadlines/").content.decode()
    overdue_part, soon_part = html.split("data-due-soon")[0], html.split("data-due-soon")[-1]
    assert late.number in overdue_part and soon.number not in overdue_part.split("data-overdue")[-1]
    assert soon.number in soon_part and fresh.number not in html
    home = client.get("/admin/").content.decode()
    assert 'id="disclosure-requests-section"' in home
    assert 'data-overdue-count="1"' in home and 'data-due-soon-count="1"' in home
    assert late.number in home and "3 件办理中的申请" in home
    client.force_login(member("xingjing", "heads"))  # another department: its own (zero) counts only
    home = client.get("/admin/").content.decode()
    assert 'data-overdue-count="0"' in home and 'data-due-soon-count="0"' in home and late.number not in home
    outsider = django_user_model.objects.create_user("no-department", password="pw-123456")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)  # an admin user in no department: no panel, no menu, no list
    home = client.get("/admin/").content.decode()
    assert 'id="disclosure-requests-section"' not in home and "data-request-counts" not in home
    assert client.get(BASE).status_code == 404
