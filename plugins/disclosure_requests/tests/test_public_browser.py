"""The public request form and status lookup in a real browser (Debian Chromium through Playwright), filled
and submitted with the keyboard alone."""

from __future__ import annotations

import re

import pytest

from tests.browser import SHOTS, tab_to

from .test_public_api import ID

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser_page):
    """A zh-CN page (tests/browser.py)."""
    return browser_page


@pytest.fixture
def site(live_server, committed_ankang):
    """The live server (the ankang portal is its default site); rate-limit counts cleared."""
    from django.core.cache import cache

    cache.clear()
    yield live_server.url
    cache.clear()


def test_keyboard_only_submission_and_status_lookup(page, site, django_db_blocker):
    page.goto(f"{site}/disclosure_requests/apply/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    # First submit with a wrong phone: the error summary comes first and its link leads to the field.
    fields = {
        "id_applicant_name": "李明",
        "id_id_number": ID,
        "id_phone": "12345",
        "id_info_title": "安康市2025年交通违法处理统计",
        "id_info_description": "请提供<b>2025年</b>安康市交通违法处理数量。<script>alert(1)</script>",
    }
    for element_id, text in fields.items():
        tab_to(page, element_id)
        page.keyboard.type(text)
    tab_to(page, "id_receipt_way_0")  # the radio group: arrows pick "by email"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_receipt_way_2").is_checked()
    page.keyboard.press("Enter")  # submits the form from a radio button
    page.wait_for_selector("#error-summary")
    summary = page.locator("#error-summary")
    assert summary.get_by_role("link").count() == 2  # phone and email
    tab_to(page, "error-summary", limit=5) if page.evaluate("document.activeElement.id") != "error-summary" else None
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follow the first link of the summary
    page.wait_for_function("location.hash === '#id_phone'")
    assert page.locator("#id_phone").get_attribute("aria-invalid") == "true"
    assert "id_phone_error" in page.locator("#id_phone").get_attribute("aria-describedby")
    tab_to(page, "id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("13800000000")
    tab_to(page, "id_email")
    page.keyboard.type("liming@example.cn")
    page.keyboard.press("Enter")
    page.wait_for_selector("#query-code")
    number = page.locator("#request-number").inner_text().strip()
    code = page.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"依申\d{4}-\d{4}", number) and re.fullmatch(r"[A-Z0-9]{8}", code)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "disclosure-request-receipt.png"), full_page=True)

    with django_db_blocker.unblock():
        from plugins.disclosure_requests.models import DisclosureRequest

        req = DisclosureRequest.objects.get(number=number)
        assert req.info_description == "请提供2025年安康市交通违法处理数量。"
        assert req.receipt_way == "email" and req.email == "liming@example.cn"

    # Reloading the receipt resubmits the same form token: nothing new, and the code is not shown again.
    page.reload()
    page.wait_for_selector("#request-number")
    assert page.locator("#request-number").inner_text().strip() == number
    assert page.locator("#query-code").count() == 0
    with django_db_blocker.unblock():
        assert DisclosureRequest.objects.filter(info_title="安康市2025年交通违法处理统计").count() == 1

    # The status lookup, by keyboard: the receipt's link carries the number.
    page.goto(f"{site}/disclosure_requests/status/?number={number}")
    assert page.locator("#id_number").input_value() == number
    tab_to(page, "id_code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#state")
    text = page.locator("main").inner_text()
    assert number in text
    for personal in ("李明", ID, "13800000000", "liming@example.cn"):
        assert personal not in page.content()
    page.screenshot(path=str(SHOTS / "disclosure-request-status.png"), full_page=True)
