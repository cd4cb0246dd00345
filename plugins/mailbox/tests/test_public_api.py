"""The public API of the mailbox: writing a letter (validation, cleaning, attachments, idempotency, nothing
half-stored, rate limit), the status lookup (no personal data, wrong codes locked out), boxes and published
letters (masked, never the unmasked text)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from stdnum.cn import ric

from plugins.mailbox import transitions as t
from plugins.mailbox.choices import Complexity
from plugins.mailbox.models import Letter, LetterAttachment, LetterSerial

from .helpers import approve

pytestmark = pytest.mark.django_db

BOXES = "/api/mailbox/boxes/"
SUBMIT = "/api/mailbox/letters/"
STATUS = "/api/mailbox/status/"
PUBLISHED = "/api/mailbox/published/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def id_number(body: str = "61090219850307123") -> str:
    """A resident ID number with a valid check digit."""
    return body + ric.calc_check_digit(body + "0")


def letter(**changes) -> dict:
    data = {
        "box": "juzhang",
        "kind": "consultation",
        "name": "欧阳娜娜",
        "phone": "13912345678",
        "subject": "出入境证件办理咨询",
        "content": (
            "您好，我叫欧阳娜娜，住汉滨区巴山东路12号3单元501室，想咨询护照加急办理需要哪些材料？电话13912345678。"
        ),
        "public_allowed": True,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, **headers):
    return client.post(SUBMIT, json.dumps(data), content_type="application/json", **headers)


@pytest.fixture(autouse=True)
def fresh_counts():
    """Rate-limit counts of earlier tests (and runs, with Redis) do not carry over."""
    cache.clear()
    yield
    cache.clear()


def test_boxes_list_kinds_and_limits(client, ankang):
    response = client.get(BOXES)
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    boxes = {b["key"]: b for b in response.json()}
    assert list(boxes) == ["juzhang", "xinjian", "bangzhu", "jubao"]
    assert boxes["jubao"]["department"] == "纪委"
    assert boxes["jubao"]["kinds"] == [
        {
            "key": "complaint",
            "name": "投诉举报",
            "description": "对公安机关及民警违法违纪行为的投诉举报（7日内反馈受理情况）",
            "reply_days": {"simple": 7},
        }
    ]


def test_a_letter_is_received_with_number_and_code(client, ankang):
    response = post(client, letter())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("信") and len(body["query_code"]) == 8 and not body["emergency"]
    assert response["Cache-Control"] == "private, no-store"
    stored = Letter.objects.get(number=body["number"])
    assert stored.name == "欧阳娜娜" and stored.box.key == "juzhang" and stored.public_allowed
    assert body["due_date"] == stored.reply_clock.due_date.isoformat()
    assert "欧阳娜娜" not in response.content.decode() and "13912345678" not in response.content.decode()


def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(client, ankang):
    response = post(
        client, letter(name="", phone="123", box="nope", content="x" * 6000, id_number="610902198503071230")
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["name"] == ["此项为必填项。"]
    assert "手机号码" in errors["phone"][0]
    assert "5000" in errors["content"][0]
    assert "身份证号码" in errors["id_number"][0]
    response = post(client, letter(box="jubao"))  # 举报投诉 takes complaints only
    assert response.status_code == 400 and response.json()["kind"] == ["该信箱不受理此类来信。"]
    assert not Letter.objects.exists() and not LetterSerial.objects.exists()


def test_html_and_scripts_are_stripped(client, ankang):
    response = post(
        client, letter(subject="<b>咨询</b><script>alert(1)</script>", content="<img src=x onerror=alert(1)>正文")
    )
    assert response.status_code == 201
    stored = Letter.objects.get()
    assert stored.subject == "咨询" and stored.content == "正文"


def test_an_idempotency_key_never_makes_a_second_letter(client, ankang):
    first = post(client, letter(), HTTP_IDEMPOTENCY_KEY="abc-123")
    again = post(client, letter(), HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["number"] == first.json()["number"] and again.json()["query_code"] is None
    assert Letter.objects.count() == 1
    assert post(client, letter(), HTTP_IDEMPOTENCY_KEY="bad key!").status_code == 400


def test_an_emergency_gets_the_110_pointer(client, ankang):
    body = post(client, letter(kind="help", box="bangzhu", content="救命！有人正在撬我家的门。")).json()
    assert body["emergency"] and "110" in body["emergency_notice"]


def test_attachments_are_checked_by_content_and_kept_private(client, ankang, settings):
    data = letter()
    ok = client.post(
        SUBMIT,
        {**data, "attachments": [_file("photo.png", PNG), _file("scan.pdf", PDF)]},
    )
    assert ok.status_code == 201, ok.content
    stored = Letter.objects.get(number=ok.json()["number"])
    files = list(stored.attachments.order_by("pk"))
    assert [(a.name, a.content_type) for a in files] == [("photo.png", "image/png"), ("scan.pdf", "application/pdf")]
    path = files[0].file.path
    assert path.startswith(str(settings.SUNLIGHT_PRIVATE_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT) + "/")
    with pytest.raises(ValueError):
        files[0].file.url  # noqa: B018 — private files have no URL
    disguised = client.post(SUBMIT, {**data, "attachments": [_file("virus.png", b"MZ\x90\x00 not an image")]})
    assert disguised.status_code == 400 and "不是 JPEG、PNG 图片或 PDF 文档" in disguised.json()["attachments"][0]
    too_many = client.post(SUBMIT, {**data, "attachments": [_file(f"{i}.png", PNG) for i in range(4)]})
    assert too_many.status_code == 400
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None):
        big = client.post(SUBMIT, {**data, "attachments": [_file("big.pdf", PDF + b"0" * (5 * 1024 * 1024))]})
    assert big.status_code == 400 and "5 MB" in big.json()["attachments"][0]
    assert Letter.objects.count() == 1 and LetterAttachment.objects.count() == 2


def _file(name: str, content: bytes):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


@override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"mailbox_submit": "2/hour"}})
def test_letters_are_rate_limited_per_address(client, ankang):
    assert post(client, letter()).status_code == 201
    assert post(client, letter()).status_code == 201
    refused = post(client, letter())
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "发送的来信过多" in refused.json()["detail"]
    assert Letter.objects.count() == 2


def test_status_shows_the_masked_reply_and_never_personal_data(client, ankang, staff, department):
    body = post(client, letter(id_number=id_number())).json()
    number, code = body["number"], body["query_code"]
    response = client.get(STATUS, {"number": number, "code": code})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    status = response.json()
    assert status["state"] == "received" and status["box"] == "局长信箱" and status["reply"] == ""
    stored = Letter.objects.get(number=number)
    t.triage(stored, staff["office"], Complexity.SIMPLE)
    t.route(stored, staff["office"], department("churujing"))
    t.answer_routing(stored, staff["office"], "材料：身份证、照片。")
    reply = t.draft_reply(
        stored,
        staff["office"],
        "欧阳娜娜您好：加急办理请携带身份证到汉滨区政务服务中心出入境窗口，电话13912345678已登记。",
    )
    t.extend(stored, staff["leader"], 5, "需向省厅核实")
    t.submit_reply(stored, staff["office"])
    for user in (_head_of(department("churujing")), staff["leader"], staff["office_admin"]):
        approve(reply, user)  # the routed department's head, the leader, 局长信箱's administrator
    status = client.post(STATUS, {"number": number, "code": code}).json()
    text = json.dumps(status, ensure_ascii=False)
    assert status["state"] == "replied" and status["extension"] == {"days": 5, "reason": "需向省厅核实"}
    assert "欧阳某" in status["reply"] and "139****5678" in status["reply"]
    for secret in ("欧阳娜娜", "13912345678", id_number(), "巴山东路"):
        assert secret not in text


def _head_of(dept):
    from django.contrib.auth import get_user_model

    from cms.models import DepartmentRole

    user = get_user_model().objects.create_user(f"{dept.code}-head-2", password="pw-123456")
    user.groups.add(dept.group(DepartmentRole.HEADS))
    return user


@override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"mailbox_status_failures": "3/hour"}})
def test_wrong_codes_are_answered_alike_and_locked_out(client, ankang):
    body = post(client, letter()).json()
    unknown = client.get(STATUS, {"number": "信2026-9999", "code": "ABCDEFGH"})
    wrong = client.get(STATUS, {"number": body["number"], "code": "ABCDEFGH"})
    assert unknown.status_code == wrong.status_code == 404 and unknown.json() == wrong.json()
    client.get(STATUS, {"number": body["number"], "code": "ABCDEFGJ"})
    locked = client.get(STATUS, {"number": body["number"], "code": body["query_code"]})
    assert locked.status_code == 429  # even the right code, once the number failed too often


def test_published_letters_show_only_the_masked_snapshot(client, ankang, staff, make_letter):
    stored = make_letter(content="我叫王小明，身份证号" + id_number() + "，家住汉滨区巴山东路12号，电话13912345678。")
    t.triage(stored, staff["office"], Complexity.SIMPLE)
    reply = t.draft_reply(stored, staff["office"], "王小明您好：您反映的问题已办结。")
    t.submit_reply(stored, staff["office"])
    for user in (staff["office_head"], staff["leader"], staff["office_admin"]):
        approve(reply, user)
    assert client.get(f"{PUBLISHED}{stored.number}/").status_code == 404  # replied, not published
    t.publish(stored, staff["office_admin"])
    listing = client.get(PUBLISHED, {"box": "juzhang"})
    assert listing.status_code == 200 and "public" in listing["Cache-Control"]
    item = listing.json()["results"][0]
    assert item["number"] == stored.number and item["reply_working_days"] >= 0
    assert item["content"].startswith("我叫王某，身份证号610902") and item["reply"].startswith("王某您好")
    detail = client.get(f"{PUBLISHED}{stored.number}/").json()
    text = json.dumps([listing.json(), detail], ensure_ascii=False)
    for secret in ("王小明", id_number(), "13912345678", "巴山东路"):
        assert secret not in text
    t.unpublish(stored, staff["office_admin"])
    assert client.get(f"{PUBLISHED}{stored.number}/").status_code == 404
    assert client.get(PUBLISHED).json()["count"] == 0


def test_a_failing_attachment_leaves_no_file_behind(ankang, box, kind, settings, monkeypatch):
    from pathlib import Path

    from plugins.mailbox.attachments import CheckedFile

    from .helpers import WRITER

    real_save = LetterAttachment.save
    written = []

    def save_then_fail(self, *args, **kwargs):
        written.append(Path(self.file.path))
        if len(written) == 2:
            raise OSError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(LetterAttachment, "save", save_then_fail)
    files = [CheckedFile(f"{i}.pdf", PDF, "application/pdf", "pdf") for i in range(2)]
    with pytest.raises(OSError):
        t.submit(ankang, box(), kind(), WRITER, attachments=files)
    assert not Letter.objects.exists() and not LetterAttachment.objects.exists()
    assert len(written) == 2 and not any(path.exists() for path in written)
