"""The hotline directory: numbers are public service numbers (validated, one written form), imported from CSV
(all or nothing, errors with their line, idempotent), listed in the admin by police type and county."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from plugins.online_services.models import Hotline
from plugins.online_services.phones import normalise_number

from . import factories

pytestmark = pytest.mark.django_db

HEADER = "警种,县区,受理单位,名称,电话,受理时间,备注,序号\n"


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("0915-3268110", "0915-3268110"),
        ("(0915)3268110", "0915-3268110"),
        ("（0915）3268110", "0915-3268110"),
        ("0915 3268110", "0915-3268110"),
        ("0915-3268110转8001", "0915-3268110-8001"),
        ("029-88888888", "029-88888888"),
        ("110", "110"),
        ("12345", "12345"),
        ("96110", "96110"),
        ("400 123 4567", "400-123-4567"),
    ],
)
def test_directory_numbers_are_written_one_way(raw, written):
    assert normalise_number(raw) == written


@pytest.mark.parametrize(
    "raw", ["13800138000", "+86 138 0013 8000", "3268110", "0915-0268110", "电话", "", "2026-0042"]
)
def test_other_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_number(raw)


def test_a_mobile_number_is_refused_as_personal_data(department):
    hotline = Hotline(police_type=department("huzheng"), department="户政科", name="值班", number="13800138000")
    with pytest.raises(ValidationError) as refused:
        hotline.full_clean()
    assert "手机号码属于个人信息" in " ".join(refused.value.message_dict["number"])


def test_the_county_must_be_of_the_same_portal(department):
    from wagtail.models import Page, Site

    from cms.models import Department, Portal

    site = Site.objects.create(hostname="other.example", root_page=Page.get_first_root_node())
    other = Portal.objects.create(profile="other", name="另一公安局", short_name="另一", site=site)
    county = Department.objects.create(portal=other, code="somexian", name="某县公安局", kind="county")
    hotline = Hotline(police_type=department("huzheng"), county=county, department="x", name="y", number="110")
    with pytest.raises(ValidationError) as refused:
        hotline.full_clean()
    assert "county" in refused.value.message_dict


def test_the_import_command_loads_180_numbers_once(ankang, tmp_path):
    from plugins.online_services.demo import HOTLINES_CSV

    Hotline.objects.filter(portal=ankang).delete()
    call_command("import_hotlines", str(HOTLINES_CSV), "--portal", "ankang", "--dry-run", verbosity=0)
    assert Hotline.objects.filter(portal=ankang).count() == 0
    call_command("import_hotlines", str(HOTLINES_CSV), "--portal", "ankang", verbosity=0)
    assert Hotline.objects.filter(portal=ankang).count() == 180
    assert Hotline.objects.filter(portal=ankang, county__isnull=True).count() == 60
    changed = tmp_path / "changed.csv"
    changed.write_text(HEADER + "huzheng,汉滨公安分局,汉滨公安分局户政大队,户籍业务咨询电话,(0915)6010199,24小时,,11\n")
    call_command("import_hotlines", str(changed), "--portal", "ankang", verbosity=0)
    assert Hotline.objects.filter(portal=ankang).count() == 180
    hanbin = Hotline.objects.get(portal=ankang, police_type__code="huzheng", county__code="hanbin")
    assert (hanbin.number, hanbin.hours) == ("0915-6010199", "24小时")


def test_a_bad_file_changes_nothing_and_names_each_line(ankang, tmp_path):
    before = Hotline.objects.count()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "huzheng,,户政科,户籍咨询,0915-3201001,,,1\n"
        + "nosuch,,某单位,某电话,0915-3201002,,,2\n"
        + "huzheng,火星县,某大队,某电话,0915-3201003,,,3\n"
        + "huzheng,,户政科,值班手机,13800138000,,,4\n"
        + "huzheng,,户政科,户籍咨询,0915-3201001,,,5\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failed:
        call_command("import_hotlines", str(bad), "--portal", "ankang", verbosity=0, stderr=open("/dev/null", "w"))
    assert "4 error(s)" in str(failed.value)
    from plugins.online_services.hotline_import import HotlineImportError, parse

    with pytest.raises(HotlineImportError) as errors:
        parse(ankang, bad.read_text(encoding="utf-8"))
    messages = errors.value.errors
    assert messages[0].startswith("line 3: unknown police type 'nosuch'")
    assert messages[1].startswith("line 4: unknown county '火星县'")
    assert messages[2].startswith("line 5: number '13800138000'")
    assert messages[3].startswith("line 6: the same number as line 2")
    assert Hotline.objects.count() == before
    with pytest.raises(CommandError):
        call_command("import_hotlines", str(bad), "--portal", "nosuch", verbosity=0)


def test_the_admin_lists_hotlines_filtered_by_police_type_and_county(client, ankang, department, django_user_model):
    factories.demo_hotlines(ankang)
    admin = django_user_model.objects.create_superuser("hotline-admin", password="pw-123456")
    client.force_login(admin)
    url = "/admin/snippets/online_services/hotline/"
    everything = client.get(url)
    assert everything.status_code == 200
    huzheng, hanbin = department("huzheng"), department("hanbin")
    filtered = client.get(url, {"police_type": huzheng.pk, "county": hanbin.pk}).content.decode()
    assert "汉滨公安分局户政大队" in filtered
    assert "旬阳市公安局户政大队" not in filtered and "汉滨公安分局交警大队" not in filtered
    found = client.get(url, {"q": "出入境证件办理"}).content.decode()
    assert "出入境证件办理咨询电话" in found and "户籍业务咨询电话" not in found
