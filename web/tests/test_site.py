"""The public site with the Django test client: every page kind renders in the layout, the footer shows the site
settings, pages cache like the API (ETag, 304, invalidated by a publication, never for editors), search with
facets and its errors, the site map, error pages, QR codes and the plugins' hooks."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from wagtail.models import Page

from cms.review.gate import chain_bypass
from pages.models import ArticlePage, GovernmentDocumentPage
from web.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached pages and rate-limit counts of earlier tests do not carry over."""
    cache.clear()
    yield
    cache.clear()


def live_article(
    column, title="公交站台安全提示", body="<p>近期全市开展公交站台安全检查。</p>", **fields
) -> ArticlePage:
    article = ArticlePage(title=title, body=body, live=False, **fields)
    column("xxgk/jwyw").add_child(instance=article)
    article.save_revision()
    with chain_bypass("测试"):
        article.get_latest_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def test_home_page_shows_the_sections_their_columns_and_latest_items(client, ankang, column):
    article = live_article(column)
    html = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in html and 'class="skip-link" href="#main"' in html
    for section in ("信息公开", "网上办事", "警民互动"):
        assert f">{section}</a></h2>" in html
    assert article.title in html and "警务要闻" in html
    assert "<main" in html and 'role="banner"' in html and 'role="contentinfo"' in html


def test_home_page_lists_each_columns_newest_five_in_constant_queries(
    client, ankang, column, django_assert_max_num_queries
):
    from pages.models import ColumnPage

    columns = ColumnPage.objects.filter(path__startswith=ankang.site.root_page.path, depth=4).count()
    assert columns > 20  # the ankang tree: one query per column would show
    titles = [f"第{n}期警务简报" for n in range(1, 8)]
    for title in titles:
        live_article(column, title=title)
    with django_assert_max_num_queries(40):
        html = client.get("/").content.decode()
    card = re.search(r'<h3><a href="/xxgk/jwyw/">警务要闻</a></h3>.*?</div>', html, re.S).group(0)
    shown = re.findall(r"第(\d)期警务简报", card)
    assert shown == ["7", "6", "5", "4", "3"]  # newest first, five of them


def test_a_section_lists_its_columns_newest_six_in_constant_queries(
    client, ankang, column, django_assert_max_num_queries
):
    for n in range(1, 9):
        live_article(column, title=f"第{n}期警务简报")
    section = column("xxgk/jwyw").get_parent()
    with django_assert_max_num_queries(25):
        html = client.get(section.url).content.decode()
    assert f"<h1>{section.title}</h1>" in html
    card = re.search(
        r'<section class="card"[^>]*>\s*<h2[^>]*><a href="/xxgk/jwyw/">警务要闻</a></h2>.*?</section>', html, re.S
    )
    assert re.findall(r"第(\d)期警务简报", card.group(0)) == ["8", "7", "6", "5", "4", "3"]


def test_the_footer_shows_the_site_settings_from_the_profile(client, ankang):
    settings = SiteSettings.for_site(ankang.site)
    assert (settings.site_code, settings.icp_number) == ("6109000099", "陕ICP备00000000号-1")
    html = client.get("/").content.decode()
    assert "网站标识码" in html and "6109000099" in html
    assert 'href="https://beian.miit.gov.cn/"' in html
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=61090202000000" in html
    settings.sponsor = "安康市公安局（编辑后）"
    settings.save()
    from cms.profiles.loader import apply_profile
    from cms.profiles.schema import read_profile

    apply_profile(read_profile("profiles/ankang.yaml"))  # reloading never overwrites what an administrator entered
    assert SiteSettings.for_site(ankang.site).sponsor == "安康市公安局（编辑后）"


def test_an_article_has_its_meta_line_tools_and_qr_code(client, ankang, column):
    article = live_article(
        column,
        reprint_source_site="人民网",
        reprint_source_url="https://www.people.com.cn/a.html",
        reprint_source_time="2026-11-01T08:00:00+08:00",
    )
    html = client.get(article.url).content.decode()
    assert f"<h1>{article.title}</h1>" in html
    assert "发布时间" in html and "转载自" in html and "人民网" in html
    assert 'id="article-body"' in html and "data-read-aloud" in html and "data-print" in html
    svg = re.search(r'<svg role="img" aria-label="[^"]+" class="qr"', html)
    assert svg is not None  # drawn on the server, no image from elsewhere
    trail = re.search(r'<nav class="wrap breadcrumbs".*?</nav>', html, re.S).group(0)
    assert "首页" in trail and "信息公开" in trail and "警务要闻" in trail and 'aria-current="page"' in trail


def test_a_government_document_shows_its_catalogue_table(client, ankang):
    document = GovernmentDocumentPage.objects.live().first()
    html = client.get(document.url).content.decode()
    table = re.search(r"<table class=\"facts-table\" data-catalogue>.*?</table>", html, re.S).group(0)
    for label in ("索引号", "发布机构", "文号", "生成日期", "主题分类", "体裁分类", "公开方式", "发布日期", "有效性"):
        assert label in table, label
    assert document.index_number in table and 'scope="row"' in table


