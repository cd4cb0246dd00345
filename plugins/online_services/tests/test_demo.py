"""The demo data: realistic guides for several police types, published through the publication gate, the
180-number hotline directory, real DOCX blank forms, one withdrawn guide; loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from docx import Document as Docx
from wagtail.models import PageLogEntry

from cms.review.models import Decision, ReviewLedgerEntry
from plugins.online_services.demo import load_demo
from plugins.online_services.models import Hotline, ServiceForm, ServiceGuidePage, ServiceLocation

pytestmark = pytest.mark.django_db


def test_the_demo_loads_complete_guides_once(ankang, client, settings):
    settings.SUNLIGHT_API_CACHE = False
    created = load_demo(ankang)
    guides = ServiceGuidePage.objects.live().filter(path__startswith=ankang.site.root_page.path)
    titles = set(guides.values_list("title", flat=True))
    assert {"户口迁移（市外迁入）", "普通护照签发", "往来港澳通行证及签注签发", "机动车注册登记"} <= titles
    assert {g.police_type.code for g in guides} >= {"huzheng", "churujing", "jiaojing", "zhian", "baoan"}
    assert all(g.missing_elements() == [] for g in guides)
    assert Hotline.objects.filter(portal=ankang).count() == 180
    assert sum(1 for line in created if line.startswith("guide ")) == 8
    # through the gate, with the import recorded in the review ledger
    passport = guides.get(title="普通护照签发")
    entry = ReviewLedgerEntry.objects.filter(page_id=passport.pk, decision=Decision.PUBLISHED).get()
    assert "演示内容导入" in entry.opinion
    assert any("《中华人民共和国护照法》" == b.name for b in passport.legal_bases.all())
    assert passport.fee_standard == "普通护照每本120元。"

    # the blank forms are real DOCX files, downloadable
    form = ServiceForm.objects.get(portal=ankang, title="户口迁移申请表")
    with form.document.file.open("rb") as f:
        docx = Docx(io.BytesIO(f.read()))
    assert docx.paragraphs[0].text == "户口迁移申请表"
    assert docx.tables[0].rows[0].cells[0].text == "申请人姓名"
    download = client.get(form.document.url)
    assert download.status_code == 200

    old = ServiceGuidePage.objects.get(slug="jidongche-zhuce-dengji-2021")
    assert old.live and old.withdrawn_at is not None and old.replaced_by_id == guides.get(title="机动车注册登记").pk
    assert PageLogEntry.objects.filter(page=old, action="online_services.withdraw").count() == 1

    counts = (
        ServiceGuidePage.objects.count(),
        Hotline.objects.count(),
        ServiceForm.objects.count(),
        ServiceLocation.objects.count(),
        PageLogEntry.objects.filter(action="online_services.withdraw").count(),
    )
    assert load_demo(ankang) == []
    assert counts == (
        ServiceGuidePage.objects.count(),
        Hotline.objects.count(),
        ServiceForm.objects.count(),
        ServiceLocation.objects.count(),
        PageLogEntry.objects.filter(action="online_services.withdraw").count(),
    )
    api = client.get("/api/v2/pages/?type=online_services.ServiceGuidePage&fields=status,forms&limit=20").json()
    assert api["meta"]["total_count"] == 8
    statuses = {item["title"]: item["status"]["code"] for item in api["items"]}
    assert statuses["机动车注册登记（2021年版）"] == "withdrawn" and statuses["机动车注册登记"] == "in_force"
