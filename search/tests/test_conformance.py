"""One conformance suite for every search engine.

It runs against the embedded engine (SQLite FTS5 or PostgreSQL, whichever database the tests use) always,
and against Elasticsearch whenever `ES_URL` is set (`ES_URL=http://localhost:9200 scripts/test.sh
search/tests/test_conformance.py`), on a throw-away index prefix. Nothing here is mocked.
"""

from __future__ import annotations

import datetime
import os
import uuid

import pytest

from search.engines.base import CATALOGUE_FACETS, SITE_FACETS, Entry, Query

ENGINES = ["embedded"] + (["elasticsearch"] if os.environ.get("ES_URL") else [])
TODAY = datetime.date(2026, 11, 22)


def at(year: int, month: int = 6, day: int = 1) -> datetime.datetime:
    """A publication time."""
    return datetime.datetime(year, month, day, 8, 0, tzinfo=datetime.UTC)


def doc(key: str, title: str, body: str = "", **fields) -> Entry:
    """A catalogue entry of site 1 (override any field)."""
    values = {
        "kind": "governmentdocumentpage",
        "catalogue": True,
        "site_id": 1,
        "published_at": at(2026),
        "department_code": "xingjing",
        "department_name": "刑事侦查支队",
        "mode": "proactive",
        "validity": "valid",
        "url": f"/xxgk/{key}/",
    }
    values.update(fields)
    return Entry(key=key, title=title, body=body, **values)


CORPUS = [
    doc("wanted", "网上通缉逃犯信息", "公安局发布B级通缉令,悬赏通缉在逃人员。", topic_code="zhian",
        topic_name="社会治安", genre_code="tongzhi", genre_name="通知"),
    doc("passport", "2026年 护照办理指南", "普通护照、往来港澳通行证的办理流程。", department_code="crj",
        department_name="出入境管理支队", topic_code="crj", topic_name="出入境管理", genre_code="zhinan",
        genre_name="办事指南"),
    doc("household", "户口迁移办理须知", "户籍窗口受理户口迁移、出生登记。", department_code="zhian",
        department_name="治安管理支队", published_at=at(2025, 3, 2), genre_code="zhinan", genre_name="办事指南"),
    doc("repealed", "关于旧版通缉令格式的通知", "本通知已废止。", validity="repealed", published_at=at(2024)),
    doc("expired", "2025年度护照收费标准", "收费标准自发布之日起执行。", valid_until=datetime.date(2025, 12, 31),
        published_at=at(2025), department_code="crj", department_name="出入境管理支队"),
    doc("on-request", "依申请公开的护照统计数据", "按申请人要求公开的统计。", mode="on_request",
        published_at=at(2026, 1, 5)),
    doc("body-only", "年度工作总结", "全年共办理通缉相关案件。" * 20, published_at=at(2026, 2, 1)),
    doc("news", "通缉犯落网", "在逃人员被抓获。", catalogue=False, kind="articlepage", published_at=at(2026, 9, 9)),
    doc("other-site", "通缉令(另一个网站)", "", site_id=2, published_at=at(2026, 3, 3)),
    doc("no-site", "悬赏通告(全局)", "", site_id=None, catalogue=False, kind="samplerecord", published_at=None),
]  # fmt: skip


@pytest.fixture(params=ENGINES)
def engine(request, db):
    """An empty engine of each kind, filled with CORPUS."""
    if request.param == "embedded":
        from search.engines.embedded import EmbeddedEngine

        engine = EmbeddedEngine()
        engine.clear()
    else:
        from elasticsearch import Elasticsearch

        from search.engines.elasticsearch import ElasticsearchEngine

        client = Elasticsearch(os.environ["ES_URL"])
        engine = ElasticsearchEngine(client=client, prefix=f"sunlight-test-{uuid.uuid4().hex}")
    engine.index(CORPUS)
    yield engine
    engine.clear()
    if request.param == "elasticsearch":
        engine.client.indices.delete(index=f"{engine.prefix}*", ignore_unavailable=True)
        engine.close()


def keys(result) -> list[str]:
    """Keys of the hits, in order."""
    return [hit.entry.key for hit in result.hits]


def find(engine, text: str = "", **kwargs):
    """Search with defaults: site 1, catalogue scope, day TODAY."""
    kwargs.setdefault("site_id", 1)
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("page_size", 20)
    return engine.search(Query(text=text, **kwargs))


def test_sub_words_of_a_chinese_run_are_found(engine):
    assert "wanted" in keys(find(engine, "通缉"))
    assert "wanted" in keys(find(engine, "逃犯"))
    assert "wanted" in keys(find(engine, "通缉逃犯"))
    assert "household" in keys(find(engine, "户籍"))


def test_mixed_chinese_and_ascii_queries(engine):
    assert keys(find(engine, "2026年 护照")) == ["passport"]
    assert "wanted" in keys(find(engine, "B级通缉令"))
    assert "wanted" in keys(find(engine, "b级通缉令")), "ASCII is case-insensitive"


def test_all_tokens_must_match(engine):
    result = find(engine, "护照 收费")
    assert keys(result) == ["expired"]
    assert find(engine, "护照 通缉").total == 0


def test_title_hits_rank_before_body_hits(engine):
    ranked = keys(find(engine, "通缉"))
    assert ranked.index("wanted") < ranked.index("body-only"), "a title hit beats 20 body hits"
    assert ranked[-1] == "body-only"


