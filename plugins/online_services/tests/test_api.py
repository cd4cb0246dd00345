"""The API of 网上办事: guides with every element through the page API, the hotline directory and the forms
library with filters and paging, the police types' pages; constant query counts and HTTP caching."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plugins.online_services.models import Hotline, ServiceGuidePage
from plugins.online_services.withdrawal import withdraw

from . import factories

pytestmark = pytest.mark.django_db

GUIDE_FIELDS = [
    "date",
    "summary",
    "item_code",
    "item_type",
    "implementing_organ",
    "police_type",
    "author_department",
    "scope",
    "legal_basis",
    "conditions",
    "materials",
    "steps",
    "flow_chart",
    "flow_chart_image",
    "statutory_days",
    "promised_days",
    "time_limit_note",
    "is_free",
    "fee_standard",
    "fee_basis",
    "locations",
    "consultation_phone",
    "complaint_phone",
    "online_url",
    "faqs",
    "forms",
    "status",
    "withdrawal",
    "replaced_by",
    "consultation_url",
]


@pytest.fixture
def live_guide(column, department, ankang):
    page = factories.guide(department, ankang, title="接口测试：户口迁移", summary="市外迁入安康落户")
    page.online_url = "https://zwfw.shaanxi.gov.cn/"
    page = factories.publish(factories.add(page, column("wsbs/huzheng/bszn")))
    factories.service_form(department("huzheng"), title="接口测试户口迁移申请表", guides=[page])
    return page


def queries(client, url: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response.json()


def test_a_guide_shows_every_element_in_the_page_api(client, live_guide, department):
    url = (
        f"/api/v2/pages/?type=online_services.ServiceGuidePage&fields={','.join(GUIDE_FIELDS)}&title={live_guide.title}"
    )
    items = client.get(url).json()["items"]
    assert len(items) == 1
    item = items[0]
    assert set(GUIDE_FIELDS) <= set(item)
    assert item["item_code"] == "610900-GA-QR-0001"
    assert item["item_type"] == {"code": "confirmation", "name": "行政确认"}
    assert item["implementing_organ"] == "安康市公安局户政管理支队"
    assert item["police_type"]["code"] == "huzheng"
    assert item["legal_basis"] == [{"name": "《中华人民共和国户口登记条例》", "provisions": "第十条、第十三条"}]
    assert item["conditions"] == [
        {"number": 1, "text": "在迁入地有合法稳定住所"},
        {"number": 2, "text": "符合迁入地落户政策"},
    ]
    first, second = item["materials"]
    assert first == {
        "number": 1,
        "name": "居民户口簿",
        "form": {"code": "original", "name": "原件"},
        "copies": 1,
        "required": True,
        "note": "",
        "document": None,
    }
    assert second["document"]["title"] == "户口迁移申请表"
    assert second["document"]["url"].startswith("http://") and second["document"]["file_extension"] == "docx"
    assert [s["title"] for s in item["steps"]] == ["申请", "受理"]
    assert (item["statutory_days"], item["promised_days"], item["is_free"]) == (20, 10, True)
    assert item["locations"][0]["name"] == "安康市政务服务中心公安综合窗口"
    assert "8:30" in item["locations"][0]["hours"]
    assert item["consultation_phone"]["number"] == "0915-3210001"
    assert item["complaint_phone"]["name"] == "户政业务监督投诉电话"
    assert item["online_url"] == "https://zwfw.shaanxi.gov.cn/"
    assert item["faqs"] == [{"question": "可以网上办理吗？", "answer": "可以通过陕西政务服务网申请。"}]
    assert [f["title"] for f in item["forms"]] == ["接口测试户口迁移申请表"]
    assert item["status"] == {"code": "in_force", "name": "现行有效"}
    assert item["withdrawal"] is None and item["replaced_by"] is None
    assert item["consultation_url"] == "http://testserver/mailbox/write/?box=juzhang&kind=consultation"

    detail = client.get(f"/api/v2/pages/{live_guide.pk}/").json()
    assert set(GUIDE_FIELDS) <= set(detail)


def test_a_withdrawn_guide_stays_listed_with_its_notice(client, live_guide, column, department, ankang, member):
    newer = factories.publish(
        factories.add(factories.guide(department, ankang, title="新版指南"), column("wsbs/huzheng/bszn"))
    )
    withdraw(live_guide, None, "依据新规定废止，请查阅新版指南。", newer)
    item = client.get(f"/api/v2/pages/{live_guide.pk}/").json()
    assert item["status"] == {"code": "withdrawn", "name": "已废止"}
    assert item["withdrawal"]["reason"] == "依据新规定废止，请查阅新版指南。"
    assert item["withdrawal"]["withdrawn_on"] == timezone.localdate().isoformat()
    assert item["replaced_by"]["id"] == newer.pk and item["replaced_by"]["title"] == "新版指南"


def test_guide_listings_read_a_constant_number_of_queries(client, column, department, ankang, settings):
    settings.SUNLIGHT_API_CACHE = False
    factories.query_count_items(column, department, ankang, 6)
    url = "/api/v2/pages/?type=online_services.ServiceGuidePage&fields=*&order=-id&limit={n}"
    client.get(url.format(n=6))
    few, few_data = queries(client, url.format(n=2))
    many, many_data = queries(client, url.format(n=6))
    assert (len(few_data["items"]), len(many_data["items"])) == (2, 6)
    assert few == many
    assert all(item["locations"][0]["county"]["code"] == "hanbin" for item in many_data["items"])
    assert all(item["forms"] and item["flow_chart_image"]["url"] for item in many_data["items"])


def test_the_hotline_directory_pages_and_filters_180_numbers(client, ankang, settings):
    settings.SUNLIGHT_API_CACHE = False
    report = factories.demo_hotlines(ankang)
    assert len(report.created) == 180 or Hotline.objects.filter(portal=ankang).count() >= 180
    data = client.get("/api/online_services/hotlines/").json()
    assert data["count"] >= 180 and len(data["results"]) == 20 and data["next"]
    everything = client.get("/api/online_services/hotlines/?limit=200").json()
    assert len(everything["results"]) == data["count"]
    assert client.get("/api/online_services/hotlines/?limit=1000").json()["results"].__len__() == 200 or (
        data["count"] <= 200
    )

    huzheng = client.get("/api/online_services/hotlines/?police_type=huzheng&limit=50").json()
    assert huzheng["count"] == 15
    assert {h["police_type"]["code"] for h in huzheng["results"]} == {"huzheng"}
    assert huzheng["results"][0]["county"] is None  # the city bureau's numbers first
    hanbin = client.get("/api/online_services/hotlines/?police_type=huzheng&county=hanbin").json()
    assert [h["department"] for h in hanbin["results"]] == ["汉滨公安分局户政大队"]
    city = client.get("/api/online_services/hotlines/?county=city&limit=200").json()
    assert city["count"] == 60 and all(h["county"] is None for h in city["results"])
    found = client.get("/api/online_services/hotlines/?q=出入境证件").json()
    assert [h["name"] for h in found["results"]] == ["出入境证件办理咨询电话"]
    paged = client.get("/api/online_services/hotlines/?police_type=jiaojing&limit=10&offset=10").json()
    assert len(paged["results"]) == 5 and paged["previous"]

    for bad, key in (("police_type=nosuch", "police_type"), ("county=nosuch", "county"), ("q=" + "户" * 51, "q")):
        response = client.get(f"/api/online_services/hotlines/?{bad}")
        assert response.status_code == 400 and key in response.json()

    few, _ = queries(client, "/api/online_services/hotlines/?limit=2")
    many, _ = queries(client, "/api/online_services/hotlines/?limit=150")
    assert few == many


def test_the_forms_library_filters_by_police_type_guide_and_words(client, live_guide, department, ankang):
    factories.service_form(department("churujing"), title="中国公民出入境证件申请表（接口测试）")
    data = client.get("/api/online_services/forms/").json()
    titles = [f["title"] for f in data["results"]]
    assert "接口测试户口迁移申请表" in titles and "中国公民出入境证件申请表（接口测试）" in titles
    by_type = client.get("/api/online_services/forms/?police_type=churujing").json()["results"]
    assert [f["title"] for f in by_type] == ["中国公民出入境证件申请表（接口测试）"]
    by_guide = client.get(f"/api/online_services/forms/?guide={live_guide.pk}").json()["results"]
    assert [f["title"] for f in by_guide] == ["接口测试户口迁移申请表"]
    form = by_guide[0]
    assert form["police_type"] == {"code": "huzheng", "name": "户政科"}
    assert form["document"]["url"].startswith("http://testserver/documents/")
    assert form["guides"] == [
        {
            "id": live_guide.pk,
            "title": live_guide.title,
            "detail_url": f"http://testserver/api/v2/pages/{live_guide.pk}/",
        }
    ]
    assert client.get("/api/online_services/forms/?q=出入境").json()["count"] >= 1
    assert client.get("/api/online_services/forms/?guide=abc").status_code == 400
    detail = client.get(f"/api/online_services/forms/{form['id']}/").json()
    assert detail["title"] == "接口测试户口迁移申请表"


def test_every_police_type_has_a_page_with_its_four_services(client, live_guide, ankang):
    data = client.get("/api/online_services/police-types/").json()
    rows = data["results"]
    assert [r["title"] for r in rows] == [
        "户政",
        "治安",
        "保安",
        "出入境",
        "消防",
        "监管",
        "刑侦",
        "交警",
        "禁毒",
        "网安",
        "经侦",
        "经文保",
    ]
    huzheng = rows[0]
    assert huzheng["police_type"] == {"code": "huzheng", "name": "户政科"}
    assert set(huzheng["services"]) == {"hotlines", "guides", "forms", "consultation"}
    assert huzheng["services"]["guides"]["title"] == "办事指南"
    assert huzheng["services"]["guides"]["count"] >= 1
    assert huzheng["services"]["forms"]["count"] >= 1
    assert huzheng["services"]["consultation"]["count"] is None
    assert huzheng["services"]["consultation"]["url"].endswith("/wsbs/huzheng/ywzx/")
    assert huzheng["consultation_url"] == "http://testserver/mailbox/write/?box=juzhang&kind=consultation"


def test_public_reads_carry_validators_and_answer_304(client, live_guide):
    for url in ("/api/online_services/hotlines/", "/api/online_services/forms/", "/api/online_services/police-types/"):
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=300"
        assert first["ETag"] and first["Last-Modified"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304


def test_a_changed_hotline_moves_the_content_version(client, live_guide):
    url = "/api/online_services/hotlines/"
    etag = client.get(url)["ETag"]
    hotline = Hotline.objects.get(pk=live_guide.consultation_phone_id)
    hotline.hours = "工作日 9:00-17:00"
    hotline.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    guide = client.get(f"/api/v2/pages/{live_guide.pk}/").json()
    assert guide["consultation_phone"]["hours"] == "工作日 9:00-17:00"


def test_the_responses_conform_to_the_openapi_document(client, live_guide, ankang):
    from tests.test_api_schema import assert_conforms

    schema = client.get("/api/schema/").json()
    factories.demo_hotlines(ankang)
    form_id = client.get("/api/online_services/forms/").json()["results"][0]["id"]
    hotline_id = client.get("/api/online_services/hotlines/").json()["results"][0]["id"]
    cases = [
        ("/api/online_services/", "/api/online_services/", 200),
        ("/api/online_services/hotlines/?police_type=huzheng", "/api/online_services/hotlines/", 200),
        ("/api/online_services/hotlines/?county=nosuch", "/api/online_services/hotlines/", 400),
        (f"/api/online_services/hotlines/{hotline_id}/", "/api/online_services/hotlines/{id}/", 200),
        ("/api/online_services/hotlines/999999/", "/api/online_services/hotlines/{id}/", 404),
        ("/api/online_services/forms/", "/api/online_services/forms/", 200),
        (f"/api/online_services/forms/{form_id}/", "/api/online_services/forms/{id}/", 200),
        ("/api/online_services/police-types/", "/api/online_services/police-types/", 200),
    ]
    for url, path, status in cases:
        assert_conforms(schema, path, client.get(url), status)
    assert ServiceGuidePage.objects.live().exists()
