"""The public notice API: active notices only, filters (level, region, sex, age range, Chinese free text),
paging with a constant number of queries, ID numbers masked, 410 Gone with the minimal record, the OpenAPI
document, and HTTP caching like the other public reads."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plugins.wanted.lifecycle import close_notice
from tests.test_api_schema import assert_conforms

from .conftest import ID, id_number, publish

pytestmark = pytest.mark.django_db

LIST = "/api/wanted/"


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def notices(make_notice, people):
    """Five published notices of different levels, regions, sexes and ages; a draft; a closed one."""
    specs = [
        (
            "a1",
            "a",
            "张建国",
            "male",
            years_ago(30, 10),
            "陕西省安康市汉滨区",
            "故意杀人罪",
            "在汉滨区江北街道持刀杀人",
        ),
        ("b1", "b", "刘秀英", "female", years_ago(45, 3), "浙江省宁波市", "集资诈骗罪", "以高息为诱饵非法集资"),
        ("p1", "province", "马志强", "male", years_ago(25, 1), "陕西省安康市旬阳市", "抢劫罪", "持械抢劫过往车辆"),
        ("c1", "city", "黄丽", "female", years_ago(19, 40), "陕西省安康市汉阴县", "盗窃罪", "多次入户盗窃"),
        ("k1", "county", "周大勇", "male", None, "四川省达州市", "故意伤害罪", "在宁陕县城关镇打伤他人"),
    ]
    made = {}
    for i, (key, level, name, sex, born, region, charge, summary) in enumerate(specs):
        fields = {
            "number": f"测试缉字〔2026〕{i + 1}号",
            "level": level,
            "subject_name": name,
            "other_names": "",
            "sex": sex,
            "birth_date": born,
            "id_number": id_number(born, "610902", 101 + 2 * i + (0 if sex == "male" else 1)) if born else "",
            "case_region": region,
            "charge": charge,
            "case_summary": summary,
            "household_address": "",
            "residence_address": "",
            "native_place": "",
            "features": "",
            "date": timezone.localdate() - datetime.timedelta(days=10 - i),
        }
        if born is None:
            fields["age"] = 50
        made[key] = publish(make_notice(**fields), people["admin"])
    made["draft"] = make_notice(number="测试缉字〔2026〕草稿", subject_name="草稿人")
    closed = publish(make_notice(number="测试缉字〔2026〕已结", subject_name="结束人", id_number=""), people["admin"])
    made["closed"] = close_notice(closed, "surrendered", timezone.localdate(), "已投案自首。")
    return made


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["results"]}


def keys(notices, *names) -> set[str]:
    return {notices[name].number for name in names}


def test_list_shows_active_notices_only_newest_first(client, notices):
    response = client.get(LIST)
    data = response.json()
    assert data["count"] == 5
    assert [item["number"] for item in data["results"]] == [notices[k].number for k in ("k1", "c1", "p1", "b1", "a1")]
    item = data["results"][-1]
    assert item["name"] == "张建国" and item["level"] == {"code": "a", "name": "A级"}
    assert item["sex"] == {"code": "male", "name": "男"} and item["age"] == 30
    assert item["photo"]["url"].startswith("http://testserver/media/images/") and item["photo"]["width"] == 60
    assert item["detail_url"] == f"http://testserver/api/wanted/{notices['a1'].pk}/"
    assert "id_number" not in item
    assert_conforms(client_schema(client), "/api/wanted/", response)


def client_schema(client) -> dict:
    return client.get("/api/schema/").json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "a"}, ("a1",)),
        ({"level": "b,province"}, ("b1", "p1")),
        ({"level": "city,county"}, ("c1", "k1")),
        ({"sex": "female"}, ("b1", "c1")),
        ({"sex": "male", "level": "a,province,county"}, ("a1", "p1", "k1")),
        ({"age_min": 30}, ("a1", "b1", "k1")),
        ({"age_max": 25}, ("p1", "c1")),
        ({"age_min": 20, "age_max": 30}, ("a1", "p1")),
        ({"age_min": 46}, ("k1",)),  # the age given at the issue date (50)
        ({"region": "安康"}, ("a1", "p1", "c1")),
        ({"region": "汉阴县"}, ("c1",)),
        ({"region": "宁波"}, ("b1",)),
        ({"region": "6109"}, ("a1", "b1", "p1", "c1")),  # the region code opening the ID number
        ({"q": "集资诈骗"}, ("b1",)),
        ({"q": "抢劫 车辆"}, ("p1",)),
        ({"q": "张建国"}, ("a1",)),
        ({"q": "杀人"}, ("a1",)),
        ({"q": "城关镇"}, ("k1",)),  # a word of the case summary
        ({"q": "盗窃 杀人"}, ()),  # every word must occur
        ({"q": "测试缉字"}, ("a1", "b1", "p1", "c1", "k1")),  # the number
        ({"q": "草稿人"}, ()),  # drafts are not listed
        ({"q": "结束人"}, ()),  # nor closed notices
    ],
)
def test_filters(client, notices, query, expected):
    assert numbers(client.get(LIST, query)) == keys(notices, *expected)


@pytest.mark.parametrize(
    "query",
    [{"level": "x"}, {"sex": "other"}, {"age_min": -1}, {"age_max": 200}, {"age_min": 40, "age_max": 30},
     {"page_size": 0}, {"page_size": 51}, {"q": "通" * 101}],
)  # fmt: skip
def test_bad_filters_are_a_clear_400(client, notices, query):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert set(response.json()) <= set(query) | {"age_max"}


def test_paging(client, notices):
    first = client.get(LIST, {"page_size": 2})
    assert first.json()["count"] == 5 and len(first.json()["results"]) == 2
    assert first.json()["next"].endswith("page=2&page_size=2")
    pages = [numbers(client.get(LIST, {"page_size": 2, "page": p})) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1] and set().union(*pages) == keys(notices, "a1", "b1", "p1", "c1", "k1")
    assert client.get(LIST, {"page_size": 2, "page": 4}).status_code == 404


def test_list_reads_a_constant_number_of_queries(client, notices, settings):
    settings.SUNLIGHT_API_CACHE = False
    client.get(LIST)  # renditions are made on the first read
    counts = []
    for size in (1, 5):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_detail_masks_the_id_number_and_shows_the_notice(client, make_notice, people):
    notice = publish(make_notice(), people["admin"])
    response = client.get(f"/api/wanted/{notice.pk}/")
    data = response.json()
    assert data["subject"]["id_number"] == ID[:6] + "********" + ID[-4:]
    assert ID not in response.content.decode()
    assert data["subject"]["name"] == "祁望舒" and data["subject"]["aliases"] == ["舒老三"]
    assert data["case"]["charge"] == "抢劫罪" and data["reward"]["amount"] == 20000
    assert data["department"] == {"code": "xingjing", "name": "刑警支队"}
    assert data["tip_url"] == f"http://testserver/api/wanted/{notice.pk}/tips/"
    assert data["photos"][0]["url"].endswith(".png") and data["photos"][0]["alt"] == "正面照"
    assert_conforms(client_schema(client), "/api/wanted/{id}/", response)
    # the page API and the site page mask it too
    page = client.get(f"/api/v2/pages/{notice.pk}/").json()
    assert page["notice"]["subject"]["id_number"] == data["subject"]["id_number"]
    site = client.get(notice.url).content.decode()
    assert "祁望舒" in site and data["subject"]["id_number"] in site and ID not in site
    # and the outlets
    assert ID not in notice.notice_text and data["subject"]["id_number"] in notice.notice_text


def test_detail_of_a_closed_notice_is_410_with_the_minimal_record(client, make_notice, people):
    notice = publish(make_notice(), people["admin"])
    close_notice(notice, "revoked", timezone.localdate(), "撤销（安公撤字〔2026〕1号）")
    response = client.get(f"/api/wanted/{notice.pk}/")
    assert response.status_code == 410
    assert set(response.json()) == {
        "id", "number", "level", "status", "issuing_organ", "issued_on", "closed_on", "closing_text", "detail",
    }  # fmt: skip
    assert response.json()["status"] == {"code": "revoked", "name": "已撤销"}
    assert_conforms(client_schema(client), "/api/wanted/{id}/", response, 410)


def test_unknown_drafts_and_other_sites_answer_404(client, make_notice, notices):
    assert client.get("/api/wanted/999999/").status_code == 404
    assert client.get(f"/api/wanted/{notices['draft'].pk}/").status_code == 404
    other = client.get(f"/api/wanted/{notices['a1'].pk}/", HTTP_HOST="unknown.example.org")
    assert other.status_code in (200, 404)  # the default site answers unknown hosts; no other site holds it


def test_public_reads_are_cached_like_the_page_api(client, notices):
    first = client.get(LIST)
    assert first["Cache-Control"] == "public, max-age=60" and first["ETag"]
    again = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # a change anywhere public (closing a notice unpublishes it) moves the version: the list is read anew
    close_notice(notices["a1"], "captured", timezone.localdate())
    fresh = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh.json()["count"] == 4
