"""Personal data in text (SPEC §2, §5): PRC ID numbers, mobile and landline numbers, emails, bank cards,
licence plates, detailed addresses, person names and health conditions.

The detectors return `Finding`s. The secrecy scanner (`cms.secrecy`) uses `find_personal_data` (ID numbers and
phone numbers) before publication; `find_private_data` finds everything, for masking citizens' letters and the
replies before they are shown publicly (`cms.masking.mask_text`, also importable from here). Public hotlines
(110, 119, 120, 122, 12345, 96110 …) are not personal data and are never reported. docs/privacy.md lists the
rules and the known misses.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from stdnum.cn import ric

__all__ = [
    "COMPOUND_SURNAMES",
    "HEALTH_TERMS",
    "NOT_NAMES",
    "PUBLIC_HOTLINES",
    "SURNAMES",
    "TITLES",
    "Finding",
    "find_addresses",
    "find_bank_cards",
    "find_emails",
    "find_health",
    "find_id_numbers",
    "find_landlines",
    "find_mobiles",
    "find_names",
    "find_personal_data",
    "find_plates",
    "find_private_data",
    "is_valid_id_number",
    "luhn_valid",
]


@dataclass(frozen=True)
class Finding:
    """One thing found in a text: its kind (e.g. "mobile"), the matched text, its span in the scanned text,
    where it was found (`field`, set by the scanner) and a short machine-readable detail."""

    kind: str
    text: str
    start: int
    end: int
    field: str = ""
    detail: str = ""


#: Public service numbers: never personal data (the patterns only match 11-digit mobiles and landlines with an
#: area code and a 7-8 digit local number, so these never match; the list is for callers such as masking).
PUBLIC_HOTLINES = frozenset({"110", "119", "120", "122", "12110", "12345", "12389", "96110"})

#: First two digits (province) of a resident ID number: mainland provinces, and 81/82/83 for the residence
#: permits of Hong Kong, Macao and Taiwan residents.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82, 83}
)

# Not inside a longer run of digits or Latin letters (e.g. the unified social credit code in an index number).
_ID18_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_INDEX_SUFFIX_RE = re.compile(r"/\d{4}-\d")
# Optional +86 / 0086 / 86 prefix; 3-4-4 groups may be separated by one space or hyphen.
_MOBILE_RE = re.compile(r"(?:(?<![\d+])(?:\+|00)?86[ \-]?|(?<![\d+]))(1[3-9]\d(?P<sep>[ \-]?)\d{4}(?P=sep)\d{4})(?!\d)")
# Area code (010, 02X, or 0[3-9]XX) then a 7-8 digit local number not starting with 0 or 1; the area code
# is separated by a hyphen/space or put in brackets, so dates (2018-091101), years and document numbers
# (安公发〔2026〕12号) never match. An extension (-8001, 转8001) is included.
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_LOCAL = r"[2-9]\d{6,7}"
_EXT = r"(?:(?:-|转|－)\d{1,5}(?!\d))?"
_LANDLINE_RE = re.compile(rf"(?<![\d\-－])(?:{_AREA}[ \-－—–]{_LOCAL}|[(（]{_AREA}[)）] ?{_LOCAL})(?!\d){_EXT}")


def is_valid_id_number(number: str) -> bool:
    """True for a valid PRC resident ID number: 18 digits (last may be X) with a valid checksum, a real
    birth date and a known province; or an old 15-digit number with a valid birth date (19YYMMDD).

    The checksum comes from python-stdnum; the birth place is checked at province level only, because
    stdnum's county history rejects real numbers (e.g. 610902 issued after 2000 to people born earlier).
    """
    number = number.strip().upper()
    if len(number) == 18:
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            return False
        if ric.calc_check_digit(number) != number[17]:
            return False
        birth = number[6:14]
    elif len(number) == 15:
        if not number.isdigit():
            return False
        birth = "19" + number[6:12]
    else:
        return False
    if int(number[:2]) not in _PROVINCES:
        return False
    try:
        born = datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return False
    return datetime.date(1890, 1, 1) <= born <= datetime.date.today()


def find_id_numbers(text: str) -> list[Finding]:
    """Valid 18-digit and 15-digit resident ID numbers in `text`."""
    findings = []
    for regex, detail in ((_ID18_RE, "18-digit"), (_ID15_RE, "15-digit")):
        for match in regex.finditer(text or ""):
            # "…/2018-091101": the organisation code of an index number (索引号), not an ID.
            if _INDEX_SUFFIX_RE.match(text, match.end()):
                continue
            if is_valid_id_number(match.group()):
                findings.append(Finding("id_number", match.group(), match.start(), match.end(), detail=detail))
    return findings


def find_mobiles(text: str) -> list[Finding]:
    """Mainland mobile numbers (1[3-9] and 9 more digits, optionally +86 and 3-4-4 grouped), not inside longer
    digit runs."""
    findings = []
    for match in _MOBILE_RE.finditer(text or ""):
        findings.append(Finding("mobile", match.group(), match.start(), match.end()))
    return findings


def find_landlines(text: str) -> list[Finding]:
    """Landline numbers with an area code: 0915-3268110, (0915)3268110, 029-88888888, 010 12345678."""
    findings = []
    for match in _LANDLINE_RE.finditer(text or ""):
        findings.append(Finding("landline", match.group(), match.start(), match.end()))
    return findings


def find_personal_data(text: str, public_numbers: Collection[str] = ()) -> list[Finding]:
    """All personal data found in `text` (ID numbers, mobiles, landlines), ordered by position; a span
    claimed by an ID number is not reported again as a phone number. Phone numbers listed in
    `public_numbers` (e.g. a bureau's published office numbers, compared digit by digit) are skipped."""
    if not text:
        return []
    public = {_digits(number) for number in public_numbers}
    findings = find_id_numbers(text)
    taken = bytearray(len(text))
    for finding in findings:
        taken[finding.start : finding.end] = b"\x01" * (finding.end - finding.start)
    for finding in [*find_mobiles(text), *find_landlines(text)]:
        if any(taken[finding.start : finding.end]) or (public and _is_public(finding.text, public)):
            continue
        findings.append(finding)
        taken[finding.start : finding.end] = b"\x01" * (finding.end - finding.start)
    return sorted(findings, key=lambda f: (f.start, f.end, f.kind))


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _is_public(number: str, public: set[str]) -> bool:
    """True when the phone number (with or without its +86 prefix or extension) is a listed public one."""
    digits = _digits(number)
    base = _digits(re.split(r"转|(?<=\d{7})[-－]", number)[0])
    return bool({digits, base, digits.removeprefix("0086"), digits.removeprefix("86")} & public)


# ---------------------------------------------------------------------------------------------------------------
# Everything else a citizen's letter may hold (the mailbox masks it before a letter or reply is shown publicly).
# ---------------------------------------------------------------------------------------------------------------

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"


def _words(spaced: str) -> tuple[str, ...]:
    """The words of a space-separated list (the word lists below are written compactly)."""
    return tuple(spaced.split())


_CJK_CHAR = re.compile(f"[{_CJK}]")


def _is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.fullmatch(char))


