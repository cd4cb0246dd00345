"""The 2021 fee rules at their boundaries."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from plugins.disclosure_requests.fees import fee_by_count, fee_by_volume


@pytest.mark.parametrize(
    ("nth", "amount"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_by_count(nth, amount):
    fee = fee_by_count(nth)
    assert fee.amount == Decimal(amount) and f"第{nth}件" in fee.basis


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)],
)
def test_by_volume(pages, amount):
    fee = fee_by_volume(pages)
    assert fee.amount == Decimal(amount)
    if amount:
        assert f"合计{amount}元" in fee.basis


def test_bad_input():
    with pytest.raises(ValueError):
        fee_by_count(0)
    with pytest.raises(ValueError):
        fee_by_volume(-1)


def test_the_eleventh_request_of_a_month_is_suggested_100_yuan(ankang):
    from datetime import date

    from plugins.disclosure_requests import transitions as t
    from plugins.disclosure_requests.fees import requests_in_month, suggested_fee
    from plugins.disclosure_requests.staff_actions import FeeForm

    data = {
        "applicant_name": "李四",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "info_title": "统计",
        "info_description": "统计数据",
    }
    made = [t.submit(ankang, data, channel="post", channel_date=date(2025, 5, 1 + i))[0] for i in range(11)]
    t.submit(ankang, data, channel="post", channel_date=date(2025, 6, 2))  # another month
    assert [requests_in_month(r) for r in made] == list(range(1, 12))
    assert suggested_fee(made[9]).amount == 0 and suggested_fee(made[10]).amount == Decimal("100")
    form = FeeForm(obj=made[10], prefix="notify_fee")
    assert form.fields["amount"].initial == Decimal("100") and "第11件" in form.fields["basis"].initial


def test_volume_basis_is_itemised():
    assert fee_by_volume(201).basis == (
        "按量计收：共201页，30页以内不收费，第31—100页共70页×10元/页，第101—200页共100页×20元/页，"
        "第201页×40元/页，合计2740元"
    )
    assert fee_by_volume(30).basis == "按量计收：共30页，30页以内（含30页）不收费"
    assert fee_by_count(41).basis == "按件计收：本月第41件，41—50件的部分每件300元"


APPLICANT = {
    "applicant_name": "王五",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "info_title": "统计",
    "info_description": "统计数据",
}


def test_the_month_counts_the_same_identity_number_only(ankang):
    from datetime import date

    from plugins.disclosure_requests import transitions as t
    from plugins.disclosure_requests.fees import requests_in_month, suggested_fee
    from plugins.disclosure_requests.models import DisclosureRequest

    def submit(on: date, **data):
        return t.submit(ankang, {**APPLICANT, **data}, channel="post", channel_date=on)[0]

    submit(date(2025, 4, 30))  # the month before
    first = submit(date(2025, 5, 1))
    lower = submit(date(2025, 5, 2), id_number="11010519491231002x", applicant_name="王 五")  # same person
    submit(date(2025, 5, 2), id_number="110105194912310011")  # someone else
    late = submit(date(2025, 5, 31))
    submit(date(2025, 6, 1))  # the month after
    assert [requests_in_month(r) for r in (first, lower, late)] == [1, 2, 3]
    # an earlier day counts before a later one whatever the registration order
    earlier = submit(date(2025, 5, 1))
    assert requests_in_month(earlier) == 2 and requests_in_month(late) == 4
    unsaved = DisclosureRequest(portal=ankang, id_number=" 11010519491231002X ", received_on=date(2025, 5, 15))
    assert requests_in_month(unsaved) == 4
    assert suggested_fee(late, pages=101).amount == Decimal("720")


def _assigned(ankang, department, office, on, **data):
    from plugins.disclosure_requests import transitions as t

    req = t.submit(ankang, {**APPLICANT, **data}, channel="post", channel_date=on)[0]
    return t.assign(req, office, department("jiaojing"), "请办理", on=on)


def test_fee_notice_payment_and_the_notice_letter(ankang, department, django_user_model):
    from datetime import date

    from docx import Document

    from plugins.disclosure_requests import transitions as t
    from plugins.disclosure_requests.choices import FeeState, State
    from plugins.disclosure_requests.fees import NOTICE_TITLE, fee_notice_docx, fee_notice_text, suggested_fee

    office = django_user_model.objects.create_superuser("fee-office", password="pw-123456")
    req = _assigned(ankang, department, office, date(2025, 3, 3), info_title="2024年交通事故统计")
    with pytest.raises(ValueError):
        fee_notice_text(req)  # nothing notified yet
    fee = suggested_fee(req, pages=101)
    t.notify_fee(req, office, fee.amount, fee.basis, on=date(2025, 3, 4))
    req.refresh_from_db()
    assert (req.state, req.fee_state, req.fee_amount) == (State.AWAITING_FEE, FeeState.NOTIFIED, Decimal("720"))
    assert req.fee_due == date(2025, 4, 1)  # 20 working days after 4 March 2025
    lines = fee_notice_text(req, payment="<b>建设银行</b> 6217 0000 0000")
    assert lines[0] == "王五："
    assert req.number in lines[1] and "“2024年交通事故统计”" in lines[1] and "2025年3月3日" in lines[1]
    assert lines[2] == "一、收费标准和计算方式：" + fee.basis + "。"
    assert lines[3] == "二、收费数额：人民币720.00元。"
    assert lines[4].startswith("三、缴费期限：请于2025年4月1日前（收到本通知之日起20个工作日内）缴纳。")
    assert lines[4].endswith("缴费方式：建设银行 6217 0000 0000") and "<b>" not in lines[4]
    assert "视为放弃申请" in lines[5] and "不计算在答复期限内" in lines[5]
    assert lines[-2:] == ["安康市公安局", "2025年3月4日"]
    assert "11010519491231002X" not in "".join(lines)  # no identity number in the notice
    paragraphs = [p.text for p in Document(io.BytesIO(fee_notice_docx(req))).paragraphs]
    assert paragraphs[0] == NOTICE_TITLE and paragraphs[1] == f"编号：{req.number}"
    assert "二、收费数额：人民币720.00元。" in paragraphs and paragraphs[-1] == "（印章）"

    with pytest.raises(t.TransitionError):
        t.record_fee_paid(req, office, on=date(2025, 3, 3))  # before the notice
    t.record_fee_paid(req, office, on=date(2025, 3, 20))
    req.refresh_from_db()
    assert (req.state, req.fee_state, req.fee_paid_on) == (State.ASSIGNED, FeeState.PAID, date(2025, 3, 20))


def test_an_unpaid_fee_closes_the_request_after_the_deadline(ankang, department, django_user_model):
    from datetime import date

    from plugins.disclosure_requests import transitions as t
    from plugins.disclosure_requests.choices import FeeState, State

    office = django_user_model.objects.create_superuser("fee-office-2", password="pw-123456")
    req = _assigned(ankang, department, office, date(2025, 3, 3))
    t.notify_fee(req, office, Decimal("100"), "按件计收：本月第11件", on=date(2025, 3, 4))
    with pytest.raises(t.TransitionError):
        t.close_fee_unpaid(req, office, on=date(2025, 4, 1))  # the last day to pay
    t.close_fee_unpaid(req, office, on=date(2025, 4, 2))
    req.refresh_from_db()
    assert (req.state, req.fee_state) == (State.ABANDONED, FeeState.UNPAID)
    assert (req.result_type, req.result_reason, req.closed_on) == ("other", "fee_unpaid", date(2025, 4, 2))
    waived = _assigned(ankang, department, office, date(2025, 3, 5))
    t.notify_fee(waived, office, Decimal("100"), "按件计收", on=date(2025, 3, 6))
    t.waive_fee(waived, office, on=date(2025, 3, 7))
    waived.refresh_from_db()
    assert (waived.state, waived.fee_state) == (State.ASSIGNED, FeeState.WAIVED)


def test_the_fee_notice_downloads_from_the_request_page(client, ankang, department, django_user_model, member):
    from datetime import date

    from docx import Document

    from plugins.disclosure_requests import transitions as t

    office = django_user_model.objects.create_superuser("fee-office-3", password="pw-123456")
    req = _assigned(ankang, department, office, date(2025, 3, 3))
    url = f"/admin/disclosure-requests/requests/{req.pk}/fee-notice.docx"
    client.force_login(office)
    refused = client.get(url, follow=True)  # no fee yet: back to the request with a message
    assert "尚未就此申请发出收费通知" in refused.content.decode()
    t.notify_fee(req, office, Decimal("100"), "按件计收：本月第11件", on=date(2025, 3, 4))
    page = client.get(f"/admin/disclosure-requests/requests/{req.pk}/").content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "三、缴费期限：请于2025年4月1日前" in text and "缴费方式：到安康市公安局政务服务窗口现场缴纳" in text
    client.force_login(member("xingjing", "heads"))  # another department may not see the request
    assert client.get(url).status_code == 404