def test_column_listing_pages(client, ankang, column):
    jwyw = column("xxgk/jwyw")
    jwyw.per_page = 2
    jwyw.save()
    for i in range(3):
        live_article(column, title=f"分页测试{i}")
    first = client.get(jwyw.url).content.decode()
    assert first.count('<li><a href="/xxgk/jwyw/') == 2 and 'rel="next"' in first
    second = client.get(jwyw.url + "?page=2").content.decode()
    assert 'rel="prev"' in second


def test_pages_cache_like_the_api_and_a_publication_invalidates_them(client, ankang, column):
    first = client.get("/")
    assert first["Cache-Control"] == "public, max-age=60" and first["X-Cache"] == "miss" and first["ETag"]
    again = client.get("/")
    assert again["X-Cache"] == "hit" and again.content == first.content
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    article = live_article(column, title="失效测试稿件")
    fresh = client.get("/")
    assert fresh["ETag"] != first["ETag"] and article.title in fresh.content.decode()
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_editors_never_get_a_cached_page(client, ankang, admin_user):
    client.get("/")  # cached for the public
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 200 and "X-Cache" not in response and "ETag" not in response


def test_a_password_protected_page_is_not_shared(client, ankang, column):
    from wagtail.models import PageViewRestriction

    article = live_article(column, title="受限页面")
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
    response = client.get(article.url)
    assert response.status_code == 200 and "X-Cache" not in response  # the password form carries a CSRF token
    assert "受限页面" not in response.content.decode() or "password" in response.content.decode()


def test_search_with_facets_suggestions_and_errors(client, ankang):
    html = client.get("/search/", {"q": "户籍"}).content.decode()
    assert 'id="result-count"' in html and "<em>户籍</em>" in html
    catalogue = client.get("/search/", {"scope": "catalogue"}).content.decode()
    assert "信息公开目录" in catalogue and 'class="facets"' in catalogue and "年度" in catalogue
    year = re.search(r'href="(\?[^"]*year=\d{4}[^"]*)"', catalogue).group(1).replace("&amp;", "&")
    narrowed = client.get("/search/" + year).content.decode()
    assert "（移除）" in narrowed
    corrected = client.get("/search/", {"q": "户藉"}).content.decode()
    assert "您是不是要找" in corrected and "户籍" in corrected
    bad = client.get("/search/", {"q": "x" * 300})
    assert bad.status_code == 400 and "200" in bad.content.decode()


def test_search_is_rate_limited(client, ankang, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"search": "2/min"}}
    assert client.get("/search/", {"q": "户籍"}).status_code == 200
    assert client.get("/search/", {"q": "户籍"}).status_code == 200
    refused = client.get("/search/", {"q": "户籍"})
    assert refused.status_code == 429 and "Retry-After" in refused


def test_site_map_html_and_xml(client, ankang):
    html = client.get("/sitemap/").content.decode()
    assert "网站地图" in html and "警务要闻" in html and "户政" in html
    xml = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in xml and "/xxgk/jwyw/" in xml


def test_error_pages_in_chinese(client, ankang, settings):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    from web.views import server_error

    error = server_error(None)
    assert error.status_code == 500 and "服务器出现错误" in error.content.decode()


def test_plugins_fill_the_home_page_and_gone_pages_through_hooks(client, ankang):
    from django.http import HttpResponse
    from wagtail import hooks

    from web.panels import HomePanel
    from web.views import gone

    def panel(request, portal):
        return HomePanel("probe", "探针", "sunlight/site/_item_list.html", {"items": []}, region="aside", order=1)

    def broken(request, portal):
        raise RuntimeError("a broken plugin")

    def answer(request) -> HttpResponse | None:
        return gone(request) if request.path == "/withdrawn-thing/" else None

    with (
        hooks.register_temporarily("register_home_panel", panel),
        hooks.register_temporarily("register_home_panel", broken),
        hooks.register_temporarily("register_gone_page", answer),
    ):
        home = client.get("/").content.decode()
        assert 'id="panel-probe"' in home and "探针" in home  # the broken panel is left out, the page stands
        assert client.get("/withdrawn-thing/").status_code == 410
        assert client.get("/other-thing/").status_code == 404


def test_every_page_type_renders(client, ankang):
    """Each live page of the demo profile renders in the layout (no template missing)."""
    for page in Page.objects.live().public().filter(depth__gte=2).specific()[:200]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert b'<main id="main"' in response.content, page.url


def test_editors_preview_a_draft_in_the_site_layout(client, ankang, column, admin_user):
    article = live_article(column)
    draft = article.get_latest_revision_as_object()
    draft.title = "公交站台安全提示（修订稿）"
    draft.body = "<p>修订稿正文：检查范围扩大到全部公交站台。</p>"
    draft.save_revision(user=admin_user)
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{article.pk}/view_draft/")
    html = response.content.decode()
    assert response.status_code == 200 and '<main id="main"' in html and 'class="item-meta"' in html
    assert "<h1>公交站台安全提示（修订稿）</h1>" in html and "修订稿正文" in html
    assert "X-Cache" not in response and "ETag" not in response
    client.logout()
    public = client.get(article.url).content.decode()
    assert "修订稿正文" not in public and "<h1>公交站台安全提示</h1>" in public
