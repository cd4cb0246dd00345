"""Page types: accepted types per column, reprint and video validation, paginated column listings."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from cms.profiles.demo import load_demo
from cms.review.gate import chain_bypass
from pages.models import ArticlePage, ColumnPage, VideoPage

pytestmark = pytest.mark.django_db


def add_article(column, title, **fields):
    """An article published outside the review chain (the chain has its own tests)."""
    page = ArticlePage(title=title, live=False, **fields)
    column.add_child(instance=page)
    with chain_bypass("测试数据"):
        page.save_revision().publish()
    return page


def test_columns_accept_only_their_page_types(column):
    news, video_news, zwgk = column("xxgk/jwyw"), column("xxgk/spxw"), column("xxgk/zwgk")
    assert ArticlePage.can_create_at(news)
    assert not VideoPage.can_create_at(news)
    assert VideoPage.can_create_at(video_news)
    assert ColumnPage.can_create_at(zwgk)
    assert not ArticlePage.can_create_at(zwgk)


def test_admin_offers_only_accepted_page_types(admin_client, column):
    news = column("xxgk/jwyw")
    listing = admin_client.get(f"/admin/pages/{news.pk}/add_subpage/")
    assert listing.status_code in (200, 302)
    if listing.status_code == 302:  # only one type: Wagtail goes straight to its form
        assert "/add/pages/articlepage/" in listing["Location"]
    else:
        assert "articlepage" in listing.content.decode() and "videopage" not in listing.content.decode()
    assert admin_client.get(f"/admin/pages/add/pages/videopage/{news.pk}/").status_code in (302, 403)


def test_moving_an_article_into_a_column_that_refuses_it_is_not_allowed(column):
    article = column("xxgk/jwyw").get_children().first().specific
    assert not article.can_move_to(column("xxgk/zwgk"))
    assert article.can_move_to(column("xxgk/gsgg"))


def test_reprint_needs_site_time_and_link_together(column):
    page = ArticlePage(title="转载", reprint_source_site="陕西省公安厅")
    with pytest.raises(ValidationError) as exc:
        page.clean()
    assert set(exc.value.message_dict) == {"reprint_source_time", "reprint_source_url"}
    page.reprint_source_time = timezone.now() - datetime.timedelta(hours=1)
    page.reprint_source_url = "https://gat.shaanxi.gov.cn/a.html"
    page.clean()
    assert page.is_reprint
    page.reprint_source_time = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="转载时间不能晚于当前时间"):
        page.clean()


def test_admin_form_rejects_an_incomplete_reprint(admin_client, column):
    news = column("xxgk/jwyw")
    response = admin_client.post(
        f"/admin/pages/add/pages/articlepage/{news.pk}/",
        {
            "title": "不完整的转载",
            "slug": "bu-wan-zheng",
            "date": "2026-11-01",
            "summary": "",
            "body": rich_text(""),
            "tags": "",
            "reprint_source_site": "新华网",
            "reprint_source_time": "",
            "reprint_source_url": "",
        },
    )
    assert response.status_code == 200
    assert "转载信息须同时填写来源网站、转载时间和来源链接。" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="bu-wan-zheng").exists()


def test_video_needs_a_file_or_a_link():
    with pytest.raises(ValidationError):
        VideoPage(title="视频").clean()
    VideoPage(title="视频", video_url="https://example.gov.cn/v.mp4").clean()


def test_column_lists_live_items_newest_first_with_paging(client, column):
    culture = column("xxgk/jdwh")
    for i in range(25):
        add_article(culture, f"警营文化活动第{i:02d}期", slug=f"wh-{i:02d}", date=datetime.date(2026, 1, 1))
    draft = ArticlePage(title="尚未发布的草稿", slug="draft", live=False)
    culture.add_child(instance=draft)
    first = client.get(culture.url)
    html = first.content.decode()
    assert first.status_code == 200
    assert html.count('<li><a href="/xxgk/jdwh/wh-') == 20
    assert "警营文化活动第24期" in html and "尚未发布的草稿" not in html
    assert "第 1 页，共 2 页" in html
    second = client.get(culture.url + "?page=2").content.decode()
    assert second.count('<li><a href="/xxgk/jdwh/wh-') == 5 and "警营文化活动第00期" in second
    assert client.get(culture.url + "?page=abc").status_code == 200
    assert client.get(culture.url + "?page=99").content.decode().count('<li><a href="/xxgk/jdwh/wh-') == 5


def test_column_of_columns_lists_its_sub_columns(client, column):
    html = client.get(column("xxgk/zwgk").url).content.decode()
    assert "政府信息公开规定" in html and "典型案例" in html


def test_article_page_shows_date_source_and_reprint_line(client, column):
    reprint = ArticlePage.objects.exclude(reprint_source_site="").first()
    html = client.get(reprint.url).content.decode()
    assert reprint.title in html
    assert reprint.reprint_source_site in html and reprint.reprint_source_url in html
    assert reprint.date.strftime("%Y-%m-%d") in html


def test_demo_content_is_sanitised(tmp_path, ankang, settings):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "ankang.yaml").write_text(
        "items:\n"
        "  - column: xxgk/jwyw\n    type: article\n    slug: xss-test\n    title: '<b>标题</b>'\n"
        "    date: 2026-11-01\n"
        '    body: \'<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:x">链接</a></p>\'\n',
        encoding="utf-8",
    )
    settings.SUNLIGHT_PROFILE_DIRS = [tmp_path]
    load_demo("ankang")
    page = ArticlePage.objects.get(slug="xss-test")
    assert page.title == "标题"
    assert "script" not in page.body and "onclick" not in page.body and "javascript" not in page.body
    assert "正文" in page.body


def test_demo_content_is_idempotent(ankang):
    before = ArticlePage.objects.count()
    report = load_demo("ankang")
    assert report.created == [] and report.skipped == 18
    assert ArticlePage.objects.count() == before