# Emails: an ASCII local part and a dotted domain ending in a 2+ letter TLD; the @ may be full-width.
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-@＠])[A-Za-z0-9][A-Za-z0-9._%+\-]*[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9\-@＠])"
)


def find_emails(text: str) -> list[Finding]:
    """Email addresses (ASCII local part, a full-width ＠ accepted)."""
    return [Finding("email", m.group(), m.start(), m.end()) for m in _EMAIL_RE.finditer(text or "")]


# Bank cards: 16-19 digits in one run, or groups of 4 separated by one space or hyphen (the same one throughout),
# the last group holding 1-3 more digits for 17-19 digit cards.
_CARD_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{16,19}(?![0-9A-Za-z])"
    r"|\d{4}(?P<sep>[ \-])\d{4}(?P=sep)\d{4}(?P=sep)\d{4}(?:(?P=sep)\d{1,3})?(?![0-9A-Za-z])(?![ \-]\d))"
)


def luhn_valid(number: str) -> bool:
    """True when the digits of `number` (any separators ignored) pass the Luhn check."""
    digits = [int(char) for char in number if char.isdigit()]
    if not digits:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def find_bank_cards(text: str) -> list[Finding]:
    """Bank card numbers: 16-19 digits, optionally in groups of 4 separated by single spaces or hyphens, with a
    valid Luhn check digit; not inside longer digit or letter runs, nor the organisation code of an index number."""
    findings = []
    for match in _CARD_RE.finditer(text or ""):
        if _INDEX_SUFFIX_RE.match(text, match.end()):
            continue
        if luhn_valid(match.group()):
            findings.append(Finding("bank_card", match.group(), match.start(), match.end()))
    return findings


# Licence plates: province character, issuing letter (no I or O), an optional separator (· • ・ . space hyphen),
# then 5 characters (at least 2 digits), 4 and a 警/学/挂/港/澳/领 suffix, or 6 for new-energy plates (D/F first
# or last).
_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"
_PLATE_RE = re.compile(
    rf"(?<![0-9A-Za-z])[{_PLATE_PROVINCES}][{_PLATE_LETTER}][·•・.．\- ]?"
    rf"(?:[DFdf][{_PLATE_LETTER}0-9]\d{{4}}|\d{{5}}[DFdf]|[{_PLATE_LETTER}0-9]{{4}}[警学挂港澳领]"
    rf"|[{_PLATE_LETTER}0-9]{{5}})(?![0-9A-Za-z])"
)


def find_plates(text: str) -> list[Finding]:
    """Licence plates: 陕G12345, 陕G·12345, 陕A D12345 (new energy, 8 characters), 陕A1234警/学/挂; not inside
    longer Latin/digit runs."""
    findings = []
    for match in _PLATE_RE.finditer(text or ""):
        tail = match.group()[2:]
        if sum(char.isdigit() for char in tail) >= 2:
            findings.append(Finding("plate", match.group(), match.start(), match.end()))
    return findings


# --- Detailed addresses ------------------------------------------------------------------------------------------

_NUM = r"[0-9０-９零〇一二三四五六七八九十百千两]+(?:[-－—之][0-9０-９零〇一二三四五六七八九十百千两]+)?"
# Building, unit, floor, room, group and house parts: 3号楼2单元501室, A座1203室, 3组15号, 3-2-501.
_PARTS = (
    rf"(?:(?:[\-－]?(?:{_NUM}|[A-Za-z]{{1,2}})(?:号楼|号院|栋|幢|座|单元|楼|层|室|号|户|房|组|队|社))+"
    r"|\d+(?:[-－]\d+){1,3}(?:室|号)?(?![\d\-－]))"
)
_ROAD = r"(?:大道|大街|路|街|巷|胡同|弄)"
_ESTATE = r"(?:小区|花园|家园|新村|公寓|大厦|嘉园|雅苑|名苑|名都|公馆|华府|佳苑|家属院|家属楼|宿舍楼|宿舍|大院|苑)"
_ADDRESS_RE = re.compile(
    rf"(?P<road>{_ROAD}(?:[东西南北中]段|[东西南北]侧)?{_NUM}(?:号院|号)(?:{_PARTS})?)"
    rf"|(?P<estate>{_ESTATE}(?:{_PARTS})?)"
    # not 村民, 村委会, 村干部, 村口 …: the village's people and bodies, not an address
    rf"|(?P<village>村(?!民|委|干|长|级|里|口|头|庄|落|务|支|党|两|集体|医|小|卫|镇)(?:第?{_NUM}(?:组|队|社|号))*)"
)
#: Administrative units kept in the text before a detailed address (the walk back from a road, estate or village
#: name stops after them).
_ADMIN_SUFFIXES = _words("街道办事处 办事处 街道办 街道 自治区 自治州 自治县 地区 省 市 州 盟 区 县 旗 镇 乡")
# Characters that never belong to a road, estate or village name (the walk back stops there).
_PLACE_STOP = frozenset(
    "的了在住于到从往至经沿着与及或是为址我你您他她们其该此这那各每号室楼层栋被把对给让将已某个过去侧旁附近路街巷"
)
# Leading words dropped from a place name found by walking back (昨天育才路…, 驾车巴山路…).
_PLACE_VERBS = frozenset(_words("家住 居住 位于 搬到 来到 前往 回到 赶到 路过 驾车 开车 驾驶 行驶 停在 就在 住"))
_RESIDENCE_CUE_RE = re.compile(
    rf"(?:家住|住在|住址|地址|现住|居住在|居住于|居住|现居|暂住|户籍地|住所|住处|家庭住址|住)[：:\s]*"
    rf"(?:[{_CJK}]{{1,8}}?(?:{'|'.join(_ADMIN_SUFFIXES)}))*$"
)
#: Estate and village "names" that are ordinary words (老旧小区, 新农村, 城中村 ...).
_NOT_PLACE_NAMES = frozenset(
    _words(
        "老旧 周边 附近 整个 住宅 居民 高档 封闭 开放式 商品房 安置 保障房 城中 新农 度假 山 渔 乡 "
        "农 全 邻 外 老 同 美丽乡 示范 贫困 行政 自然"
    )
)


