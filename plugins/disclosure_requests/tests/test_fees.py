"""The 2021 fee rules at their boundaries."""

from __future__ import annotations

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
    form = FeeForm(req=made[10], prefix="notify_fee")
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
