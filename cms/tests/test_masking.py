"""Masking of personal data before letters and replies are shown publicly (cms.privacy detectors, cms.masking).

The letters of `letters.py` are masked exactly; the detectors are checked one by one, on what they must find and
on the ordinary words (and numbers) they must leave alone.
"""

from __future__ import annotations

import itertools

import pytest
from stdnum import luhn
from stdnum.cn import ric

from cms.masking import MaskedText, mask_text, replacement
from cms.privacy import (
    NOT_NAMES,
    Finding,
    find_addresses,
    find_bank_cards,
    find_emails,
    find_health,
    find_names,
    find_personal_data,
    find_plates,
    find_private_data,
    luhn_valid,
)

from .letters import LETTERS, Letter

VALID_ID = "61090219850716123" + ric.calc_check_digit("61090219850716123" + "0")
CARD_16 = "6228480123456789"
CARD_19 = "6222021234567890128"
DIGIT_KINDS = {"id_number", "mobile", "landline", "bank_card"}


def texts(findings: list[Finding]) -> list[str]:
    return [f.text for f in findings]


def masked(text: str, **kwargs) -> str:
    return mask_text(text, **kwargs).text


# --- the letters -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("letter", LETTERS, ids=[letter.name for letter in LETTERS])
class TestLetters:
    def test_masked_exactly(self, letter: Letter):
        assert masked(letter.text, public_numbers=letter.public_numbers) == letter.masked

    def test_ordinary_words_and_numbers_stay(self, letter: Letter):
        result = masked(letter.text, public_numbers=letter.public_numbers)
        for word in letter.stays:
            assert word in letter.text
            assert word in result, word

    def test_nothing_masked_is_left(self, letter: Letter):
        result = mask_text(letter.text, public_numbers=letter.public_numbers)
        for finding in result.masks:
            assert finding.text not in result.text, finding
        left = find_private_data(result.text, public_numbers=letter.public_numbers)
        assert [f for f in left if f.kind in DIGIT_KINDS | {"email", "plate"}] == []

    def test_segments_rebuild_the_original(self, letter: Letter):
        result = mask_text(letter.text, public_numbers=letter.public_numbers)
        pieces = result.segments()
        assert "".join(piece for piece, _ in pieces) == letter.text
        assert [finding for _, finding in pieces if finding] == list(result.masks)
        for piece, finding in pieces:
            if finding:
                assert piece == finding.text == letter.text[finding.start : finding.end]


def test_the_letters_cover_every_kind():
    kinds = {f.kind for letter in LETTERS for f in mask_text(letter.text).masks}
    assert kinds >= {"name", "id_number", "mobile", "landline", "email", "bank_card", "plate", "address", "health"}


def test_a_letter_with_nothing_personal_is_unchanged():
    letter = next(letter for letter in LETTERS if letter.masked == letter.text)
    assert mask_text(letter.text, public_numbers=letter.public_numbers).masks == ()


def test_the_bureau_number_is_masked_unless_published():
    letter = next(letter for letter in LETTERS if letter.public_numbers)
    assert "0915-3237000" in masked(letter.text, public_numbers=letter.public_numbers)
    assert "0915-3237000" not in masked(letter.text)
    assert "0915-*****00" in masked(letter.text)


# --- emails ------------------------------------------------------------------------------------------------------


class TestEmails:
    @pytest.mark.parametrize(
        "email", ["chenguoping1970@163.com", "a.b-c_d+e@mail.gov.cn", "123456789@qq.com", "lidequan＠126.com"]
    )
    def test_found(self, email):
        assert texts(find_emails(f"我的邮箱是{email}，请回复。")) == [email]

    @pytest.mark.parametrize("text", ["邮箱@163.com", "a@b", "user@localhost", "网址www.163.com", "x@@y.com"])
    def test_not_emails(self, text):
        assert find_emails(text) == []

    def test_masked_to_the_first_character_and_the_domain(self):
        assert masked("邮箱chenguoping1970@163.com。") == "邮箱c***@163.com。"
        assert masked("lidequan＠126.com") == "l***＠126.com"


# --- bank cards --------------------------------------------------------------------------------------------------