def _walk_back(text: str, tokens: _Tokens, anchor: int, limit: int) -> int:
    """Start of the place name ending at `anchor`: CJK characters back to a stop character, an administrative
    suffix (kept in the text) or `limit` characters; then on to a token boundary, without leading function words,
    times or motion verbs."""
    start = anchor
    while start > 0 and anchor - start < limit:
        if text.endswith(_ADMIN_SUFFIXES, 0, start):
            break
        char = text[start - 1]
        if not _is_cjk(char) or char in _PLACE_STOP:
            break
        start -= 1
    if text[start:anchor] in ("", "东", "西", "南", "北", "中") and start > 0 and _is_cjk(text[start - 1]):
        # 金州南路, 新市路: the "administrative unit" was the road's own name
        start = max(0, start - 2) if start >= 2 and _is_cjk(text[start - 2]) else start - 1
    start = tokens.snap_forward(start, anchor)
    while start < anchor:
        token = tokens.at(start)
        if token is None:
            break
        word, flag, end = token
        if end > anchor or not (flag in _FUNCTION_TAGS or flag in ("t", "m", "q") or word in _PLACE_VERBS):
            break
        start = end
    return start


def _after_admin(text: str, start: int) -> bool:
    """True when an administrative unit (…镇, …乡, …街道, …区 …) ends right at `start`."""
    return text.endswith(_ADMIN_SUFFIXES, 0, start) and start >= 2


def find_addresses(text: str) -> list[Finding]:
    """Detailed addresses: a road/street/lane with a house number (育才路128号), an estate with its building, unit
    and room (阳光小区3号楼2单元501室), a village with its group (东坝村3组15号) — not the administrative part before
    them (省/市/区/县/镇/乡/街道), nor bare city or district names. An estate or village without numbers counts
    after a residence cue (家住、住址：…) or an administrative unit (…镇东坝村); adjacent parts form one finding."""
    if not text:
        return []
    return _addresses(text, _Tokens(text))


def _addresses(text: str, tokens: _Tokens) -> list[Finding]:
    spans: list[tuple[int, int, str]] = []
    for match in _ADDRESS_RE.finditer(text):
        kind = match.lastgroup or ""
        anchor = match.start()
        limit = {"road": 8, "estate": 8, "village": 6}[kind]
        start = _walk_back(text, tokens, anchor, limit)
        name = text[start:anchor]
        adjacent = bool(spans) and spans[-1][1] == start
        # a road with a house number is always detailed; an estate or a village needs a number, a residence
        # cue, an adjacent detailed part or (a village) the administrative unit right before it
        if kind != "road":
            if len(name) < 2 or name in _NOT_PLACE_NAMES:
                continue
            suffix = re.match(_ESTATE, match.group()) if kind == "estate" else None
            numbered = len(match.group()) > (len(suffix.group()) if suffix else 1)
            cue = bool(_RESIDENCE_CUE_RE.search(text, max(0, start - 40), start))
            if not (numbered or adjacent or cue or (kind == "village" and _after_admin(text, start))):
                continue
        if adjacent:
            spans[-1] = (spans[-1][0], match.end(), spans[-1][2])
        else:
            spans.append((start, match.end(), kind))
    return [Finding("address", text[s:e], s, e, detail=kind) for s, e, kind in spans]


# --- Tokens (jieba part-of-speech tagging, shared with the search segmenter) -------------------------------------

_pos_lock = threading.Lock()
_pos: Any = None


def _pos_tokenizer() -> Any:
    """The process-wide `jieba.posseg.POSTokenizer`, built on first use over the search segmenter's tokenizer
    (jieba's dictionary, the police dictionary and the profiles' words), so both cut a text alike."""
    global _pos
    if _pos is None:
        with _pos_lock:
            if _pos is None:
                import jieba.posseg

                from search.segment import get_tokenizer

                _pos = jieba.posseg.POSTokenizer(get_tokenizer())
    return _pos


