"""Classification marks, sensitive terms and the combined text scan."""

from __future__ import annotations

import random
import time

import pytest
from django.core.exceptions import ValidationError

from cms.secrecy.detectors import find_classification_marks, find_sensitive_terms, scan_text
from cms.secrecy.models import SensitiveTerm, TermCategory, active_terms, invalidate_terms_cache

SECRECY_LAW_ARTICLE = """全市公安机关开展《中华人民共和国保守国家秘密法》学习宣传活动
4月15日，市公安局组织全体民警学习新修订的《中华人民共和国保守国家秘密法》。
保守国家秘密法第十三条规定，国家秘密的密级分为绝密、机密、秘密三级。
绝密级国家秘密是最重要的国家秘密，泄露会使国家安全和利益遭受特别严重的损害。
《中华人民共和国人民警察法》第二十二条规定，人民警察不得泄露国家秘密、警务工作秘密。
会议要求，各单位要加强内部管理，严格落实保密审查制度，做到“涉密信息不上网、上网信息不涉密”，
公安机关内部各部门要增强保密意识。
警方提示：银行卡密码、短信验证码等个人信息要注意保密，验证码不得外传，不要随意告诉他人。"""


def marks(text: str) -> list[str]:
    return [f.text for f in find_classification_marks(text)]


class TestClassificationMarks:
    def test_an_article_quoting_the_secrecy_law_has_no_marks(self):
        assert find_classification_marks(SECRECY_LAW_ARTICLE) == []

    def test_a_document_headed_with_a_classification_and_period(self):
        text = "秘密★1年\n安康市公安局关于加强重点时段安保工作的通知\n安公发〔2026〕12号\n各县区公安局："
        findings = find_classification_marks(text)
        assert [(f.kind, f.text, f.start, f.detail) for f in findings] == [("classification", "秘密★1年", 0, "star")]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("机密★3年", "机密★3年"),
            ("绝密★长期", "绝密★长期"),
            ("秘密★", "秘密★"),
            ("秘密☆6个月", "秘密☆6个月"),
            ("秘密★十年", "秘密★十年"),
            ("秘密*1年", "秘密*1年"),
            ("秘　密★1年", "秘　密★1年"),
            ("抄送：各县区公安局。机密★5年", "机密★5年"),
            ("内部★", "内部★"),
        ],
    )
    def test_star_marks_anywhere(self, text, expected):
        assert marks(text) == [expected]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("密级：秘密", "密级：秘密"),
            ("密级:机密", "密级:机密"),
            ("密 级：绝密★10年", "密 级：绝密★10年"),
            ("文件编号：A-12  密级：内部", "密级：内部"),
            ("密级\n秘密", "密级\n秘密"),
        ],
    )
    def test_labelled_levels(self, text, expected):
        assert marks(text) == [expected]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("【秘密】关于调整勤务的通知", "【秘密】"),
            ("关于调整勤务的通知(秘密)", "(秘密)"),
            ("（机密★1年）", "（机密★1年）"),
            ("【内部资料 注意保密】", "【内部资料 注意保密】"),
            ("〔内部〕", "〔内部〕"),
            ("[工作秘密]", "[工作秘密]"),
            ("（此件内部使用）", "（此件内部使用）"),
            ("【警务工作秘密】", "【警务工作秘密】"),
            ("（内部文件，不得外传）", "（内部文件，不得外传）"),
        ],
    )
    def test_bracketed_marks(self, text, expected):
        assert marks(text) == [expected]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("秘密\n关于调整勤务的通知", "秘密"),
            ("  内部资料  \n正文", "内部资料"),
            ("内部资料，注意保密", "内部资料，注意保密"),
            ("警务工作秘密\n一、总体要求", "警务工作秘密"),
            ("工作秘密", "工作秘密"),
            ("内部事项：", "内部事项"),
            ("正文……\n内部使用", "内部使用"),
            ("注意保密", "注意保密"),
            ("秘密    特急\n关于……", "秘密"),
            ("内部资料_警力部署", "内部资料"),
        ],
    )
    def test_marks_on_a_line_of_their_own_or_starting_it(self, text, expected):
        assert marks(text) == [expected]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("以上材料仅供参考，不得外传。", "不得外传"),
            ("本材料严禁外传", "严禁外传"),
            ("内部掌握，不得外传", "内部掌握，不得外传"),
        ],
    )
    def test_handling_instructions(self, text, expected):
        assert marks(text) == [expected]

    def test_a_mark_inside_a_larger_one_is_reported_once(self):
        findings = find_classification_marks("【秘密★1年】")
        assert [(f.text, f.detail) for f in findings] == [("【秘密★1年】", "bracketed")]

    @pytest.mark.parametrize(
        "text",
        [
            "《中华人民共和国保守国家秘密法》",
            "保守国家秘密法",
            "国家秘密",
            "严格保守国家秘密和工作秘密",
            "人民警察不得泄露国家秘密、警务工作秘密。",
            "内部管理",
            "加强内部管理",
            "内部管理制度汇编",
            "公安机关内部",
            "公安机关内部 管理",
            "(内部审计)",
            "【警方提示】谨防电信诈骗",
            "《秘密》",
            "秘密行动",
            "秘密文件管理办法",
            "国家秘密的密级分为绝密、机密、秘密三级。",
            "定密工作",
            "个人信息要注意保密，不要随意告诉他人。",
            "请注意保密您的银行卡密码",
            "验证码不得外传",
            "国家秘密*",
            "索引号：11640000010065393W/2018-091101",
            "安公发〔2026〕12号",
        ],
    )
    def test_prose_is_not_a_mark(self, text):
        assert find_classification_marks(text) == []

    def test_spans_point_into_the_text(self):
        text = "附件：\n【内部资料 注意保密】\n秘密★1年"
        for finding in find_classification_marks(text):
            assert text[finding.start : finding.end] == finding.text

    def test_empty_text(self):
        assert find_classification_marks("") == []


