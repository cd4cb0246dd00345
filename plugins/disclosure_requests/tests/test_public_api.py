"""The public API of disclosure requests: submission (validation, cleaning, idempotency, atomicity, rate limit)
and the status lookup (no personal data, wrong codes answered alike and rate-limited, never cached)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.cache import cache
from stdnum.cn import ric

from cms.deadlines.models import Clock
from plugins.disclosure_requests import transitions
from plugins.disclosure_requests.models import DisclosureRequest, RequestSerial

pytestmark = pytest.mark.django_db

SUBMIT = "/api/disclosure_requests/requests/"
STATUS = "/api/disclosure_requests/status/"


def id_number(body: str = "61090219900101123") -> str:
    """A resident ID number with a valid check digit."""
    return body + ric.calc_check_digit(body + "0")


ID = id_number()


def payload(**changes) -> dict:
    data = {
        "applicant_type": "person",
        "applicant_name": "王秀兰",
        "id_type": "居民身份证",
        "id_number": ID,
        "phone": "13912345678",
        "email": "wangxl@example.cn",
        "address": "陕西省安康市汉滨区兴安路12号",
        "postcode": "725021",
        "info_title": "2025年度汉滨区交通事故统计",
        "info_document_number": "",
        "info_description": "请提供2025年度汉滨区道路交通事故的数量和类型统计。",
        "purpose": "学术研究",
        "delivery_form": "email",
        "receipt_way": "email",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def fresh_counts():
    """Rate-limit counts of earlier tests (and runs, with Redis) do not carry over."""
    cache.clear()
    yield
    cache.clear()


def post(client, data, key: str | None = None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(SUBMIT, json.dumps(data), content_type="application/json", **headers, **extra)


def test_submission_gets_a_number_a_query_code_and_a_clock(client, ankang):
    response = post(client, payload())
    assert response.status_code == 201, response.content
    body = response.json()
    year = date.today().year
    assert re.fullmatch(rf"依申{year}-\d{{4}}", body["number"])
    assert re.fullmatch(r"[23456789A-HJKMNP-Z]{8}", body["query_code"])
    assert response["Cache-Control"] == "private, no-store"
    req = DisclosureRequest.objects.get(number=body["number"])
    assert req.portal == ankang and req.channel == "online" and req.state == "received"
    assert body["received_on"] == req.received_on.isoformat()
    assert body["due_date"] == req.clock.as_dict()["due_date"]
    assert req.clock.limit_days == 20
    assert body["status_url"].endswith(STATUS)
    status = client.get(STATUS, {"number": body["number"], "code": body["query_code"].lower()})
    assert status.status_code == 200
    assert status.json()["state"] == "received" and status.json()["due_date"] == body["due_date"]


def test_numbers_follow_each_other_within_the_year(client, ankang):
    first = post(client, payload()).json()["number"]
    second = post(client, payload(info_title="另一项信息")).json()["number"]
    assert int(second[-4:]) == int(first[-4:]) + 1


@pytest.mark.parametrize(
    "field",
    ["applicant_name", "id_number", "phone", "info_title", "info_description"],
)
def test_required_fields(client, ankang, field):
    for value in (None, "", "   ", "<b></b>", "<script>alert(1)</script>"):
        response = post(client, payload(**{field: value}))
        assert response.status_code == 400, (field, value)
        assert field in response.json(), (field, value, response.json())
    assert not DisclosureRequest.objects.exists()


def test_organisation_needs_its_kind(client, ankang):
    response = post(client, payload(applicant_type="organisation", applicant_name="安康市法律援助中心"))
    assert response.status_code == 400 and "organisation_kind" in response.json()
    ok = post(
        client,
        payload(applicant_type="organisation", organisation_kind="legal_services", applicant_name="安康市法律援助中心"),
    )
    assert ok.status_code == 201
    req = DisclosureRequest.objects.get(number=ok.json()["number"])
    assert (req.applicant_type, req.organisation_kind) == ("organisation", "legal_services")


def test_person_has_no_organisation_kind(client, ankang):
    response = post(client, payload(organisation_kind="business"))
    assert response.status_code == 201
    assert DisclosureRequest.objects.get(number=response.json()["number"]).organisation_kind == ""


@pytest.mark.parametrize(
    "changes",
    [
        {"delivery_form": "email", "receipt_way": "post", "email": ""},
        {"delivery_form": "paper", "receipt_way": "email", "email": None},
    ],
)
def test_email_required_when_the_answer_goes_by_email(client, ankang, changes):
    response = post(client, payload(**changes))
    assert response.status_code == 400 and list(response.json()) == ["email"]


def test_email_optional_for_paper_by_post(client, ankang):
    assert post(client, payload(delivery_form="paper", receipt_way="post", email="")).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12345"),
        ("phone", "139123456789"),
        ("postcode", "7250"),
        ("email", "not-an-email"),
        ("id_number", ID[:-1] + ("0" if ID[-1] != "0" else "1")),  # wrong check digit
        ("id_number", "61090219901301123X"),  # no such date
        ("applicant_type", "robot"),
        ("organisation_kind", "club"),
        ("delivery_form", "pigeon"),
        ("receipt_way", "telepathy"),
        ("id_type", "会员卡"),
    ],
)
def test_format_errors(client, ankang, field, value):
    response = post(client, payload(**{field: value}))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not DisclosureRequest.objects.exists()


def test_valid_phone_and_id_variants(client, ankang):
    response = post(client, payload(phone="0915-3212345", id_number=ID.lower()))
    assert response.status_code == 201
    req = DisclosureRequest.objects.get(number=response.json()["number"])
    assert req.phone == "0915-3212345" and req.id_number == ID.upper()


def test_organisation_credit_code_is_checked(client, ankang):
    org = payload(applicant_type="organisation", organisation_kind="business", id_type="统一社会信用代码")
    assert "id_number" in post(client, {**org, "id_number": "91110000600037341A"}).json()
    assert post(client, {**org, "id_number": "91110000600037341L"}).status_code == 201


@pytest.mark.parametrize(
    ("field", "limit"),
    [("applicant_name", 128), ("info_title", 255), ("info_description", 5000), ("purpose", 5000), ("address", 255)],
)
def test_oversize_text(client, ankang, field, limit):
    assert post(client, payload(**{field: "字" * (limit + 1)})).status_code == 400
    assert field in post(client, payload(**{field: "字" * (limit + 1)})).json()
    huge = post(client, payload(**{field: "<b>x</b>" * 100_000}))
    assert huge.status_code == 400 and field in huge.json()
    assert post(client, payload(**{field: "字" * limit})).status_code == 201


def test_html_is_stripped_before_the_length_check(client, ankang):
    description = "<p onclick='x()'>请提供" + "<b>" * 200 + "统计</p><script>alert('x')</script>"
    response = post(
        client, payload(info_title="<a href='javascript:alert(1)'>交通事故统计</a>", info_description=description)
    )
    assert response.status_code == 201, response.content
    req = DisclosureRequest.objects.get(number=response.json()["number"])
    assert req.info_title == "交通事故统计"
    assert req.info_description == "请提供统计"
    assert "<" not in req.info_description and "alert" not in req.info_description


def test_idempotent_replay_returns_the_same_request_without_the_code(client, ankang):
    first = post(client, payload(), key="form-7f3a9c")
    assert first.status_code == 201
    again = post(client, payload(info_title="改动过的标题"), key="form-7f3a9c")
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"] and again.json()["query_code"] is None
    assert "already" in again.json()["detail"] or again.json()["detail"]
    assert DisclosureRequest.objects.count() == 1
    body_key = post(client, {**payload(), "idempotency_key": "body-key-1"})
    assert body_key.status_code == 201
    assert post(client, {**payload(), "idempotency_key": "body-key-1"}).status_code == 200
    assert DisclosureRequest.objects.count() == 2


def test_idempotency_key_limits(client, ankang):
    assert "idempotency_key" in post(client, payload(), key="k" * 65).json()
    assert "idempotency_key" in post(client, payload(), key="<script>").json()
    assert post(client, payload(), key="k" * 64).status_code == 201


def test_nothing_is_half_stored_when_the_clock_cannot_start(client, ankang, monkeypatch):
    before = RequestSerial.objects.filter(portal=ankang, year=date.today().year).values_list("last", flat=True)
    before = before.first() or 0

    def broken(*args, **kwargs):
        raise RuntimeError("clock store unavailable")

    monkeypatch.setattr(Clock, "start_for", broken)
    client.raise_request_exception = False
    response = post(client, payload(), key="atomic-1")
    assert response.status_code == 500
    assert not DisclosureRequest.objects.exists()
    assert not DisclosureRequest.history.exists()
    after = RequestSerial.objects.filter(portal=ankang, year=date.today().year).values_list("last", flat=True)
    assert (after.first() or 0) == before
    monkeypatch.undo()
    ok = post(client, payload(), key="atomic-1")
    assert ok.status_code == 201
    assert int(ok.json()["number"][-4:]) == before + 1


def test_submissions_are_rate_limited_per_address(client, ankang, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "disclosure_submit": "3/hour"},
    }
    statuses = [post(client, payload(), REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    refused = post(client, payload(), REMOTE_ADDR="203.0.113.9")
    assert "Retry-After" in refused and refused.json()["detail"]
    assert post(client, payload(), REMOTE_ADDR="203.0.113.10").status_code == 201


def test_no_portal_answers_404(client, ankang):
    from wagtail.models import Site

    Site.objects.update(is_default_site=False)
    response = post(client, payload(), HTTP_HOST="unknown.example.org")
    assert response.status_code == 404 and response.json()["detail"]


# --- status lookup ------------------------------------------------------------------------------------------


PERSONAL = ("王秀兰", ID, "13912345678", "wangxl@example.cn", "兴安路12号", "725021")


def submitted(client) -> dict:
    response = post(client, payload())
    assert response.status_code == 201
    return response.json()


def assert_no_personal_data(text: str) -> None:
    for value in PERSONAL:
        assert value not in text, value


def test_status_shows_no_personal_data(client, ankang, member):
    receipt = submitted(client)
    req = DisclosureRequest.objects.get(number=receipt["number"])
    received = req.received_on
    staff = member("mishu", "heads", username="zhang_office_head")
    staff.first_name, staff.last_name = "建国", "张"
    staff.save()
    transitions.start_check(req, staff)
    response = client.get(STATUS, {"number": receipt["number"], "code": receipt["query_code"]})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    assert_no_personal_data(text)
    assert "zhang_office_head" not in text and "张建国" not in text
    data = response.json()
    assert data["state"] == "checking" and data["received_on"] == received.isoformat()
    assert set(data) == {
        "number", "state", "state_label", "is_closed", "received_on", "due_date",
        "clock", "extension", "correction", "fee", "result",
    }  # fmt: skip
    by_post = client.post(STATUS, {"number": receipt["number"], "code": receipt["query_code"]})
    assert by_post.status_code == 200 and by_post.json() == data


def test_status_shows_correction_extension_fee_and_result(client, ankang, django_user_model):
    receipt = submitted(client)
    req = DisclosureRequest.objects.get(number=receipt["number"])
    admin = django_user_model.objects.create_superuser("dr_admin", password="pw-123456")
    on = req.received_on
    transitions.request_correction(req, admin, "请写明信息所属年份。", on=on)
    look = lambda: client.get(STATUS, {"number": receipt["number"], "code": receipt["query_code"]}).json()  # noqa: E731
    data = look()
    assert data["state"] == "correction"
    assert data["correction"]["note"] == "请写明信息所属年份。" and data["correction"]["due"]
    assert data["clock"]["paused_since"] == on.isoformat()
    transitions.record_correction(req, admin, "2025年度。", on=on)
    transitions.start_check(req, admin) if req.state == "received" else None
    req.refresh_from_db()
    if req.state == "checking":
        pass
    transitions.assign(req, admin, ankang.departments.get(code="jiaojing"), on=on) if hasattr(
        transitions, "assign"
    ) else None
    transitions.extend(req, admin, 10, "需要调取档案")
    data = look()
    assert data["extension"] == {"days": 10, "reason": "需要调取档案"}
    transitions.withdraw(req, admin, "申请人撤回", on=on)
    data = look()
    assert data["is_closed"] and data["result"] is not None
    assert_no_personal_data(json.dumps(data, ensure_ascii=False))


def test_wrong_number_or_code_is_404_alike_then_429(client, ankang, settings):
    receipt = submitted(client)
    wrong_code = client.get(STATUS, {"number": receipt["number"], "code": "ZZZZZZZZ"})
    wrong_number = client.get(STATUS, {"number": "依申2026-9999", "code": receipt["query_code"]})
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.json() == wrong_number.json()
    assert wrong_code["Cache-Control"] == "private, no-store"
    for _ in range(8):
        assert client.get(STATUS, {"number": receipt["number"], "code": "ZZZZZZZZ"}).status_code == 404
    blocked = client.get(STATUS, {"number": receipt["number"], "code": receipt["query_code"]})
    assert blocked.status_code == 429 and "Retry-After" in blocked
    assert blocked.json()["detail"]
    # failures are counted per number too: the tenth, from another address, blocks the number everywhere
    other = {"REMOTE_ADDR": "198.51.100.4"}
    assert client.get(STATUS, {"number": receipt["number"], "code": "YYYYYYYY"}, **other).status_code == 404
    query = {"number": receipt["number"], "code": receipt["query_code"]}
    assert client.get(STATUS, query, **other).status_code == 429
    second = post(client, payload(info_title="第二项"))
    query = {"number": second.json()["number"], "code": second.json()["query_code"]}
    assert client.get(STATUS, query, **other).status_code == 200


def test_failures_are_counted_per_address(client, ankang):
    receipt = submitted(client)
    for i in range(10):
        client.get(STATUS, {"number": f"依申2026-{9000 + i}", "code": "ZZZZZZZZ"}, REMOTE_ADDR="198.51.100.7")
    assert (
        client.get(
            STATUS, {"number": receipt["number"], "code": receipt["query_code"]}, REMOTE_ADDR="198.51.100.7"
        ).status_code
        == 429
    )
    assert client.get(STATUS, {"number": receipt["number"], "code": receipt["query_code"]}).status_code == 200


def test_lookups_are_throttled_too(client, ankang, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "disclosure_status": "2/min"},
    }
    receipt = submitted(client)
    query = {"number": receipt["number"], "code": receipt["query_code"]}
    assert [client.get(STATUS, query).status_code for _ in range(3)] == [200, 200, 429]


def test_missing_lookup_fields(client, ankang):
    response = client.get(STATUS)
    assert response.status_code == 400 and set(response.json()) == {"number", "code"}


def test_lookups_are_never_served_from_a_cache(client, ankang, settings):
    settings.SUNLIGHT_API_CACHE = True
    a, b = submitted(client), post(client, payload(info_title="第二项")).json()
    first = client.get(STATUS, {"number": a["number"], "code": a["query_code"]})
    assert first.status_code == 200 and "ETag" not in first and "X-Cache" not in first
    wrong = client.get(STATUS, {"number": a["number"], "code": b["query_code"]})
    assert wrong.status_code == 404
    second = client.get(STATUS, {"number": b["number"], "code": b["query_code"]})
    assert second.json()["number"] == b["number"]
    again = client.get(STATUS, {"number": a["number"], "code": a["query_code"]}, HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 200 and again.json()["number"] == a["number"]