class _Tokens:
    """The part-of-speech tokens of a text with their offsets, cut on first use (one cut per text)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._by_start: dict[int, tuple[str, str, int]] | None = None
        self._ends: set[int] = set()

    def _cut(self) -> dict[int, tuple[str, str, int]]:
        if self._by_start is None:
            by_start: dict[int, tuple[str, str, int]] = {}
            position = 0
            for pair in _pos_tokenizer().cut(self.text):
                end = position + len(pair.word)
                by_start[position] = (pair.word, pair.flag, end)
                self._ends.add(end)
                position = end
            self._by_start = by_start
        return self._by_start

    def tokens(self) -> list[tuple[int, str, str, int]]:
        """(start, word, flag, end) of every token, in order."""
        return [(start, word, flag, end) for start, (word, flag, end) in self._cut().items()]

    def at(self, start: int) -> tuple[str, str, int] | None:
        """(word, flag, end) of the token starting at `start`, None when no token starts there."""
        return self._cut().get(start)

    def is_bound(self, position: int) -> bool:
        """True when a token starts or ends at `position` (or it is an end of the text)."""
        by_start = self._cut()
        return position in by_start or position in self._ends or position in (0, len(self.text))

    def start_of(self, position: int) -> int:
        """The start of the token holding the character at `position`."""
        by_start = self._cut()
        while position > 0 and position not in by_start:
            position -= 1
        return position

    def snap_forward(self, start: int, limit: int) -> int:
        """The first token boundary at or after `start`, at most `limit`."""
        while start < limit and not self.is_bound(start):
            start += 1
        return start


# --- Person names ------------------------------------------------------------------------------------------------

#: Common single-character surnames (about 300, in rough order of frequency). Characters that are far more often
#: function words than surnames (和, 但, 由, 那, 都, 来 ...) are left out.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成"
    "苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤时穆农卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆冀郁胥"
    "班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘闻厉伊仝郜阚屠豆朴盖练廉禹井祖漆巴丰支卿狄索宣晋芮扈晁敬容伏鹿薄邸雍辜羊乌"
    "裘亓邰赫杭况鲜逯隆茹诸慕湛宾戎勾茅揭檀"
)
#: Compound surnames. Those in `AMBIGUOUS_COMPOUND_SURNAMES` are also ordinary words or places (东方红, 西门外,
#: 数百里, 南宫市 …) and count only with more evidence: a title, a cue, or jieba tagging the given name a name.
COMPOUND_SURNAMES = frozenset(
    _words(
        "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 独孤 南宫 "
        "西门 百里 呼延 端木 澹台 公冶 宗政 濮阳 淳于 太叔 申屠 万俟 闻人 赫连 拓跋 东郭 第五 左丘 "
        "梁丘 司空 亓官 鲜于 闾丘 谷梁 段干"
    )
)
AMBIGUOUS_COMPOUND_SURNAMES = frozenset(
    _words("东方 南宫 西门 百里 长孙 公孙 第五 司空 闻人 太叔 段干 谷梁 左丘 梁丘 东郭 濮阳 轩辕 宗政")
)
#: Titles after a surname (张警官, 李队长, 陈女士): the surname is masked and the title kept (某警官).
TITLES = tuple(
    sorted(
        _words(
            "警官 民警 辅警 协警 交警 特警 干警 警长 所长 副所长 队长 副队长 中队长 大队长 支队长 局长 副局长 科长 "
            "副科长 处长 副处长 主任 副主任 指导员 教导员 政委 书记 村长 组长 站长 经理 老板 师傅 女士 先生 小姐 "
            "老师 同志 同学 律师 医生 大夫 护士 阿姨 大爷 大妈 大姐 大哥 老汉 法官 检察官 副书记 副政委 副站长 "
            "副组长 副经理"
        ),
        key=lambda title: (-len(title), title),
    )
)
_TITLE_RE = re.compile("|".join(TITLES))
# Cue phrases before a name. Strong cues (我叫, 姓名：) take any first character; the others need a surname.
_STRONG_CUES = ("我的名字叫", "我名叫", "我叫", "名叫", "姓名", "署名")
_WEAK_CUES = _words(
    "犯罪嫌疑人 违法嫌疑人 嫌疑人 当事人 来信人 举报人 报警人 报案人 受害人 被害人 申请人 投诉人 反映人 "
    "联系人 代理人 监护人 收款人 持卡人 开户人 驾驶人 驾驶员 户主 户名 车主 司机 患者 死者 伤者 本人 "
    "我是 民警 辅警 警官 协警 交警 干警 所长 队长 局长 科长 主任 教导员 指导员 儿子 女儿 孩子 丈夫 "
    "妻子 爱人 老公 老婆 父亲 母亲 爸爸 妈妈 爷爷 奶奶 外公 外婆 哥哥 姐姐 弟弟 妹妹 孙子 孙女 "
    "侄子 邻居 同事 朋友 同学 房东 村民 居民 市民 "
    # signatures of documents and replies
    "签发 审核 审批 编校 校对 核稿 拟稿 起草 经办人 承办人 负责人 记录人 值班员 副组长 组长 成员 发言人"
)
_CUE_RE = re.compile(
    "(?:(?P<strong>"
    + "|".join(_STRONG_CUES)
    + ")|(?P<weak>"
    + "|".join(sorted(_WEAK_CUES, key=lambda cue: (-len(cue), cue)))
    + r")(?P<call>名叫|叫做|叫)?"
    # someone "called" X: 组织者叫刘建军, 他叫王强
    + r"|(?:组织者|男子|女子|对方|此人|他|她)(?P<called>名叫|叫做|叫))[：:\s]{0,2}"
)
#: Never names, whatever the context: ordinary words jieba's dictionary tags `nr` (seen on the seeds and on police
#: letters), places of the shipped profile jieba takes for names, and public figures named in official texts.
NOT_NAMES = frozenset(
    _words(
        # ordinary words tagged nr
        "文明 阳光 公正 权威 齐全 黎明 向阳 白云 华丽 顾问 钟声 常青 高新 张贴 解密 宣贯 勾稽 惠民 史志 安公 "
        "宁公 汪洋 秋风 雷霆 高一 高二 高三 宫殿 明白 武功 金城 安静 康复 江山 高潮 时刻 温和 文化 管理 安全 "
        "程序 司法 高速 常规 金额 严格 申请 宣传 鲁莽 柯南 谷歌 黄金 白领 马上 龙头 尚未 党委 单位 曾经 "
        # places of the Ankang profile that jieba tags nr, and its portal's virtual assistant (我是安安)
        "安安 安康 宁陕 石泉 汉滨 张滩 岚皋 平利 镇坪 紫阳 旬阳 白河 汉阴 瀛湖 "
        # public figures
        "习近平 李克强 赵乐际 王沪宁 蔡奇 丁薛祥 韩正 王岐山 胡锦涛 江泽民 温家宝 毛泽东 "
        "邓小平 周恩来 刘少奇 朱德 孙中山 鲁迅 雷锋 焦裕禄 孔繁森 任长霞 王进喜 钱学森 袁隆平 黄大年"
    )
)
#: A dictionary word jieba tags nr at least this frequent is an ordinary word unless a title or cue says otherwise
#: (文明 6584, 阳光 3451, 权威 2073, 齐全 1417, 申请人 128 ...); names found by jieba's HMM are not in its dictionary.
COMMON_NR_FREQ = 100
#: ... and at least this frequent, even after a title or cue.
VERY_COMMON_NR_FREQ = 1000
#: A dictionary word rarer than this starting at a surname is no evidence against a name (苏东/ns 4, 罗东/ns 2).
RARE_WORD_FREQ = 20
# Characters that do not occur in a given name right after the surname in a letter (function words, pronouns, verbs
# and units that follow names: 张伟说, 王某, 李明的, 刘芳在).
_NOT_GIVEN = frozenset(
    "的了是在和与及或等说讲问叫称找打骂把被让给向对跟同于为因也都就又还已曾再不没很并但而却才只要会能可该这那此"
    "其各每某我你您他她它们咱之吗呢吧啊呀哦啦么着过得地年月日号时分秒岁元个位名男女住家去到从所将未无非便即若如"
    "则虽当以且等副正总"
)
# Last characters of words jieba tags nr that are institutions or places, not names (宣传科, 德宏州, 高新区).
_NOT_NAME_ENDINGS = frozenset(
    "区县市州省镇乡村路街巷科处局队所室园馆站院校厅部委办组单点感性人书证费法案件表库厂场店港湾沟坝屯寨堡坪塬峪洼铺"
)
# What follows a place or unit named like a person (张滩派出所, 王庄村, 李家湾), or the issuer's code of a document
# number (安公发〔2026〕).
_PLACE_FOLLOWERS = _words(
    "派出所 警务室 街道 社区 分局 中队 大队 支队 小区 医院 学校 中学 小学 幼儿园 公司 超市 市场 "
    "广场 大道 工作站 镇 乡 村 路 街 县 区 市 湾 沟 坝 河 湖 桥 〔 ［ ["
)
# The issuer's code of a document number jieba tags nr: 安公发, 安公通, 汉公字.
_DOCUMENT_ISSUER_RE = re.compile(r".公[发通字函办]")
_FUNCTION_TAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d", "y", "e", "o"})
# A surname tagged so is a function word (向/p 民警, 于/p 民警, 和/c); 何/r and 曾/d are surnames often enough.
_NOT_SURNAME_TAGS = _FUNCTION_TAGS - {"r", "d"}
_COMPOUND_RE = re.compile("|".join(sorted(COMPOUND_SURNAMES)))
# 小/老 + a surname character that is an ordinary word (老师, 小时, 小学, 小车 …), not 小李/老王.
_NOT_FAMILIAR = frozenset(
    _words(
        "老师 小时 小学 小康 小米 小麦 小白 小路 老路 小车 小于 小程 小曲 小包 小龙 小童 老农 小农 "
        "老乡 小金 老家 小孩 老年 小组 老龄 小区 小姐 老板"
    )
)
# Tags of the words jieba reads into a name (黄海/ns 霞, 程志/n 志, 董子/n 磊); not verbs or adverbs (查询/v 码).
_NAME_LIKE_TAGS = frozenset({"ns", "n", "nz", "nt", "nrt", "nr", "nrfg"})
# ... the tags of the single character jieba leaves after such a word (霞/n, 磊/nr, 平/a; not 丢/v: 钱包丢了)
_GIVEN_CHAR_TAGS = _NAME_LIKE_TAGS | {"a", "ng", "zg", "j", "x"}
# ... and of a two-character name jieba takes for a proper noun (罗海/ns, 许国/ns; not 时限/n, 金牌/n)
_PROPER_TAGS = frozenset({"ns", "nz", "nrt"})
_NAME_PRIORITY = {"known": 0, "title": 1, "titled": 1, "cue": 2, "familiar": 2, "compound": 3, "nr": 4}


def _surname_length(name: str) -> int:
    """2 for a compound surname (欧阳娜娜), else 1."""
    return 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1


def _dict_nr_freq(word: str) -> int:
    """jieba's dictionary frequency of `word` when the dictionary tags it a name (nr/nrfg), else 0."""
    pos = _pos_tokenizer()
    if not pos.word_tag_tab.get(word, "").startswith("nr"):
        return 0
    return int(pos.tokenizer.FREQ.get(word) or 0)


