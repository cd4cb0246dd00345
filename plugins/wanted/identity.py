"""What a resident ID number says about the person sought (birth date, sex) and how it is shown: masked.

The public never sees a whole ID number, not even while the notice is active: the first 6 digits (the region
of household registration) and the last 4 stay, the 8 in between (the birth date and more) become stars. A
small local function, for this one field: the general masking of citizens' texts lives in `cms.privacy`.
"""

from __future__ import annotations

import datetime

from cms.privacy import is_valid_id_number

__all__ = ["birth_date_of", "is_valid_id_number", "mask_id_number", "sex_of"]

#: Digits kept at each end of a masked ID number.
KEEP_HEAD, KEEP_TAIL = 6, 4


def mask_id_number(number: str) -> str:
    """`610902199001011235` → `610902********1235`; '' for ''. Any other length keeps at most its first 2 and
    last 2 characters, so a malformed value never shows whole."""
    number = (number or "").strip().upper()
    if not number:
        return ""
    if len(number) in (15, 18):
        return number[:KEEP_HEAD] + "*" * (len(number) - KEEP_HEAD - KEEP_TAIL) + number[-KEEP_TAIL:]
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def birth_date_of(number: str) -> datetime.date | None:
    """The birth date written in a valid ID number (18 or 15 digits), else None."""
    number = (number or "").strip().upper()
    if not is_valid_id_number(number):
        return None
    digits = number[6:14] if len(number) == 18 else "19" + number[6:12]
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def sex_of(number: str) -> str | None:
    """'male' or 'female' from the sequence digit of a valid ID number (odd: male), else None."""
    number = (number or "").strip().upper()
    if not is_valid_id_number(number):
        return None
    digit = int(number[16] if len(number) == 18 else number[14])
    return "male" if digit % 2 else "female"


def age_on(born: datetime.date | None, day: datetime.date) -> int | None:
    """Whole years from `born` to `day`, or None."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
