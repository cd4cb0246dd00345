"""网上办事 on the public site, read with the Django test client (no JavaScript): the guide's page in the layout
with every element in order (facts tables, the materials table, dialable phones, downloads with their type and
size), a withdrawn guide's notice, the police types' 便民电话 / 表格下载 / 业务咨询 columns filled by their panels
(the directory filtered by county and paged), the home page's 便民电话 panel, and constant query counts."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from plugins.online_services.consultation import mailbox_write_path
from plugins.online_services.models import Hotline, Material, ServiceGuidePage
from plugins.online_services.phones import tel_href
from plugins.online_services.withdrawal import withdraw

from . import factories

pytestmark = pytest.mark.django_db

HEADINGS = [
    "基本信息",
    "设定依据",
    "办理条件",
    "申请材料",
    "办理流程",
    "办结时限",
    "收费",
    "办理地点和时间",
    "咨询、投诉和网上办理",
    "常见问题",
    "相关表格下载",
]
#: Upper bounds of the queries of one page (the exact counts are compared between small and large data).
MAX_GUIDE_QUERIES = 40
MAX_COLUMN_QUERIES = 34
ONLINE_URL = "https://zwfw.shaanxi.gov.cn/ankang/hukou"


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """No cached page of an earlier request or test answers for the one under test."""
    settings.SUNLIGHT_API_CACHE = False
    cache.clear()
    yield
    cache.clear()


def main_of(html: str) -> str:
    """The page's <main> element."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def heading_levels(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<h([1-6])[ >]", main_of(html))]


def make_guide(column, department, ankang, title: str = "户口迁移（市外迁入）", extra: int = 0) -> ServiceGuidePage:
    """A live, complete guide with a flow chart, an online application, a place with directions and a form of the
    library; `extra` adds that many materials, places and forms (for the query counts)."""
    page = factories.guide(department, ankang, title=title)
    page.flow_chart = get_image_model().objects.create(title="流程图", file=get_test_image_file("flow.png"))
    page.online_url = ONLINE_URL
    page.time_limit_note = "不含邮寄时间"
    page.materials = [
        *page.materials.all(),
        *(Material(name=f"补充材料{i}", form="copy", copies=2, required=False) for i in range(extra)),
    ]
    place = factories.location(ankang, name=f"{title}窗口")
    place.directions = "乘1路公交车到政务中心站"
    place.save()
    page.locations = [place, *(factories.location(ankang, name=f"{title}窗口{i}") for i in range(extra))]
    guide = factories.publish(factories.add(page, column("wsbs/huzheng/bszn")))
    police_type = department("huzheng")
    for i in range(1 + extra):
        factories.service_form(police_type, title=f"{title}申请表{i}", guides=[guide])
    return guide


@pytest.fixture
def guide(column, department, ankang):
    return make_guide(column, department, ankang)


