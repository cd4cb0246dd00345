"""Personal data in text (SPEC §2, §5): PRC ID numbers, mobile and landline numbers.

The detectors return `Finding`s; the secrecy scanner (`cms.secrecy`) uses them before publication and the
mailbox masks them before a reply is shown publicly. Public hotlines (110, 119, 120, 122, 12345, 96110 …)
are not personal data and are never reported.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass

from stdnum.cn import ric

__all__ = [
    "PUBLIC_HOTLINES",
    "Finding",
    "find_id_numbers",
    "find_landlines",
    "find_mobiles",
    "find_personal_data",
    "is_valid_id_number",
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
