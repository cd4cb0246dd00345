"""The jieba database backend on pages: Chinese sub-words, mixed runs, ranking and hostile queries.

Runs on SQLite (FTS5) by default and on PostgreSQL with DATABASE_URL=postgres://...
"""

from __future__ import annotations

import pytest
from wagtail.search.backends import get_search_backend

from pages.models import ArticlePage

pytestmark = pytest.mark.django_db

JIEBA = {"default": {"BACKEND": "search.backends.database"}}
STOCK = {"default": {"BACKEND": "wagtail.search.backends.database"}}

HOSTILE_QUERIES = [
    '"',
    '""',
    "*",
    "**",
    "OR",
    "AND",
    "NOT",
    "NEAR(",
    "NEAR(通缉 护照, 2)",
    '"通缉',
    '通缉"',
    "'通缉",
    "通缉 OR",
    "OR 通缉",
    "通缉 AND NOT 护照",
    "title:通缉",
    "{title}: 通缉",
    "^通缉",
    "通缉*",
    "-通缉",
    "+通缉",
    "(通缉",
    "通缉)",
    "'; DROP TABLE wagtailsearch_indexentry; --",
    "1' OR '1'='1",
    "\\",
    "%",
    "_",
    ":",
    "&|!<->",
    "",
    " ",
    "\t\n",
    "\x00",
    "🚓👮",
    "通缉" * 1000,
    "x" * 2000,
    "通 " * 1000,
]


@pytest.fixture
def backend(settings):
    """The jieba backend, configured as the default search backend for this test."""
    settings.WAGTAILSEARCH_BACKENDS = JIEBA
    return get_search_backend()


@pytest.fixture
def article(column):
    """Return a function adding a draft article to the news column and indexing it with a backend."""

    def make(backend, title: str, body: str = "") -> ArticlePage:
        page = ArticlePage(title=title, live=False, body=f"<p>{body}</p>" if body else "")
        column("xxgk/jwyw").add_child(instance=page)
        backend.add(page)
        return page

    return make


def titles(results) -> list[str]:
    """Titles of search results, in order."""
    return [page.title for page in results]


def mine(*pages: ArticlePage):
    """Only these pages (the demo content is indexed too)."""
    return ArticlePage.objects.filter(pk__in=[page.pk for page in pages])


def test_the_setting_selects_the_jieba_backend(backend):
    from django.db import connection

    expected = "JiebaPostgresSearchBackend" if connection.vendor == "postgresql" else "JiebaSQLiteSearchBackend"
    assert type(backend).__name__ == expected


def test_stock_backend_does_not_find_a_chinese_sub_word(settings, article):
    """Why this backend exists: the stock database backend indexes a Chinese run as one token."""
    settings.WAGTAILSEARCH_BACKENDS = STOCK
    stock = get_search_backend()
    page = article(stock, "网上通缉逃犯信息")
    assert titles(stock.search("通缉", mine(page))) == []
    assert titles(stock.search("网上通缉逃犯信息", mine(page))) == ["网上通缉逃犯信息"]


def test_a_sub_word_finds_the_page(backend, article):
    article(backend, "网上通缉逃犯信息")
    for query in ("通缉", "逃犯信息", "通缉逃犯", "上通", "犯"):
        assert "网上通缉逃犯信息" in titles(backend.search(query, ArticlePage)), query


def test_mixed_chinese_and_ascii(backend, article):
    passport = article(backend, "2026年护照办理须知")
    wanted = article(backend, "关于发布通缉令的通告", body="公安部发布B级通缉令，悬赏征集线索。")
    other = article(backend, "2025年驾驶证换证须知")
    pages = mine(passport, wanted, other)
    assert titles(backend.search("护照", pages)) == ["2026年护照办理须知"]
    assert titles(backend.search("2026年 护照", pages)) == ["2026年护照办理须知"]
    assert titles(backend.search("B级通缉令", pages)) == ["关于发布通缉令的通告"]
    assert titles(backend.search("b级通缉令", pages)) == ["关于发布通缉令的通告"]


def test_words_from_body_and_or_operator(backend, article):
    a = article(backend, "出入境业务", body="办理往来港澳通行证和护照。")
    b = article(backend, "户籍业务", body="户口迁移、居住证办理。")
    pages = mine(a, b)
    assert titles(backend.search("港澳通行证", pages)) == ["出入境业务"]
    assert titles(backend.search("户口迁移", pages)) == ["户籍业务"]
    assert titles(backend.search("护照 居住证", pages)) == []
    assert set(titles(backend.search("护照 居住证", pages, operator="or"))) == {"出入境业务", "户籍业务"}