def test_the_guide_page_shows_every_element_in_order(client, guide):
    response = client.get(guide.url)
    assert response.status_code == 200
    html = response.content.decode()
    main = main_of(html)
    assert f"<h1>{guide.title}</h1>" in main and 'class="item-meta"' in main
    assert 'id="article-body"' in main and "data-read-aloud" in main  # the page tools
    titles = re.findall(r"<h2 id=\"guide-[a-z]+\">([^<]+)</h2>", main)
    assert titles == HEADINGS
    levels = heading_levels(html)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    # the item
    for header, value in (("事项名称", guide.title), ("事项编码", "610900-GA-QR-0001"), ("事项类型", "行政确认")):
        assert f'<th scope="row">{header}</th><td>{value}</td>' in main, header
    assert "安康市公安局户政管理支队" in main and "户籍拟迁入安康市的中国公民" in main
    assert "《中华人民共和国户口登记条例》" in main and "第十条、第十三条" in main
    conditions = '<ol class="guide-conditions"><li>在迁入地有合法稳定住所</li><li>符合迁入地落户政策</li></ol>'
    assert conditions in main
    # the materials: a real table with column headers, a caption, forms, copies, necessity and the blank form
    table = re.search(r"<table class=\"guide-table\" data-materials>.*?</table>", main, re.S).group(0)
    assert "<caption>" in table and "申请材料" in table
    for header in ("序号", "材料名称", "材料形式", "份数", "是否必要", "示例样表或空白表格"):
        assert f'<th scope="col">{header}</th>' in table, header
    assert "居民户口簿" in table and "原件" in table and ">必要<" in table
    blank = guide.materials.get(name="户口迁移申请表").document
    assert f'<a href="{blank.url}">{blank.title}</a>' in table and "（DOCX，" in table and "字节" in table
    # the procedure with its flow chart, which has a text alternative
    assert "<strong>申请</strong>" in main and "申请人到窗口提交材料" in main
    image = re.search(r"<img [^>]*>", main).group(0)
    assert f'alt="{guide.title}办理流程图' in image
    # time limits in working days, fees, places
    assert '<th scope="row">法定办结时限</th><td>20个工作日</td>' in main
    assert '<th scope="row">承诺办结时限</th><td>10个工作日</td>' in main and "不含邮寄时间" in main
    assert "<td>不收费</td>" in main
    assert "安康市汉滨区安康大道88号市政务服务中心二楼" in main and "周一至周五 8:30-12:00" in main
    assert "乘1路公交车到政务中心站" in main
    # dialable phones, the online application and the consultation
    assert '<a href="tel:0915-3210001">0915-3210001</a>' in main
    assert '<a href="tel:0915-3210002">0915-3210002</a>' in main
    assert f'href="{ONLINE_URL}" rel="noopener noreferrer"' in main
    assert "data-consultation-url" in main and "我要咨询" in main
    assert "可以网上办理吗？" in main and "可以通过陕西政务服务网申请。" in main
    # the forms of the library linked to the guide
    downloads = re.search(r'<ul class="guide-downloads">.*?</ul>', main, re.S).group(0)
    link = guide.form_links.get()
    assert f'<a href="{link.form.document.url}">{link.form.title}</a>' in downloads and "（DOCX，" in downloads


def test_a_withdrawn_guide_keeps_its_notice_with_reason_date_and_replacement(client, guide, column, department, ankang):
    replacement = make_guide(column, department, ankang, title="户口迁移（新版）")
    reason = "依据新修订的户口迁移政策，本指南自即日起废止。"
    withdrawn = withdraw(guide, None, reason, replaced_by=replacement.pk)
    html = client.get(withdrawn.url).content.decode()
    notice = re.search(r'<div class="withdrawn" data-withdrawn>.*?</div>', html, re.S).group(0)
    day = withdrawn.withdrawn_at.astimezone().date().isoformat()
    assert "已废止" in notice and f'<time datetime="{day}">{day}</time>' in notice
    assert reason in notice
    assert f'<a href="{replacement.url}">{replacement.title}</a>' in notice
    assert 'data-status="withdrawn"' in html and "<td>已废止</td>" in html


def test_the_guide_page_reads_a_constant_number_of_queries(
    client, column, department, ankang, django_assert_max_num_queries
):
    small = make_guide(column, department, ankang, title="查询计数指南甲")
    large = make_guide(column, department, ankang, title="查询计数指南乙", extra=6)
    client.get(small.url)  # warm the site's lookups and the flow chart's rendition
    client.get(large.url)
    counts = []
    for page in (small, large):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    cache.clear()
    with django_assert_max_num_queries(MAX_GUIDE_QUERIES):
        client.get(large.url)


@pytest.fixture
def directory(department):
    """Numbers of 户政 (the city bureau's and two counties') and one of 治安."""
    huzheng, zhian = department("huzheng"), department("zhian")
    hanbin, ziyang = department("hanbin"), department("ziyang")
    city, hanbin_unit, ziyang_unit = "市局户政科", "汉滨分局户政大队", "紫阳县公安局户政大队"
    return {
        "city": factories.hotline(huzheng, name="户籍业务咨询电话", number="0915-3201001", department=city),
        "city_ext": factories.hotline(huzheng, name="户籍档案查询", number="0915-3201002-8001", department=city),
        "hanbin": factories.hotline(huzheng, "汉滨户籍咨询", "0915-3301001", county=hanbin, department=hanbin_unit),
        "ziyang": factories.hotline(huzheng, "紫阳户籍咨询", "0915-4301001", county=ziyang, department=ziyang_unit),
        "zhian": factories.hotline(zhian, name="治安业务咨询电话", number="0915-3202001", department="市局治安支队"),
    }


