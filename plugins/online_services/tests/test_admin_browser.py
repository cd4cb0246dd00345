"""The guide editor in a real browser (Debian Chromium through Playwright): an editor of a police type writes a
guide with elements missing, sees what is missing, and cannot submit it for review."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.browser import SHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def page(committed_ankang, browser_page):
    """A zh-CN page (tests/browser.py), tall enough for the editor's footer."""
    browser_page.set_viewport_size({"width": 1280, "height": 1000})
    return browser_page


def click_action(page, selector: str) -> None:
    """Click a footer action of the editor (opening the 'more actions' menu when it is folded there)."""
    button = page.locator(selector).first
    button.wait_for(state="attached")
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    with page.expect_navigation():
        button.click()


@pytest.mark.django_db(transaction=True)
@override_settings(WAGTAIL_AUTOSAVE_INTERVAL=0)  # the test reads the database between the editor's actions
def test_an_editor_sees_what_a_guide_lacks_and_cannot_submit_it(page, live_server, django_user_model):
    from wagtail.models import WorkflowState

    from cms.models import DepartmentRole, Portal
    from pages.models import ColumnPage
    from plugins.online_services.models import ServiceGuidePage

    ankang = Portal.objects.get(profile="ankang")
    editor = django_user_model.objects.create_user("huzheng-browser", password="pw-123456")
    editor.groups.add(ankang.departments.get(code="huzheng").group(DepartmentRole.EDITORS))
    bszn = ColumnPage.objects.get(profile_key="wsbs/huzheng/bszn", path__startswith=ankang.site.root_page.path)

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("huzheng-browser")
    page.locator("#id_password").fill("pw-123456")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/add/online_services/serviceguidepage/{bszn.pk}/")
    panel = page.locator("[data-completeness]")
    assert panel.locator("[data-missing-element]").count() == 15  # a new guide lacks every element, its name too
    page.locator("#id_title").fill("浏览器测试：集体户口迁入")
    page.locator("#id_item_code").fill("610900-GA-QR-0199")
    page.locator("#id_implementing_organ").fill("安康市公安局户政科")
    page.locator("#id_scope").fill("拟迁入单位集体户的职工")

    click_action(page, "button[name='action-submit']")
    error = page.get_by_text("办事指南要素不全，不能提交审核")
    error.first.wait_for()
    text = error.first.inner_text()
    for element in ("事项类型", "设定依据", "办理条件", "申请材料", "办理流程", "咨询电话", "监督投诉电话"):
        assert element in text
    assert "事项编码" not in text and "实施机关" not in text
    assert page.locator("#id_title").input_value() == "浏览器测试：集体户口迁入"  # nothing typed is lost
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "online-services-incomplete-guide.png"), full_page=True)
    assert not ServiceGuidePage.objects.filter(title="浏览器测试：集体户口迁入").exists()

    click_action(page, "button.action-save")  # a draft may be incomplete
    page.wait_for_url("**/edit/")
    guide = ServiceGuidePage.objects.get(title="浏览器测试：集体户口迁入")
    missing = [t.strip() for t in page.locator("[data-missing-element]").all_inner_texts()]
    assert missing == guide.get_latest_revision_as_object().missing_elements()
    assert "事项类型" in missing and "事项编码" not in missing
    click_action(page, "button[name='action-submit']")
    page.get_by_text("办事指南要素不全，不能提交审核").first.wait_for()
    assert not WorkflowState.objects.filter(object_id=str(guide.pk)).exists()
    page.wait_for_load_state("networkidle")  # no request of the editor left running against the test database