def test_a_phrase_query_is_segmented(backend, article):
    page = article(backend, "网上通缉逃犯信息")
    assert titles(backend.search('"通缉逃犯"', mine(page))) == ["网上通缉逃犯信息"]


def test_a_title_hit_ranks_above_a_body_hit(backend, article):
    body_only = article(backend, "警务工作动态", body="本周，民警协助抓获一名网上通缉的逃犯，另有多项工作。")
    in_title = article(backend, "通缉逃犯落网", body="详情见后续报道。")
    results = titles(backend.search("通缉", mine(body_only, in_title)))
    assert results == ["通缉逃犯落网", "警务工作动态"]
    # Same order whichever was indexed first.
    backend.add(ArticlePage.objects.get(pk=body_only.pk))
    assert titles(backend.search("通缉", mine(in_title, body_only))) == results


def test_a_query_matching_nothing_returns_nothing(backend, article):
    article(backend, "网上通缉逃犯信息")
    assert titles(backend.search("量子纠缠火星殖民", ArticlePage)) == []
    assert backend.search("量子纠缠火星殖民", ArticlePage).count() == 0


def test_autocomplete_finds_a_prefix_of_a_word(backend, article):
    page = article(backend, "网上通缉逃犯信息")
    assert titles(backend.autocomplete("网上通", mine(page))) == ["网上通缉逃犯信息"]


def test_reindexing_an_edited_page_replaces_its_tokens(backend, article):
    page = article(backend, "护照办理须知")
    page.title = "驾驶证办理须知"
    page.save()
    backend.add(page)
    assert titles(backend.search("护照", mine(page))) == []
    assert titles(backend.search("驾驶证", mine(page))) == ["驾驶证办理须知"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries_never_raise(backend, article, query):
    """Operators, quotes, SQL and huge inputs give results or nothing, never an exception.

    hypothesis is not installed in the venv, so the inputs are a fixed list.
    """
    page = article(backend, "网上通缉逃犯信息", body="通缉 护照 OR AND NEAR")
    results = backend.search(query, mine(page))
    assert titles(results) in ([], ["网上通缉逃犯信息"])
    assert results.count() in (0, 1)
    assert titles(backend.search(query, mine(page), operator="or")) in ([], ["网上通缉逃犯信息"])
    assert titles(backend.autocomplete(query, mine(page))) in ([], ["网上通缉逃犯信息"])


def test_structured_queries_are_segmented(backend, article):
    from modelsearch.query import And, Not, Or, Phrase, PlainText

    a = article(backend, "网上通缉逃犯信息")
    b = article(backend, "2026年护照办理须知")
    pages = mine(a, b)
    assert set(titles(backend.search(Or([PlainText("通缉"), Phrase("护照")]), pages))) == {
        "2026年护照办理须知",
        "网上通缉逃犯信息",
    }
    assert titles(backend.search(And([PlainText("护照"), Not(PlainText("通缉"))]), pages)) == ["2026年护照办理须知"]
    assert titles(backend.search(PlainText("!!!"), pages)) == []


def test_api_search_uses_the_backend(backend, column, client):
    from cms.review.gate import chain_bypass

    page = ArticlePage(title="网上通缉逃犯信息", live=False)
    column("xxgk/jwyw").add_child(instance=page)
    with chain_bypass("测试"):
        page.save_revision().publish()
    backend.add(ArticlePage.objects.get(pk=page.pk))
    response = client.get("/api/v2/pages/", {"search": "通缉", "type": "pages.ArticlePage"})
    assert response.status_code == 200
    assert "网上通缉逃犯信息" in [item["title"] for item in response.json()["items"]]
    response = client.get("/api/v2/pages/", {"search": '"NEAR( OR *', "type": "pages.ArticlePage"})
    assert response.status_code in (200, 400)


def test_admin_page_search_uses_the_backend(backend, article, admin_client):
    article(backend, "网上通缉逃犯信息")
    response = admin_client.get("/admin/pages/search/", {"q": "通缉"})
    assert response.status_code == 200
    assert "网上通缉逃犯信息" in response.content.decode()
    for query in ('"NEAR( OR *', "'; DROP TABLE", "x" * 2000):
        assert admin_client.get("/admin/pages/search/", {"q": query}).status_code == 200


def test_update_index_command_indexes_with_jieba(backend, column):
    from django.core.management import call_command

    page = ArticlePage(title="户口迁移办理指南", live=False)
    column("xxgk/jwyw").add_child(instance=page)
    from modelsearch.conf import get_app_config

    get_app_config().get_model("IndexEntry").objects.all().delete()
    assert titles(backend.search("迁移", mine(page))) == []
    call_command("update_index", verbosity=0)
    assert titles(backend.search("迁移", mine(page))) == ["户口迁移办理指南"]
