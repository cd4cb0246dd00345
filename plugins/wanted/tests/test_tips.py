"""Tips (线索): submitted through the API and the accessible form, cleaned, size-limited, rate-limited,
numbered without gaps, files checked by their content and kept privately; never readable publicly; seen and
marked only by the notice's department."""

from __future__ import annotations

import copy
import json
import re
import threading
from pathlib import Path

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from plugins.wanted.models import Tip, TipAttachment, TipSerial
from plugins.wanted.tips import MAX_FILE_BYTES
from tests.test_api_schema import _json_schema, _strict

from .conftest import jpeg, png, publish

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def notice(make_notice, people):
    """A published notice of the 刑警支队."""
    return publish(make_notice(), people["admin"])


def tips_url(notice) -> str:
    return f"/api/wanted/{notice.pk}/tips/"


def post_json(client, notice, data, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(tips_url(notice), json.dumps(data), content_type="application/json", **headers, **extra)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_tip_is_numbered_cleaned_routed_and_answered_with_its_number_only(client, notice):
    response = post_json(
        client,
        notice,
        {"content": "  <b>昨晚</b>在<script>alert(1)</script>汉江大桥下见过此人  ", "contact_phone": "139 1234 5678"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    year = timezone.localdate().year
    assert re.fullmatch(rf"线索{year}-\d{{4}}", body["number"])
    assert set(body) == {"number", "received_at", "notice_number", "detail"} and body["notice_number"] == notice.number
    assert response["Cache-Control"] == "private, no-store"
    tip = Tip.objects.get(number=body["number"])
    assert tip.content == "昨晚在汉江大桥下见过此人" and tip.contact_phone == "13912345678"
    assert tip.department.code == "xingjing" and tip.notice == notice and tip.state == "new"
    schema = client.get("/api/schema/").json()
    assert "multipart/form-data" in schema["paths"]["/api/wanted/{id}/tips/"]["post"]["requestBody"]["content"]


def test_the_receipt_conforms_to_the_schema(client, notice):
    schema = client.get("/api/schema/").json()
    response = post_json(client, notice, {"content": "见过此人"})
    assert response.status_code == 201
    components = {"components": {"schemas": _strict(copy.deepcopy(schema["components"]["schemas"]))}}
    body_schema = {**_strict(_json_schema(schema, "/api/wanted/{id}/tips/", 201, "post")), **components}
    jsonschema.validate(response.json(), body_schema)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "content"),
        ({"content": "<p> </p>"}, "content"),  # empty once cleaned
        ({"content": "见" * 2001}, "content"),
        ({"content": "见过", "contact_phone": "12345"}, "contact_phone"),
        ({"content": "见过", "contact_name": "名" * 51}, "contact_name"),
    ],
)
def test_invalid_tips_are_refused_with_the_field_named(client, notice, data, field):
    response = post_json(client, notice, data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Tip.objects.exists()


def test_numbers_are_gap_free_even_when_a_submission_fails(client, notice):
    first = post_json(client, notice, {"content": "第一条"}).json()["number"]
    assert post_json(client, notice, {"content": ""}).status_code == 400  # refused: spends no number
    second = post_json(client, notice, {"content": "第二条"}).json()["number"]
    serials = [int(n.rsplit("-", 1)[1]) for n in (first, second)]
    assert serials[1] == serials[0] + 1
    assert TipSerial.objects.get(year=timezone.localdate().year).last == serials[1]


def test_an_idempotency_key_makes_a_resubmission_return_the_first_tip(client, notice):
    one = post_json(client, notice, {"content": "见过此人"}, key="tip-key-1")
    two = post_json(client, notice, {"content": "见过此人"}, key="tip-key-1")
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["number"] == two.json()["number"] and Tip.objects.count() == 1
    assert post_json(client, notice, {"content": "x"}, key="bad key!").status_code == 400


def test_tips_are_rate_limited_per_address(client, notice, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"wanted_tip": "2/hour"}}
    statuses = [post_json(client, notice, {"content": f"线索{i}"}).status_code for i in range(3)]
    assert statuses == [201, 201, 429]
    blocked = post_json(client, notice, {"content": "再来一条"})
    assert blocked.status_code == 429 and "Retry-After" in blocked and "110" in blocked.json()["detail"]
    other = post_json(client, notice, {"content": "别处来的"}, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 201
    # the form shares the limit
    page = client.get(f"/wanted/{notice.pk}/tip/")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)
    form = client.post(f"/wanted/{notice.pk}/tip/", {"content": "表单线索", "idempotency_key": key})
    assert form.status_code == 429 and "110" in form.content.decode()


