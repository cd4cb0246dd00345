"""Phone numbers of the hotline directory (便民电话): what a published service number may look like.

A directory number is the bureau's own public number, never a person's: a landline with its area code
(0915-3268110, optionally an extension), a short public service number (110, 12345, 96110 …) or a
400/800 service line. Mobile numbers are refused: they belong to people (cms.privacy).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.privacy import PUBLIC_HOTLINES, find_landlines, find_mobiles

_SHORT_RE = re.compile(r"(?:1\d{2}|12\d{3}|9\d{4})")
_SERVICE_LINE_RE = re.compile(r"([48]00)[ \-－]?(\d{3})[ \-－]?(\d{4})")
_BRACKETS_RE = re.compile(r"^[(（](0\d{2,3})[)）] ?(\d+)(.*)$")


def normalise_number(raw: str) -> str:
    """A directory number in one written form: `0915-3268110`, `0915-3268110-8001`, `12345`, `400-123-4567`.

    Raises ValidationError (in Chinese) for anything else."""
    text = re.sub(r"\s+", " ", (raw or "").strip()).replace("—", "-").replace("–", "-").replace("－", "-")
    if not text:
        raise ValidationError(_("Give the phone number."))
    if len(text) > 32:
        raise ValidationError(_("A phone number has at most 32 characters."))
    if text in PUBLIC_HOTLINES or _SHORT_RE.fullmatch(text):
        return text
    if match := _SERVICE_LINE_RE.fullmatch(text):
        return "-".join(match.groups())
    if find_mobiles(text):
        raise ValidationError(
            _("A mobile number is personal data: give the office landline or a public service number instead.")
        )
    if match := _BRACKETS_RE.match(text):
        text = f"{match.group(1)}-{match.group(2)}{match.group(3)}"
    landlines = find_landlines(text)
    if len(landlines) == 1 and landlines[0].start == 0 and landlines[0].end == len(text):
        number = landlines[0].text.replace(" ", "-").replace("转", "-")
        area, _sep, rest = number.partition("-")
        local, _sep, extension = rest.partition("-")
        return f"{area}-{local}" + (f"-{extension}" if extension else "")
    raise ValidationError(
        _(
            "Not a directory number: give a landline with its area code (0915-3268110), "
            "a public service number (110, 12345) or a 400/800 line."
        )
    )


def validate_number(value: str) -> None:
    """Model-field validator: `value` is a directory number (see normalise_number)."""
    normalise_number(value)


def tel_href(number: str) -> str:
    """A `tel:` address (RFC 3966) for a directory number, or '' when it is not one: `0915-3268110` →
    `tel:0915-3268110`, `0915-3268110-8001` → `tel:0915-3268110;ext=8001`, `12345` → `tel:12345`,
    `400-123-4567` → `tel:400-123-4567`."""
    try:
        written = normalise_number(number)
    except ValidationError:
        return ""
    if written.startswith("0") and written.count("-") == 2:  # area-local-extension
        main, _sep, extension = written.rpartition("-")
        return f"tel:{main};ext={extension}"
    return f"tel:{written}"
