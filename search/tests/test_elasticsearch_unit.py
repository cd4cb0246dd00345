"""Pure parts of the Elasticsearch engine (request bodies, mapping, documents), checked without a cluster.

The engine itself is checked against a real cluster by `test_conformance.py` when `ES_URL` is set.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from search.engines.base import CATALOGUE_FACETS, Entry, FacetValue, Query
from search.engines.elasticsearch import (
    ENTRY_FIELDS,
    MAX_RESULT_WINDOW,
    ElasticsearchEngine,
    build_search_body,
    concrete_index_name,
    entry_document,
    entry_from_source,
    index_definition,
    is_concrete_index_of,
    parse_facets,
    valid_condition,
)
from search.segment import segment_for_index

DAY = datetime.date(2026, 11, 22)


def test_catalogue_query_with_year_and_validity_filters():
    query = Query(scope="catalogue", site_id=1, filters={"year": "2025", "validity": "valid"}, today=DAY)
    filters = build_search_body(query, [])["query"]["bool"]["filter"]
    assert filters == [
        {"term": {"catalogue": True}},
        {
            "bool": {
                "should": [
                    {"term": {"site_id": 1}},
                    {"bool": {"must_not": [{"exists": {"field": "site_id"}}]}},
                ],
                "minimum_should_match": 1,
            }
        },
        {"term": {"year": 2025}},
        valid_condition(DAY),
    ]
    assert valid_condition(DAY) == {
        "bool": {
            "filter": [
                {"terms": {"validity": ["", "valid"]}},
                {
                    "bool": {
                        "should": [
                            {"bool": {"must_not": [{"exists": {"field": "valid_until"}}]}},
                            {"range": {"valid_until": {"gte": "2026-11-22"}}},
                        ],
                        "minimum_should_match": 1,
                    }
                },
            ]
        }
    }


def test_invalid_filter_negates_the_valid_condition_and_site_scope_has_no_catalogue_term():
    query = Query(scope="site", site_id=None, filters={"validity": "invalid", "department": "crj"}, today=DAY)
    filters = build_search_body(query, [])["query"]["bool"]["filter"]
    assert filters == [{"bool": {"must_not": [valid_condition(DAY)]}}, {"term": {"department_code": "crj"}}]


def test_code_filters_use_the_code_fields():
    query = Query(filters={"kind": "articlepage", "topic": "zhian", "genre": "tongzhi", "mode": "proactive"})
    filters = build_search_body(query, [])["query"]["bool"]["filter"]
    assert filters[1:] == [
        {"term": {"kind": "articlepage"}},
        {"term": {"topic_code": "zhian"}},
        {"term": {"genre_code": "tongzhi"}},
        {"term": {"mode": "proactive"}},
    ]


def test_tokens_go_into_a_cross_fields_and_query_with_title_boost():
    body = build_search_body(Query(text="通缉 护照", today=DAY), ["通缉", "护照"])
    must = body["query"]["bool"]["must"]
    assert must == [
        {
            "multi_match": {
                "query": "通缉 护照",
                "type": "cross_fields",
                "operator": "and",
                "fields": ["title_tokens^10", "body_tokens"],
            }
        }
    ]
    assert "should" not in body["query"]["bool"], "the jieba engine uses the token fields only"
    assert body["sort"][0] == {"_score": {"order": "desc"}}
    assert body["track_scores"] is True
    assert body["track_total_hits"] is True


def test_plugin_analyzer_adds_scoring_only_sub_fields():
    body = build_search_body(Query(text="护照办理", today=DAY), ["护照", "办理"], analyzer_option="ik")
    bool_query = body["query"]["bool"]
    assert bool_query["must"][0]["multi_match"]["fields"] == ["title_tokens^10", "body_tokens"]
    assert bool_query["should"] == [{"multi_match": {"query": "护照办理", "fields": ["title.cjk^2", "body.cjk^0.2"]}}]


def test_browsing_and_sorting():
    browse = build_search_body(Query(page=3, page_size=10, sort="relevance", today=DAY), [])
    assert browse["query"]["bool"]["must"] == [{"match_all": {}}]
    assert browse["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}, "browsing: newest first"
    assert browse["sort"][-1] == {"key": {"order": "desc"}}
    assert (browse["from"], browse["size"]) == (20, 10)
    assert "track_scores" not in browse
    oldest = build_search_body(Query(text="护照", sort="oldest", today=DAY), ["护照"])
    assert oldest["sort"][0] == {"published_at": {"order": "asc", "missing": "_last"}}
    assert oldest["sort"][-1] == {"key": {"order": "asc"}}
    newest = build_search_body(Query(text="护照", sort="newest", today=DAY), ["护照"])
    assert newest["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}


def test_pages_beyond_the_result_window_ask_for_no_hits():
    page = MAX_RESULT_WINDOW // 10 + 1
    body = build_search_body(Query(page=page, page_size=10, today=DAY), [])
    assert body["size"] == 0 and body["from"] == 0
    assert body["track_total_hits"] is True


def test_facet_aggregations():
    aggs = build_search_body(Query(facets=(*CATALOGUE_FACETS, "kind", "nonsense"), today=DAY), [])["aggs"]
    assert set(aggs) == {*CATALOGUE_FACETS, "kind"}
    assert aggs["year"] == {"terms": {"field": "year", "size": 200}}
    assert aggs["department"] == {
        "terms": {"field": "department_code", "size": 200},
        "aggs": {"label": {"terms": {"field": "department_name", "size": 1}}},
    }
    assert aggs["validity"]["filters"]["filters"] == {
        "valid": valid_condition(DAY),
        "invalid": {"bool": {"must_not": [valid_condition(DAY)]}},
    }
    assert "aggs" not in build_search_body(Query(today=DAY), [])


def test_parse_facets_skips_empty_values_and_empty_validity_buckets():
    query = Query(facets=("department", "year", "validity", "nonsense"), today=DAY)
    aggregations = {
        "department": {
            "buckets": [
                {"key": "crj", "doc_count": 2, "label": {"buckets": [{"key": "出入境管理支队", "doc_count": 2}]}},
                {"key": "", "doc_count": 5, "label": {"buckets": []}},
            ]
        },
        "year": {"buckets": [{"key": 2026, "doc_count": 3}]},
        "validity": {"buckets": {"valid": {"doc_count": 2}, "invalid": {"doc_count": 0}}},
    }
    assert parse_facets(query, aggregations) == {
        "department": [FacetValue(value="crj", label="出入境管理支队", count=2)],
        "year": [FacetValue(value="2026", label="", count=3)],
        "validity": [FacetValue(value="valid", label="", count=2)],
    }


def test_mapping_uses_the_whitespace_lowercase_analyzer_for_token_fields():
    definition = index_definition()
    assert definition["settings"]["analysis"]["analyzer"]["sunlight_tokens"] == {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": ["lowercase"],
    }
    properties = definition["mappings"]["properties"]
    assert definition["mappings"]["dynamic"] == "strict"
    for name in ("title_tokens", "body_tokens"):
        assert properties[name] == {"type": "text", "analyzer": "sunlight_tokens"}
    for name in ("key", "kind", "department_code", "department_name", "validity", "url"):
        assert properties[name] == {"type": "keyword"}
    assert properties["catalogue"] == {"type": "boolean"}
    assert properties["year"] == properties["site_id"] == {"type": "integer"}
    assert properties["published_at"] == properties["valid_until"] == {"type": "date"}
    for name in ("title", "summary", "body"):
        assert properties[name] == {"type": "text", "index": False}, "originals are only kept in _source"


@pytest.mark.parametrize(("option", "analyzer", "search_analyzer"), [("ik", "ik_max_word", "ik_smart"),
                                                                     ("smartcn", "smartcn", "smartcn")])  # fmt: skip
def test_plugin_mapping_adds_analysed_sub_fields(option, analyzer, search_analyzer):
    properties = index_definition(option)["mappings"]["properties"]
    for name in ("title", "body"):
        assert properties[name]["fields"]["cjk"] == {
            "type": "text",
            "analyzer": analyzer,
            "search_analyzer": search_analyzer,
        }
    assert properties["title_tokens"]["analyzer"] == "sunlight_tokens"


def test_unknown_analyzer_option_is_refused():
    with pytest.raises(ImproperlyConfigured):
        index_definition("standard")
    with pytest.raises(ImproperlyConfigured):
        ElasticsearchEngine(client=None, prefix="x", analyzer="standard")  # type: ignore[arg-type]


def test_documents_hold_jieba_tokens_and_round_trip():
    entry = Entry(
        key="page:7",
        kind="governmentdocumentpage",
        title="网上通缉逃犯信息",
        body="公安局发布B级通缉令。",
        summary="摘要",
        catalogue=True,
        site_id=1,
        published_at=datetime.datetime(2026, 6, 1, 8, 0, tzinfo=datetime.UTC),
        department_code="xingjing",
        department_name="刑事侦查支队",
        valid_until=datetime.date(2027, 1, 31),
    )
    document = entry_document(entry, seq=42)
    assert document["title_tokens"] == segment_for_index("网上通缉逃犯信息")
    assert document["body_tokens"] == segment_for_index("摘要\n公安局发布B级通缉令。")
    assert document["year"] == 2026 and document["seq"] == 42
    assert document["published_at"] == "2026-06-01T08:00:00+00:00"
    assert document["valid_until"] == "2027-01-31"
    source = {name: document[name] for name in ENTRY_FIELDS}
    assert entry_from_source(source) == entry


def test_concrete_index_names():
    name = concrete_index_name("sunlight", datetime.datetime(2026, 11, 22, 8, 0, 1, 123, tzinfo=datetime.UTC))
    assert name == "sunlight-20261122080001000123"
    assert is_concrete_index_of("sunlight", name)
    assert not is_concrete_index_of("sunlight", "sunlight")
    assert not is_concrete_index_of("sunlight", "sunlight-test-abc-20261122080001000123")
