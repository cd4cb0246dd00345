"""Personal data in text (cms.privacy): ID numbers, mobiles, landlines — and what is not personal data."""

from __future__ import annotations

import pytest
from stdnum.cn import ric

from cms.privacy import (
    Finding,
    find_id_numbers,
    find_landlines,
    find_mobiles,
    find_personal_data,
    is_valid_id_number,
)


def with_check_digit(first17: str) -> str:
    """A checksum-valid 18-digit ID number from its first 17 digits."""
    return first17 + ric.calc_check_digit(first17 + "0")


def wrong_check_digit(first17: str) -> str:
    """The same number with a check digit that does not fit."""
    right = ric.calc_check_digit(first17 + "0")
    return first17 + ("1" if right != "1" else "2")


VALID_ID = with_check_digit("61090219900307123")  # 安康市汉滨区, born 1990-03-07
INVALID_ID = wrong_check_digit("61090219900307123")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text)]


class TestIdNumbers:
    def test_checksum_valid_number_is_found(self):
        text = f"来信人张某，身份证号码{VALID_ID}，住汉滨区某小区。"
        findings = find_personal_data(text)
        assert [(f.kind, f.text, f.detail) for f in findings] == [("id_number", VALID_ID, "18-digit")]
        assert text[findings[0].start : findings[0].end] == VALID_ID

    def test_wrong_check_digit_is_not_an_id(self):
        assert find_personal_data(f"身份证号码{INVALID_ID}") == []

    def test_trailing_x_in_either_case(self):
        number = with_check_digit("11010519491231002")
        assert number.endswith("X")
        assert kinds(f"证件号{number}。") == [("id_number", number)]
        assert kinds(f"证件号{number.lower()}。") == [("id_number", number.lower())]

    def test_county_codes_newer_than_the_birth_year_still_count(self):
        # stdnum's is_valid rejects 610902 for people born before 2000 (汉滨区 dates from 2000), yet such
        # numbers are issued: the checksum decides, the place is checked at province level only.
        assert not ric.is_valid(VALID_ID)
        assert is_valid_id_number(VALID_ID)

    @pytest.mark.parametrize(
        "first17",
        [
            "61090219901307123",  # month 13
            "61090219900230123",  # 30 February
            "99090219900307123",  # no province 99
            "61090230000307123",  # born in 3000
        ],
    )
    def test_impossible_numbers_with_a_valid_checksum_are_not_ids(self, first17):
        assert find_id_numbers(with_check_digit(first17)) == []

    def test_old_fifteen_digit_number_with_a_valid_birth_date(self):
        assert kinds("老身份证610902900307123。") == [("id_number", "610902900307123")]
        assert find_personal_data("610902901332123") == []  # month 13

    def test_not_inside_longer_digit_or_letter_runs(self):
        assert find_personal_data("流水号9" + VALID_ID) == []
        assert find_personal_data(VALID_ID + "7") == []
        assert find_personal_data("A" + VALID_ID) == []

    def test_an_id_number_is_not_also_reported_as_a_phone_number(self):
        number = with_check_digit("61391219900307123")  # 13912199003 inside looks like a mobile
        assert kinds(f"身份证：{number}") == [("id_number", number)]


class TestMobiles:
    def test_mobiles_in_text(self):
        text = "请与民警李某联系，手机13912345678，或拨打18691503267咨询。"
        assert kinds(text) == [("mobile", "13912345678"), ("mobile", "18691503267")]

    @pytest.mark.parametrize(
        "number", ["+86 13912345678", "+8613912345678", "0086-13912345678", "139-1234-5678", "139 1234 5678"]
    )
    def test_prefixes_and_groups(self, number):
        assert kinds(f"电话：{number}。") == [("mobile", number)]

    @pytest.mark.parametrize(
        "text",
        [
            "订单号213912345678",  # 12 digits
            "编号139123456789",
            "12912345678",  # 12x is not a mobile prefix
            "112345678901",
        ],
    )
    def test_not_a_mobile(self, text):
        assert find_mobiles(text) == []


class TestLandlines:
    @pytest.mark.parametrize(
        "number",
        [
            "0915-3268110",
            "(0915)3268110",
            "（0915）3268110",
            "029-88888888",
            "029 88888888",
            "0915-3268110-8001",
            "010-62345678",
        ],
    )
    def test_landlines(self, number):
        assert kinds(f"联系电话：{number}。") == [("landline", number)]

    @pytest.mark.parametrize(
        "text",
        [
            "索引号：11640000010065393W/2018-091101",
            "安公发〔2026〕12号",
            "陕公通〔2018〕091101号",
            "发布日期：2026-01-15",
            "2018年全市公安机关共破获刑事案件1234起",
            "报警请拨打110，火警119，急救120，交通事故122，政务服务便民热线12345，反诈专线96110。",
            "0915-12345",
            "0915-110",
            "2018-0911-0123",
        ],
    )
    def test_not_personal_data(self, text):
        assert find_personal_data(text) == []

    def test_landline_without_area_code_is_not_reported(self):
        assert find_landlines("值班电话3268110") == []


def test_a_letter_with_several_kinds():
    text = (
        f"局长您好：我是汉滨区居民王某（身份证{VALID_ID}），手机13891500001，家中座机0915-3212345。"
        "我于2026年1月15日报警（110），至今未有答复，特此来信。"
    )
    assert [f.kind for f in find_personal_data(text)] == ["id_number", "mobile", "landline"]


def test_findings_carry_spans_and_are_ordered():
    text = "座机(0915)3268110，手机13912345678"
    findings = find_personal_data(text)
    assert findings == sorted(findings, key=lambda f: f.start)
    for finding in findings:
        assert isinstance(finding, Finding)
        assert text[finding.start : finding.end] == finding.text
        assert finding.field == ""


def test_empty_text():
    assert find_personal_data("") == []
    assert find_personal_data(None) == []


def test_listed_public_office_numbers_are_skipped():
    # Seed 001: the bureau publishes its own office number in the disclosure guide.
    text = (
        "(地址:安康市高新区安康大道中段,电话:0915-3237000,传真:(0915)3237000,分机0915-3237000-801)民警手机13912345678"
    )
    assert [f.kind for f in find_personal_data(text)] == ["landline", "landline", "landline", "mobile"]
    assert kinds_public(text, ["0915-3237000"]) == [("mobile", "13912345678")]
    assert kinds_public("+86 13912345678", ["13912345678"]) == []


def kinds_public(text: str, public: list[str]) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text, public_numbers=public)]


def test_an_id_shaped_organisation_code_in_an_index_number_is_not_an_id():
    assert find_personal_data(f"索引号：{VALID_ID}/2026-000123") == []
    assert kinds(f"身份证{VALID_ID}/手机13912345678") == [("id_number", VALID_ID), ("mobile", "13912345678")]
