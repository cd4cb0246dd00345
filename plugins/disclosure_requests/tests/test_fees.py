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
