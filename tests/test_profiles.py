"""Profiles: the complete ankang tree, idempotent re-loading, change application, validation, multi-site."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import GroupPagePermission, Page, Site

from cms.models import Department, Portal
from cms.profiles import ProfileValidationError, read_profile
from cms.profiles.loader import ProfileApplyError, apply_profile
from cms.profiles.schema import parse_profile
from cms.profiles.yamlfile import loads_yaml
from pages.models import ArticlePage, ColumnPage, SectionPage

ROOT = Path(__file__).resolve().parent.parent
ZWGK_ITEMS = [
    "政府信息公开规定",
    "政府信息公开指南",
    "政府信息公开年报",
    "领导之窗",
    "组织机构",
    "新闻动态",
    "通知公告",
    "重要会议",
    "政策法规",
    "规划计划",
    "财政信息",
    "政府采购",
    "统计数据",
    "应急管理",
    "重大项目",
    "新闻发布",
    "目标考核",
    "三公支出",
    "政府文件",
    "行政收费",
    "社会公益",
    "行政许可",
    "人事信息",
    "警情提示",
    "公安史志",
    "公安通缉",
    "典型案例",
]
POLICE_TYPES = ["户政", "治安", "保安", "出入境", "消防", "监管", "刑侦", "交警", "禁毒", "网安", "经侦", "经文保"]


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "departments": Department.objects.count(),
        "groups": Group.objects.count(),
        "perms": GroupPagePermission.objects.count(),
        "sites": Site.objects.count(),
    }


def titles(page) -> list[str]:
    return [p.title for p in page.get_children()]


def responsible(column) -> set[str]:
    return {d.code for d in column.responsible_departments.all()}


# --- the ankang tree (seed 000) ------------------------------------------------------------------------


def test_ankang_tree_is_complete(ankang, column):
    home = ankang.site.root_page
    assert home.title == "安康市公安局"
    assert titles(home) == ["信息公开", "网上办事", "警民互动"]
    assert all(isinstance(p.specific, SectionPage) for p in home.get_children())
    xxgk = SectionPage.objects.get(profile_key="xxgk")
    assert titles(xxgk) == [
        "警务要闻",
        "公示公告",
        "法律法规",
        "警队文化",
        "县区动态",
        "部门动态",
        "教育训练",
        "表彰奖励",
        "警方提示",
        "网上通缉",
        "视频新闻",
        "政务公开",
    ]
    assert titles(column("xxgk/zwgk")) == ZWGK_ITEMS
    wsbs = SectionPage.objects.get(profile_key="wsbs")
    assert titles(wsbs) == POLICE_TYPES
    for police_type in wsbs.get_children():
        assert titles(police_type) == ["便民电话", "办事指南", "表格下载", "业务咨询"]
    jmhd = SectionPage.objects.get(profile_key="jmhd")
    assert titles(jmhd) == ["民意征集", "在线访谈", "信件反馈", "请您帮助", "依申请公开", "局长信箱", "举报投诉"]


@pytest.mark.parametrize(
    ("key", "departments", "reviewer"),
    [
        ("xxgk/jwyw", {"xuanchuan", "mishu"}, None),
        ("xxgk/wstj", {"xingjing"}, None),
        ("xxgk/flfg", {"fazhi"}, None),
        ("xxgk/zwgk/ldzc", {"renshi"}, None),
        ("xxgk/zwgk/sgzc", {"baozhang"}, None),
        ("xxgk/zwgk/gatj", {"xingjing"}, None),
        ("xxgk/zwgk/xzxk", {"fazhi"}, None),
        ("jmhd/jzxx", {"xinfang"}, None),
        ("jmhd/jbts", {"jiwei"}, None),
        ("jmhd/ysqgk", {"mishu"}, "fazhi"),
        ("wsbs/churujing/bszn", {"churujing"}, "zhihui"),
    ],
)
def test_ankang_columns_carry_their_departments(column, key, departments, reviewer):
    page = column(key)
    assert responsible(page) == departments
    assert (page.reviewing_department.code if page.reviewing_department else None) == reviewer


def test_county_news_is_uploaded_by_every_county_and_reviewed_by_the_secretariat(ankang, column):
    page = column("xxgk/xqdt")
    counties = set(ankang.departments.filter(kind="county").values_list("code", flat=True))
    assert len(counties) == 10
    assert counties <= responsible(page)
    assert page.reviewing_department.code == "mishu"


def test_every_department_has_three_groups(ankang):
    departments = list(ankang.departments.all())
    assert len(departments) == 33
    for d in departments:
        names = [g.name for g in d.groups()]
        assert names == [f"安康公安·{d.name}·编辑", f"安康公安·{d.name}·负责人", f"安康公安·{d.name}·栏目管理员"]


# --- permissions -----------------------------------------------------------------------------------------


def test_criminal_police_editor_edits_wanted_notices_but_not_police_news(column, member):
    editor = member("xingjing")
    wanted, news = column("xxgk/wstj"), column("xxgk/jwyw")
    assert wanted.permissions_for_user(editor).can_edit()
    assert wanted.permissions_for_user(editor).can_add_subpage()
    assert not news.permissions_for_user(editor).can_edit()
    assert not news.permissions_for_user(editor).can_add_subpage()
    assert not wanted.permissions_for_user(editor).can_publish()


def test_editor_sees_exactly_the_columns_of_the_department_in_the_admin(client, column, member):
    client.force_login(member("xingjing"))
    assert client.get(f"/admin/pages/{column('xxgk/wstj').pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/pages/articlepage/{column('xxgk/wstj').pk}/").status_code == 200
    assert client.get(f"/admin/pages/{column('xxgk/jwyw').pk}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/add/pages/articlepage/{column('xxgk/jwyw').pk}/").status_code in (302, 403)


def test_column_administrators_publish_unless_another_department_reviews(column, member):
    assert column("xxgk/wstj").permissions_for_user(member("xingjing", "admins")).can_publish()
    county_admin = member("hanbin", "admins")
    county_news = column("xxgk/xqdt")
    assert county_news.permissions_for_user(county_admin).can_add_subpage()
    assert not county_news.permissions_for_user(county_admin).can_publish()
    assert county_news.permissions_for_user(member("mishu", "admins")).can_publish()


def test_government_affairs_items_belong_to_their_own_departments(column, member):
    personnel = member("renshi")
    assert column("xxgk/zwgk/ldzc").permissions_for_user(personnel).can_edit()
    assert not column("xxgk/zwgk/czxx").permissions_for_user(personnel).can_edit()
    assert not column("xxgk/zwgk").permissions_for_user(personnel).can_edit()


# --- idempotence and change ----------------------------------------------------------------------------


def test_reloading_changes_nothing(ankang):
    before = counts()
    report = apply_profile(read_profile("ankang"))
    assert report.created == [] and report.updated == []
    assert report.permissions_added == report.permissions_removed == 0
    assert counts() == before


def test_load_profile_command_twice_reports_no_changes(ankang):
    from io import StringIO

    out = StringIO()
    call_command("load_profile", "ankang", stdout=out)
    assert "created: 0, updated: 0" in out.getvalue()
    assert "page permissions: +0 -0" in out.getvalue()


def modified_ankang(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((ROOT / "profiles" / "ankang.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "ankang.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def find(data, key):
    nodes = data["columns"]
    node = None
    for slug in key.split("/"):
        node = next(n for n in nodes if n["slug"] == slug)
        nodes = node.get("children", [])
    return node


def test_reloading_applies_changes_and_keeps_editor_content(tmp_path, ankang, column, member):
    news = column("xxgk/jwyw")
    article = news.get_children().first()

    def change(data):
        find(data, "xxgk/jwyw")["title"] = "警务新闻"
        find(data, "xxgk/jwyw")["responsible"] = ["xingjing"]
        xxgk = find(data, "xxgk")
        xxgk["children"] = [c for c in xxgk["children"] if c["slug"] != "jdwh"]  # 警队文化 leaves the profile
        data["departments"][0]["name"] = "指挥中心（情报中心）"

    report = apply_profile(read_profile(str(modified_ankang(tmp_path, change))))
    news.refresh_from_db()
    assert news.title == "警务新闻"
    assert responsible(news) == {"xingjing"}
    assert news.permissions_for_user(member("xingjing")).can_edit()
    assert not news.permissions_for_user(member("xuanchuan")).can_edit()
    assert Page.objects.filter(pk=article.pk).exists(), "articles written by editors are never deleted"
    assert column("xxgk/jdwh").live, "a column that left the profile is kept"
    assert any("xxgk/jdwh" in line for line in report.kept)
    assert Group.objects.filter(name="安康公安·指挥中心（情报中心）·编辑").exists()
    # and loading the original again restores it
    apply_profile(read_profile("ankang"))
    news.refresh_from_db()
    assert news.title == "警务要闻" and responsible(news) == {"xuanchuan", "mishu"}


def test_profile_changes_survive_a_pending_editor_draft(tmp_path, ankang, column):
    news = column("xxgk/jwyw")
    news.description = "编辑修改的说明"
    news.save_revision()  # a draft, not published

    def change(data):
        find(data, "xxgk/jwyw")["update_days"] = 3

    apply_profile(read_profile(str(modified_ankang(tmp_path, change))))
    news.refresh_from_db()
    news.get_latest_revision().publish()
    news.refresh_from_db()
    assert news.update_days == 3
    assert news.description == "编辑修改的说明"


# --- validation ----------------------------------------------------------------------------------------

BROKEN = textwrap.dedent(
    """\
    profile: broken
    name: 测试局
    site:
      hostname: broken.localhost
      port: 99999
    departments:
      - code: office
        name: 办公室
        kind: office
      - code: office
        name: 重复
        kind: bureau
    columns:
      - title: 新闻
        slug: News
        responsible: [office, nobody]
        reviewer: ghost
        update_days: -1
        accepts: [article, nosuch.Page]
        colour: red
      - title: 第二
        slug: second
        type: article
    """
)


def test_validation_reports_every_error_with_path_and_line():
    with pytest.raises(ProfileValidationError) as exc:
        parse_profile(loads_yaml(BROKEN), source="broken.yaml")
    errors = exc.value.errors
    expected = [
        "site.port (line 5): must be a whole number from 1 to 65535",
        "departments[1].code (line 10): duplicate department code 'office'",
        "departments[1].kind (line 12): must be one of office, police_type, county, leadership",
        "columns[0].slug (line 15): use lower-case letters, digits and '-' only",
        "columns[0].responsible[1] (line 16): unknown department 'nobody'",
        "columns[0].reviewer (line 17): unknown department 'ghost'",
        "columns[0].update_days (line 18): must be a whole number of days, 1 or more",
        "columns[0].accepts[1] (line 19): unknown page type 'nosuch.Page' (is the plugin that provides it installed?)",
        "columns[1].type (line 23): 'article' cannot be a node of the column tree (use section or column)",
    ]
    for line in expected:
        assert line in errors
    assert any(e.startswith("columns[0].colour (line 20): unknown key") for e in errors)
    assert len(errors) == len(expected) + 1


def test_command_reports_errors_and_changes_nothing(tmp_path, ankang):
    from io import StringIO

    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="10 error"):
        call_command("load_profile", str(path), stderr=err)
    assert "columns[0].responsible[1] (line 16): unknown department 'nobody'" in err.getvalue()
    assert counts() == before
    assert not Portal.objects.filter(profile="broken").exists()


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("profile: bad\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProfileValidationError, match="line 3"):
        read_profile(str(path))


def test_unknown_profile_name_lists_the_known_ones():
    with pytest.raises(FileNotFoundError, match="known: ankang, ningxia"):
        read_profile("nowhere")


def test_file_name_must_match_profile_name(tmp_path, settings):
    (tmp_path / "other.yaml").write_text((ROOT / "profiles" / "ningxia.yaml").read_text(encoding="utf-8"))
    settings.SUNLIGHT_PROFILE_DIRS = [tmp_path]
    with pytest.raises(ProfileValidationError, match="is 'ningxia' but the file is named 'other'"):
        read_profile("other")


def test_a_site_already_in_use_is_refused_and_nothing_changes(ankang):
    spec = parse_profile(
        loads_yaml(
            textwrap.dedent(
                """\
                profile: intruder
                name: 冲突局
                site: {hostname: localhost, port: 80}
                departments: [{code: a, name: 办公室, kind: office}]
                columns: [{title: 新闻, slug: xw}]
                """
            )
        )
    )
    before = counts()
    with pytest.raises(ProfileApplyError, match="localhost:80 is already served"):
        apply_profile(spec)
    assert counts() == before


def test_plugin_page_types_can_be_named_in_a_profile(ankang):
    spec = parse_profile(
        loads_yaml(
            textwrap.dedent(
                """\
                profile: pluginsite
                name: 插件局
                site: {hostname: plugin.localhost}
                departments: [{code: a, name: 办公室, kind: office}]
                columns:
                  - {title: 通告, slug: tg, responsible: [a], accepts: [sample_plugin.SampleNoticePage]}
                """
            )
        )
    )
    apply_profile(spec)
    from tests.sample_plugin.models import SampleNoticePage

    column = ColumnPage.objects.get(profile_key="tg")
    assert SampleNoticePage.can_create_at(column)
    assert not ArticlePage.can_create_at(column)


# --- many bureaus in one database ----------------------------------------------------------------------


def test_two_profiles_live_side_by_side(ankang, client, member):
    call_command("load_profile", "ningxia", verbosity=0)
    ningxia = Portal.objects.get(profile="ningxia")
    assert ningxia.site.hostname == "ningxia.localhost" and not ningxia.site.is_default_site
    assert Site.objects.get(is_default_site=True).pk == ankang.site.pk
    # the same department code in both portals, without clashing
    assert ankang.departments.filter(code="fazhi").exists() and ningxia.departments.filter(code="fazhi").exists()
    assert ankang.departments.get(code="fazhi").editors_group != ningxia.departments.get(code="fazhi").editors_group
    categories = ningxia.site.root_page.get_children().get(slug="zfxxgk")
    assert categories.get_children().count() == 22
    # an ankang editor has no rights in the ningxia tree
    fazhi_editor = member("fazhi")
    for page in ningxia.site.root_page.get_descendants():
        assert not page.permissions_for_user(fazhi_editor).can_edit()
    # each site serves its own tree
    assert "宁夏" in client.get("/", HTTP_HOST="ningxia.localhost").content.decode()
    assert "安康" in client.get("/", HTTP_HOST="localhost").content.decode()
    # and reloading both changes nothing
    before = counts()
    call_command("load_profile", "ningxia", verbosity=0)
    call_command("load_profile", "ankang", verbosity=0)
    assert counts() == before


def test_ningxia_profile_is_valid_and_has_the_22_categories():
    spec = read_profile("ningxia")
    categories = next(c for c in spec.columns if c.slug == "zfxxgk")
    assert len(categories.children) == 22
    assert spec.site.hostname == "ningxia.localhost"


def test_a_site_without_some_plugins_loads_the_same_profile(tmp_path):
    """Sections and page types of plugins the site leaves out are ignored; a misspelt key is still an error."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "SUNLIGHT_DISABLED_PLUGINS": "wanted,mailbox,disclosure_requests,online_services"}
    env.pop("DATABASE_URL", None)
    ok = subprocess.run(
        [sys.executable, "manage.py", "load_profile", "ankang", "--check"], cwd=root, env=env, capture_output=True
    )
    assert ok.returncode == 0, ok.stderr.decode()
    broken = tmp_path / "ankang.yaml"
    broken.write_text(
        (root / "profiles" / "ankang.yaml").read_text(encoding="utf-8").replace("\nmailbox:", "\nmailboxx:")
    )
    refused = subprocess.run(
        [sys.executable, "manage.py", "load_profile", str(broken), "--check"], cwd=root, env=env, capture_output=True
    )
    assert refused.returncode != 0 and "mailboxx" in (refused.stdout + refused.stderr).decode()