def test_the_default_rate_applies_without_a_setting(client, notice):
    statuses = [post_json(client, notice, {"content": f"线索{i}"}).status_code for i in range(11)]
    assert statuses == [201] * 10 + [429]


def test_attachments_are_checked_by_content_and_stored_privately(client, notice, settings):
    files = [
        upload("现场照片.jpg", jpeg(), "image/jpeg"),
        upload("screenshot.PNG", png(), "image/png"),
        upload("<b>报告.pdf", PDF, "application/pdf"),
    ]
    response = client.post(tips_url(notice), {"content": "附照片", "attachments": files})
    assert response.status_code == 201, response.content
    tip = Tip.objects.get(number=response.json()["number"])
    stored = list(tip.attachments.order_by("pk"))
    assert [(a.content_type, a.name) for a in stored] == [
        ("image/jpeg", "现场照片.jpg"),
        ("image/png", "screenshot.png"),
        ("application/pdf", "报告.pdf"),
    ]
    for attachment in stored:
        path = Path(attachment.file.path)
        assert path.is_relative_to(settings.SUNLIGHT_PRIVATE_ROOT) and not path.is_relative_to(settings.MEDIA_ROOT)
        assert "现场" not in attachment.file.name and len(attachment.sha256) == 64
        with pytest.raises(ValueError):
            attachment.file.url  # noqa: B018  (no URL reaches a private file)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("fake.jpg", b"MZ\x90\x00 this is an exe", "image/jpeg")], "不是JPEG、PNG或PDF文件"),
        ([upload("page.html", b"<html><script>x</script></html>", "text/html")], "不是JPEG、PNG或PDF文件"),
        ([upload("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png")], "不是JPEG、PNG或PDF文件"),
        ([upload("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES, "application/pdf")], "超过5 MB"),
        ([upload(f"p{i}.png", png(), "image/png") for i in range(4)], "最多上传 3 个文件"),
    ],
)
def test_attachments_of_the_wrong_type_size_or_number_are_refused(client, notice, files, message, settings):
    stored_before = private_files(settings)
    response = client.post(tips_url(notice), {"content": "附件", "attachments": files})
    assert response.status_code == 400
    assert message in json.dumps(response.json()["attachments"], ensure_ascii=False)
    assert not Tip.objects.exists() and not TipAttachment.objects.exists()
    assert private_files(settings) == stored_before  # nothing written


def private_files(settings) -> set:
    return {p for p in settings.SUNLIGHT_PRIVATE_ROOT.rglob("*") if p.is_file()}


def test_tips_are_not_readable_through_any_public_path(client, notice):
    number = post_json(client, notice, {"content": "秘密线索内容甲乙丙", "contact_name": "赵线人"}).json()["number"]
    attachment_tip = client.post(tips_url(notice), {"content": "附件", "attachments": [upload("a.png", png())]})
    tip = Tip.objects.get(number=attachment_tip.json()["number"])
    reads = [
        client.get(tips_url(notice)),  # GET of the submission route
        client.get(f"/api/wanted/{notice.pk}/"),
        client.get("/api/wanted/"),
        client.get("/api/search/", {"q": "秘密线索内容"}),
        client.get("/api/v2/pages/", {"type": "wanted.WantedNotice", "fields": "*"}),
        client.get(f"/media/{tip.attachments.get().file.name}"),
        client.get(f"/admin/wanted/tips/{tip.pk}/attachments/{tip.attachments.get().pk}/"),  # staff only
    ]
    for response in reads:
        text = response.content.decode(errors="replace")
        if response.request["PATH_INFO"] == "/api/search/":  # the answer repeats the query: not a leak
            text = str(response.json()["results"])
        assert "秘密线索内容" not in text and "赵线人" not in text and number not in text
    assert reads[0].status_code == 405
    assert reads[-1].status_code == 302  # to the admin login


def test_tips_on_closed_drafts_or_unknown_notices_are_refused(client, make_notice, people, notice):
    from plugins.wanted.lifecycle import close_notice

    draft = make_notice(number="草稿〔2026〕1号")
    assert post_json(client, draft, {"content": "x"}).status_code == 404
    close_notice(notice, "captured", timezone.localdate())
    gone = post_json(client, notice, {"content": "x"})
    assert gone.status_code == 410 and gone.json()["status"]["code"] == "captured"
    assert client.post("/api/wanted/999999/tips/", {"content": "x"}).status_code == 404
    assert not Tip.objects.exists()


def test_the_form_submits_a_tip_and_shows_its_number(client, notice):
    page = client.get(f"/wanted/{notice.pk}/tip/")
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert (
        'enctype="multipart/form-data"' in text
        and 'for="id_content"' in text
        and 'accept=".jpg,.jpeg,.png,.pdf"' in text
    )
    assert notice.title in text and "祁望舒" in text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', text).group(1)
    data = {"content": "<i>今天</i>在火车站见过", "contact_name": "李", "idempotency_key": key,
            "attachments": [upload("x.png", png())]}  # fmt: skip
    response = client.post(f"/wanted/{notice.pk}/tip/", data)
    assert response.status_code == 201
    number = re.search(r'id="tip-number"[^>]*>([^<]+)<', response.content.decode()).group(1)
    tip = Tip.objects.get(number=number)
    assert tip.content == "今天在火车站见过" and tip.attachments.count() == 1
    again = client.post(f"/wanted/{notice.pk}/tip/", {**data, "attachments": []})  # a reload sends the same token
    assert again.status_code == 200 and number in again.content.decode() and Tip.objects.count() == 1


def test_the_form_shows_errors_next_to_their_fields(client, notice):
    response = client.post(
        f"/wanted/{notice.pk}/tip/",
        {"content": "", "contact_phone": "123", "attachments": [upload("x.exe", b"MZ....")]},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in text and 'href="#id_content"' in text and 'href="#id_contact_phone"' in text
    assert 'href="#id_attachments"' in text and "不是JPEG、PNG或PDF文件" in text
    assert 'aria-describedby="id_content_error"' in text or "id_content_error" in text
    assert not Tip.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_tips_get_consecutive_numbers(committed_ankang, live_server):
    """Twenty tips at once on PostgreSQL: twenty consecutive numbers, no gap, no duplicate."""
    import datetime
    import urllib.request

    from cms.review.gate import chain_bypass
    from pages.models import ColumnPage
    from plugins.wanted.models import WantedNotice

    column = ColumnPage.objects.get(profile_key="xxgk/wstj")
    notice = WantedNotice(number="并发〔2026〕1号", subject_name="并发测试人", date=datetime.date.today(), live=False)
    column.add_child(instance=notice)
    with chain_bypass("测试"):
        notice.save_revision().publish()
    url = f"{live_server.url}/api/wanted/{notice.pk}/tips/"
    results = []

    def send(i: int) -> None:
        request = urllib.request.Request(
            url,
            data=json.dumps({"content": f"并发线索{i}"}).encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-For": f"10.0.0.{i}"},
        )
        with urllib.request.urlopen(request) as response:
            results.append(json.loads(response.read())["number"])

    from django.conf import settings

    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"wanted_tip": "1000/hour"}}
    from django.test import override_settings

    with override_settings(REST_FRAMEWORK=rates):
        threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in results)
    assert len(results) == 20 and serials == list(range(serials[0], serials[0] + 20))
    assert connection.vendor == "postgresql"


def test_a_body_larger_than_three_files_allow_is_refused_unread(client, notice):
    from plugins.wanted.tips import MAX_REQUEST_BYTES

    big = {"CONTENT_LENGTH": str(MAX_REQUEST_BYTES + 1)}
    api = client.post(tips_url(notice), {"content": "x"}, **big)
    assert api.status_code == 413 and "5 MB" in api.json()["detail"]
    form = client.post(f"/wanted/{notice.pk}/tip/", {"content": "x"}, **big)
    assert form.status_code == 413 and f"/wanted/{notice.pk}/tip/" in form.content.decode()
    assert not Tip.objects.exists()


def test_the_form_checks_its_csrf_token(notice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/wanted/{notice.pk}/tip/", {"content": "没有令牌"}).status_code == 403
    page = strict.get(f"/wanted/{notice.pk}/tip/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    ok = strict.post(f"/wanted/{notice.pk}/tip/", {"content": "有令牌", "csrfmiddlewaretoken": token})
    assert ok.status_code == 201 and Tip.objects.count() == 1
