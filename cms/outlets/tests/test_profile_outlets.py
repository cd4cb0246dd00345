"""The profile's `outlets:` section: validation with lines, idempotent loading that keeps deployment data, and
the Outlets admin."""

from __future__ import annotations

import textwrap
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from cms.outlets.models import Outlet
from cms.profiles import ProfileValidationError, read_profile
from cms.profiles.loader import apply_profile
from cms.profiles.schema import parse_profile
from cms.profiles.yamlfile import loads_yaml

ROOT = Path(__file__).resolve().parents[3]

BASE = """\
profile: small
name: 测试局
site:
  hostname: small.localhost
departments:
  - {code: office, name: 办公室, kind: office}
columns:
  - title: 信息公开
    slug: xxgk
    type: section
    children:
      - {title: 警务要闻, slug: jwyw}
      - {title: 公示公告, slug: gsgg}
accounts:
  - {kind: weibo, name: 测试微博}
  - {kind: wechat, name: 测试微信}
"""


def parse(outlets: str):
    return parse_profile(loads_yaml(BASE + textwrap.dedent(outlets)), source="small.yaml")


def errors_of(outlets: str) -> list[str]:
    with pytest.raises(ProfileValidationError) as exc:
        parse(outlets)
    return exc.value.errors


def test_a_valid_outlets_section_is_read():
    spec = parse(
        """\
        outlets:
          - kind: weibo
            name: 测试微博
            account: 测试微博
            columns: [xxgk/jwyw, xxgk/gsgg]
          - {kind: web, name: 镜像, columns: [xxgk]}
          - {kind: sample_pager, name: 寻呼, columns: [xxgk/jwyw]}
        """
    )
    assert [(o.kind, o.name, o.account, o.columns) for o in spec.outlets] == [
        ("weibo", "测试微博", "测试微博", ["xxgk/jwyw", "xxgk/gsgg"]),
        ("web", "镜像", None, ["xxgk"]),
        ("sample_pager", "寻呼", None, ["xxgk/jwyw"]),
    ], "a plugin's kind (sample_pager) may be named too"


def test_outlet_errors_name_the_path_and_line():
    errors = errors_of(
        """\
        outlets:
          - kind: fax
            name: 传真
            columns: [xxgk/jwyw]
          - kind: weibo
            name: 微博
            account: 不存在的账号
            columns: [xxgk/jwyw, xxgk/nosuch, xxgk/jwyw]
          - kind: wechat
            name: 微博
            account: 测试微博
            columns: []
            colour: red
          - {kind: app, name: 客户端}
        """
    )
    expected = [
        "outlets[0].kind (line 18): unknown outlet kind 'fax'; use one of web, weibo, wechat, app, sample_pager",
        "outlets[1].account (line 23): unknown account '不存在的账号'; accounts: 测试微博, 测试微信",
        "outlets[1].columns[1] (line 24): unknown column 'xxgk/nosuch' (use a slug path such as xxgk/jwyw)",
        "outlets[1].columns[2] (line 24): column 'xxgk/jwyw' is listed twice",
        "outlets[2].name (line 26): duplicate outlet '微博'",
        "outlets[2].account (line 27): '测试微博' is a weibo account, not wechat",
        "outlets[2].columns (line 28): needs at least one column",
        "outlets[3].columns (line 30): is required",
    ]
    for line in expected:
        assert line in errors, (line, errors)
    assert any(e.startswith("outlets[2].colour (line 29): unknown key") for e in errors)
    assert len(errors) == len(expected) + 1


def test_shipped_profiles_map_columns_to_their_outlets():
    ankang = {o.name: o for o in read_profile("ankang").outlets}
    assert {o.kind for o in ankang.values()} == {"web", "weibo", "wechat", "app"}
    assert ankang["安康公安新浪微博"].account == "安康公安新浪微博"
    assert "xxgk/jwyw" in ankang["安康公安新浪微博"].columns
    assert ankang["安康市公安局微信公众号"].account == "安康市公安局微信公众号"
    assert ankang["安康公安门户网站镜像"].columns == ["xxgk", "jmhd"]
    ningxia = {o.kind: o for o in read_profile("ningxia").outlets}
    assert set(ningxia) == {"web", "weibo", "wechat", "app"}
    assert ningxia["app"].account == "宁夏公安厅政务客户端"


# --- loading -------------------------------------------------------------------------------------------


def column_keys(outlet: Outlet) -> set[str]:
    return {page.specific.profile_key for page in outlet.columns.all()}