class TestBankCards:
    @pytest.mark.parametrize(
        "card",
        [CARD_16, CARD_19, "6228 4801 2345 6789", "6228-4801-2345-6789", "6222 0212 3456 7890 128"],
    )
    def test_luhn_valid_cards(self, card):
        assert luhn_valid(card)
        assert texts(find_bank_cards(f"卡号：{card}。")) == [card]

    def test_luhn_check_is_stdnums(self):
        for number in (CARD_16, CARD_19, "4111111111111111", "6228480123456788"):
            assert luhn_valid(number) == luhn.is_valid(number)

    @pytest.mark.parametrize(
        "text",
        [
            "卡号6228480123456788",  # wrong check digit
            "6228 4801-2345 6789",  # mixed separators
            "6228  4801  2345  6789",  # double spaces
            "622848012345678",  # 15 digits
            "A6228480123456789",  # inside a letter/digit run
            "62284801234567890000",  # 20 digits
            "6228 4801 2345 6789 01234",  # a fifth group too long
        ],
    )
    def test_not_cards(self, text):
        assert find_bank_cards(text) == []

    def test_an_id_number_is_not_also_a_card(self):
        # an ID number whose digits also pass the Luhn check
        checksum_card_and_id = next(
            first17 + ric.calc_check_digit(first17 + "0")
            for first17 in (f"61090219900307{n:03d}" for n in range(1000))
            if luhn_valid(first17 + ric.calc_check_digit(first17 + "0"))
        )
        assert texts(find_bank_cards(checksum_card_and_id)) == [checksum_card_and_id]
        assert [(f.kind, f.text) for f in find_private_data(f"身份证{checksum_card_and_id}")] == [
            ("id_number", checksum_card_and_id)
        ]

    def test_the_organisation_code_of_an_index_number_is_not_a_card(self):
        code = CARD_19[:18]
        code = code[:17] + str(next(d for d in range(10) if luhn_valid(code[:17] + str(d))))
        assert find_bank_cards(code) != []
        assert find_bank_cards(f"索引号：{code}/2026-000123") == []

    def test_masked_to_the_last_four_digits(self):
        assert masked("卡号6228 4801 2345 6789。") == "卡号**** **** **** 6789。"
        assert masked(CARD_19) == "***************0128"


# --- plates ------------------------------------------------------------------------------------------------------


class TestPlates:
    @pytest.mark.parametrize(
        ("plate", "mask"),
        [
            ("陕G12345", "陕G****5"),
            ("陕G·12345", "陕G·****5"),
            ("陕G8B123", "陕G****3"),
            ("陕A D12345", "陕A *****5"),
            ("陕AD12345", "陕A*****5"),
            ("陕A12345F", "陕A*****F"),
            ("陕A1234警", "陕A****警"),
            ("陕G1234学", "陕G****学"),
            ("陕G1234挂", "陕G****挂"),
            ("京N-A1234", "京N-****4"),
        ],
    )
    def test_plates_and_their_masks(self, plate, mask):
        assert texts(find_plates(f"车牌{plate}的车辆")) == [plate]
        assert masked(f"车牌{plate}的车辆") == f"车牌{mask}的车辆"

    @pytest.mark.parametrize(
        "text",
        [
            "陕G123456",  # 6 digits, not a new-energy plate
            "陕G1234",  # too short
            "陕I12345",  # no I or O as the issuing letter
            "陕GABCDE",  # no digits
            "陕G12345X9",  # inside a longer run
            "陕西12345",
            "型号陕G12345A",
        ],
    )
    def test_not_plates(self, text):
        assert find_plates(text) == []


# --- addresses ---------------------------------------------------------------------------------------------------


