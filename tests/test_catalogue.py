"""The disclosure catalogue: government information, index numbers, the publication clock, /api/catalogue/."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from cms.models import IndexSerial
from cms.review.gate import PublicationBlocked, chain_bypass
from pages.clocks import publication_clock
from pages.models import GovernmentDocumentAttachment, GovernmentDocumentPage

from .server import ROOT

pytestmark = pytest.mark.django_db
INDEX = re.compile(r"^11610900016057720X/(\d{4})-(\d{6})$")


def new_document(column, title="关于调整出入境证件受理时间的通知", **fields):
    fields.setdefault("created_on", datetime.date(2026, 11, 16))
    page = GovernmentDocumentPage(title=title, live=False, document_number="安公发〔2026〕30号", **fields)
    column.add_child(instance=page)
    page.save_revision()
    return GovernmentDocumentPage.objects.get(pk=page.pk)


def publish(page):
    with chain_bypass("测试"):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def test_demo_documents_are_in_the_catalogue_with_index_numbers(client):
    data = client.get("/api/catalogue/").json()
    assert data["count"] == 3
    numbers = [entry["index_number"] for entry in data["results"]]
    assert all(INDEX.match(n) for n in numbers) and len(set(numbers)) == 3
    entry = next(e for e in data["results"] if e["document_number"] == "安公发〔2026〕18号")
    assert entry["publishing_organ"] == "安康市公安局"
    assert entry["disclosure_mode"] == {"code": "proactive", "name": "主动公开"}
    assert entry["disclosure_attribute"] == {"code": "full", "name": "此件公开发布"}
    assert entry["topic"]["name"] == "公安" and entry["genre"]["name"] == "通知"
    assert entry["created_on"] == "2026-09-12" and entry["published_on"] == "2026-09-15"
    assert INDEX.match(entry["index_number"]).group(1) == "2026"


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("year=2026", 2),
        ("year=2025", 1),
        ("department=baozhang", 1),
        ("topic=jiaotong", 1),
        ("genre=tongzhi", 1),
        ("mode=proactive", 3),
        ("mode=on_request", 0),
        ("validity=valid", 2),
        ("validity=invalid", 1),
        ("year=2026&topic=gongan&validity=valid", 1),
    ],
)
def test_catalogue_filters(client, query, count):
    assert client.get(f"/api/catalogue/?{query}").json()["count"] == count


@pytest.mark.parametrize("query", ["year=abc", "year=1800", "mode=secret", "validity=maybe"])
def test_bad_filters_are_a_clear_400(client, query):
    response = client.get(f"/api/catalogue/?{query}")
    assert response.status_code == 400
    assert response.json()


def test_detail_has_body_and_attachments_and_drafts_stay_out(client, column):
    page = new_document(column("xxgk/zwgk/zfwj"))
    assert client.get(f"/api/catalogue/{page.pk}/").status_code == 404  # a draft is not in the catalogue
    doc = Document(title="受理时间表")
    doc.file.save("schedule.pdf", ContentFile(b"%PDF-1.4"), save=False)
    doc.save()
    page = page.get_latest_revision_as_object()
    page.body = "<p>自2026年12月1日起，周六上午照常受理。</p>"
    page.attachments = [GovernmentDocumentAttachment(document=doc, title="受理时间表")]
    page.save_revision()
    publish(GovernmentDocumentPage.objects.get(pk=page.pk))
    data = client.get(f"/api/catalogue/{page.pk}/").json()
    assert "周六上午照常受理" in data["body"]
    assert data["attachments"][0]["title"] == "受理时间表" and data["attachments"][0]["url"].endswith(".pdf")


def test_other_sites_do_not_see_this_catalogue(client):
    from django.core.management import call_command

    call_command("load_profile", "ningxia", verbosity=0)
    assert client.get("/api/catalogue/", HTTP_HOST="ningxia.localhost").json()["count"] == 0


def test_index_numbers_are_issued_in_order_and_kept(column):
    first = publish(new_document(column("xxgk/zwgk/zfwj"), title="文件甲"))
    second = publish(new_document(column("xxgk/zwgk/zfwj"), title="文件乙"))
    a, b = (int(INDEX.match(p.index_number).group(2)) for p in (first, second))
    assert b == a + 1
    # a new version keeps its number
    edited = first.get_latest_revision_as_object()
    edited.summary = "修订后的内容概述"
    edited.save_revision()
    assert publish(GovernmentDocumentPage.objects.get(pk=first.pk)).index_number == first.index_number


def test_a_refused_publication_spends_no_serial(column):
    before = IndexSerial.objects.get(year=2026).last
    refused = new_document(column("xxgk/zwgk/zfwj"), title="不予公开的信息", disclosure_mode="not_disclosed")
    with pytest.raises(PublicationBlocked, match="不予公开"):
        publish(refused)
    secret = new_document(column("xxgk/zwgk/zfwj"), title="秘密★1年 内部通报")
    with pytest.raises(PublicationBlocked, match="密级标志"):
        publish(secret)
    assert IndexSerial.objects.get(year=2026).last == before
    assert publish(new_document(column("xxgk/zwgk/zfwj"))).index_number.endswith(f"-{before + 1:06d}")


def test_publication_clock_runs_five_working_days_and_stops_when_live(column):
    page = new_document(column("xxgk/zwgk/zfwj"), created_on=datetime.date(2026, 9, 28))
    clock = publication_clock(page)
    assert (clock.start_date, clock.limit_days) == (datetime.date(2026, 9, 28), 5)
    # 09-29, 09-30, then National Day (10-01 .. 10-07), 10-08, 10-09 and the 调休 Saturday 10-10
    assert clock.due_date == datetime.date(2026, 10, 10)
    assert clock.state_on(datetime.date(2026, 10, 10)) == "running"
    assert clock.state_on(datetime.date(2026, 10, 12)) == "overdue"
    publish(page)
    clock.refresh_from_db()
    assert clock.stopped_on is not None and publication_clock(page) is None


def test_enforcement_information_gets_twenty_working_days(column):
    page = new_document(column("xxgk/zwgk/zfwj"), is_enforcement=True)
    assert publication_clock(page).limit_days == 20


def test_a_document_not_marked_for_publication_has_no_clock(column):
    page = new_document(column("xxgk/zwgk/zfwj"))
    assert publication_clock(page) is not None
    draft = page.get_latest_revision_as_object()
    draft.disclosure_mode = "on_request"
    draft.save_revision()
    assert publication_clock(page) is None


def test_overdue_documents_show_in_the_admin_report(admin_client, column):
    new_document(column("xxgk/zwgk/zfwj"), title="逾期未发布的文件", created_on=datetime.date(2026, 1, 5))
    html = admin_client.get("/admin/pending-publication/").content.decode()
    assert "逾期未发布的文件" in html and "已超期" in html


PUBLISHER = """
import time
from cms.review.gate import chain_bypass
from pages.models import ColumnPage, GovernmentDocumentPage
column = ColumnPage.objects.get(profile_key="xxgk/zwgk/zfwj")
page = GovernmentDocumentPage(title="并发发布测试{n}", live=False, slug="concurrent-{n}")
column.add_child(instance=page)
revision = page.save_revision()
time.sleep(max(0, {start} - time.time()))
with chain_bypass("并发测试"):
    revision.publish()
print(GovernmentDocumentPage.objects.get(pk=page.pk).index_number)
"""


def test_index_numbers_are_unique_and_gap_free_under_concurrent_publishers(demo):
    """Six processes publish at the same instant against the demo server's database (PostgreSQL in CI)."""
    start = time.time() + 8
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v0", "-c", PUBLISHER.format(n=n, start=start)],
            cwd=ROOT,
            env=demo.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _out, err in outputs]
    numbers = [out.strip() for out, _err in outputs]
    serials = sorted(int(INDEX.match(n).group(2)) for n in numbers)
    assert len(set(serials)) == 6
    assert serials == list(range(serials[0], serials[0] + 6)), serials