def _plausible_given(given: str) -> bool:
    """True for a given name of 1-2 CJK characters that are not function words and do not start a title."""
    return (
        0 < len(given) <= 2
        and all(_is_cjk(char) and char not in _NOT_GIVEN for char in given)
        and not given.startswith(TITLES)
    )


def _surname_ok(
    tokens: _Tokens, start: int, length: int, *, strong: bool = False, not_tags: frozenset[str] = frozenset()
) -> bool:
    """True when a surname of `length` characters may start at `start`: a token starts there (after a strong cue
    such as 我叫 jieba may have joined the cue and the surname: 叫许/v), the surname is not a function word
    (向民警, 于民警) and not the start of a longer ordinary word (常务副局长, 本人高度; words jieba made up or
    rarer than `RARE_WORD_FREQ` in its dictionary are no such evidence: 郑浩洋/ns, 苏东/ns)."""
    token = tokens.at(start)
    if token is None:
        return strong
    word, flag, _end = token
    if len(word) <= length:
        return strong or flag not in (_NOT_SURNAME_TAGS | not_tags)
    return flag.startswith("nr") or int(_pos_tokenizer().tokenizer.FREQ.get(word) or 0) < RARE_WORD_FREQ


def _given_extent(text: str, tokens: _Tokens, start: int) -> int:
    """Length (2, 1 or 0) of the given name starting at `start`: the longest plausible one ending on a token
    boundary or before a function word (民警欧阳东在办理: jieba cuts 东在)."""
    for length in (2, 1):
        end = start + length
        given = text[start:end]
        if not (len(given) == length and _plausible_given(given)):
            continue
        if length == 2 and tokens.is_bound(start + 1):
            # two tokens: 张伟/nr 来 is 张伟 and a verb, unless the last character ends the text or a clause
            # (审核：杨俊/nr 波 ⏎)
            if end < len(text) and _is_cjk(text[end]):
                continue
        if tokens.is_bound(end) or (
            # a token running on into a function word, from the given name's first character (东在)
            end < len(text) and text[end] in _NOT_GIVEN and tokens.start_of(end - 1) <= start
        ):
            return length
    return 0


