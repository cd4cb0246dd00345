"""Admin flows in a real browser (Debian Chromium driven by Playwright) against the real demo server."""

from __future__ import annotations

import json
import urllib.request

import pytest

from .browser import SHOTS
from .server import manage

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium):
    """A page whose browser prefers English: the admin must still be Chinese."""
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def column_id(demo, slug: str) -> int:
    with urllib.request.urlopen(f"{demo.url}/api/v2/pages/?type=pages.ColumnPage&slug={slug}") as r:
        return json.loads(r.read())["items"][0]["id"]


def login(page, demo, username: str) -> None:
    page.goto(f"{demo.url}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(demo.password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{demo.url}/admin/")


def test_criminal_police_editor_writes_in_wanted_notices_and_cannot_touch_police_news(page, demo):
    login(page, demo, "xingjing_editor")
    wanted, news = column_id(demo, "wstj"), column_id(demo, "jwyw")

    page.goto(f"{demo.url}/admin/pages/{news}/edit/")
    assert "/edit/" not in page.url or page.get_by_text("没有权限").count() > 0

    page.goto(f"{demo.url}/admin/pages/add/pages/articlepage/{wanted}/")
    page.locator("#id_title").fill("关于公开悬赏通缉犯罪嫌疑人的通告")
    page.locator("#id_summary").fill("浏览器测试：刑警支队编辑在网上通缉栏目撰写草稿。")
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("请广大群众积极提供线索。")
    page.wait_for_function("document.querySelector('#id_body').value.includes('积极提供线索')")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/edit/")
    assert page.get_by_text("已创建").count() > 0 or page.get_by_text("已保存").count() > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-editor-draft.png"), full_page=True)

    page.goto(f"{demo.url}/admin/pages/{wanted}/")
    assert page.get_by_text("关于公开悬赏通缉犯罪嫌疑人的通告").count() > 0
    saved = manage(
        demo.env,
        "shell",
        "-v0",
        "-c",
        "from pages.models import ArticlePage as A; "
        "p = A.objects.get(title='关于公开悬赏通缉犯罪嫌疑人的通告').get_latest_revision_as_object(); "
        "print(p.author_department.name, p.live, '请广大群众积极提供线索' in p.body)",
    ).stdout.split()
    assert saved == ["刑警支队", "False", "True"]  # the editor's department, a draft, the body as typed


def test_admin_menu_offers_the_organisation_to_superusers(page, demo):
    login(page, demo, "admin")
    page.goto(f"{demo.url}/admin/snippets/cms/department/")
    assert page.get_by_text("刑警支队").count() > 0
    assert page.get_by_text("指挥中心秘书科").count() > 0


def action(page, selector: str, comment: str | None = None) -> None:
    """Click an action of the editor's footer menu (opening its dropdown when needed); an action with a
    comment form opens it in a dialog, where `comment` is written and submitted."""
    target = page.locator(selector).first
    target.wait_for(state="attached")
    if not target.is_visible():
        page.locator("[data-w-dropdown-target='toggle']", has_text="更多动作").first.click()
    if target.get_attribute("data-workflow-action-modal-url") is None:
        with page.expect_navigation():
            target.click()
        return
    target.click()
    box = page.locator("textarea[name='comment']")
    box.wait_for(state="visible")
    box.fill(comment or "")
    with page.expect_navigation():
        box.locator("xpath=ancestor::form").locator("button[type='submit']").first.click()


def test_a_whole_review_chain_in_the_admin(page, demo):
    """An editor writes an item quoting a classified mark; it passes head, secrecy office and column admin."""
    news = column_id(demo, "jwyw")
    login(page, demo, "xuanchuan_editor")
    page.goto(f"{demo.url}/admin/pages/add/pages/articlepage/{news}/")
    page.locator("#id_title").fill("全市公安机关召开保密工作会议")
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("会议传达了秘密★1年文件的解密情况。")
    page.wait_for_function("document.querySelector('#id_body').value.includes('解密情况')")
    action(page, "button[name='action-submit']")
    page.get_by_text("已创建并提交审核").wait_for()
    edit_link = page.locator(".messages a", has_text="编辑").first.get_attribute("href")
    item = int(edit_link.rstrip("/").split("/")[-2])

    for user, comment in (
        ("xuanchuan_head", ""),
        ("baomi_head", "所引“秘密★1年”文件已解密，同意公开。"),
        ("mishu_admin", ""),
    ):
        page.context.clear_cookies()
        login(page, demo, user)
        page.goto(f"{demo.url}/admin/pages/{item}/edit/")
        action(page, "button[data-workflow-action-name='approve']", comment=comment)

    with urllib.request.urlopen(f"{demo.url}/api/v2/pages/{item}/") as r:
        assert json.loads(r.read())["title"] == "全市公安机关召开保密工作会议"  # live
    page.context.clear_cookies()
    login(page, demo, "admin")
    page.goto(f"{demo.url}/admin/review-ledger/")
    assert page.get_by_text("所引“秘密★1年”文件已解密，同意公开。").count() > 0
    page.screenshot(path=str(SHOTS / "admin-review-ledger.png"), full_page=True)
