"""The public pages of the mailbox: the letter form (errors tied to their field, attachments, the writer's
choice on publication, resubmission), the status lookup, and the published letters (masked); one flow in a real
browser with the keyboard alone."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from plugins.mailbox import transitions as t
from plugins.mailbox.choices import Complexity
from plugins.mailbox.models import Letter
from tests.browser import SHOTS, tab_to

from .helpers import approve

WRITE = "/mailbox/write/"
STATUS = "/mailbox/status/"
LETTERS = "/mailbox/letters/"


@pytest.fixture(autouse=True)
def fresh_counts():
    """Rate-limit counts do not carry over between tests."""
    cache.clear()
    yield
    cache.clear()


def form(**changes) -> dict:
    data = {
        "idempotency_key": "form-token-1",
        "box": "juzhang",
        "kind": "suggestion",
        "subject": "建议在汉滨区增设户籍自助办理机",
        "content": "建议在各派出所增设自助办理设备，方便群众。我叫赵六，电话13700001111。",
        "name": "赵六",
        "phone": "13700001111",
        "public_allowed": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_the_form_offers_the_boxes_and_warns_about_emergencies(client, ankang):
    page = client.get(WRITE, {"box": "bangzhu"})
    html = page.content.decode()
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert "<h1>请您帮助</h1>" in html and "拨打110" in html
    assert '<option value="bangzhu" selected>' in html
    assert 'value="help"' in html and 'value="complaint"' not in html  # 请您帮助 takes help requests only
    assert 'enctype="multipart/form-data"' in html and 'accept=".jpg,.jpeg,.png,.pdf"' in html
    assert 'id="id_public_allowed" value="1" checked' in html


@pytest.mark.django_db
def test_errors_come_back_with_the_values_and_nothing_is_stored(client, ankang):
    response = client.post(WRITE, form(phone="12", subject="", kind="complaint"))
    html = response.content.decode()
    assert response.status_code == 400 and 'id="error-summary"' in html
    assert 'href="#id_phone"' in html and 'href="#id_subject"' in html and "该信箱不受理此类来信" in html
    assert 'value="赵六"' in html and 'aria-invalid="true"' in html
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_a_letter_with_an_attachment_and_no_publication(client, ankang):
    scan = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    data = form(public_allowed=None)
    response = client.post(WRITE, {**data, "attachments": [scan]})
    html = response.content.decode()
    assert response.status_code == 201 and 'id="query-code"' in html
    letter = Letter.objects.get()
    assert not letter.public_allowed and letter.attachments.get().name == "证明.pdf"
    number = re.search(r'id="letter-number" class="code">([^<]+)<', html).group(1)
    again = client.post(WRITE, {**data, "attachments": [SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof")]})
    assert (
        again.status_code == 200
        and 'id="query-code"' not in again.content.decode()
        and number in again.content.decode()
    )
    assert Letter.objects.count() == 1
    refused = client.post(
        WRITE, {**form(idempotency_key="t2"), "attachments": [SimpleUploadedFile("a.pdf", b"GIF89a")]}
    )
    assert refused.status_code == 400 and "不是 JPEG、PNG 图片或 PDF 文档" in refused.content.decode()


@pytest.mark.django_db
def test_status_page_and_the_published_letters(client, ankang, staff):
    html = client.post(WRITE, form()).content.decode()
    number = re.search(r'id="letter-number" class="code">([^<]+)<', html).group(1)
    code = re.search(r'id="query-code" class="code">([^<]+)<', html).group(1)
    wrong = client.post(STATUS, {"number": number, "code": "WRONGWRO"})
    assert wrong.status_code == 404 and "没有与该编号和查询码相符的来信" in wrong.content.decode()
    assert "WRONGWRO" not in wrong.content.decode()
    page = client.post(STATUS, {"number": number, "code": code}).content.decode()
    assert 'id="state">已登记' in page and "赵六" not in page
    letter = Letter.objects.get(number=number)
    t.triage(letter, staff["office"], Complexity.SIMPLE)
    reply = t.draft_reply(letter, staff["office"], "赵六您好：感谢您的建议，我局将在汉滨区各派出所逐步配置自助设备。")
    t.submit_reply(letter, staff["office"])
    for user in (staff["office_head"], staff["leader"], staff["office_admin"]):
        approve(reply, user)
    t.publish(letter, staff["office_admin"])
    listing = client.get(LETTERS, {"box": "juzhang"}).content.decode()
    assert letter.number in listing and "用时" in listing
    one = client.get(f"{LETTERS}{letter.number}/").content.decode()
    assert "赵某您好" in one and "137****1111" in one
    for secret in ("赵六", "13700001111"):
        assert secret not in listing and secret not in one
    # the home page's 警民互动 panel: the ways in and the letter, masked
    cache.clear()
    home = client.get("/").content.decode()
    panel = re.search(r'<section class="card home-panel" id="panel-mailbox".*?</section>', home, re.S).group(0)
    assert f'href="{WRITE}"' in panel and f'href="{STATUS}"' in panel and f'href="{LETTERS}"' in panel
    assert f'href="{quote(LETTERS + letter.number)}/"' in panel and "建议在汉滨区增设户籍自助办理机" in panel
    assert "赵六" not in panel and "13700001111" not in panel


@pytest.mark.browser
def test_keyboard_only_letter_and_lookup(browser_page, live_server, committed_ankang, django_db_blocker):
    page = browser_page
    cache.clear()
    page.goto(f"{live_server.url}{WRITE}?box=juzhang")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    tab_to(page, "id_kind_0")
    page.keyboard.press("ArrowDown")  # 咨询 → 意见建议
    assert page.locator("#id_kind_1").is_checked()
    for element_id, text in (
        ("id_subject", "夜间巡逻建议"),
        ("id_content", "建议加强<b>江北</b>片区夜间巡逻。"),
        ("id_name", "钱七"),
        ("id_phone", "1390000"),
    ):
        tab_to(page, element_id)
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.locator("#error-summary").get_by_role("link").count() == 1
    tab_to(page, "id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("13900001234")
    tab_to(page, "id_public_allowed")
    page.keyboard.press("Space")  # untick: the writer does not want the reply shown
    assert not page.locator("#id_public_allowed").is_checked()
    page.keyboard.press("Enter")
    page.wait_for_selector("#query-code")
    number = page.locator("#letter-number").inner_text().strip()
    code = page.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"信\d{4}-\d{4}", number) and re.fullmatch(r"[A-Z0-9]{8}", code)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "mailbox-receipt.png"), full_page=True)
    with django_db_blocker.unblock():
        letter = Letter.objects.get(number=number)
        assert letter.content == "建议加强江北片区夜间巡逻。" and letter.kind.key == "suggestion"
        assert not letter.public_allowed
    page.goto(f"{live_server.url}{STATUS}?number={number}")
    tab_to(page, "id_code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#state")
    assert "钱七" not in page.content() and "13900001234" not in page.content()