class TestAddresses:
    @pytest.mark.parametrize(
        ("text", "detail"),
        [
            ("家住汉滨区江北街道育才路128号阳光小区3号楼2单元501室。", "育才路128号阳光小区3号楼2单元501室"),
            ("地址：安康市汉滨区巴山中路88号", "巴山中路88号"),
            ("途经金州南路东段20号时", "金州南路东段20号"),
            ("住在幸福家园2栋1单元302室", "幸福家园2栋1单元302室"),
            ("阳光花园A座1203室", "阳光花园A座1203室"),
            ("石泉县城关镇东坝村3组15号", "东坝村3组15号"),
            ("我是五里镇东坝村村民", "东坝村"),
            ("现住汉滨区江北街道阳光小区，", "阳光小区"),
            ("兴安路十字路口南侧育才巷8号院", "育才巷8号院"),
        ],
    )
    def test_the_detailed_part(self, text, detail):
        assert texts(find_addresses(text)) == [detail]

    def test_the_administrative_part_stays(self):
        assert masked("家住汉滨区江北街道育才路128号阳光小区3号楼2单元501室。") == "家住汉滨区江北街道***。"
        assert masked("家庭住址：石泉县城关镇东坝村3组15号。") == "家庭住址：石泉县城关镇***。"

    @pytest.mark.parametrize(
        "text",
        [
            "安康市汉滨区",
            "汉滨区江北街道",
            "安康市高新区安康大道中段",  # the bureau's own address: no number
            "在巴山中路与兴安路十字路口",
            "金州路东段一栋民房内",
            "我们小区的老旧小区改造",
            "新农村建设和城中村改造",
            "东坝村党支部、村委会、村民",
            "在阳光小区门口",  # an estate without numbers or a residence cue
            "安公发〔2026〕12号",
            "陕公通〔2018〕091101号",
            "第3号公告",
        ],
    )
    def test_not_detailed(self, text):
        assert find_addresses(text) == []


# --- names -------------------------------------------------------------------------------------------------------


class TestNames:
    @pytest.mark.parametrize(
        ("text", "name", "mask"),
        [
            ("我叫王小明，家住汉滨区。", "王小明", "王某"),
            ("户籍民警刘芳告诉我", "刘芳", "刘某"),
            ("欧阳娜娜同志：您好！", "欧阳娜娜", "欧阳某"),
            ("工作人员上官婷负责办理", "上官婷", "上官某"),
            ("诸葛明亮同志此前咨询", "诸葛明亮", "诸葛某"),
            ("接电话的赵警官总说", "赵警官", "某警官"),
            ("反映李队长执法问题", "李队长", "某队长"),
            ("王所长、刘民警和吴老师", "王所长", "某所长"),
            ("陈女士您好", "陈女士", "某女士"),
            ("出警的何警官来过", "何警官", "某警官"),
            ("接警的曾先生说", "曾先生", "某先生"),
            ("张副局长批示", "张副局长", "某副局长"),
            ("本人李娟，女", "李娟", "李某"),
            ("姓名：覃小燕", "覃小燕", "覃某"),
            ("联系人：陈国平，电话", "陈国平", "陈某"),
            ("民警李明明和辅警王强", "李明明", "李某"),
            ("组织者叫刘建军，外号刘三", "刘建军", "刘某"),
            ("我叫许平秀，家住", "许平秀", "许某"),
            ("审核：杨俊波  签发：甘宏伟", "杨俊波", "杨某"),
            ("辅警小李来过两次", "小李", "小某"),
            ("村民黄海霞，今年68岁", "黄海霞", "黄某"),
        ],
    )
    def test_names_and_their_masks(self, text, name, mask):
        findings = find_names(text)
        assert name in texts(findings)
        finding = next(f for f in findings if f.text == name)
        assert replacement(finding) == mask
        assert text[finding.start : finding.end] == name

    def test_jieba_alone_misses_ouyang_nana(self):
        from cms.privacy import _pos_tokenizer

        pairs = [(pair.word, pair.flag) for pair in _pos_tokenizer().cut("欧阳娜娜同志")]
        assert ("欧阳娜娜", "nr") not in pairs  # jieba: 欧阳/ns 娜娜/nrt
        assert texts(find_names("欧阳娜娜同志")) == ["欧阳娜娜"]

    def test_a_titled_name_keeps_its_title(self):
        assert masked("民警张伟警官") == "民警张某警官"
        assert masked("王小明同志") == "王某同志"

    def test_known_names(self):
        text = "来信人覃晓：……覃晓本人签字。"
        assert texts(find_names(text, known_names=["覃晓", " ", "覃"])) == ["覃晓", "覃晓"]
        assert masked(text, known_names=["覃晓"]) == "来信人覃某：……覃某本人签字。"
        assert masked("Tom Lee来信", known_names=["Tom Lee"]) == "***来信"

    @pytest.mark.parametrize(
        "word",
        [
            "高新",
            "文明",
            "常规",
            "金额",
            "阳光",
            "黎明",
            "公正",
            "权威",
            "齐全",
            "申请人",
            "宣传科",
            "张贴",
            "安康",
            "宁陕",
            "石泉",
            "解密",
            "惠民",
            "汪洋",
        ],
    )
    def test_words_jieba_takes_for_names_are_not_masked(self, word):
        for text in (word, f"关于{word}的说明", f"{word}。"):
            assert find_names(text) == [], text

    def test_the_stop_list_has_teeth(self):
        """jieba really tags these nr: without the filters they would be masked."""
        from cms.privacy import _pos_tokenizer

        tags = {pair.word: pair.flag for pair in _pos_tokenizer().cut("文明阳光齐全申请人宣传科张贴权威公正")}
        assert all(tags.get(word) == "nr" for word in ("文明", "阳光", "齐全", "申请人", "宣传科", "张贴"))
        assert {"文明", "阳光", "齐全", "张贴"} <= NOT_NAMES

    @pytest.mark.parametrize(
        "text",
        [
            "公安局长",
            "民警",
            "值班民警",
            "户籍民警",
            "社区民警",
            "铁路民警",
            "我向民警反映",
            "于民警说",
            "常务副局长",
            "各位同志",
            "习近平新时代中国特色社会主义思想",
            "发扬雷锋精神，向雷锋同志学习",
            "本人高度重视",
            "民警马上赶到",
            "民警曾多次上门",
            "张滩派出所",
            "石泉县公安局",
            "厅领导任副组长",
            "安公发〔2026〕12号",
            "同学老师",
            "儿子小时候",
            "我是安安",
        ],
    )
    def test_not_names(self, text):
        assert find_names(text) == [], text

    def test_an_address_is_not_also_a_name(self):
        findings = find_private_data("住在阳光小区3号楼")
        assert [(f.kind, f.text) for f in findings] == [("address", "阳光小区3号楼")]


