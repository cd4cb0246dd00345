"""Shared pieces of the browser tests: Debian's Chromium driven by Playwright (no browser download), a page per
test, keyboard-only navigation and the screenshots folder.

    from tests.browser import SHOTS, tab_to   # the fixtures `chromium` and `browser_page` come from conftest.py
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: As the machine's probe starts it: no sandbox (root), no GPU, no background traffic to the closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium for the module's tests (Django's database calls allowed in Playwright's thread)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: run scripts/install-browser.sh (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def browser_page(chromium) -> Iterator[Any]:
    """A fresh page (zh-CN, 1280×900, 15 s timeouts)."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
    # Queries made under Playwright's event loop used connections of their own (Django's connections follow the
    # async context): close them while still in it, or their sessions outlive the test database's teardown.
    from django.db import connections

    connections.close_all()


def tab_to(page: Any, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with this id has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never got the focus")
