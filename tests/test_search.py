"""Search as users meet it: the public endpoints over the demo portal, the index following publication,
plugin documents, suggestions, bad input and `manage.py reindex`."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction

from cms.review.gate import chain_bypass
from pages.models import ArticlePage, GovernmentDocumentPage
from search.models import ReindexRun, SearchEntry

pytestmark = pytest.mark.django_db


def site_search(client, **params):
    """GET /api/search/ and return the JSON."""
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def catalogue_search(client, **params):
    """GET /api/search/catalogue/ and return the JSON."""
    response = client.get("/api/search/catalogue/", params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(data) -> list[str]:
    """Titles of the results."""
    return [result["title"] for result in data["results"]]


def publish(page):
    """Publish the latest revision, bypassing the review chain (tested elsewhere)."""
    with chain_bypass("测试"):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def new_article(column, django_capture_on_commit_callbacks):
    """Create and publish an article in 警务要闻, running on-commit index updates."""

    def create(title: str, body: str = "<p>正文</p>"):
        page = ArticlePage(title=title, body=body, live=False)
        column("xxgk/jwyw").add_child(instance=page)
        page.save_revision()
        with django_capture_on_commit_callbacks(execute=True):
            publish(page)
        return page

    return create


def test_demo_content_is_found_by_chinese_sub_words(client):
    data = site_search(client, q="诈骗")
    assert data["count"] >= 3
    assert any("电信网络诈骗" in title for title in titles(data))
    first = data["results"][0]
    assert "<em>诈骗</em>" in first["title_html"]
    assert first["url"].startswith("http://testserver/") or first["url"].startswith("http://")


def test_site_search_ranks_title_hits_first_and_counts_kinds(client):
    data = site_search(client, q="户籍")
    assert data["results"][0]["title"] == "安康市公安局关于进一步规范户籍业务办理的通知"
    kinds = {value["value"]: value for value in data["facets"]["kind"]}
    assert kinds["governmentdocumentpage"]["label"] == "政府信息"


def test_catalogue_search_has_the_six_facets_with_chinese_labels(client):
    data = catalogue_search(client, q="安康市公安局")
    assert data["count"] == 3, titles(data)
    assert set(data["facets"]) == {"year", "department", "topic", "genre", "mode", "validity"}
    assert {v["value"]: v["count"] for v in data["facets"]["year"]} == {"2026": 2, "2025": 1}
    assert [v["value"] for v in data["facets"]["year"]] == ["2026", "2025"], "newest year first"
    assert {v["label"] for v in data["facets"]["mode"]} == {"主动公开"}
    assert {v["label"] for v in data["facets"]["validity"]} <= {"有效", "失效"}
    entry = next(r for r in data["results"] if "户籍" in r["title"])
    assert entry["index_number"] and entry["document_number"] == "安公发〔2026〕18号"
    assert entry["topic"] == {"code": "gongan", "name": "公安"}
    filtered = catalogue_search(client, q="安康市公安局", topic="jiaotong")
    assert titles(filtered) == ["安康市公安局关于冬季道路交通安全管理的通告"]


def test_catalogue_search_leaves_out_news_and_browses_newest_first(client):
    data = catalogue_search(client)
    assert data["count"] == 3
    dates = [r["published_at"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert not any("诈骗" in t for t in titles(catalogue_search(client, q="诈骗")))


def test_published_edited_and_withdrawn_pages_follow_at_once(client, new_article, django_capture_on_commit_callbacks):
    page = new_article("网上通缉逃犯信息发布")
    assert "网上通缉逃犯信息发布" in titles(site_search(client, q="通缉"))

    page.title = "悬赏通告"
    page.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    assert titles(site_search(client, q="通缉")) == []
    assert "悬赏通告" in titles(site_search(client, q="悬赏"))

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert "悬赏通告" not in titles(site_search(client, q="悬赏"))


def test_deleted_and_private_pages_leave_the_index(client, new_article, django_capture_on_commit_callbacks):
    kept = new_article("瀛湖景区交通管制通告")
    gone = new_article("瀛湖水域安全提示")
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    assert titles(site_search(client, q="瀛湖")) == ["瀛湖景区交通管制通告"]
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=kept, restriction_type="login")
    assert titles(site_search(client, q="瀛湖")) == []
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert titles(site_search(client, q="瀛湖")) == ["瀛湖景区交通管制通告"]


def test_plugin_documents_are_searchable_and_leave_when_withdrawn(client, django_capture_on_commit_callbacks):
    from tests.sample_plugin.models import SampleRecord

    with django_capture_on_commit_callbacks(execute=True):
        record = SampleRecord.objects.create(title="香溪洞景区停车须知")
    data = site_search(client, q="停车须知")
    assert titles(data) == ["香溪洞景区停车须知"]
    assert data["results"][0]["kind"] == "samplerecord"
    with django_capture_on_commit_callbacks(execute=True):
        record.title = "withdrawn 香溪洞景区停车须知"
        record.save()
    assert titles(site_search(client, q="停车须知")) == []
    with django_capture_on_commit_callbacks(execute=True):
        record.title = "香溪洞景区停车须知"
        record.save()
        record.delete()
    assert titles(site_search(client, q="停车须知")) == []


def test_misspelt_and_partial_queries_get_suggestions(client, new_article):
    new_article("网上通缉逃犯信息发布")
    data = site_search(client, q="网上通辑")
    assert data["count"] == 0
    assert "网上通缉" in data["suggestions"]
    assert "户籍" in site_search(client, q="户藉")["suggestions"]
    typeahead = client.get("/api/search/suggest/", {"q": "出入"}).json()
    assert "出入境" in typeahead["completions"]
    assert "户籍" in client.get("/api/search/suggest/", {"q": "户藉"}).json()["suggestions"]


def test_profile_words_are_kept_whole(department, django_capture_on_commit_callbacks):
    from search.segment import tokens_for_query

    assert "鹿鸣坪派出所" not in tokens_for_query("鹿鸣坪派出所")
    dept = department("xingjing")
    with django_capture_on_commit_callbacks(execute=True):
        dept.name = "鹿鸣坪派出所"
        dept.save()
    assert "鹿鸣坪派出所" in tokens_for_query("鹿鸣坪派出所")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "通" * 201},
        {"q": "通缉\x00"},
        {"page": "0"},
        {"page": "101"},
        {"page_size": "500"},
        {"sort": "random"},
        {"year": "abc"},
        {"department": "a b"},
        {"mode": "secret"},
        {"validity": "maybe"},
    ],
)
def test_bad_parameters_are_a_clear_400(client, params):
    response = client.get("/api/search/catalogue/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_responses_never_carry_the_body(client):
    data = site_search(client, q="户籍")
    assert "body" not in data["results"][0]
    assert len(data["results"][0]["snippet_html"]) < 200


def test_reindex_rebuilds_drops_stale_entries_and_reports(client):
    from search.engines.base import Entry
    from search.service import get_engine

    get_engine().index([Entry(key="page:987654", kind="articlepage", title="早已删除的通缉令", site_id=None)])
    out = io.StringIO()
    call_command("reindex", stdout=out)
    text = out.getvalue()
    live = Page.objects.live().filter(depth__gt=1).count()
    assert f"{live}/{live} (100%)" in text
    assert "删除过期条目 1 条" in text, text
    assert not SearchEntry.objects.filter(key="page:987654").exists()
    assert SearchEntry.objects.filter(key__startswith="page:").count() == live
    assert ReindexRun.objects.get().finished_at is not None


def test_reindex_resumes_after_a_crash(monkeypatch):
    from search.management.commands.reindex import Command

    batches = []

    def crash_after_two(self, run):
        batches.append(run.last_pk)
        if len(batches) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(Command, "after_batch", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        call_command("reindex", "--batch", "10", stdout=io.StringIO())
    run = ReindexRun.objects.get()
    assert run.finished_at is None and run.indexed == 20

    monkeypatch.setattr(Command, "after_batch", lambda self, run: None)
    out = io.StringIO()
    call_command("reindex", "--batch", "10", stdout=out)
    assert "继续" in out.getvalue() and "已索引 20 条" in out.getvalue()
    run.refresh_from_db()
    live = Page.objects.live().filter(depth__gt=1).count()
    assert run.finished_at is not None and run.indexed == live
    assert SearchEntry.objects.filter(key__startswith="page:").count() == live


def test_reindex_refuses_a_bad_batch_size():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reindex", "--batch", "0")


def test_expired_validity_moves_a_document_to_invalid(client, monkeypatch):
    document = GovernmentDocumentPage.objects.get(title="安康市公安局关于冬季道路交通安全管理的通告")
    assert document.valid_until == datetime.date(2027, 3, 31)
    assert "安康市公安局关于冬季道路交通安全管理的通告" in titles(catalogue_search(client, validity="valid"))
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2027, 4, 1))
    assert "安康市公安局关于冬季道路交通安全管理的通告" in titles(catalogue_search(client, validity="invalid"))


def test_public_search_is_rate_limited_per_address(client, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()  # the counts of an earlier run within the minute (Redis in CI)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"search": "3/min"})
    address = {"REMOTE_ADDR": "203.0.113.77"}
    statuses = [client.get("/api/search/", {"q": "户籍"}, **address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/search/", {"q": "户籍"}, REMOTE_ADDR="203.0.113.78").status_code == 200
