"""The staff side: notices are written in the page editor; tips are seen and marked by the notice's department
only; the heads of that department (and superusers) close a notice from the admin."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from plugins.wanted.models import Tip, WantedNotice

from .conftest import ID, NAME, png, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(make_notice, people):
    return publish(make_notice(), people["admin"])


@pytest.fixture
def tip(client, notice):
    response = client.post(
        f"/api/wanted/{notice.pk}/tips/",
        {
            "content": "在汉江大桥下见过此人",
            "contact_name": "钱先生",
            "attachments": [SimpleUploadedFile("a.png", png())],
        },
    )
    assert response.status_code == 201
    return Tip.objects.get(number=response.json()["number"])


def test_an_editor_writes_a_notice_in_the_page_editor(client, wstj, people, image_factory):
    client.force_login(people["editor"])
    add = f"/admin/pages/add/wanted/wantednotice/{wstj.pk}/"
    assert client.get(add).status_code == 200
    image = image_factory("正面照")
    data = nested_form_data(
        {
            "number": "安公（刑）缉字〔2026〕21号",
            "level": "city",
            "issuing_organ": "",
            "date": timezone.localdate().isoformat(),
            "scope": "全国",
            "subject_name": "测试人乙",
            "other_names": "",
            "sex": "unknown",
            "id_number": ID,
            "ethnicity": "汉族",
            "charge": "诈骗罪",
            "reward_amount": "3000",
            "photos": inline_formset([{"image": image.pk, "caption": "正面"}]),
            "bulletins": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    nameless = client.post(add, {**data, "subject_name": ""})
    assert nameless.status_code == 200 and not WantedNotice.objects.filter(number="安公（刑）缉字〔2026〕21号").exists()
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = WantedNotice.objects.get(number="安公（刑）缉字〔2026〕21号")
    assert notice.title == "市级通缉令 安公（刑）缉字〔2026〕21号" and not notice.live
    draft = notice.get_latest_revision_as_object()
    assert draft.sex == "male" and draft.photos.count() == 1 and draft.author_department.code == "xingjing"
    # editors of other departments cannot add notices here
    client.force_login(people["other_editor"])
    assert client.get(add).status_code in (302, 403)


def test_tips_are_seen_and_marked_by_the_notices_department_only(client, tip, people, admin_user):
    detail = f"/admin/wanted/tips/{tip.pk}/"
    attachment = tip.attachments.get()
    download = f"/admin/wanted/tips/{tip.pk}/attachments/{attachment.pk}/"
    for name in ("editor", "head", "admin"):
        client.force_login(people[name])
        listing = client.get("/admin/wanted/tips/")
        assert listing.status_code == 200 and tip.number in listing.content.decode()
        page = client.get(detail)
        assert page.status_code == 200 and "在汉江大桥下见过此人" in page.content.decode()
        assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    file = client.get(download)
    assert file.status_code == 200 and b"".join(file.streaming_content) == png()
    assert file["Content-Disposition"].startswith("attachment") and file["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in file["Cache-Control"]
    # other departments: the tip does not exist for them
    for name in ("other_editor", "other_head", "secrecy"):
        client.force_login(people[name])
        assert client.get(detail).status_code == 404
        assert client.get(download).status_code == 404
        listing = client.get("/admin/wanted/tips/")
        assert listing.status_code == 404 or tip.number not in listing.content.decode()
    client.logout()
    assert client.get(detail).status_code == 302  # the admin login
    client.force_login(admin_user)
    assert client.get(detail).status_code == 200


def test_marking_a_tip_records_who_when_and_keeps_the_history(client, tip, people):
    client.force_login(people["editor"])
    response = client.post(f"/admin/wanted/tips/{tip.pk}/mark/", {"state": "useful", "staff_note": "<b>已核实</b>"})
    assert response.status_code == 302
    tip.refresh_from_db()
    assert (tip.state, tip.staff_note, tip.checked_by) == ("useful", "已核实", people["editor"])
    client.post(f"/admin/wanted/tips/{tip.pk}/mark/", {"state": "not_useful"})
    history = list(tip.history.order_by("history_date").values_list("state", flat=True))
    assert history == ["new", "useful", "not_useful"]
    assert not hasattr(tip.history.model, "content")  # the history keeps states, not the text
    assert client.post(f"/admin/wanted/tips/{tip.pk}/mark/", {"state": "new"}).status_code == 200  # not a mark
    client.force_login(people["other_head"])
    assert client.post(f"/admin/wanted/tips/{tip.pk}/mark/", {"state": "checked"}).status_code == 404


def test_the_heads_of_the_department_close_a_notice_from_the_admin(client, notice, people):
    url = f"/admin/wanted/notices/{notice.pk}/close/"
    for name in ("editor", "admin", "other_head"):
        client.force_login(people[name])
        assert client.get(url).status_code == 404
        assert client.post(url, {"status": "captured"}).status_code == 404
    client.force_login(people["head"])
    page = client.get(url)
    assert page.status_code == 200 and "永久删除" in page.content.decode()
    # the header of the page editor offers it to the head only
    assert url in client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    unconfirmed = client.post(url, {"status": "captured", "closed_on": timezone.localdate().isoformat()})
    assert unconfirmed.status_code == 400 and WantedNotice.objects.get(pk=notice.pk).is_open
    response = client.post(
        url,
        {
            "status": "captured",
            "closed_on": timezone.localdate().isoformat(),
            "closing_text": "已抓获",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    notice = WantedNotice.objects.get(pk=notice.pk)
    assert notice.status == "captured" and notice.closed_by == people["head"] and notice.subject_name == ""
    assert client.get(url).status_code == 302  # already closed
    listing = client.get("/admin/wanted/notices/").content.decode()
    assert notice.number in listing and "已抓获" in listing and NAME not in listing


def test_the_editor_header_offers_no_closing_to_editors(client, notice, people):
    client.force_login(people["editor"])
    edit = client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    assert f"/admin/wanted/notices/{notice.pk}/close/" not in edit
    assert "/admin/wanted/tips/" in client.get("/admin/").content.decode()  # the menu is theirs


def test_the_menu_is_not_shown_to_other_departments(client, people):
    client.force_login(people["other_editor"])
    menu = client.get("/admin/").content.decode()
    assert "/admin/wanted/tips/" not in menu
    assert client.get("/admin/wanted/notices/").status_code == 404


def test_the_site_history_names_the_closing(client, notice, people, admin_user):
    from plugins.wanted.lifecycle import close_notice

    close_notice(notice, "surrendered", timezone.localdate(), "", people["head"])
    client.force_login(admin_user)
    history = client.get("/admin/reports/site-history/")
    assert history.status_code == 200 and "通缉令已结束" in history.content.decode()
    assert NAME not in history.content.decode() and json.dumps(NAME)[1:-1] not in history.content.decode()