def rows_of(html: str) -> list[str]:
    table = re.search(r"<table class=\"guide-table hotline-table\" data-hotlines>.*?</table>", html, re.S)
    return re.findall(r"<tr><td>.*?</tr>", table.group(0), re.S) if table else []


def test_the_hotlines_column_shows_its_police_types_numbers_dialable(client, column, directory, department):
    response = client.get(column("wsbs/huzheng/bmdh").url)
    assert response.status_code == 200
    html = response.content.decode()
    panel = re.search(r'<section class="card home-panel" id="panel-hotlines".*?</section>', html, re.S).group(0)
    assert f">{department('huzheng').name}便民电话</h2>" in panel
    assert len(rows_of(panel)) == 4
    for key in ("city", "hanbin", "ziyang"):
        number = directory[key].number
        assert f'<a href="tel:{number}">{number}</a>' in panel, key
    assert '<a href="tel:0915-3201002;ext=8001">0915-3201002-8001</a>' in panel
    assert "治安业务咨询电话" not in panel and "0915-3202001" not in panel  # another police type's
    for header in ("受理单位", "业务名称", "电话号码", "受理时间"):
        assert f'<th scope="col">{header}</th>' in panel
    assert "工作日 8:30-17:30" in panel
    # the filter works without a script: a GET form with a labelled select of the counties that have numbers
    form = re.search(r'<form method="get" action="" class="hotline-filter".*?</form>', panel, re.S).group(0)
    assert '<label for="hotline-county">' in form and 'name="county"' in form and 'type="submit"' in form
    assert f'value="{department("hanbin").pk}"' in form and f'value="{department("ziyang").pk}"' in form
    assert f'value="{department("baihe").pk}"' not in form  # no number there
    assert "暂无信息" not in main_of(html)
    # the first listed are the city bureau's
    assert "0915-3201001" in rows_of(panel)[0]


def test_the_county_filter_narrows_the_directory(client, column, directory, department):
    url = column("wsbs/huzheng/bmdh").url
    hanbin = department("hanbin")
    html = client.get(url, {"county": hanbin.pk}).content.decode()
    rows = rows_of(html)
    assert len(rows) == 1 and "0915-3301001" in rows[0]
    assert f'<option value="{hanbin.pk}" selected>' in html
    city = rows_of(client.get(url, {"county": "city"}).content.decode())
    assert len(city) == 2 and all("市局户政科" in row for row in city)
    assert len(rows_of(client.get(url, {"county": "nonsense"}).content.decode())) == 4  # unknown: everything
    other = client.get(url, {"county": department("zhian").pk}).content.decode()  # not a county
    assert len(rows_of(other)) == 4


def test_a_long_directory_is_paged_keeping_the_filter(client, column, directory, department):
    huzheng, hanbin = department("huzheng"), department("hanbin")
    for i in range(24):
        factories.hotline(huzheng, name=f"汉滨派出所{i}", number=f"0915-33{i:05d}", county=hanbin, sort_order=i + 1)
    url = column("wsbs/huzheng/bmdh").url
    first = client.get(url, {"county": hanbin.pk}).content.decode()
    assert len(rows_of(first)) == 20 and "共25个号码" in first
    assert f'href="?county={hanbin.pk}&amp;page=2" rel="next"' in first
    second = client.get(url, {"county": hanbin.pk, "page": 2}).content.decode()
    assert len(rows_of(second)) == 5 and 'rel="prev"' in second
    assert len(rows_of(client.get(url, {"page": 2}).content.decode())) == 28 - 20


def test_the_hotline_column_reads_a_constant_number_of_queries(
    client, column, directory, department, django_assert_max_num_queries
):
    url = column("wsbs/huzheng/bmdh").url
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    huzheng = department("huzheng")
    for i, code in enumerate(("baihe", "hanyin", "shiquan", "ningshan", "pingli", "langao", "xunyang", "zhenping")):
        factories.hotline(huzheng, name=f"{code}户籍咨询", number=f"0915-35{i:05d}", county=department(code))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(rows_of(html)) == 12
    assert len(many) == len(few), (len(few), len(many))
    cache.clear()
    with django_assert_max_num_queries(MAX_COLUMN_QUERIES):
        client.get(url, {"county": department("hanbin").pk, "page": 1})