# --- health ------------------------------------------------------------------------------------------------------


class TestHealth:
    @pytest.mark.parametrize(
        ("text", "condition"),
        [
            ("儿子患有抑郁症", "抑郁症"),
            ("确诊为精神分裂症", "精神分裂症"),
            ("他是艾滋病病毒感染者", "艾滋病病毒"),
            ("乙肝携带者", "乙肝"),
            ("晚期癌症", "癌症"),
            ("二级肢体残疾", "二级肢体残疾"),
            ("持有残疾证", "残疾证"),
            ("开具残疾证明", "残疾证明"),
            ("患有类风湿关节炎", "类风湿关节炎"),
            ("她已怀孕五个月", "怀孕"),
        ],
    )
    def test_conditions(self, text, condition):
        assert texts(find_health(text)) == [condition]

    @pytest.mark.parametrize(
        "text", ["开展艾滋病防治宣传", "残疾人联合会", "健康状况良好", "心情不好", "精神面貌", "残联"]
    )
    def test_not_conditions(self, text):
        assert find_health(text) == []

    def test_masked(self):
        assert masked("患有糖尿病和高血压") == "患有***和***"


# --- everything together -----------------------------------------------------------------------------------------


class TestFindPrivateData:
    def test_non_overlapping_and_ordered(self):
        text = "王小明，13812345678@163.com，身份证" + VALID_ID + "，家住育才路128号，手机13912345678"
        findings = find_private_data(text)
        assert [(f.kind, f.text) for f in findings] == [
            ("name", "王小明"),
            ("email", "13812345678@163.com"),
            ("id_number", VALID_ID),
            ("address", "育才路128号"),
            ("mobile", "13912345678"),
        ]
        for left, right in itertools.pairwise(findings):
            assert left.end <= right.start

    def test_hotlines_and_published_numbers_are_not_reported(self):
        text = "报警请拨打110，政务服务热线12345，反诈专线96110，办公室电话0915-3237000，传真(0915)3237000"
        assert [f.kind for f in find_private_data(text)] == ["landline", "landline"]
        assert find_private_data(text, public_numbers=["0915-3237000"]) == []

    def test_find_personal_data_is_unchanged(self):
        text = "王小明，13812345678@163.com，身份证" + VALID_ID + "，卡号6228480123456789，陕G12345，手机13912345678"
        assert [f.kind for f in find_personal_data(text)] == ["mobile", "id_number", "mobile"]

    def test_empty(self):
        assert find_private_data("") == []
        assert mask_text("") == MaskedText("", ())


# --- replacements ------------------------------------------------------------------------------------------------


