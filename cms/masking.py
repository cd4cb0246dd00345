"""Masking of personal data in citizens' letters and replies before they are shown publicly (SPEC §2, §5).

`mask_text` finds the personal data (`cms.privacy.find_private_data`), applies the staff's edits (terms added
to or kept from the masks) and returns a `MaskedText`: the masked text, the masks with their positions in the
original text, and the pieces of the original for the staff preview. Callers store the original text and the
staff's `add`/`keep` terms, and only ever send `MaskedText.text` to the public API and pages. Masking is
deterministic: the same text and terms give the same result. The rules are in docs/privacy.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from cms.privacy import (
    COMPOUND_SURNAMES,
    Finding,
    find_bank_cards,
    find_emails,
    find_personal_data,
    find_private_data,
)

__all__ = ["MANUAL", "MASK", "MaskedText", "mask_text", "replacement"]

#: The mask of an address, a health condition, a term added by staff and anything without a rule of its own.
MASK = "***"
#: Kind of the findings made from the terms staff add.
MANUAL = "manual"

_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")


@dataclass(frozen=True)
class MaskedText:
    """A masked text: `text` is what the public may see; `masks` are what was masked, with positions in the
    original text (kind "manual" for the terms staff added), ordered by position."""

    text: str
    masks: tuple[Finding, ...]

    def segments(self) -> list[tuple[str, Finding | None]]:
        """The original text split into pieces: (unmasked piece, None) and (masked piece, its finding), in
        order, for the staff preview that highlights each mask. Joining the pieces gives the original text."""
        pieces: list[tuple[str, Finding | None]] = []
        original_position = masked_position = 0
        for finding in self.masks:
            plain = finding.start - original_position
            if plain:
                pieces.append((self.text[masked_position : masked_position + plain], None))
            pieces.append((finding.text, finding))
            masked_position += plain + len(replacement(finding))
            original_position = finding.end
        if masked_position < len(self.text):
            pieces.append((self.text[masked_position:], None))
        return pieces

    @property
    def original(self) -> str:
        """The unmasked text (staff only: never send it to the public)."""
        return "".join(piece for piece, _finding in self.segments())


def _star_digits(text: str, keep: Collection[int]) -> str:
    """`text` with every digit starred except the digits whose index (among the digits) is in `keep`."""
    out = []
    index = 0
    for char in text:
        if char.isdigit():
            out.append(char if index in keep else "*")
            index += 1
        else:
            out.append(char)
    return "".join(out)


def _mask_mobile(text: str) -> str:
    """138****8000: the last 11 digits are the number; its first 3 and last 4 are kept, a +86 prefix too."""
    count = sum(char.isdigit() for char in text)
    first = count - 11
    return _star_digits(text, set(range(first)) | {first, first + 1, first + 2} | set(range(count - 4, count)))


def _mask_landline(text: str) -> str:
    """0915-*****10: the area code kept, the local number starred but its last 2 digits, an extension kept."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"\d+", text)]
    if len(runs) < 2:
        return MASK
    local_start, local_end = runs[1]
    local = text[local_start:local_end]
    return text[:local_start] + "*" * (len(local) - 2) + local[-2:] + text[local_end:]


def _mask_email(text: str) -> str:
    """c***@163.com: the first character of the local part, then ***, then the domain (a run of 5 or more digits
    in the domain starred)."""
    at = max(text.rfind("@"), text.rfind("＠"))
    domain = re.sub(r"\d{5,}", lambda m: "*" * len(m.group()), text[at + 1 :])
    return text[0] + MASK + text[at] + domain


def _mask_plate(text: str) -> str:
    """陕G***5: the province character and issuing letter kept, the rest starred but the last character (a
    separator is kept)."""
    head, tail = text[:2], text[2:]
    return head + "".join(char if not char.isalnum() or i == len(tail) - 1 else "*" for i, char in enumerate(tail))


def _mask_name(finding: Finding) -> str:
    """王某 / 欧阳某: the surname kept; 某警官: a titled surname masked and its title kept; *** for other
    scripts."""
    text = finding.text
    compound = len(text) >= 3 and text[:2] in COMPOUND_SURNAMES
    surname = text[:2] if compound else text[:1]
    if finding.detail == "title":
        return "某" + text[len(surname) :]
    if finding.detail == "familiar":
        return text[0] + "某"  # 小李 → 小某, 老王 → 老某
    if not _CJK.match(text):
        return MASK
    return surname + "某"


def replacement(finding: Finding) -> str:
    """The mask shown in place of one finding (see docs/privacy.md):

    - name: 王某, 欧阳某; a titled surname 某警官;
    - id_number: the first 6 and last 4 characters kept, the middle starred (same length);
    - mobile: 138****8000 (a +86 prefix and separators kept); landline: 0915-*****10;
    - email: c***@163.com; bank_card: the last 4 digits kept, the other digits starred;
    - plate: 陕G***5; address, health, manual and anything else: ***.
    """
    text = finding.text
    kind = finding.kind
    if kind == "name":
        return _mask_name(finding)
    if kind == "id_number":
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if kind == "mobile":
        return _mask_mobile(text)
    if kind == "landline":
        return _mask_landline(text)
    if kind == "email":
        return _mask_email(text)
    if kind == "bank_card":
        count = sum(char.isdigit() for char in text)
        return _star_digits(text, set(range(count - 4, count)))
    if kind == "plate":
        return _mask_plate(text)
    return MASK


