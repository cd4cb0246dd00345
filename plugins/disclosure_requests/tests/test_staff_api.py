"""Staff API of disclosure requests: who sees what, filters, detail, actions, personal tokens and caching."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import UserToken
from cms.deadlines.calendar import local_today
from plugins.disclosure_requests import transitions as t

from .staff_fixtures import *  # noqa: F403 - fixtures: admin_user, make_request, office
from .staff_fixtures import received_with_days_left, working_days_back

pytestmark = pytest.mark.django_db

LIST = "/api/disclosure_requests/staff/requests/"


def detail_url(req) -> str:
    return f"{LIST}{quote(req.number)}/"


def action_url(req, action: str) -> str:
    return f"{detail_url(req)}actions/{action}/"


def bearer(user, name="script") -> dict:
    _token, key = UserToken.issue(user, name)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def three(make_request, admin_user, department):
    """Three requests: one at jiaojing, one at xingjing, one not assigned yet."""
    a = make_request(title="交警请求")
    b = make_request(title="刑警请求")
    c = make_request(title="未分派请求")
    t.assign(a, admin_user, department("jiaojing"))
    t.assign(b, admin_user, department("xingjing"))
    return a, b, c


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["results"]}


def test_office_sees_all_departments_see_theirs(client, three, office, member):
    a, b, c = three
    client.force_login(member("mishu", "editors"))
    assert {a.number, b.number, c.number} <= numbers(client.get(LIST))
    client.force_login(member("jiaojing", "editors"))
    assert numbers(client.get(LIST)) == {a.number}
    assert client.get(detail_url(b)).status_code == 404
    assert client.get(detail_url(a)).status_code == 200


def test_outsiders_get_401_or_403(client, three, django_user_model):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(django_user_model.objects.create_user("nobody", password="pw-123456"))
    assert client.get(LIST).status_code == 403


def test_list_gives_personal_data_due_date_and_clock_state(client, admin_user, make_request):
    req = make_request(received=received_with_days_left(range(-30, -1)))
    client.force_login(admin_user)
    response = client.get(LIST, {"q": req.number})
    assert response["Cache-Control"] == "private, no-store"
    (item,) = response.json()["results"]
    assert item["applicant_name"] == "张三"
    assert item["clock_state"] == "overdue"
    assert item["working_days_left"] < 0
    assert item["due_date"] == req.clock.due_date.isoformat()


def test_filters(client, admin_user, make_request, department, three):
    a, b, _c = three
    late = make_request(received=received_with_days_left(range(-30, -1)), title="逾期请求")
    soon = make_request(received=received_with_days_left(range(1, 4)), title="将到期请求")
    client.force_login(admin_user)
    assert numbers(client.get(LIST, {"department": "jiaojing"})) == {a.number}
    assert numbers(client.get(LIST, {"state": "assigned", "q": "警请求"})) == {a.number, b.number}
    assert late.number in numbers(client.get(LIST, {"overdue": "true"}))
    assert a.number not in numbers(client.get(LIST, {"overdue": "true"}))
    due_soon = numbers(client.get(LIST, {"due_soon": "true"}))
    assert soon.number in due_soon and late.number not in due_soon and a.number not in due_soon
    assert numbers(client.get(LIST, {"year": "1999"})) == set()
    assert a.number in numbers(client.get(LIST, {"year": str(a.received_on.year), "channel": "post"}))
    assert numbers(client.get(LIST, {"channel": "fax", "q": "警请求"})) == set()
    assert numbers(client.get(LIST, {"q": "逾期"})) == {late.number}


def test_list_queries_do_not_grow(client, admin_user, make_request):
    for i in range(6):
        make_request(title=f"计数{i}")
    client.force_login(admin_user)

    def count(n):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, {"q": "计数", "limit": n})
        assert len(response.json()["results"]) == n
        return len(ctx.captured_queries)

    assert count(2) == count(6)


def test_detail_has_history_consultations_and_actions(client, admin_user, make_request, department):
    req = make_request()
    t.assign(req, admin_user, department("jiaojing"), note="请办理")
    t.start_consultation(req, admin_user, "third_party", "某公司")
    client.force_login(admin_user)
    data = client.get(detail_url(req)).json()
    assert data["applicant"]["id_number"] == "11010519491231002X"
    assert data["state"] == "consulting"
    assert data["consultations"][0]["party_name"] == "某公司"
    assert data["clock"]["state"] == "paused"
    assert [h["reason"] for h in data["history"]][:3] == ["consultation started", "assigned to jiaojing", "received"]
    assert data["history"][0]["user"] == "staff-admin"
    assert "end_consultation" in data["actions"] and "assign" not in data["actions"]


def test_action_with_a_personal_token(client, make_request, office, member):
    req = make_request()
    clerk = member("mishu", "editors")
    headers = bearer(clerk)
    response = client.post(action_url(req, "start_check"), {}, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "checking"
    assert response["Cache-Control"] == "private, no-store"
    response = client.post(
        action_url(req, "assign"),
        {"department": "jiaojing", "note": "<b>转</b>交警"},
        content_type="application/json",
        **headers,
    )
    assert response.json()["state"] == "assigned"
    req.refresh_from_db()
    assert req.department.code == "jiaojing" and req.transfer_note == "转交警"
    assert req.history.first().history_user == clerk


def test_illegal_and_invalid_actions_are_400_and_change_nothing(client, admin_user, make_request):
    req = make_request()
    headers = bearer(admin_user)
    response = client.post(action_url(req, "send_answer"), {}, content_type="application/json", **headers)
    assert response.status_code == 400
    assert "“" in response.json()["detail"]
    response = client.post(
        action_url(req, "request_correction"), {"note": ""}, content_type="application/json", **headers
    )
    assert response.status_code == 400 and "note" in response.json()
    response = client.post(
        action_url(req, "draft_answer"),
        {"answer_type": "withhold", "reason": "", "body": "不予公开"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_reason"
    req.refresh_from_db()
    assert req.state == "received" and req.history.count() == 1


def test_department_member_may_not_route_403(client, admin_user, make_request, department, member):
    req = make_request()
    t.assign(req, admin_user, department("jiaojing"))
    headers = bearer(member("jiaojing", "editors"))
    response = client.post(
        action_url(req, "assign"), {"department": "xingjing"}, content_type="application/json", **headers
    )
    assert response.status_code == 403
    response = client.post(
        action_url(req, "draft_answer"),
        {"answer_type": "disclose", "body": "予以公开，见附件。"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["state"] == "drafting"
    other = make_request()
    response = client.post(action_url(other, "start_check"), {}, content_type="application/json", **headers)
    assert response.status_code == 404
    assert client.post(f"{LIST}NOPE/actions/start_check/", {}, **headers).status_code == 404


def test_revoked_expired_and_bad_tokens_are_401(client, admin_user, make_request):
    make_request()
    token, key = UserToken.issue(admin_user, "t")
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token.revoke()
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    _t2, key2 = UserToken.issue(admin_user, "t2", expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key2}").status_code == 401
    assert client.get(LIST, HTTP_AUTHORIZATION="Bearer sls_deadbeef_nothing").status_code == 401
    admin_user.is_active = False
    admin_user.save()
    _t3, key3 = UserToken.issue(admin_user, "t3")
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key3}").status_code == 401


def test_session_post_needs_csrf(admin_user, make_request):
    req = make_request()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(action_url(req, "start_check"), {}).status_code == 403
    req.refresh_from_db()
    assert req.state == "received"
    client.get("/admin/")  # the admin sets the CSRF cookie, as in a browser
    token = client.cookies["csrftoken"].value
    response = client.post(action_url(req, "start_check"), {}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["state"] == "checking"
    assert req.history.first().history_user == admin_user


def test_api_token_command_manages_user_tokens(admin_user, client, make_request):
    make_request()
    out = StringIO()
    call_command("api_token", "create-user", "staff-admin", "--name", "报表脚本", "--expires-days", "30", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("sls_")
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    out = StringIO()
    call_command("api_token", "list-user", stdout=out)
    assert "报表脚本" in out.getvalue() and "active" in out.getvalue()
    prefix = key.split("_")[1]
    out = StringIO()
    call_command("api_token", "revoke", f"sls_{prefix}", stdout=out)
    assert "Revoked" in out.getvalue()
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_working_days_back_is_in_the_past():
    assert working_days_back(3) < local_today()
