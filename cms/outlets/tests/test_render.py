"""Outlet renderings (web, Weibo, WeChat, app), the page → OutletItem builder and the page → outlets routing."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime

import pytest
from django.core.files.images import ImageFile
from wagtail.models import Page, Site

from cms.outlets.kinds import WechatKind, WeiboKind, weibo_length
from cms.outlets.models import Outlet
from cms.outlets.registry import OutletItem, get_kind, kinds
from cms.outlets.render import item_for_page, outlets_for_page

URL = "https://www.example.gov.cn/xxgk/jwyw/2026-dongji-anfang-bushu/"


def make_item(**values) -> OutletItem:
    defaults = {
        "item_type": "pages.articlepage",
        "item_id": "7",
        "revision_id": 3,
        "title": "市公安局召开冬季治安防控部署会",
        "url": URL,
        "summary": "会议对今冬明春社会治安防控工作作出安排。",
        "body_html": "<p>正文</p>",
        "published_at": datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
        "column": "警务要闻",
        "department": "政治部宣传科",
    }
    return OutletItem(**{**defaults, **values})


def weibo_text(**values) -> str:
    return get_kind("weibo").render(make_item(**values))["text"]


# --- registry -------------------------------------------------------------------------------------------


def test_the_four_core_kinds_and_the_sample_plugins_kind_are_registered():
    codes = [kind.code for kind in kinds()]
    assert codes[:4] == ["web", "weibo", "wechat", "app"]
    assert "sample_pager" in codes, "tests.sample_plugin adds a kind through PluginConfig.outlet_kinds"
    assert get_kind("sample_pager").render(make_item()) == {"message": f"市公安局召开冬季治安防控部署会 {URL}"}
    with pytest.raises(KeyError):
        get_kind("fax")


def test_a_plugin_path_that_is_not_an_outlet_kind_is_refused():
    from cms.outlets.registry import register_path

    with pytest.raises(TypeError, match="not a subclass"):
        register_path("cms.outlets.models.Outlet")


# --- web -----------------------------------------------------------------------------------------------


def test_web_payload_is_a_warm_up_hint():
    assert get_kind("web").render(make_item()) == {
        "url": URL,
        "title": "市公安局召开冬季治安防控部署会",
        "published_at": "2026-11-18T09:00:00+00:00",
        "summary": "会议对今冬明春社会治安防控工作作出安排。",
    }


# --- Weibo ---------------------------------------------------------------------------------------------


def test_weibo_counts_like_weibo():
    assert weibo_length("中文") == 2
    assert weibo_length("abc") == 2, "ASCII counts one half, rounded up"
    assert weibo_length("ab") == 1
    assert weibo_length("，。！") == 3, "full-width punctuation counts 1"
    assert weibo_length(URL) == 12, "a link becomes a short link of 12"
    assert weibo_length(f"通报 {URL}") == 15, "2 + ½ (the space) + 12 = 14.5, rounded up"


def test_a_short_post_is_sent_whole():
    text = weibo_text()
    assert text == f"【市公安局召开冬季治安防控部署会】会议对今冬明春社会治安防控工作作出安排。 {URL}"


def test_a_long_chinese_summary_is_cut_with_an_ellipsis_and_the_link_stays_whole():
    summary = "全市公安机关深入开展冬季社会治安防控工作，" * 20
    text = weibo_text(summary=summary)
    assert weibo_length(text) <= 140
    assert weibo_length(text) >= 138, "the room is used, not wasted"
    assert text.endswith(f"… {URL}")
    assert text.startswith("【市公安局召开冬季治安防控部署会】全市公安机关")


def test_a_title_longer_than_the_limit_is_cut_and_the_summary_dropped():
    title = "关于进一步加强和改进全市公安机关执法规范化建设工作的实施意见" * 8
    text = weibo_text(title=title, summary="不会出现的摘要")
    assert weibo_length(text) <= 140
    assert text.endswith(f"…】 {URL}")
    assert "不会出现的摘要" not in text


def test_ascii_counts_half_so_twice_as_many_letters_fit():
    text = weibo_text(title="Notice", summary="Police advise residents to lock bicycles. " * 20)
    assert weibo_length(text) <= 140
    body = text.split("】", 1)[1].rsplit(" ", 1)[0]
    assert len(body) > 200, "about 250 ASCII characters fit in 140 Weibo characters"


def test_emoji_sequences_are_never_cut_in_half():
    family, thumbs, flag = "👨\u200d👩\u200d👧", "👍🏽", "🇨🇳"
    for unit in (family, thumbs, flag, "1\ufe0f\u20e3"):
        for padding in range(4):
            summary = "提" * padding + unit * 200
            text = weibo_text(summary=summary)
            assert weibo_length(text) <= 140
            assert text.endswith(f"… {URL}")
            kept = text.split("】", 1)[1][: -len(f"… {URL}")]
            assert summary.startswith(kept)
            rest = summary[len(kept) :]
            # The cut is between two whole units (or before the first one).
            assert kept.endswith(unit) or kept == "提" * padding or rest.startswith(unit), (unit, kept[-6:])
            assert not kept.endswith("\u200d")
            assert unicodedata.category(rest[0]) not in {"Mn", "Me"}
            text.encode("utf-16", "strict")  # no lone surrogate


def test_weibo_sends_at_most_nine_pictures():
    images = [{"url": f"https://img.example/{n}.jpg"} for n in range(12)]
    payload = get_kind("weibo").render(make_item(images=images))
    assert payload["images"] == [f"https://img.example/{n}.jpg" for n in range(9)]
    assert payload["url"] == URL


def test_weibo_limit_is_a_class_attribute():
    class ShortWeibo(WeiboKind):
        limit = 40

    text = ShortWeibo().render(make_item(summary="全市" * 50))["text"]
    assert weibo_length(text) <= 40 and text.endswith(URL)


# --- WeChat --------------------------------------------------------------------------------------------


HOSTILE = (
    '<h1>标题</h1><p onclick="steal()" style="color:red">请<a href="https://evil.example/">点击这里</a>查看'
    '<span class="x">通报</span></p><script>alert(1)</script><style>p{}</style>'
    '<iframe src="https://video.example/embed">视频</iframe><embed src="x.swf">'
    '<img src="https://www.example.gov.cn/media/a.jpg" alt="现场" width="600" onerror="x()" style="a">'
    '<table><tr><td colspan="2" rowspan="1" style="b">合并</td></tr></table>'
    "<section><blockquote>引用</blockquote><ul><li>一</li></ul><hr><sub>1</sub><sup>2</sup></section>"
)


def test_wechat_content_is_in_the_allowed_subset():
    content = get_kind("wechat").render(make_item(body_html=HOSTILE))["content"]
    for gone in ("<a", "evil.example", "<script", "alert", "<style", "<iframe", "视频", "<embed", "onclick", "onerror"):
        assert gone not in content, gone
    assert "style=" not in content and "class=" not in content
    assert "请点击这里查看" in content, "the link text stays"
    for kept in (
        "<h1>标题</h1>",
        "<span>通报</span>",
        '<img src="https://www.example.gov.cn/media/a.jpg" alt="现场" width="600">',
        '<td colspan="2" rowspan="1">合并</td>',
        "<section><blockquote>引用</blockquote><ul><li>一</li></ul><hr><sub>1</sub><sup>2</sup></section>",
    ):
        assert kept in content, kept


def test_wechat_fields_respect_their_limits():
    item = make_item(
        title="标" * 80,
        summary="",
        body_html="<p>" + "正文内容" * 100 + "</p>",
        department="安康市公安局政治部宣传科",
        images=[{"url": "https://img.example/cover.jpg"}, {"url": "https://img.example/2.jpg"}],
    )
    payload = get_kind("wechat").render(item)
    assert len(payload["title"]) == 64 and payload["title"].endswith("…")
    assert payload["author"] == "", "a department name over 8 characters is left out"
    assert len(payload["digest"]) == 120 and payload["digest"].startswith("正文内容")
    assert payload["content_source_url"] == URL
    assert payload["thumb_url"] == "https://img.example/cover.jpg"
    short = get_kind("wechat").render(
        make_item(department="安康市公安局政治部宣传科", extra={"department_short": "宣传科"})
    )
    assert short["author"] == "宣传科"
    assert get_kind("wechat").render(make_item())["thumb_url"] is None


def test_wechat_long_content_is_cut_at_a_block_boundary_with_a_pointer_to_the_original():
    paragraphs = [f"<p>第{n}段：" + "公安机关依法公开警务信息。" * 20 + "</p>" for n in range(200)]
    content = get_kind("wechat").render(make_item(body_html="".join(paragraphs)))["content"]
    assert len(content) < WechatKind.max_content
    assert len(content) > WechatKind.max_content - 600, "as much as fits is kept"
    body, note = content.rsplit("<p>", 1)
    assert URL in note and "<a" not in note
    assert body.endswith("</p>") and body.count("<p>") == body.count("</p>"), "cut between whole paragraphs"
    assert body.startswith(paragraphs[0])


def test_wechat_one_giant_paragraph_is_still_cut_under_the_limit():
    content = get_kind("wechat").render(make_item(body_html="<p>" + "警" * 30_000 + "</p>"))["content"]
    assert len(content) < WechatKind.max_content and URL in content
    assert content.startswith("<p>警警")


# --- app -----------------------------------------------------------------------------------------------


def test_app_payload_carries_the_whole_item():
    item = make_item(
        body_html='<p>见<a href="https://www.example.gov.cn/x/">通知</a></p><img src="https://i.example/1.jpg" alt="图"'
        ' class="richtext-image"><script>x()</script>',
        images=[{"url": "https://i.example/1.jpg", "alt": "图", "width": 800, "height": 600}],
        extra={"tags": ["冬季防控", "治安"]},
    )
    payload = get_kind("app").render(item)
    assert payload == {
        "id": "7",
        "type": "pages.articlepage",
        "title": "市公安局召开冬季治安防控部署会",
        "summary": "会议对今冬明春社会治安防控工作作出安排。",
        "body_html": '<p>见<a href="https://www.example.gov.cn/x/" rel="noopener noreferrer">通知</a></p>'
        '<img src="https://i.example/1.jpg" alt="图">',
        "images": [{"url": "https://i.example/1.jpg", "alt": "图", "width": 800, "height": 600}],
        "url": URL,
        "column": "警务要闻",
        "department": "政治部宣传科",
        "published_at": "2026-11-18T09:00:00+00:00",
        "tags": ["冬季防控", "治安"],
    }


# --- withdrawals ---------------------------------------------------------------------------------------


def test_every_kind_renders_a_withdrawal():
    item = make_item()
    for kind in kinds():
        payload = kind.render_withdrawal(item, "信息有误")
        assert {"item_type", "item_id", "url", "reason", "action"} <= set(payload), kind.code
        assert payload["item_id"] == "7" and payload["url"] == URL and payload["reason"] == "信息有误"
    weibo = get_kind("weibo").render_withdrawal(item, "信息有误")
    assert weibo["action"] == "post"
    assert weibo["text"].startswith("【") and weibo["text"].endswith(f"】市公安局召开冬季治安防控部署会 {URL}")
    assert get_kind("web").render_withdrawal(item)["action"] == "purge"


# --- item_for_page -------------------------------------------------------------------------------------


def _png(name: str = "scene.png"):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    return ImageFile(buffer, name=name)


def test_item_of_a_demo_article(column):
    article = column("xxgk/jwyw").get_children().live().first().specific
    item = item_for_page(article)
    assert item.item_type == "pages.articlepage" and item.item_id == str(article.pk)
    assert item.title == article.title
    assert item.url == article.get_full_url() and item.url.startswith("http")
    assert item.column == "警务要闻"
    assert item.department == article.author_department.name
    assert item.published_at == article.first_published_at
    assert item.revision_id == article.latest_revision_id and item.revision_id
    assert item.summary == (article.search_description or article.summary)
    assert item.body_html.startswith("<p>") and "<script" not in item.body_html
    assert item.extra["tags"] == sorted(article.tags.names()) and item.extra["tags"]


def test_item_images_are_absolute_renditions_of_the_cover_and_the_body(column):
    from wagtail.images import get_image_model

    Image = get_image_model()
    cover = Image.objects.create(title="封面", file=_png("cover.png"))
    scene = Image.objects.create(title="现场", file=_png("scene.png"))
    article = column("xxgk/jwyw").get_children().live().first().specific
    article.cover_image = cover
    article.body = (
        f'<p>现场图片</p><embed embedtype="image" id="{scene.pk}" format="fullwidth" alt="会议现场"/>'
        '<p>详见<a linktype="page" id="{}">上级栏目</a></p>'.format(article.get_parent().pk)
    )
    article.search_description = ""
    item = item_for_page(article)
    files = [image["url"].rsplit("/", 1)[-1] for image in item.images]
    assert [name.split(".")[0] for name in files] == ["cover", "scene"], "the cover first, then the body's"
    assert all(".max-1200x1200." in name for name in files)
    assert all(image["url"].startswith("http://localhost/media/images/") for image in item.images)
    assert item.images[0]["width"] == 1200 and item.images[0]["height"] == 675
    assert '<img alt="会议现场"' in item.body_html and 'src="http://localhost/media/images/scene' in item.body_html
    assert 'href="http://localhost/xxgk/jwyw/"' in item.body_html, "internal links become absolute"
    wechat = get_kind("wechat").render(item)
    assert wechat["thumb_url"] == item.images[0]["url"]
    assert 'src="http://localhost/media/images/scene' in wechat["content"] and "<a" not in wechat["content"]


def test_every_page_type_of_the_portal_builds_an_item(ankang):
    pages = Page.objects.descendant_of(ankang.site.root_page).live().specific()
    seen = set()
    for page in pages:
        item = item_for_page(page)
        assert item.title and item.url.startswith("http://localhost/"), page
        seen.add(type(page).__name__)
    assert {"ArticlePage", "ColumnPage", "SectionPage"} <= seen


def test_item_of_a_government_document_and_a_video(column):
    from pages.models import GovernmentDocumentPage, VideoPage

    news = column("xxgk/spxw")
    video = news.add_child(
        instance=VideoPage(
            title="冬季防盗视频",
            slug="dongji-fangdao",
            video_url="https://v.example/1.mp4",
            live=False,
            description="<p>锁好门窗。</p>",
        )
    )
    item = item_for_page(video)
    assert item.item_type == "pages.videopage" and "锁好门窗" in item.body_html and item.summary == "锁好门窗。"
    document = column("xxgk/zwgk/zfwj").add_child(
        instance=GovernmentDocumentPage(
            title="关于加强冬季道路交通安全管理的通告",
            slug="dongji-jiaotong-tonggao",
            document_number="安公通〔2026〕3号",
            body="<p>为加强冬季道路交通安全管理，现通告如下。</p>",
            live=False,
        )
    )
    item = item_for_page(document)
    assert item.item_type == "pages.governmentdocumentpage" and item.column == "政府文件"
    assert item.summary == "为加强冬季道路交通安全管理，现通告如下。"


# --- outlets_for_page ----------------------------------------------------------------------------------


@pytest.fixture
def deployed(ankang):
    """The ankang profile's outlets, each given an endpoint (as an administrator would)."""
    outlets = {o.name: o for o in Outlet.objects.filter(portal=ankang)}
    for outlet in outlets.values():
        outlet.endpoint_url = f"https://hooks.example/{outlet.kind}"
        outlet.save()
    return outlets


