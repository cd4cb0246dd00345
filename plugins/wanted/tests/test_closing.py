"""Closing a notice: one transaction that leaves only the minimal record.

After closing, no personal field of the notice can be read through any public path (the plugin's API, the
page API with every field, the site search and its suggestions, the page's URL, preview links made before,
the outlet feed, the image API and the files), and no table of the database holds any of it any more
(revisions, drafts, log entries, the ledger and its history, secrecy clearances, review comments, deliveries,
search entries, tips); the photo files and their renditions are gone from the disk. If a step fails, nothing
has changed.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import IntegrityError
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Revision

from cms.outlets.models import Delivery
from cms.outlets.outbox import idempotency_key
from cms.review.models import ReviewLedgerEntry, SecrecyClearance
from plugins.wanted.lifecycle import REDACTED, TransitionError, close_notice
from plugins.wanted.models import Tip, TipAttachment, WantedNotice
from search.models import SearchEntry

from .conftest import (
    ALIAS,
    BULLETIN,
    HOUSEHOLD,
    ID,
    NAME,
    SECRETS,
    act,
    add_bulletin,
    outlet_key,
    publish,
    submit,
    table_rows_with,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def no_secret_in(response, where: str) -> None:
    text = response.content.decode()
    if where.startswith("search") or where == "suggest":  # the answer repeats the query: not a leak
        data = response.json()
        data.pop("query", None), data.pop("tokens", None)
        text = str(data)
    leaked = [s for s in SECRETS if s in text]
    assert leaked == [], f"{where} shows {leaked}"


def public_reads(client, notice, key: str, preview_url: str) -> dict[str, object]:
    """Every public read of a notice (the response of each)."""
    return {
        "list": client.get("/api/wanted/"),
        "list q": client.get("/api/wanted/", {"q": NAME}),
        "detail": client.get(f"/api/wanted/{notice.pk}/"),
        "pages": client.get("/api/v2/pages/", {"type": "wanted.WantedNotice", "fields": "*"}),
        "pages all": client.get("/api/v2/pages/", {"fields": "*", "order": "-id", "limit": 20}),
        "pages search": client.get("/api/v2/pages/", {"search": NAME}),
        "page detail": client.get(f"/api/v2/pages/{notice.pk}/", {"fields": "*"}),
        "search": client.get("/api/search/", {"q": NAME}),
        "search id": client.get("/api/search/", {"q": ID}),
        "suggest": client.get("/api/search/suggest/", {"q": NAME[:2]}),
        "site page": client.get(notice.url) if notice.url else None,
        "preview": client.get(preview_url),
        "feed": client.get("/api/outlets/feed/", HTTP_AUTHORIZATION=f"Bearer {key}"),
        "feed item": client.get(f"/api/outlets/feed/{notice.pk}/", HTTP_AUTHORIZATION=f"Bearer {key}"),
        "tip form": client.get(f"/wanted/{notice.pk}/tip/"),
    }


@pytest.fixture
def active(make_notice, people, weibo, client, django_capture_on_commit_callbacks):
    """A published notice whose traces are everywhere: a delivery to Weibo, renditions, a site-search entry, a
    pending draft with a bulletin, a review that quotes the name, a tip with a file, and a preview link."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import png

    with django_capture_on_commit_callbacks(execute=True):
        notice = publish(make_notice(), people["admin"])
    # renditions made by public reads
    assert client.get("/api/wanted/").status_code == 200
    assert client.get(f"/api/wanted/{notice.pk}/").status_code == 200
    notice = add_bulletin(notice, people["editor"], reward_amount=50000)
    submit(notice, people["editor"])
    act(notice, people["head"], "reject", comment=f"请核实{NAME}（{ALIAS}）的户籍地址{HOUSEHOLD}")
    draft = notice.get_latest_revision()
    client.force_login(people["editor"])
    response = client.post("/api/preview/", {"page": notice.pk, "revision": draft.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    preview_url = response.json()["url"]
    client.logout()
    upload = SimpleUploadedFile("现场.png", png(), content_type="image/png")
    response = client.post(
        f"/api/wanted/{notice.pk}/tips/",
        {"content": f"我在云栖巷见过{NAME}，他说自己叫{ALIAS}", "attachments": [upload]},
    )
    assert response.status_code == 201, response.content
    return WantedNotice.objects.get(pk=notice.pk), preview_url


def files_of(image_ids) -> list[str]:
    """Paths on disk of the images' originals and renditions."""
    Image = get_image_model()
    paths = []
    for image in Image.objects.filter(pk__in=image_ids):
        paths.append(image.file.path)
        paths.extend(r.file.path for r in image.renditions.all())
    return paths


def test_closing_leaves_only_the_minimal_record_on_every_path(
    active, client, people, weibo, django_capture_on_commit_callbacks
):
    notice, preview_url = active
    key = outlet_key(weibo)
    image_ids = [p.image_id for p in notice.photos.all()]
    photo_files = files_of(image_ids)
    tip_files = [a.file.path for a in TipAttachment.objects.filter(tip__notice=notice)]
    assert len(photo_files) >= 3 and all(os.path.exists(p) for p in photo_files + tip_files)  # original + 2 renditions

    # Before: the scan finds every secret somewhere, and the public reads show the person (the checks can fail).
    assert set(table_rows_with(SECRETS)) == set(SECRETS)
    before = public_reads(client, notice, key, preview_url)
    assert notice.pk in [item["id"] for item in before["pages all"].json()["items"]]
    for name in ("list", "list q", "detail", "pages", "page detail", "search", "site page", "feed", "tip form"):
        assert before[name].status_code == 200, name
        assert NAME in before[name].content.decode(), name
    assert BULLETIN in before["preview"].content.decode()  # the draft with the bulletin
    assert ID not in before["detail"].content.decode() and "610902********" in before["detail"].content.decode()
    # the admin search (Wagtail's index, whose full-text tables hold segmented tokens a raw scan cannot see)
    assert notice.pk in [p.pk for p in WantedNotice.objects.search(NAME)]
    assert SearchEntry.objects.filter(key=f"page:{notice.pk}").exists()

    with django_capture_on_commit_callbacks(execute=True):
        close_notice(notice, "captured", TODAY(), "犯罪嫌疑人已于近日被抓获。", people["head"])

    notice = WantedNotice.objects.get(pk=notice.pk)
    assert notice.status == "captured" and not notice.live and notice.closed_by == people["head"]
    # the database: nothing anywhere, in any table
    assert table_rows_with(SECRETS) == {}
    assert all(not os.path.exists(p) for p in photo_files + tip_files)
    for text in (NAME, ALIAS, HOUSEHOLD, "望舒路", "云栖巷", "飞鸟纹身"):
        assert list(WantedNotice.objects.search(text)) == [], text
    assert not SearchEntry.objects.filter(key=f"page:{notice.pk}").exists()
    assert not get_image_model().objects.filter(pk__in=image_ids).exists()
    # every public path
    after = public_reads(client, notice, key, preview_url)
    for name, response in after.items():
        if response is not None:
            no_secret_in(response, name)
    assert after["detail"].status_code == 410
    assert after["detail"].json() == {
        "id": notice.pk,
        "number": notice.number,
        "level": {"code": "city", "name": "市级"},
        "status": {"code": "captured", "name": "已抓获"},
        "issuing_organ": "安康市公安局",
        "issued_on": notice.date.isoformat(),
        "closed_on": TODAY().isoformat(),
        "closing_text": "犯罪嫌疑人已于近日被抓获。",
        "detail": "此通缉令已结束，相关个人信息已删除。",
    }
    assert after["list"].json()["count"] == 0 and after["list q"].json()["count"] == 0
    assert after["pages"].json()["meta"]["total_count"] == 0
    assert notice.pk not in [item["id"] for item in after["pages all"].json()["items"]]
    assert after["page detail"].status_code == 404
    assert after["search"].json()["count"] == 0
    assert after["site page"].status_code == 410  # the tombstone (test_site.py checks it holds the record only)
    assert after["feed"].status_code == 200 and all(i["id"] != notice.pk for i in after["feed"].json()["results"])
    assert after["feed item"].status_code == 404
    assert after["tip form"].status_code == 410
    for image_id in image_ids:
        assert client.get(f"/api/v2/images/{image_id}/").status_code == 404


def test_the_minimal_record_and_the_trail_that_stays(active, people, django_capture_on_commit_callbacks):
    notice, _preview = active
    revisions_before = list(
        Revision.objects.page_revisions().filter(object_id=str(notice.pk)).values_list("pk", flat=True)
    )
    ledger_before = {e.pk: e.content_hash for e in ReviewLedgerEntry.objects.filter(page=notice)}
    assert ledger_before and all(len(h) == 64 for h in ledger_before.values() if h)
    with django_capture_on_commit_callbacks(execute=True):
        close_notice(notice, "revoked", TODAY(), "经复核，撤销本通缉令（安公撤字〔2026〕2号）。", people["head"])
    notice = WantedNotice.objects.get(pk=notice.pk)
    # the record
    assert (notice.number, notice.level, notice.issuing_organ, notice.status) == (
        "安公（刑）缉字〔2026〕7号",
        "city",
        "安康市公安局",
        "revoked",
    )
    assert notice.title == "市级通缉令 安公（刑）缉字〔2026〕7号"
    assert notice.subject_name == notice.id_number == notice.household_address == "" and notice.born_on is None
    assert not notice.photos.exists() and not notice.bulletins.exists() and notice.cover_image_id is None
    # every revision is the minimal record (the same ids: the ledger's links hold)
    revisions = Revision.objects.page_revisions().filter(object_id=str(notice.pk))
    assert sorted(revisions.values_list("pk", flat=True)) == sorted(revisions_before)
    for revision in revisions:
        assert revision.content["subject_name"] == "" and revision.content["photos"] == []
        assert revision.content["status"] == "revoked"
    # the ledger keeps every decision with its hash, titled by the number, the rejection's opinion redacted
    ledger = {e.pk: e for e in ReviewLedgerEntry.objects.filter(page=notice)}
    assert {pk: e.content_hash for pk, e in ledger.items()} == ledger_before
    assert all(e.page_title == notice.title for e in ledger.values())
    rejected = next(e for e in ledger.values() if e.decision == "rejected")
    assert rejected.opinion == f"请核实{REDACTED}（{REDACTED}）的户籍地址{REDACTED}"
    clearance = SecrecyClearance.objects.get(page=notice)
    assert clearance.findings[0]["kind"] == "id_number" and clearance.findings[0]["text"] == REDACTED
    # the tip stays with the department, without the person's data and without its file
    tip = Tip.objects.get(notice=notice)
    assert tip.content == f"我在云栖巷见过{REDACTED}，他说自己叫{REDACTED}" and not tip.attachments.exists()
    # outlets: one withdrawal with the reason; the earlier publication's payload is emptied
    deliveries = list(Delivery.objects.filter(item_type="wanted.wantednotice", item_id=str(notice.pk)).order_by("pk"))
    assert [d.action for d in deliveries] == ["publish", "withdraw"]
    assert deliveries[0].payload == {"item_type": "wanted.wantednotice", "item_id": str(notice.pk), "redacted": True}
    assert deliveries[1].payload["reason"] == f"已撤销（{TODAY().isoformat()}）"
    assert "撤回】市级通缉令 安公（刑）缉字〔2026〕7号" in deliveries[1].payload["text"]
    # the page history shows the closing
    assert notice.get_latest_revision().content["closing_text"].startswith("经复核")
    from wagtail.models import PageLogEntry

    assert PageLogEntry.objects.filter(page=notice, action="wanted.close").count() == 1


def test_closing_rolls_back_entirely_when_the_outbox_write_fails(
    active, people, weibo, django_capture_on_commit_callbacks
):
    notice, _preview = active
    image_ids = [p.image_id for p in notice.photos.all()]
    files = files_of(image_ids)
    # The outbox cannot write the withdrawal: every idempotency key it would try is taken by other rows.
    revision_id = notice.live_revision_id or notice.latest_revision_id
    for occurrence in range(5):
        Delivery.objects.create(
            outlet=weibo,
            action="withdraw",
            item_type="wanted.wantednotice",
            item_id="someone-else",
            title="占位",
            idempotency_key=idempotency_key(
                "wanted.wantednotice", str(notice.pk), revision_id, weibo.pk, "withdraw", occurrence
            ),
        )
    scan_before = table_rows_with(SECRETS)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IntegrityError):
        close_notice(notice, "captured", TODAY(), "", people["head"])
    after = WantedNotice.objects.get(pk=notice.pk)
    assert after.status == "wanted" and after.live and after.subject_name == NAME and after.photos.count() == 1
    assert table_rows_with(SECRETS) == scan_before
    assert get_image_model().objects.filter(pk__in=image_ids).count() == len(image_ids)
    assert all(os.path.exists(p) for p in files)
    assert not Delivery.objects.filter(item_id=str(notice.pk), action__in=["withdraw", "unpublish"]).exists()
    assert after.current_workflow_state is not None  # the review was not cancelled either


def test_only_open_notices_close_and_the_closing_is_checked(make_notice, people):
    notice = publish(make_notice(), people["admin"])
    with pytest.raises(TransitionError, match="撤销"):
        close_notice(notice, "revoked", TODAY(), "", people["head"])  # a revocation needs its text
    with pytest.raises(TransitionError):
        close_notice(notice, "captured", TODAY() + datetime.timedelta(days=1))
    with pytest.raises(TransitionError):
        close_notice(notice, "captured", notice.date - datetime.timedelta(days=1))
    with pytest.raises(TransitionError):
        close_notice(notice, "wanted", TODAY())
    close_notice(notice, "surrendered", TODAY())
    with pytest.raises(TransitionError, match="已经结束"):
        close_notice(notice, "captured", TODAY())


def test_a_draft_that_never_went_live_is_closed_and_answers_404(make_notice, client):
    notice = make_notice()
    close_notice(notice, "revoked", TODAY(), "误发，撤销。")
    assert client.get(f"/api/wanted/{notice.pk}/").status_code == 404  # never public: not even its record
    assert table_rows_with(SECRETS) == {}


def test_a_closed_notice_cannot_be_edited_republished_or_reopened(make_notice, people, client):
    notice = publish(make_notice(), people["admin"])
    old = notice.live_revision
    close_notice(notice, "deceased", TODAY(), "")
    notice = WantedNotice.objects.get(pk=notice.pk)
    for user in (people["editor"], people["head"], people["admin"]):
        perms = notice.permissions_for_user(user)
        assert not (perms.can_edit() or perms.can_publish() or perms.can_copy() or perms.can_delete())
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        notice.save_revision(user=people["editor"])
    from cms.review.gate import PublicationBlocked, chain_bypass

    old.refresh_from_db()
    with chain_bypass("测试"), pytest.raises(PublicationBlocked, match="已结束"):
        old.publish()
    assert old.as_object().status == "deceased"  # a revision never brings the lifecycle back
    assert WantedNotice.objects.get(pk=notice.pk).status == "deceased"
    client.force_login(people["editor"])
    assert client.get(f"/admin/pages/{notice.pk}/edit/").status_code in (302, 403)


def test_deleting_a_notice_removes_the_persons_data_too(active, django_capture_on_commit_callbacks):
    notice, _preview = active
    image_ids = [p.image_id for p in notice.photos.all()]
    files = files_of(image_ids)
    assert set(table_rows_with(SECRETS)) == set(SECRETS)
    with django_capture_on_commit_callbacks(execute=True):
        notice.delete()
    assert table_rows_with(SECRETS) == {}
    assert not get_image_model().objects.filter(pk__in=image_ids).exists()
    assert all(not os.path.exists(p) for p in files)
    actions = list(Delivery.objects.filter(item_id=str(notice.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == ["publish", "unpublish"]  # the outlets are told to take it down


def test_sitemap_lists_open_notices_only(make_notice, people):
    from wagtail.contrib.sitemaps.sitemap_generator import Sitemap

    open_one = publish(make_notice(), people["admin"])
    closed = publish(make_notice(number="安公（刑）缉字〔2026〕8号"), people["admin"])
    closed_url = closed.full_url
    assert closed_url in {url["location"] for page in Sitemap().items() for url in page.get_sitemap_urls()}
    close_notice(closed, "captured", TODAY())
    locations = {url["location"] for page in Sitemap().items() for url in page.get_sitemap_urls()}
    assert open_one.full_url in locations and closed_url not in locations
    assert WantedNotice.objects.get(pk=closed.pk).get_sitemap_urls() == []