def _title_names(text: str, tokens: _Tokens) -> list[tuple[int, int, str]]:
    """Surname (+ given name) + title: 张警官 (detail "title": the whole span, masked 某警官), 张伟警官 (detail
    "titled": the name only)."""
    found = []
    for match in _TITLE_RE.finditer(text):
        title_start, title_end = match.span()
        if not tokens.is_bound(title_end):
            continue
        best = None
        for given_length in (0, 1, 2):
            for surname_length in (2, 1):
                start = title_start - given_length - surname_length
                if start < 0:
                    continue
                surname = text[start : start + surname_length]
                if surname not in (COMPOUND_SURNAMES if surname_length == 2 else SURNAMES):
                    continue
                given = text[start + surname_length : title_start]
                if given_length and not (_plausible_given(given) and tokens.is_bound(title_start)):
                    continue
                if surname == "任" and _serves_as(tokens, start):
                    continue  # 厅领导任副组长: 任 "serves as"
                if not _surname_ok(tokens, start, surname_length) and not (
                    given_length == 2 and _word_and_one(text, tokens, start, surname_length) == 2
                ):
                    continue
                name = text[start:title_start]
                if given_length and (name in NOT_NAMES or _dict_nr_freq(name) >= VERY_COMMON_NR_FREQ):
                    continue
                best = (start, title_end, "title") if not given_length else (start, title_start, "titled")
        if best:
            found.append(best)
    return found


_APPOINTEES = frozenset(_words("领导 同志 负责人 人员 成员 分别 由 兼 局长 厅长 书记 主任 政委"))


def _serves_as(tokens: _Tokens, start: int) -> bool:
    """True when 任 at `start` is the verb "serves as" (厅领导任副组长, 张三任组长), not the surname."""
    if (tokens.at(start) or ("", "", 0))[1] == "v":
        return True
    if start == 0:
        return False
    before = tokens.start_of(start - 1)
    word, flag, _end = tokens.at(before) or ("", "", 0)
    return word in _APPOINTEES or flag.startswith("nr")


def _cue_names(text: str, tokens: _Tokens) -> list[tuple[int, int, str]]:
    """Names after a cue: 我叫王小明, 姓名：李娟, 联系人：陈国平, 民警张伟, 嫌疑人刘建军, 儿子陈浩."""
    found = []
    for match in _CUE_RE.finditer(text):
        strong = any(match.group(group) is not None for group in ("strong", "call", "called"))
        # 联系人：X — a colon says a name follows (but a surname is still needed)
        labelled = strong or match.group().rstrip().endswith(("：", ":"))
        if not strong and not tokens.is_bound(match.end("weak")):
            continue
        start = match.end()
        weak = match.group("strong") is None
        familiar = text[start : start + 2]
        if (
            len(familiar) == 2
            and familiar[0] in "小老"
            and familiar[1] in SURNAMES
            and familiar not in _NOT_FAMILIAR
            and tokens.is_bound(start + 2)
            and not (tokens.at(start + 2) or ("", "x", 0))[1].startswith("nr")
        ):
            found.append((start, start + 2, "familiar"))  # 辅警小李, 邻居老王
            continue
        if text[start : start + 2] in COMPOUND_SURNAMES:
            surname_length = 2
        elif start < len(text) and (
            text[start] in SURNAMES or (not weak and _is_cjk(text[start]) and text[start] not in _NOT_GIVEN)
        ):
            surname_length = 1
        else:
            continue
        # an adverb is a surname here only before a name-like word (投诉人：曾/d 华兰/ns, not 民警曾/d 多次/m)
        adverb = (tokens.at(start) or ("", "", 0))[1] == "d" and (
            (tokens.at(start + surname_length) or ("", "x", 0))[1] not in _NAME_LIKE_TAGS
        )
        if adverb and not labelled:
            continue
        if _surname_ok(tokens, start, surname_length, strong=strong):
            given_length = _given_extent(text, tokens, start + surname_length)
        else:
            given_length = _word_and_one(text, tokens, start, surname_length) or _name_word(
                text, tokens, start, surname_length
            )
        end = start + surname_length + given_length
        if given_length and _acceptable_name(text, start, end, max_freq=VERY_COMMON_NR_FREQ):
            found.append((start, end, "cue"))
    return found


def _word_and_one(text: str, tokens: _Tokens, start: int, surname_length: int) -> int:
    """Given-name length of a name jieba read as a word and one more character (村民黄海/ns 霞/n，,
    村民魏国/ns 平/n，): 2 when the word is the surname and one character, the next token a single plausible
    character and the name ends there; else 0 (本人高度/d 重视/v, 民警马上/d 就/d)."""
    token = tokens.at(start)
    if token is None or len(token[0]) != surname_length + 1 or token[1] not in _NAME_LIKE_TAGS:
        return 0
    last = tokens.at(token[2])
    if last is None or len(last[0]) != 1 or not _plausible_given(last[0]) or last[1] not in _GIVEN_CHAR_TAGS:
        return 0
    end = last[2]
    after = tokens.at(end)
    if end >= len(text) or not _is_cjk(text[end]) or text[end] in _NOT_GIVEN or (after and len(after[0]) >= 2):
        return 2
    return 0


