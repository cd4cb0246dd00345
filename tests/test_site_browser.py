"""The public site in a real browser (Debian Chromium through Playwright) against the real demo server: axe-core
finds no serious or critical violation on each page kind, no request leaves the site, pages fit a 360 px phone
and are shot at 360 and 1280 px, reading and the letter form work without JavaScript, and the text-size switch,
read-aloud and print view work with it."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .browser import SHOTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (360, 1280)


def api(demo, path: str) -> dict:
    with urllib.request.urlopen(f"{demo.url}{path}") as response:
        return json.loads(response.read())


def first_url(demo, page_type: str, **filters: str) -> str:
    """The site path of the first live page of `page_type` in the demo."""
    query = urllib.parse.urlencode({"type": page_type, "limit": 1, "fields": "_,html_url", **filters})
    items = api(demo, f"/api/v2/pages/?{query}")["items"]
    assert items, f"the demo has no {page_type}"
    return urllib.parse.urlsplit(items[0]["meta"]["html_url"]).path


@pytest.fixture(scope="module")
def kinds(demo) -> dict[str, str]:
    """One URL per page kind the issue names (and a few more)."""
    urls = {
        "home": "/",
        "column": first_url(demo, "pages.ColumnPage", slug="jwyw"),
        "article": first_url(demo, "pages.ArticlePage"),
        "document": first_url(demo, "pages.GovernmentDocumentPage"),
        "search": "/search/?scope=catalogue&q=%E5%85%AC%E5%AE%89",
        "sitemap": "/sitemap/",
        "mailbox-form": "/mailbox/write/",
        "disclosure-form": "/disclosure_requests/apply/",
    }
    urls["service-guide"] = first_url(demo, "online_services.ServiceGuidePage")
    urls["wanted-notice"] = first_url(demo, "wanted.WantedNotice")
    urls["hotlines-column"] = first_url(demo, "pages.ColumnPage", slug="bmdh")
    return urls


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page (WCAG 2.1 A and AA rules)."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run scripts/install-browser.sh (scripts/test.sh does)")
    page.add_script_tag(path=str(AXE))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_kind_is_accessible_local_and_fits_a_phone(demo, kinds, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, object] = {}
    for width in WIDTHS:
        context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        foreign: list[str] = []

        def note(request, seen=foreign):
            if not request.url.startswith((demo.url, "data:")):
                seen.append(request.url)

        page.on("request", note)
        for kind, path in kinds.items():
            response = page.goto(demo.url + path)
            assert response.status == 200, (kind, path, response.status)
            if width == 1280:
                violations = axe_violations(page)
                if violations:
                    problems[f"axe {kind}"] = violations
            else:
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 1:
                    problems[f"360px {kind}"] = f"{overflow}px wider than the screen"
            page.screenshot(path=str(SHOTS / f"site-{kind}-{width}.png"), full_page=True)
        context.close()
        if foreign:
            problems[f"foreign requests at {width}px"] = sorted(set(foreign))[:10]
    assert problems == {}


def test_reading_and_writing_a_letter_without_javascript(demo, kinds, chromium):
    context = chromium.new_context(locale="zh-CN", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(demo.url + kinds["article"])
    assert page.locator("#article-body").inner_text().strip()
    assert page.locator("svg.qr").count() == 1  # the QR code needs no script
    assert page.locator("[data-tools]").is_hidden()  # the switch needs a script: not offered without one
    page.goto(demo.url + "/mailbox/write/?box=juzhang")
    page.locator("#id_kind_1").check()
    page.locator("#id_subject").fill("无脚本来信测试")
    page.locator("#id_content").fill("浏览器禁用脚本时也能提交来信。")
    page.locator("#id_name").fill("测试")
    page.locator("#id_phone").fill("13900001111")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("#query-code")
    assert page.locator("#letter-number").inner_text().startswith("信")
    context.close()


def test_text_size_read_aloud_and_print(demo, kinds, browser_page):
    page = browser_page
    page.goto(demo.url + kinds["article"])
    body = page.locator("#article-body")
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#article-body')).fontSize)")
    page.get_by_role("button", name="大", exact=True).click()
    assert page.locator("html").get_attribute("data-font-size") == "large"
    large = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#article-body')).fontSize)")
    assert large > normal
    page.reload()
    assert page.locator("html").get_attribute("data-font-size") == "large"  # remembered
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="中", exact=True).click()
    assert page.locator("html").get_attribute("data-font-size") is None
    if page.evaluate("'speechSynthesis' in window"):
        read = page.locator("[data-read-aloud]")
        assert read.is_visible()
        page.evaluate(
            "() => { window.__spoken = null;"
            " window.speechSynthesis.speak = (u) => { window.__spoken = {text: u.text, lang: u.lang}; }; }"
        )
        read.click()
        spoken = page.evaluate("window.__spoken")
        assert spoken["lang"] == "zh-CN" and body.inner_text()[:10] in spoken["text"]
        assert read.get_attribute("aria-pressed") == "true"
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden() and page.locator(".page-tools").is_hidden()
    assert body.is_visible()