def _normalise(term: str) -> str:
    """A staff term compared without any white space."""
    return _WS.sub("", term)


def _manual_findings(text: str, add: Iterable[str]) -> list[Finding]:
    """Every occurrence of every added term (exact, case-sensitive), overlapping occurrences merged."""
    spans: list[tuple[int, int]] = []
    for term in dict.fromkeys(term.strip() for term in add if term and term.strip()):
        position = text.find(term)
        while position >= 0:
            spans.append((position, position + len(term)))
            position = text.find(term, position + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Finding(MANUAL, text[start:end], start, end) for start, end in merged]


def _combine(found: list[Finding], manual: list[Finding], text: str) -> list[Finding]:
    """Found and added masks without overlaps: a finding inside an added span gives way to it; an added span
    inside a finding is dropped (already masked); partial overlaps become one added span over both."""
    result = list(found)
    for added in manual:
        start, end = added.start, added.end
        if any(f.start <= start and end <= f.end for f in result if f.kind != MANUAL):
            continue
        overlapping = [f for f in result if f.start < end and start < f.end]
        for finding in overlapping:
            start, end = min(start, finding.start), max(end, finding.end)
            result.remove(finding)
        result.append(Finding(MANUAL, text[start:end], start, end))
    return sorted(result, key=lambda f: (f.start, f.end))


def mask_text(
    text: str,
    *,
    add: Iterable[str] = (),
    keep: Iterable[str] = (),
    public_numbers: Collection[str] = (),
    known_names: Iterable[str] = (),
) -> MaskedText:
    """Mask the personal data of `text` (`find_private_data` with `public_numbers` and `known_names`).

    `add`: strings staff want masked wherever they occur (kind "manual", masked ***); `keep`: strings staff
    decided are not personal data — a finding whose text equals a kept string (white space ignored) is not
    masked. Added terms win over kept ones; empty or white-space terms are ignored. Deterministic.
    """
    text = text or ""
    add = [term for term in add if term and term.strip()]
    added = {_normalise(term) for term in add}
    kept = {_normalise(term) for term in keep if term and term.strip()} - added
    found = [
        finding
        for finding in find_private_data(text, public_numbers=public_numbers, known_names=known_names)
        if _normalise(finding.text) not in kept
    ]
    masks = _combine(found, _manual_findings(text, add), text)
    masked = _apply(text, masks)
    for round_ in range(4):
        residue = [f for f in _residue(masked, public_numbers) if _normalise(f.text) not in kept]
        if not residue:
            break
        # the last round masks what is left with ***, which shows no digits at all
        masks = _widen(text, masks, residue, kind=MANUAL if round_ == 3 else None)
        masked = _apply(text, masks)
    return MaskedText(masked, tuple(masks))


def _apply(text: str, masks: list[Finding]) -> str:
    """`text` with every mask (sorted, non-overlapping) replaced."""
    out = []
    position = 0
    for finding in masks:
        out.append(text[position : finding.start])
        out.append(replacement(finding))
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def _residue(masked: str, public_numbers: Collection[str]) -> list[Finding]:
    """ID numbers, phones, emails and bank cards the masked text still shows. Masking changes the characters
    next to what follows a mask ("0915-20000000@163.com" is a landline, then no email, because an email may not
    start after a hyphen; masked "0915-******00@163.com" would show the email "00@163.com")."""
    return [*find_personal_data(masked, public_numbers), *find_emails(masked), *find_bank_cards(masked)]


def _widen(text: str, masks: list[Finding], residue: list[Finding], kind: str | None = None) -> list[Finding]:
    """The masks grown to cover what the masked text still shows: each residual finding, mapped back to the
    original text, becomes one mask with the masks it overlaps."""
    # (masked start, masked end, original start) of each unmasked piece, and (masked start, masked end, mask)
    plain: list[tuple[int, int, int]] = []
    replaced: list[tuple[int, int, Finding]] = []
    original_position = masked_position = 0
    for finding in masks:
        length = finding.start - original_position
        plain.append((masked_position, masked_position + length, original_position))
        masked_position += length
        shown = len(replacement(finding))
        replaced.append((masked_position, masked_position + shown, finding))
        masked_position += shown
        original_position = finding.end
    plain.append((masked_position, masked_position + len(text) - original_position, original_position))

    def to_original(position: int, *, is_end: bool) -> int:
        for start, end, finding in replaced:
            if start <= position < end or (is_end and start < position <= end):
                return finding.end if is_end else finding.start
        for start, end, original in plain:
            if start <= position <= end:
                return original + position - start
        return len(text)

    result = list(masks)
    for found in residue:
        start = to_original(found.start, is_end=False)
        end = to_original(found.end, is_end=True)
        for finding in [f for f in result if f.start < end and start < f.end]:
            start, end = min(start, finding.start), max(end, finding.end)
            result.remove(finding)
        result.append(Finding(kind or found.kind, text[start:end], start, end, detail="widened"))
    return sorted(result, key=lambda f: (f.start, f.end))