def _name_word(text: str, tokens: _Tokens, start: int, surname_length: int) -> int:
    """Given-name length of a two-character name that is also a not very common dictionary place or noun (村民
    罗海/ns，, 民警许国/ns 在): 1 when the word ends before punctuation or a function word; else 0."""
    token = tokens.at(start)
    if token is None or len(token[0]) != surname_length + 1 or token[1] not in _PROPER_TAGS:
        return 0
    end = token[2]
    if int(_pos_tokenizer().tokenizer.FREQ.get(token[0]) or 0) >= VERY_COMMON_NR_FREQ:
        return 0
    return 1 if end >= len(text) or not _is_cjk(text[end]) or text[end] in _NOT_GIVEN else 0


def _acceptable_name(text: str, start: int, end: int, *, max_freq: int) -> bool:
    """The common checks of a found name: not a listed non-name, not a common dictionary word, not ending like a
    place or unit (宣传科), not followed by a place word (张滩派出所)."""
    name = text[start:end]
    return (
        name not in NOT_NAMES
        and not _DOCUMENT_ISSUER_RE.fullmatch(name)
        and _dict_nr_freq(name) < max_freq
        and name[-1] not in _NOT_NAME_ENDINGS
        and not text.startswith(_PLACE_FOLLOWERS, end)
    )


def _compound_names(text: str, tokens: _Tokens) -> list[tuple[int, int, str]]:
    """Compound surname + 1-2 characters (欧阳娜娜, which jieba cuts 欧阳/ns 娜娜/nrt)."""
    found = []
    for match in _COMPOUND_RE.finditer(text):
        start = match.start()
        surname = match.group()
        if not _surname_ok(tokens, start, 2):
            continue
        given_length = _given_extent(text, tokens, start + 2)
        if not given_length:
            continue
        if surname in AMBIGUOUS_COMPOUND_SURNAMES:
            surname_token = tokens.at(start)
            given_token = tokens.at(start + 2)
            if not (
                (surname_token and surname_token[1].startswith("nr"))
                or (given_token and given_token[1].startswith("nr"))
            ):
                continue
        end = start + 2 + given_length
        if _acceptable_name(text, start, end, max_freq=COMMON_NR_FREQ):
            found.append((start, end, "compound"))
    return found


def _nr_names(text: str, tokens: _Tokens) -> list[tuple[int, int, str]]:
    """Names jieba tags nr/nrfg (王小明, 刘芳), and a surname tagged nr followed by a given name tagged nr
    (杨/nr 秀英/nr), filtered by shape (surname + 1-2 characters) and the non-name lists."""
    found = []
    items = tokens.tokens()
    for index, (start, word, flag, end) in enumerate(items):
        if not flag.startswith("nr"):
            continue
        if len(word) == 1:
            if word not in SURNAMES or flag != "nr" or index + 1 >= len(items):
                continue
            _next_start, given, given_flag, end = items[index + 1]
            if not (given_flag.startswith("nr") and _plausible_given(given)):
                continue
        elif flag == "nrt" or word in COMPOUND_SURNAMES:
            continue  # a transliteration, or a compound surname alone (左丘, 梁丘)
        else:
            surname_length = _surname_length(word)
            surname, given = word[:surname_length], word[surname_length:]
            if surname not in (COMPOUND_SURNAMES if surname_length == 2 else SURNAMES):
                continue
            if not _plausible_given(given):
                continue
        if end - start == 2 and word[0] in SURNAMES and text[start:end] not in NOT_NAMES:
            end = _third_character(text, tokens, end)
        if _acceptable_name(text, start, end, max_freq=COMMON_NR_FREQ):
            found.append((start, end, "nr"))
    return found


def _third_character(text: str, tokens: _Tokens, end: int) -> int:
    """The end of a two-character name, or of its three-character form when jieba cut the last character off
    before punctuation, a space or the end (审核：杨俊/nr 波/j ⏎)."""
    token = tokens.at(end)
    if (
        token
        and len(token[0]) == 1
        and _plausible_given(token[0])
        and (end + 1 >= len(text) or not (_is_cjk(text[end + 1]) or text[end + 1] in "〔［[（(【"))
    ):
        return end + 1
    return end


def _known_names(text: str, known_names: Iterable[str]) -> list[tuple[int, int, str]]:
    """Every occurrence of the names the caller knows (the letter's signer): at least 2 characters each."""
    found = []
    for name in dict.fromkeys(name.strip() for name in known_names if name):
        if len(name) < 2:
            continue
        position = text.find(name)
        while position >= 0:
            found.append((position, position + len(name), "known"))
            position = text.find(name, position + len(name))
    return found


def _names(text: str, known_names: Iterable[str], tokens: _Tokens) -> list[Finding]:
    candidates = [
        *_known_names(text, known_names),
        *_title_names(text, tokens),
        *_cue_names(text, tokens),
        *_compound_names(text, tokens),
        *_nr_names(text, tokens),
    ]
    chosen = _non_overlapping(candidates, key=lambda c: (-(c[1] - c[0]), _NAME_PRIORITY[c[2]], c[0]))
    return [Finding("name", text[s:e], s, e, detail=detail) for s, e, detail in chosen]


def find_names(text: str, known_names: Iterable[str] = ()) -> list[Finding]:
    """Person names: what jieba tags `nr` (filtered: a common surname + 1-2 characters, not a listed ordinary word
    or public figure), compound surnames + 1-2 characters (欧阳娜娜), a surname + title (张警官, 李队长, 陈女士:
    detail "title"), names after cue phrases (我叫X, 本人X, 姓名：X, 联系人：X, 民警X) and every occurrence of
    `known_names`; non-overlapping, ordered by position."""
    if not text:
        return []
    return _names(text, known_names, _Tokens(text))


# --- Health ------------------------------------------------------------------------------------------------------

