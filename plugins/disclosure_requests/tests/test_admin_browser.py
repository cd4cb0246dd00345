"""The request admin in a real browser (Debian Chromium through Playwright): log in, open a request, act."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser import SHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser_page):
    """A zh-CN page (tests/browser.py)."""
    return browser_page


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_ankang")
def test_office_clerk_opens_a_request_and_starts_the_check(page, live_server, django_user_model):
    from cms.deadlines.calendar import local_today
    from cms.models import Portal
    from plugins.disclosure_requests import transitions as t
    from plugins.disclosure_requests.models import DisclosureRequest

    ankang = Portal.objects.get(profile="ankang")
    django_user_model.objects.create_superuser("browser-admin", password="pw-123456")
    data = {
        "applicant_name": "李四",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "info_title": "浏览器测试请求",
        "info_description": "请提供2025年户籍办理统计",
    }
    req, _code, _ = t.submit(ankang, data, channel="post", channel_date=local_today() - timedelta(days=3))

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("browser-admin")
    page.locator("#id_password").fill("pw-123456")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/disclosure-requests/requests/")
    page.locator(f"[data-request='{req.number}'] a").first.click()
    page.wait_for_url(f"**/requests/{req.pk}/")
    assert page.locator("[data-applicant]").inner_text().count("李四") == 1
    page.locator("[data-action=start_check] summary").click()
    page.locator("[data-action=start_check] button[type=submit]").click()
    page.wait_for_url(f"**/requests/{req.pk}/")
    assert page.locator("[data-state]").get_attribute("data-state") == "checking"
    assert page.locator("[data-history-user=browser-admin]").count() == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "disclosure-request-admin.png"), full_page=True)
    assert DisclosureRequest.objects.get(pk=req.pk).state == "checking"
