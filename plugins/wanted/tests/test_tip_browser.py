"""The public tip form in a real browser (Debian Chromium through Playwright), filled and sent with the keyboard
alone: the error summary leads to the wrong field, the corrected form gives the tip's number."""

from __future__ import annotations

import re

import pytest

from tests.browser import SHOTS, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def notice(live_server, committed_ankang, django_db_blocker):
    """A published notice on the live server's portal; rate-limit counts cleared."""
    import datetime

    from django.core.cache import cache

    from cms.review.gate import chain_bypass
    from pages.models import ColumnPage
    from plugins.wanted.models import WantedNotice

    cache.clear()
    with django_db_blocker.unblock():
        column = ColumnPage.objects.get(profile_key="xxgk/wstj")
        notice = WantedNotice(
            number="浏览器测试〔2026〕1号",
            level="city",
            subject_name="键盘测试人",
            sex="male",
            charge="盗窃罪",
            date=datetime.date.today(),
            live=False,
        )
        column.add_child(instance=notice)
        with chain_bypass("测试"):
            notice.save_revision().publish()
    yield notice
    cache.clear()


def test_keyboard_only_tip(browser_page, live_server, notice, django_db_blocker):
    page = browser_page
    page.goto(f"{live_server.url}/wanted/{notice.pk}/tip/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "键盘测试人" in page.locator("main").inner_text()
    tab_to(page, "id_content")
    page.keyboard.type("今天上午在<b>火车站</b>候车室见过此人，穿灰色外套。<script>alert(1)</script>")
    tab_to(page, "id_contact_phone")
    page.keyboard.type("12345")
    page.keyboard.press("Enter")  # submits from the text field
    page.wait_for_selector("#error-summary")
    assert page.locator("#error-summary").get_by_role("link").count() == 1
    if page.evaluate("document.activeElement.id") != "error-summary":
        tab_to(page, "error-summary", limit=5)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follow the summary's link
    page.wait_for_function("location.hash === '#id_contact_phone'")
    assert page.locator("#id_contact_phone").get_attribute("aria-invalid") == "true"
    assert "id_contact_phone_error" in page.locator("#id_contact_phone").get_attribute("aria-describedby")
    tab_to(page, "id_contact_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("13800000000")
    page.keyboard.press("Enter")
    page.wait_for_selector("#tip-number")
    number = page.locator("#tip-number").inner_text().strip()
    assert re.fullmatch(r"线索\d{4}-\d{4}", number)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "wanted-tip-receipt.png"), full_page=True)
    with django_db_blocker.unblock():
        from plugins.wanted.models import Tip

        tip = Tip.objects.get(number=number)
        assert tip.content == "今天上午在火车站候车室见过此人，穿灰色外套。"
        assert tip.contact_phone == "13800000000" and tip.department.code == "xingjing"
    page.reload()  # a reload sends the same form token: the same receipt, no second tip
    page.wait_for_selector("#tip-number")
    assert page.locator("#tip-number").inner_text().strip() == number
    with django_db_blocker.unblock():
        assert Tip.objects.filter(notice_id=notice.pk).count() == 1