@pytest.mark.django_db
class TestSensitiveTerms:
    def test_terms_are_found_and_removed_ones_not(self, no_terms, term):
        text = "本次“雷霆2026”专项行动中，技侦手段发挥了重要作用。"
        assert find_sensitive_terms(text) == []
        tactics = term("技侦手段", TermCategory.POLICE_TACTICS)
        findings = find_sensitive_terms(text)
        assert [(f.kind, f.text, f.detail) for f in findings] == [("sensitive_term", "技侦手段", "police_tactics")]
        assert text[findings[0].start : findings[0].end] == "技侦手段"

        tactics.active = False
        tactics.save()
        assert find_sensitive_terms(text) == []

        tactics.active = True
        tactics.save()
        assert len(find_sensitive_terms(text)) == 1
        tactics.delete()
        assert find_sensitive_terms(text) == []

    def test_longest_term_wins_and_every_occurrence_counts(self, no_terms, term):
        term("布控")
        term("布控方案", TermCategory.POLICE_TACTICS)
        findings = find_sensitive_terms("布控方案已下发；布控时间另行通知。")
        assert [(f.text, f.detail) for f in findings] == [("布控方案", "police_tactics"), ("布控", "other")]

    def test_case_insensitive(self, no_terms, term):
        term("VPN翻墙")
        assert [f.text for f in find_sensitive_terms("有人使用vpn翻墙软件")] == ["vpn翻墙"]

    def test_special_characters_are_literal(self, no_terms, term):
        term("A.B(1)")
        assert find_sensitive_terms("AxB(1)") == []
        assert [f.text for f in find_sensitive_terms("见A.B(1)")] == ["A.B(1)"]

    def test_active_terms_are_cached_and_invalidated_on_save(self, no_terms, term, django_assert_num_queries):
        term("专案代号")
        assert active_terms() == (("专案代号", "other"),)
        with django_assert_num_queries(0):
            active_terms()
            find_sensitive_terms("专案代号")
        term("线人")
        assert {t for t, _ in active_terms()} == {"专案代号", "线人"}

    def test_bulk_changes_need_an_explicit_invalidation(self, no_terms):
        assert active_terms() == ()
        SensitiveTerm.objects.bulk_create([SensitiveTerm(term="卧底"), SensitiveTerm(term="秘密力量")])
        invalidate_terms_cache()
        assert [f.text for f in find_sensitive_terms("卧底")] == ["卧底"]

    def test_thousands_of_terms(self, no_terms):
        rng = random.Random(2026)
        alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
        words = sorted({"".join(rng.choices(alphabet, k=rng.randint(2, 6))) for _ in range(3000)})
        SensitiveTerm.objects.bulk_create([SensitiveTerm(term=w) for w in words])
        invalidate_terms_cache()
        planted = rng.sample(words, 20)
        filler = "".join(rng.choices(alphabet, k=20000))
        text = "。".join([filler[:5000], *planted, filler[5000:]])
        started = time.perf_counter()
        found = {f.text for f in find_sensitive_terms(text)}
        assert time.perf_counter() - started < 5
        assert set(planted) <= found
        assert found <= set(words)

    def test_clean_strips_and_rejects_short_and_duplicate_terms(self, no_terms, term):
        term("警力部署")
        entry = SensitiveTerm(term="  警卫路线 ")
        entry.full_clean()
        assert entry.term == "警卫路线"
        with pytest.raises(ValidationError):
            SensitiveTerm(term="密").full_clean()
        with pytest.raises(ValidationError):
            SensitiveTerm(term="警力部署").full_clean()
        term("VPN翻墙")
        with pytest.raises(ValidationError):
            SensitiveTerm(term="vpn翻墙").full_clean()

    def test_str(self, no_terms, term):
        assert str(term("警力部署")) == "警力部署"


@pytest.mark.django_db
class TestScanText:
    def test_the_secrecy_law_article_has_no_findings(self, no_terms):
        assert scan_text(SECRECY_LAW_ARTICLE) == []

    def test_all_kinds_together(self, no_terms, term):
        term("警力部署", TermCategory.POLICE_TACTICS)
        text = (
            "【内部资料 注意保密】\n警力部署：联系人王某，手机13912345678，座机0915-3268110，身份证11010519491231002X。"
        )
        findings = scan_text(text, field="body")
        assert [f.kind for f in findings] == ["classification", "sensitive_term", "mobile", "landline", "id_number"]
        assert {f.field for f in findings} == {"body"}

    def test_without_field(self, no_terms):
        assert [f.field for f in scan_text("秘密★1年")] == [""]
        assert scan_text("") == []