def names(outlets) -> set[str]:
    return {o.name for o in outlets}


def test_outlets_for_page_follow_the_profile_mapping(deployed, column, django_assert_num_queries):
    article = column("xxgk/jwyw").get_children().live().first()
    with django_assert_num_queries(1):
        found = outlets_for_page(article)
    assert names(found) == {"安康公安门户网站镜像", "安康公安新浪微博", "安康市公安局微信公众号", "安康公安客户端"}
    culture = column("xxgk/jdwh").add_child(instance=_article("警营文化活动", "jingying-wenhua"))
    assert names(outlets_for_page(culture)) == {"安康公安门户网站镜像", "安康公安客户端"}
    guide = column("wsbs/huzheng/bszn").add_child(instance=_article("户口迁移办理指南", "hukou-qianyi"))
    assert names(outlets_for_page(guide)) == {"安康市公安局微信公众号", "安康公安客户端"}
    alert = column("xxgk/zwgk/jqts").add_child(instance=_article("电信诈骗警情提示", "dianxin-zhapian"))
    assert names(outlets_for_page(alert)) == {"安康公安门户网站镜像", "安康公安新浪微博", "安康公安客户端"}


def test_outlets_without_endpoint_or_disabled_or_of_another_portal_are_left_out(deployed, ankang, column):
    article = column("xxgk/jwyw").get_children().live().first()
    deployed["安康公安新浪微博"].endpoint_url = ""
    deployed["安康公安新浪微博"].save()
    deployed["安康公安客户端"].enabled = False
    deployed["安康公安客户端"].save()
    from cms.models import Portal

    other_site = Site.objects.create(hostname="other.localhost", port=80, root_page=column("xxgk/jdwh"))
    other = Portal.objects.create(profile="other", name="别的局", short_name="别的", site=other_site)
    foreign = Outlet.objects.create(portal=other, kind="web", name="别的局镜像", endpoint_url="https://x.example/")
    foreign.columns.set([column("xxgk/jwyw")])
    assert names(outlets_for_page(article)) == {"安康公安门户网站镜像", "安康市公安局微信公众号"}


def _article(title: str, slug: str):
    from pages.models import ArticlePage

    return ArticlePage(title=title, slug=slug, body="<p>正文</p>", live=False)