def test_loading_creates_the_outlets_with_their_columns(ankang, column):
    weibo = Outlet.objects.get(portal=ankang, name="安康公安新浪微博")
    assert weibo.kind == "weibo" and weibo.account.name == "安康公安新浪微博"
    assert column_keys(weibo) == {"xxgk/jwyw", "xxgk/gsgg", "xxgk/jfts", "xxgk/wstj", "xxgk/zwgk/jqts"}
    web = Outlet.objects.get(portal=ankang, name="安康公安门户网站镜像")
    assert column_keys(web) == {"xxgk", "jmhd"} and web.account is None
    assert weibo.endpoint_url == "" and weibo.enabled and len(weibo.secret) >= 32


def test_reloading_keeps_endpoint_secret_and_enabled_and_changes_nothing(ankang):
    weibo = Outlet.objects.get(portal=ankang, name="安康公安新浪微博")
    weibo.endpoint_url, weibo.secret, weibo.enabled = "https://hooks.example/weibo", "s3cret-rotated", False
    weibo.save()
    count = Outlet.objects.count()
    out = StringIO()
    call_command("load_profile", "ankang", stdout=out)
    assert "created: 0, updated: 0" in out.getvalue()
    weibo.refresh_from_db()
    assert (weibo.endpoint_url, weibo.secret, weibo.enabled) == ("https://hooks.example/weibo", "s3cret-rotated", False)
    assert Outlet.objects.count() == count


def test_reloading_applies_column_changes_and_keeps_removed_outlets(tmp_path, ankang):
    app = Outlet.objects.get(portal=ankang, name="安康公安客户端")
    app.endpoint_url = "https://hooks.example/app"
    app.save()
    data = yaml.safe_load((ROOT / "profiles" / "ankang.yaml").read_text(encoding="utf-8"))
    for outlet in data["outlets"]:
        if outlet["name"] == "安康公安客户端":
            outlet["columns"] = ["xxgk/jwyw"]
    data["outlets"] = [o for o in data["outlets"] if o["kind"] != "web"]
    data["outlets"].append({"kind": "web", "name": "安康公安新镜像", "columns": ["jmhd"]})
    path = tmp_path / "ankang.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    report = apply_profile(read_profile(str(path)))
    assert "outlet 安康公安客户端: columns" in report.updated
    assert "outlet 安康公安新镜像 (web)" in report.created
    assert any(line.startswith("outlet 安康公安门户网站镜像") for line in report.kept)
    app.refresh_from_db()
    assert column_keys(app) == {"xxgk/jwyw"} and app.endpoint_url == "https://hooks.example/app"
    assert Outlet.objects.filter(portal=ankang, name="安康公安门户网站镜像").exists(), "kept, not deleted"
    again = apply_profile(read_profile(str(path)))
    assert not [line for line in again.created + again.updated if line.startswith("outlet")]


# --- admin ---------------------------------------------------------------------------------------------


def test_the_outlets_admin_lists_outlets_and_rotates_the_secret(admin_client, ankang):
    listing = admin_client.get("/admin/outlets/outlets/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "安康公安新浪微博" in html and "安康公安客户端" in html
    weibo = Outlet.objects.get(portal=ankang, name="安康公安新浪微博")
    edit_url = f"/admin/outlets/outlets/edit/{weibo.pk}/"
    page = admin_client.get(edit_url).content.decode()
    assert weibo.secret in page and "警务要闻" in page, "the edit page shows the secret and the profile's columns"
    old_secret = weibo.secret

    response = admin_client.post(edit_url, {"endpoint_url": "https://hooks.example/weibo", "enabled": "on"})
    assert response.status_code == 302
    weibo.refresh_from_db()
    assert weibo.endpoint_url == "https://hooks.example/weibo" and weibo.secret == old_secret

    admin_client.post(edit_url, {"endpoint_url": "https://hooks.example/weibo", "regenerate_secret": "on"})
    weibo.refresh_from_db()
    assert weibo.secret != old_secret and len(weibo.secret) >= 32
    assert not weibo.enabled
    assert admin_client.get("/admin/outlets/outlets/new/").status_code in (403, 404, 302), "outlets come from profiles"


def test_the_outlets_admin_is_closed_to_editors(client, django_user_model, ankang):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("outlet_editor", password="pw-123456")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get("/admin/outlets/outlets/")
    assert response.status_code in (302, 403)
    assert "/admin/outlets/outlets/" not in client.get("/admin/").content.decode()
    editor.user_permissions.add(Permission.objects.get(codename="change_outlet"))
    editor = django_user_model.objects.get(pk=editor.pk)
    client.force_login(editor)
    assert client.get("/admin/outlets/outlets/").status_code == 200
    assert "/admin/outlets/outlets/" in client.get("/admin/").content.decode()
