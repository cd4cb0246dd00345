"""The consultation link (业务咨询): the mailbox's consultation form when the mailbox is installed and serves it,
else the police type's 业务咨询 column; the mailbox is never imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from plugins.online_services.consultation import consultation_box, consultation_link, mailbox_write_path

from . import factories

ROOT = Path(__file__).resolve().parents[3]
GUIDE_URL = "/api/v2/pages/?type=online_services.ServiceGuidePage&fields=consultation_url&title={title}"


@pytest.fixture
def live_guide(column, department, ankang, settings):
    settings.SUNLIGHT_API_CACHE = False  # the same URL is read under two URL configurations
    page = factories.guide(department, ankang, title="咨询链接测试指南")
    return factories.publish(factories.add(page, column("wsbs/huzheng/bszn")))


@pytest.mark.django_db
def test_with_the_mailbox_the_link_opens_its_consultation_form_for_the_portals_box(client, live_guide):
    assert mailbox_write_path() == "/mailbox/write/"
    item = client.get(GUIDE_URL.format(title=live_guide.title)).json()["items"][0]
    assert item["consultation_url"] == "http://testserver/mailbox/write/?box=juzhang&kind=consultation"
    huzheng = client.get("/api/online_services/police-types/").json()["results"][0]
    assert huzheng["consultation_url"] == item["consultation_url"]
    form = client.get("/mailbox/write/?box=juzhang&kind=consultation")
    assert form.status_code == 200  # the mailbox really serves it


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="plugins.online_services.tests.urls_without_mailbox_form")
def test_without_the_mailbox_form_the_link_is_the_police_types_consultation_column(client, live_guide, column):
    assert mailbox_write_path() is None
    ywzx = column("wsbs/huzheng/ywzx")
    item = client.get(GUIDE_URL.format(title=live_guide.title)).json()["items"][0]
    assert item["consultation_url"] == ywzx.get_full_url()
    rows = client.get("/api/online_services/police-types/").json()["results"]
    assert rows[0]["consultation_url"] == ywzx.get_full_url()
    assert rows[7]["title"] == "交警" and rows[7]["consultation_url"].endswith("/wsbs/jiaojing/ywzx/")


def test_the_box_comes_from_the_plugin_setting(settings):
    from django.apps import apps

    config = apps.get_app_config("online_services")
    before = config.settings["consultation_box"]
    try:
        assert consultation_box("ankang") == "juzhang" and consultation_box("ningxia") == "tingzhang"
        assert consultation_box("elsewhere") is None
        config.settings["consultation_box"] = "zixun"
        assert consultation_box("elsewhere") == "zixun"
        assert consultation_link("elsewhere", None, write_path="/mailbox/write/") == (
            "/mailbox/write/?box=zixun&kind=consultation"
        )
        config.settings["consultation_box"] = {}
        assert consultation_link("ankang", None, write_path="/mailbox/write/") == "/mailbox/write/?kind=consultation"
    finally:
        config.settings["consultation_box"] = before


def test_a_site_without_the_mailbox_plugin_links_to_the_column():
    """SUNLIGHT_DISABLED_PLUGINS=mailbox in a real process: the registry says the mailbox is not installed."""
    code = (
        "import django; django.setup()\n"
        "from plugins.online_services.consultation import mailbox_write_path, consultation_link\n"
        "from cms.plugins.registry import registry\n"
        "class Column:\n"
        "    def get_url(self): return '/wsbs/huzheng/ywzx/'\n"
        "print(registry.is_installed('mailbox'), registry.is_installed('online_services'), mailbox_write_path(),\n"
        "      consultation_link('ankang', Column()))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test", "SUNLIGHT_DISABLED_PLUGINS": "mailbox"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "True", "None", "/wsbs/huzheng/ywzx/"]