class TestReplacement:
    @pytest.mark.parametrize(
        ("kind", "text", "mask"),
        [
            ("id_number", "610902198507161236", "610902********1236"),
            ("id_number", "610902850716123", "610902*****6123"),
            ("mobile", "13812348000", "138****8000"),
            ("mobile", "+86 13812348000", "+86 138****8000"),
            ("mobile", "+8613812348000", "+86138****8000"),
            ("mobile", "139-1234-5678", "139-****-5678"),
            ("landline", "0915-3268110", "0915-*****10"),
            ("landline", "(0915)3268110", "(0915)*****10"),
            ("landline", "029-88881234", "029-******34"),
            ("landline", "0915-3268110-8001", "0915-*****10-8001"),
            ("email", "qianli@qq.com", "q***@qq.com"),
            ("email", "x@13812345678.cn", "x***@***********.cn"),
            ("bank_card", "6228 4801 2345 6789", "**** **** **** 6789"),
            ("plate", "陕G12345", "陕G****5"),
            ("address", "育才路128号", "***"),
            ("health", "抑郁症", "***"),
            ("manual", "张三丰的徒弟", "***"),
        ],
    )
    def test_masks(self, kind, text, mask):
        assert replacement(Finding(kind, text, 0, len(text))) == mask

    def test_same_length_for_id_numbers(self):
        assert len(replacement(Finding("id_number", VALID_ID, 0, 18))) == 18

    @pytest.mark.parametrize(
        ("text", "detail", "mask"),
        [
            ("王小明", "nr", "王某"),
            ("欧阳娜娜", "compound", "欧阳某"),
            ("张警官", "title", "某警官"),
            ("欧阳警官", "title", "某警官"),
            ("老王", "familiar", "老某"),
        ],
    )
    def test_names(self, text, detail, mask):
        assert replacement(Finding("name", text, 0, len(text), detail=detail)) == mask


# --- staff edits -------------------------------------------------------------------------------------------------


class TestStaffEdits:
    TEXT = "我叫王小明，住育才路128号，我的狗叫旺财，车是陕G12345，电话13891512345。"

    def test_added_terms_are_masked_everywhere(self):
        result = mask_text(self.TEXT + "旺财很乖。", add=["旺财"])
        assert result.text == "我叫王某，住***，我的狗叫***，车是陕G****5，电话138****2345。***很乖。"
        assert [f.text for f in result.masks if f.kind == "manual"] == ["旺财", "旺财"]

    def test_kept_terms_are_not_masked(self):
        result = mask_text(self.TEXT, keep=["陕G12345", " 王小明 "])
        assert "陕G12345" in result.text and "王小明" in result.text
        assert "138****2345" in result.text

    def test_kept_compares_without_spaces(self):
        assert "139 1234 5678" in masked("手机139 1234 5678", keep=["13912345678"])

    def test_added_wins_over_kept(self):
        assert "王小明" not in masked(self.TEXT, add=["王小明"], keep=["王小明"])
        assert masked(self.TEXT, add=["陕G12345"], keep=["陕G12345"]) == masked(self.TEXT)

    def test_empty_and_blank_terms_are_ignored(self):
        assert mask_text(self.TEXT, add=["", "  ", "\n"], keep=["", " "]) == mask_text(self.TEXT)

    def test_an_added_term_overlapping_a_finding_masks_both(self):
        result = mask_text(self.TEXT, add=["128号，我的狗"])
        assert "育才路" not in result.text and "我的狗" not in result.text
        manual = [f for f in result.masks if f.kind == "manual"]
        assert [f.text for f in manual] == ["育才路128号，我的狗"]

    def test_an_added_term_inside_a_finding_changes_nothing(self):
        assert mask_text(self.TEXT, add=["1389151"]).text == mask_text(self.TEXT).text

    def test_deterministic(self):
        first = mask_text(self.TEXT, add=["旺财"], keep=["陕G12345"])
        assert all(mask_text(self.TEXT, add=["旺财"], keep=["陕G12345"]) == first for _ in range(3))

    def test_masks_carry_positions_in_the_original(self):
        result = mask_text(self.TEXT, add=["旺财"])
        for finding in result.masks:
            assert self.TEXT[finding.start : finding.end] == finding.text
        assert result.original == self.TEXT


# --- jieba -------------------------------------------------------------------------------------------------------


def test_the_part_of_speech_tagger_reuses_the_search_tokenizer():
    from cms.privacy import _pos_tokenizer
    from search.segment import get_tokenizer

    assert _pos_tokenizer() is _pos_tokenizer()
    assert _pos_tokenizer().tokenizer is get_tokenizer()
