"""The README's demo command, end to end: setup twice, then a real server answers portal, admin and API."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import yaml

from .server import manage

DEMO = Path(__file__).resolve().parent.parent / "profiles" / "demo" / "ankang.yaml"


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_setup_prints_the_admin_login(demo):
    assert "user: admin" in demo.setup_output
    assert "http://127.0.0.1:" in demo.setup_output and "/admin/" in demo.setup_output
    # Plugins add their demo data: six disclosure requests in different states.
    assert "disclosure_requests: 6 demo records created" in demo.setup_output


def test_second_setup_changes_nothing_and_prints_the_same_login(demo):
    again = manage(demo.env, "setup_demo").stdout
    assert f"password: {demo.password}" in again
    assert "created: 0, updated: 0" in again
    assert "demo content: 0 created, 18 already present" in again
    assert "disclosure_requests: 0 demo records created" in again


def test_portal_admin_and_api_answer(demo):
    status, html = get(demo.url + "/")
    assert status == 200 and "信息公开" in html and "网上办事" in html and "警民互动" in html
    status, html = get(demo.url + "/admin/login/")
    assert status == 200 and "登录" in html  # the admin speaks Chinese
    status, body = get(demo.url + "/api/v2/pages/?type=pages.ArticlePage&limit=100")
    live = {item["meta"]["slug"] for item in json.loads(body)["items"]}
    demo_articles = {
        i["slug"] for i in yaml.safe_load(DEMO.read_text(encoding="utf-8"))["items"] if i["type"] == "article"
    }
    assert len(demo_articles) == 13 and demo_articles <= live  # other tests may add more on this server