def test_scope_and_site(engine):
    catalogue = keys(find(engine, "通缉"))
    assert "news" not in catalogue and "other-site" not in catalogue
    site = keys(find(engine, "通缉", scope="site"))
    assert "news" in site and "other-site" not in site
    assert keys(find(engine, "通缉", scope="site", site_id=2)) == ["other-site"]
    assert keys(find(engine, "悬赏", scope="site", site_id=2)) == ["no-site"], "entries without a site are everywhere"
    assert set(keys(find(engine, "悬赏", scope="site", site_id=1))) == {"no-site", "wanted"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"year": "2025"}, {"household", "expired"}),
        ({"department": "crj"}, {"passport", "expired"}),
        ({"topic": "zhian"}, {"wanted"}),
        ({"genre": "zhinan"}, {"passport", "household"}),
        ({"mode": "on_request"}, {"on-request"}),
        ({"validity": "invalid"}, {"repealed", "expired"}),
        ({"department": "crj", "validity": "valid"}, {"passport"}),
    ],
)
def test_filters(engine, filters, expected):
    assert set(keys(find(engine, filters=filters))) == expected


def test_kind_filter_in_site_scope(engine):
    assert keys(find(engine, scope="site", filters={"kind": "articlepage"})) == ["news"]


def test_facets_count_all_matches_under_the_filters(engine):
    result = find(engine, "护照", facets=CATALOGUE_FACETS)
    assert result.total == 3
    facets = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
    assert facets["year"] == {"2026": 2, "2025": 1}
    assert facets["department"] == {"crj": 2, "xingjing": 1}
    assert facets["mode"] == {"proactive": 2, "on_request": 1}
    assert facets["validity"] == {"valid": 2, "invalid": 1}
    assert facets["topic"] == {"crj": 1}
    labels = {v.value: v.label for v in result.facets["department"]}
    assert labels["crj"] == "出入境管理支队"
    drilled = find(engine, "护照", filters={"year": "2026"}, facets=CATALOGUE_FACETS)
    assert {v.value: v.count for v in drilled.facets["year"]} == {"2026": 2}
    assert drilled.total == 2


def test_site_facets(engine):
    result = find(engine, "通缉", scope="site", facets=SITE_FACETS)
    kinds = {v.value: v.count for v in result.facets["kind"]}
    assert kinds == {"governmentdocumentpage": 3, "articlepage": 1}
    assert find(engine, scope="site", facets=SITE_FACETS).facets["year"][-1].value != "None", "no year, no bucket"


def test_validity_is_judged_on_the_query_day(engine):
    assert "expired" in keys(find(engine, filters={"validity": "valid"}, today=datetime.date(2025, 6, 1)))
    assert "expired" not in keys(find(engine, filters={"validity": "valid"}, today=TODAY))


def test_sorting_and_browsing(engine):
    newest = keys(find(engine, "护照", sort="newest"))
    assert newest == ["passport", "on-request", "expired"]
    assert keys(find(engine, "护照", sort="oldest")) == list(reversed(newest))
    browse = find(engine)
    assert browse.total == 7
    assert keys(browse)[0] == "passport" and keys(browse)[-1] == "repealed", "browsing lists newest first"


def test_paging(engine):
    first = find(engine, page=1, page_size=3)
    second = find(engine, page=2, page_size=3)
    third = find(engine, page=3, page_size=3)
    assert first.total == second.total == 7
    assert len(keys(first)) == 3 and len(keys(third)) == 1
    assert not set(keys(first)) & set(keys(second))
    assert find(engine, page=9, page_size=3).hits == []


def test_hits_carry_the_stored_entry(engine):
    hit = find(engine, "户口迁移").hits[0]
    assert hit.entry.title == "户口迁移办理须知"
    assert hit.entry.url == "/xxgk/household/"
    assert hit.entry.department_name == "治安管理支队"
    assert hit.entry.published_at == at(2025, 3, 2)
    assert hit.score > 0
    assert find(engine, "2025年度护照").hits[0].entry.valid_until == datetime.date(2025, 12, 31)


def test_removed_and_replaced_entries(engine):
    engine.remove(["wanted", "no-such-key"])
    assert "wanted" not in keys(find(engine, "逃犯"))
    engine.index([doc("passport", "出入境证件办理指南", "往来台湾通行证。")])
    assert find(engine, "2026年 护照").total == 0, "the old title is gone"
    assert keys(find(engine, "台湾通行证")) == ["passport"]
    assert engine.count() == len(CORPUS) - 1


@pytest.mark.parametrize("text", ['"', "*", "OR", "NEAR(", '"通缉', "通缉 OR 护照", "'; DROP TABLE x; --", "AND NOT",
                                  "title:通缉", "^", "通缉*", "(", ")", "-护照", "！？。"])  # fmt: skip
def test_operator_laden_queries_are_plain_text(engine, text):
    result = find(engine, text, facets=CATALOGUE_FACETS)
    assert result.total >= 0
    if text in ('"通缉', "通缉*"):
        assert "wanted" in keys(result), "quotes and stars are dropped, the words are searched"


def test_rebuild_swaps_in_what_was_rebuilt(engine):
    target = engine.start_rebuild()
    engine.index([doc("wanted", "网上通缉逃犯信息"), doc("new", "新发布的通缉令")], target=target)
    assert "passport" in keys(find(engine, "护照")), "the live index answers during the rebuild"
    engine.finish_rebuild(target)
    assert set(keys(find(engine, scope="site", site_id=None))) == {"wanted", "new"}
    assert engine.count() == 2


def test_clear(engine):
    engine.clear()
    assert engine.count() == 0
    assert find(engine, "通缉").total == 0
