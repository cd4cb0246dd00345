"""Detectors of the secrecy gate ("涉密信息不上网、上网信息不涉密", SPEC §2): classification marks, sensitive
terms and personal data in plain text.

A classification mark is reported only where it is used as a mark, never where the words occur in prose:

- a level with a star and an optional period, anywhere: 秘密★1年, 机密★3年, 绝密★长期, 秘密★ (also ☆; an ASCII or
  full-width asterisk only with a period: 秘密*1年);
- a labelled level: 密级：秘密, 密级:机密★5年;
- a handling instruction (不得外传, 严禁外传, 请勿外传, 禁止外传) starting a line or clause or after 此件/本件/材料/
  资料/文件: "内部掌握，不得外传", "此件不得外传" (not "验证码不得外传");
- in brackets (【】 [] () （） 〔〕 〖〗 ［］) holding nothing but marks: 【秘密】, （机密★1年）, 【内部资料 注意保密】,
  （此件内部使用）;
- alone on a line, or at the start of a line followed by a space or a file-name separator: "秘密", "内部资料，注意保密",
  "工作秘密", "秘密 特急".

The marks usable in brackets and on a line: 绝密/机密/秘密 (optionally with 级/文件/资料/材料/件), 警务工作秘密,
工作秘密, 内部 (alone or with 资料/文件/使用/事项/材料/刊物/参考/传阅/发行/掌握), 仅供/仅限内部…, 注意保密 and the
handling instructions above. Prose such as 保守国家秘密法, 国家秘密, 泄露国家秘密、警务工作秘密, 内部管理, 公安机关内部,
"个人信息要注意保密" is not a mark.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Collection, Iterable

from cms.privacy import Finding, find_personal_data

from .models import active_terms

__all__ = ["find_classification_marks", "find_sensitive_terms", "scan_text"]

# Horizontal white space (no newline), including the full-width space and &nbsp;.
_H = r"[ \t\r\u00a0\u3000]"
_LEVEL = r"(?:绝[ \u3000]{0,2}密|机[ \u3000]{0,2}密|秘[ \u3000]{0,2}密)"
_PERIOD = (
    rf"{_H}*(?:长期|[0-9０-９]{{1,2}}{_H}*(?:年|个月)|[一二三四五六七八九十]{{1,3}}{_H}*(?:年|个月)"
    r"|[0-9]{4}年[0-9]{1,2}月(?:[0-9]{1,2}日)?)"
)
# ★/☆ stand for themselves; an asterisk is a mark only with a period (else it may be a footnote).
_STAR = rf"(?:{_H}*[★☆](?:{_PERIOD})?|{_H}*[*＊](?:{_PERIOD}))"
_HANDLING = r"(?:不得外传|严禁外传|请勿外传|禁止外传)"
_TOKEN = (
    rf"(?:(?:{_LEVEL}(?:级|文件|资料|材料|件)?|警务工作秘密|工作秘密"
    r"|内部(?:资料|文件|使用|事项|材料|刊物|参考|传阅|发行|掌握)?|仅(?:供|限)内部(?:使用|参考|传阅|掌握)?"
    rf"|注意保密|{_HANDLING}){_STAR}?)"
)
_PREFIX = r"(?:此件|本件|此文|本文件|该文件)?"
_SEP = r"[ \t\u00a0\u3000、，,·・/|；;]*"
_TOKENS = rf"{_PREFIX}{_TOKEN}(?:{_SEP}{_TOKEN})*"
_OPEN = r"[【\[(（〔〖［]"
_CLOSE = r"[】\])）〕〗］]"

# A handling instruction counts at the start of a line or clause, or after 此件/本材料 etc., not inside prose
# such as "验证码不得外传".
_HANDLING_CONTEXT = r"(?:^|(?<=[，,。；;：:、（(【\[\s])|(?<=此件)|(?<=本件)|(?<=材料)|(?<=资料)|(?<=文件))"

# Same-span ties keep the earlier (more specific) pattern's detail.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("star", re.compile(rf"(?:警务工作秘密|工作秘密|内部(?:资料|文件|使用|事项)?|{_LEVEL}){_STAR}")),
    ("label", re.compile(rf"密{_H}*级(?:{_H}*[:：]\s*|\s+){_LEVEL}级?{_STAR}?")),
    ("label", re.compile(rf"密{_H}*级(?:{_H}*[:：]\s*|\s+)(?:警务工作秘密|工作秘密|内部){_STAR}?")),
    ("handling", re.compile(rf"{_HANDLING_CONTEXT}{_HANDLING}", re.MULTILINE)),
    ("bracketed", re.compile(rf"{_OPEN}{_H}*{_TOKENS}{_H}*{_CLOSE}")),
    ("line", re.compile(rf"^{_H}*(?P<mark>{_TOKENS}){_H}*(?:[。.!！:：]{_H}*)?$", re.MULTILINE)),
    ("line_start", re.compile(rf"^{_H}*(?P<mark>{_TOKENS})(?={_H}+\S|[_\-—])", re.MULTILINE)),
)


def find_classification_marks(text: str) -> list[Finding]:
    """Classification and handling marks in `text` (see the module docstring for what counts), ordered by
    position; a mark inside a larger one (秘密★1年 inside 【秘密★1年】) is reported once, as the larger."""
    if not text:
        return []
    candidates = []
    for detail, regex in _PATTERNS:
        for match in regex.finditer(text):
            start, end = match.span("mark") if "mark" in regex.groupindex else match.span()
            candidates.append(Finding("classification", text[start:end], start, end, detail=detail))
    return _outermost(candidates)


def _outermost(findings: Iterable[Finding]) -> list[Finding]:
    """Drop findings whose span lies within another kept one (longest first at the same start)."""
    kept: list[Finding] = []
    reach = -1  # the furthest end of a kept finding; every kept one starts at or before the current one
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if finding.end <= reach:
            continue
        kept.append(finding)
        reach = max(reach, finding.end)
    return kept


def _trie_pattern(terms: Iterable[str]) -> str:
    """One regex matching any of `terms`, built as a trie (shared prefixes once, longest match first)."""
    root: dict = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        pattern = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a term ends here: the longer continuation is optional (greedy, so longest first)
            pattern = f"(?:{pattern})?"
        return pattern

    return build(root)


@functools.lru_cache(maxsize=4)
def _term_matcher(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """The compiled matcher of a term list; rebuilt only when the list changes."""
    if not terms:
        return None
    return re.compile(_trie_pattern(terms), re.IGNORECASE)


def find_sensitive_terms(text: str) -> list[Finding]:
    """Occurrences of active sensitive terms in `text` (plain, case-insensitive substrings; the longest term
    wins where terms overlap). `detail` is the term's category."""
    if not text:
        return []
    pairs = active_terms()
    categories = {term.lower(): category for term, category in pairs}
    matcher = _term_matcher(tuple(sorted(categories)))
    if matcher is None:
        return []
    return [
        Finding("sensitive_term", m.group(), m.start(), m.end(), detail=categories.get(m.group().lower(), ""))
        for m in matcher.finditer(text)
    ]


def scan_text(text: str, field: str = "", public_numbers: Collection[str] = ()) -> list[Finding]:
    """Classification marks, sensitive terms and personal data in `text`, each tagged with `field`,
    ordered by position. `public_numbers` (the bureau's published office numbers) are not personal data."""
    if not text:
        return []
    findings = [
        *find_classification_marks(text),
        *find_sensitive_terms(text),
        *find_personal_data(text, public_numbers=public_numbers),
    ]
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return [dataclasses.replace(f, field=field) for f in findings] if field else findings