def test_the_forms_column_lists_the_police_types_forms(client, column, department):
    form = factories.service_form(department("huzheng"), title="户口迁移申请表（空白）")
    form.description = "用黑色签字笔填写"
    form.save()
    factories.service_form(department("zhian"), title="治安业务申请表")
    html = client.get(column("wsbs/huzheng/bgxz").url).content.decode()
    panel = re.search(r'<section class="card home-panel" id="panel-forms".*?</section>', html, re.S).group(0)
    assert f'<a href="{form.document.url}">户口迁移申请表（空白）</a>' in panel and "（DOCX，" in panel
    assert "用黑色签字笔填写" in panel and "治安业务申请表" not in panel
    assert "暂无信息" not in main_of(html)
    # another police type's forms column: no form of 户政
    assert "户口迁移申请表（空白）" not in client.get(column("wsbs/zhian/bgxz").url).content.decode()


def test_the_consultation_column_links_to_the_mailbox_form(client, column):
    html = client.get(column("wsbs/huzheng/ywzx").url).content.decode()
    if mailbox_write_path() is None:
        assert 'id="panel-consultation"' not in html
        return
    panel = re.search(r'<section class="card home-panel" id="panel-consultation".*?</section>', html, re.S).group(0)
    assert 'href="/mailbox/write/?box=juzhang&amp;kind=consultation"' in panel and "我要咨询" in panel


def test_other_columns_get_no_panel(client, column, directory):
    html = client.get(column("xxgk/jwyw").url).content.decode()
    assert "home-panel" not in main_of(html)


def test_the_home_page_lists_the_city_bureaus_key_numbers(client, column, directory, department):
    extra = factories.hotline(department("huzheng"), name="户籍值班电话", number="0915-3201009", sort_order=9)
    html = client.get("/").content.decode()
    panel = re.search(r'<section class="card home-panel" id="panel-hotlines".*?</section>', html, re.S)
    assert panel is not None
    panel = panel.group(0)
    assert ">便民电话</h2>" in panel
    assert '<a href="tel:0915-3201001">0915-3201001</a>' in panel  # 户政's first
    assert '<a href="tel:0915-3202001">0915-3202001</a>' in panel  # 治安's first
    assert extra.number not in panel and directory["city_ext"].number not in panel  # one number per police type
    assert directory["hanbin"].number not in panel  # no county's
    assert f'href="{column("wsbs/huzheng/bmdh").url}"' in panel  # more: the directory
    assert len(re.findall(r"<li>", panel)) <= 8
    aside = html.split('<div class="home-panels">', 1)[1]
    assert 'id="panel-hotlines"' in aside


def test_no_home_panel_without_numbers(client, ankang):
    Hotline.objects.filter(portal=ankang).delete()
    assert 'id="panel-hotlines"' not in client.get("/").content.decode()


def test_a_failing_column_panel_leaves_the_column_standing(client, column, directory):
    def broken(request, page):
        raise RuntimeError("broken panel")

    with hooks.register_temporarily("register_column_panel", broken):
        response = client.get(column("wsbs/huzheng/bmdh").url)
    assert response.status_code == 200 and 'id="panel-hotlines"' in response.content.decode()


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("0915-3268110", "tel:0915-3268110"),
        ("0915-3268110-8001", "tel:0915-3268110;ext=8001"),
        ("12345", "tel:12345"),
        ("400-123-4567", "tel:400-123-4567"),
        ("（0915）3268110", "tel:0915-3268110"),
        ("电话", ""),
    ],
)
def test_directory_numbers_dial(number, href):
    assert tel_href(number) == href


def test_a_preview_of_an_unsaved_guide_lists_its_elements_from_memory(department, ankang):
    from plugins.online_services.site import guide_context

    draft = factories.guide(department, ankang, title="预览中的指南")
    context = guide_context(draft)
    assert [c.text for c in context["conditions"]] == ["在迁入地有合法稳定住所", "符合迁入地落户政策"]
    assert len(context["materials"]) == 2 and len(context["locations"]) == 1 and context["form_links"] == []
