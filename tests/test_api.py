"""The API base: the /api/ index, Wagtail v2 listing the column tree and page fields, plugin mounts."""

from __future__ import annotations

import pytest

from pages.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_api_index_lists_endpoints_and_plugins(client):
    data = client.get("/api/").json()
    assert data["framework"]["name"] == "Sunlight"
    assert data["endpoints"]["pages"].endswith("/api/v2/pages/")
    labels = {p["label"] for p in data["plugins"]}
    assert {"online_services", "wanted", "disclosure_requests", "mailbox", "sample_plugin"} <= labels


def test_api_lists_the_tree(client, ankang, column):
    home = ankang.site.root_page
    sections = client.get(f"/api/v2/pages/?child_of={home.pk}").json()
    assert [item["title"] for item in sections["items"]] == ["信息公开", "网上办事", "警民互动"]
    zwgk = column("xxgk/zwgk")
    items = client.get(
        f"/api/v2/pages/?child_of={zwgk.pk}&type=pages.ColumnPage&fields=responsible_departments,update_days&limit=50"
    ).json()
    assert items["meta"]["total_count"] == 27
    first = items["items"][0]
    assert first["title"] == "政府信息公开规定"
    assert first["responsible_departments"][0]["name"] == "指挥中心秘书科"
    all_columns = client.get(f"/api/v2/pages/?descendant_of={home.pk}&type=pages.ColumnPage&limit=1").json()
    assert all_columns["meta"]["total_count"] == 106


def test_api_exposes_article_fields(client):
    article = ArticlePage.objects.exclude(reprint_source_site="").first()
    data = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert data["title"] == article.title
    assert data["body"]
    assert data["summary"] == article.summary
    assert data["tags"] == sorted(t.name for t in article.tags.all())
    assert data["author_department"]["code"] == article.author_department.code
    assert data["reprint_source_site"] == article.reprint_source_site
    assert data["reprint_source_url"] == article.reprint_source_url
    assert data["meta"]["type"] == "pages.ArticlePage"


def test_api_lists_articles_of_a_column_with_chosen_fields(client, column):
    news = column("xxgk/jwyw")
    data = client.get(f"/api/v2/pages/?child_of={news.pk}&type=pages.ArticlePage&fields=summary,tags").json()
    assert data["meta"]["total_count"] == 3
    assert all(item["summary"] for item in data["items"])


def test_images_and_documents_endpoints_answer(client):
    assert client.get("/api/v2/images/").status_code == 200
    assert client.get("/api/v2/documents/").status_code == 200


def test_unknown_page_type_is_a_clear_400(client):
    response = client.get("/api/v2/pages/?type=nosuch.Page")
    assert response.status_code == 400
    assert "type" in response.json()["message"]
