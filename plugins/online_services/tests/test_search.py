"""Site search finds guides by their elements and hotlines by name and unit; a withdrawn guide is still found,
as no longer in force."""

from __future__ import annotations

import pytest

from plugins.online_services.withdrawal import withdraw
from search import service
from search.engines.base import Query

from . import factories

pytestmark = pytest.mark.django_db


def titles(client, query: str) -> list[str]:
    data = client.get("/api/search/", {"q": query}).json()
    return [r["title"] for r in data["results"]]


def test_guides_and_hotlines_are_found(
    client, column, department, ankang, settings, django_capture_on_commit_callbacks
):
    settings.SUNLIGHT_API_CACHE = False
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.guide(department, ankang, title="搜索测试：集体户口迁入")
        page.conditions.first().text = "用人单位已设立集体户口并同意迁入"
        guide = factories.publish(factories.add(page, column("wsbs/huzheng/bszn")))
        factories.hotline(
            department("churujing"),
            name="出入境证件办理咨询电话",
            number="0915-3204999",
            department="安康市公安局出入境管理支队接待大厅",
        )
    assert "搜索测试：集体户口迁入" in titles(client, "集体户口 同意迁入")  # a condition's words
    assert "出入境证件办理咨询电话 0915-3204999" in titles(client, "出入境 接待大厅")

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(guide, None, "已由新版指南替代。")
    assert "搜索测试：集体户口迁入" in titles(client, "集体户口 同意迁入")  # still public, still found...
    invalid, _ = service.search(Query(text="集体户口 同意迁入", scope="site", filters={"validity": "invalid"}))
    valid, _ = service.search(Query(text="集体户口 同意迁入", scope="site", filters={"validity": "valid"}))
    assert [h.entry.title for h in invalid.hits] == ["搜索测试：集体户口迁入"]  # ...as no longer in force
    assert valid.hits == []