#: Named health conditions (a curated list, see docs/privacy.md), masked wherever they occur except in the names of
#: campaigns and institutions (艾滋病防治宣传, 残疾人联合会).
HEALTH_TERMS = _words(
    # mental health
    "抑郁症 焦虑症 精神分裂症 精神分裂 精神病 精神疾病 精神障碍 双相情感障碍 躁郁症 强迫症 自闭症 孤独症 "
    "多动症 老年痴呆 老年痴呆症 阿尔茨海默病 阿尔茨海默症 痴呆症 智力障碍 智障 "
    # infectious diseases
    "艾滋病 艾滋病病毒 HIV 乙肝 乙型肝炎 丙肝 丙型肝炎 肺结核 结核病 梅毒 淋病 性病 尖锐湿疣 "
    # cancer and serious illness
    "癌症 白血病 恶性肿瘤 肿瘤 淋巴瘤 肺癌 肝癌 胃癌 乳腺癌 宫颈癌 食道癌 食管癌 结肠癌 直肠癌 鼻咽癌 "
    "胰腺癌 前列腺癌 甲状腺癌 骨癌 脑瘤 尿毒症 肾衰竭 肝硬化 绝症 植物人 渐冻症 红斑狼疮 帕金森 "
    "帕金森病 癫痫 "
    # chronic conditions
    "糖尿病 高血压 心脏病 先天性心脏病 冠心病 脑梗 脑梗死 脑梗塞 脑出血 脑溢血 中风 哮喘 唐氏综合征 "
    # disability
    "残疾 残疾人 残疾证 偏瘫 瘫痪 截瘫 脑瘫 聋哑 聋哑人 失明 失聪 盲人 "
    # reproductive health
    "怀孕 流产 引产 堕胎 不孕不育 不孕 不育"
)
_HEALTH_INSTITUTIONS = r"(?!防治|预防|宣传|知识|科普|协会|联合会|基金|日|周|事业|福利|专用|就业|保障|联)"
_HEALTH_RE = re.compile(
    # atomic: 残疾人联合会 must not match as 残疾 + 人联合会
    r"(?>(?:[一二三四1-4１-４]级)?(?:智力|精神|肢体|视力|听力|言语|多重)?残疾(?:人|证明|证)?(?:[一二三四1-4１-４]级)?"
    "|"
    + "|".join(re.escape(term) for term in sorted(HEALTH_TERMS, key=lambda t: (-len(t), t)))
    + ")"
    + _HEALTH_INSTITUTIONS
)
# "患有…病/症/癌/炎/瘤": a condition named after 患有/确诊为 ... (the shortest run up to the first such ending).
_DIAGNOSIS_RE = re.compile(
    rf"(?:患有|患上|患了|罹患|确诊为|确诊患有|确诊|诊断为|诊断出|查出患有|查出|得了)"
    rf"(?P<condition>[{_CJK}A-Za-z]{{1,10}}?(?:综合征|障碍|病|症|癌|炎|瘤))"
)


def find_health(text: str) -> list[Finding]:
    """Health conditions: the named conditions of `HEALTH_TERMS` (患有抑郁症, 艾滋病, 乙肝, 精神分裂症, 癌症,
    残疾, 二级残疾 …) and whatever follows 患有/确诊为/诊断为 up to a 病/症/癌/炎/瘤 ending (患有类风湿关节炎);
    non-overlapping, ordered by position."""
    if not text:
        return []
    candidates = [(m.start(), m.end(), "term") for m in _HEALTH_RE.finditer(text)]
    candidates += [(m.start("condition"), m.end("condition"), "diagnosis") for m in _DIAGNOSIS_RE.finditer(text)]
    chosen = _non_overlapping(candidates, key=lambda c: (-(c[1] - c[0]), c[0]))
    return [Finding("health", text[s:e], s, e, detail=detail) for s, e, detail in chosen]


# --- Everything --------------------------------------------------------------------------------------------------

_T = TypeVar("_T", bound=tuple)


def _non_overlapping(candidates: Iterable[_T], key: Callable[[_T], Any]) -> list[_T]:
    """Greedy choice of non-overlapping (start, end, ...) spans in `key` order, returned by position."""
    taken: list[tuple[int, int]] = []
    chosen = []
    for candidate in sorted(candidates, key=key):
        start, end = candidate[0], candidate[1]
        if end <= start or any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        taken.append((start, end))
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: (c[0], c[1]))


#: Which of two overlapping findings of the same length wins (the more specific pattern first).
KIND_RANK = {
    "id_number": 0,
    "bank_card": 1,
    "email": 2,
    "mobile": 3,
    "landline": 4,
    "plate": 5,
    "address": 6,
    "health": 7,
    "name": 8,
}


def find_private_data(
    text: str, *, public_numbers: Collection[str] = (), known_names: Iterable[str] = ()
) -> list[Finding]:
    """All personal data in `text`: ID numbers, mobiles, landlines (as `find_personal_data`, `public_numbers`
    skipped), emails, bank cards, plates, detailed addresses, health conditions and names (`known_names` too).

    Findings do not overlap: the longest wins, and at equal length the more specific kind (`KIND_RANK`: an ID
    number is not also a bank card, an email holding a mobile is one email, an address is not also a name).
    Ordered by position. Public hotlines (`PUBLIC_HOTLINES`) never match.
    """
    if not text:
        return []
    tokens = _Tokens(text)
    candidates = [
        *find_personal_data(text, public_numbers),
        *find_bank_cards(text),
        *find_emails(text),
        *find_plates(text),
        *_addresses(text, tokens),
        *find_health(text),
        *_names(text, known_names, tokens),
    ]
    keyed = [(f.start, f.end, f) for f in candidates]
    chosen = _non_overlapping(keyed, key=lambda c: (-(c[1] - c[0]), KIND_RANK.get(c[2].kind, 99), c[0]))
    return [finding for _start, _end, finding in chosen]


_MASKING_NAMES = frozenset({"MaskedText", "mask_text", "replacement"})


def __getattr__(name: str) -> Any:
    """`MaskedText`, `mask_text` and `replacement` live in `cms.masking`; they are importable from here too."""
    if name in _MASKING_NAMES:
        from cms import masking

        return getattr(masking, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
