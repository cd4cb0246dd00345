"""The notice as a page: its checks, its generated title, and the lifecycle wanted → updated (through the review
chain again) → closed; the ledger names the notice by its number."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.review.gate import PublicationBlocked
from cms.review.models import ReviewLedgerEntry
from plugins.wanted.identity import mask_id_number
from plugins.wanted.lifecycle import close_notice
from plugins.wanted.models import WantedNotice

from .conftest import ID, NAME, act, add_bulletin, id_number, publish, submit

pytestmark = pytest.mark.django_db


def steps(page) -> list[tuple[str, str]]:
    from wagtail.models import TaskState

    states = TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("started_at", "pk")
    return [(s.task.name.split("·")[-1], s.status) for s in states]


def test_title_summary_and_derived_fields(make_notice):
    notice = make_notice(level="a", number=" 公（刑）缉字〔2026〕3号 ")
    assert notice.title == "A级通缉令 公（刑）缉字〔2026〕3号" and notice.number == "公（刑）缉字〔2026〕3号"
    assert NAME not in notice.title and NAME not in notice.slug and NAME not in notice.url_path
    assert notice.summary == f"{NAME}，男，1990年出生，涉嫌抢劫罪，悬赏20,000元"
    assert notice.born_on == datetime.date(1990, 1, 1)  # from the ID number
    assert notice.issuing_organ == "安康市公安局" and notice.author_department.code == "xingjing"
    assert notice.cover_image_id == notice.photos.first().image_id


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, "id_number"),  # wrong check digit
        ({"id_number": "12345"}, "id_number"),
        ({"sex": "female"}, "sex"),  # the ID number says male
        ({"birth_date": datetime.date(1991, 1, 1)}, "birth_date"),
        ({"subject_name": " "}, "subject_name"),
        ({"height_cm": 20}, "height_cm"),
    ],
)
def test_checks(make_notice, fields, error_field):
    notice = make_notice()
    for name, value in fields.items():
        setattr(notice, name, value)
    with pytest.raises(ValidationError) as caught:
        notice.full_clean()
    assert error_field in caught.value.message_dict


def test_numbers_are_unique_in_the_portal(make_notice):
    make_notice()
    second = make_notice(number="安公（刑）缉字〔2026〕99号")
    second.number = "安公（刑）缉字〔2026〕7号"
    with pytest.raises(ValidationError, match="编号"):
        second.full_clean()


def test_masking():
    assert mask_id_number("610902199001011235") == "610902********1235"
    assert mask_id_number("61090219900101123x") == "610902********123X"
    assert mask_id_number("610902900101123") == "610902*****1123"
    assert mask_id_number("") == "" and mask_id_number("12345") == "12*45"


def test_a_notice_passes_the_review_chain_and_the_secrecy_office_clears_the_id_number(make_notice, people):
    notice = make_notice()
    submit(notice, people["editor"])
    act(notice, people["head"], comment="同意")
    # the ID number and the office phone are personal data: the automatic check waits for the secrecy office
    assert steps(notice)[-1] == ("保密检查", "in_progress")
    act(notice, people["secrecy"], comment="通缉令依法公开被通缉人身份信息，对外隐去身份证号码中间八位，同意。")
    act(notice, people["admin"])
    notice = WantedNotice.objects.get(pk=notice.pk)
    assert notice.live and notice.status == "wanted"
    titles = set(ReviewLedgerEntry.objects.filter(page=notice).values_list("page_title", flat=True))
    assert titles == {notice.title} and NAME not in notice.title


def test_a_reward_change_or_a_bulletin_is_an_update_through_the_chain_again(make_notice, people, client):
    notice = publish(make_notice(), people["admin"])
    notice = add_bulletin(notice, people["editor"], reward_amount=80000)
    # publishing the change outside the chain is refused
    with pytest.raises(PublicationBlocked, match="审核"):
        notice.get_latest_revision().publish()
    submit(notice, people["editor"])
    act(notice, people["head"])
    act(notice, people["admin"])  # the secrecy check passes by itself: the same findings were cleared before
    notice = WantedNotice.objects.get(pk=notice.pk)
    assert notice.status == "updated" and notice.reward_amount == 80000
    data = client.get(f"/api/wanted/{notice.pk}/").json()
    assert data["status"] == {"code": "updated", "name": "已更新"} and data["reward"]["amount"] == 80000
    [bulletin] = data["bulletins"]
    assert bulletin["cites"] == {"number": notice.number, "issued_on": notice.date.isoformat()}
    assert bulletin["citation"] == f"本通报系对{notice.date.isoformat()}发布的通缉令{notice.number}的补充"


def test_republishing_unchanged_stays_wanted(make_notice, people):
    notice = publish(make_notice(), people["admin"])
    notice.get_latest_revision_as_object().save_revision(user=people["editor"])
    notice = publish(WantedNotice.objects.get(pk=notice.pk), people["admin"])
    assert notice.status == "wanted"


def test_a_revision_never_changes_the_lifecycle(make_notice, people):
    notice = publish(make_notice(), people["admin"])
    revision = notice.live_revision
    revision.content["status"] = "captured"  # a tampered revision
    revision.save(update_fields=["content"])
    assert revision.as_object().status == "wanted"
    close_notice(notice, "captured", timezone.localdate())
    assert WantedNotice.objects.get(pk=notice.pk).get_latest_revision_as_object().status == "captured"


def test_open_notices_are_never_copied_and_deleted_only_by_superusers(make_notice, people, admin_user):
    notice = make_notice()
    for user in (people["editor"], people["head"], people["admin"]):
        perms = notice.permissions_for_user(user)
        assert perms.can_edit() and not perms.can_copy() and not perms.can_delete()
    assert notice.permissions_for_user(admin_user).can_delete()


def test_age_without_a_birth_date_is_estimated_from_the_issue_date(make_notice):
    notice = make_notice(id_number="", birth_date=None, age=40, date=datetime.date(2026, 3, 1))
    assert notice.born_on == datetime.date(1986, 3, 1)
    assert id_number(datetime.date(1986, 3, 1))[6:14] == "19860301"
