"""The notice as people read it: the text outlets receive (Weibo, WeChat, the app, through
`cms.outlets.render`'s plain-text fallback `notice_text`) and the context of the site's page template. The ID
number is always masked."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from .choices import NoticeLevel, NoticeStatus, Sex
from .identity import age_on, mask_id_number


def notice_lines(notice: Any) -> list[str]:
    """The notice's published text, one line per item, in the site's language (empty items left out)."""
    if notice.is_closed:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext
        rows = [
            (label("Notice number"), notice.number),
            (label("Level"), str(NoticeLevel(notice.level).label)),
            (label("Issuing organ"), notice.issuing_organ),
            (label("Full name"), notice.subject_name),
            (label("Aliases"), "、".join(notice.alias_list())),
            (label("Sex"), str(Sex(notice.sex).label) if notice.sex != Sex.UNKNOWN else ""),
            (label("Date of birth"), notice.birth_date.isoformat() if notice.birth_date else ""),
            (label("Ethnicity"), notice.ethnicity),
            (label("ID number"), mask_id_number(notice.id_number)),
            (label("Native place"), notice.native_place),
            (label("Household registration address"), notice.household_address),
            (label("Residence address"), notice.residence_address),
            (label("Height"), f"{notice.height_cm} cm" if notice.height_cm else ""),
            (label("Accent"), notice.accent),
            (label("Build"), notice.build),
            (label("Distinguishing features"), notice.features),
            (label("Habits"), notice.habits),
            (label("Clothing"), notice.clothing),
            (label("Time of the case"), notice.case_time),
            (label("Place of the case"), notice.case_place),
            (label("Suspected offence"), notice.charge),
            (label("Summary of the case"), notice.case_summary),
            (label("Reward"), _reward(notice)),
            (label("Contact"), " ".join(p for p in (notice.contact_unit, notice.contact_phones) if p)),
        ]
        return [f"{name}：{value}" for name, value in rows if value]


def _reward(notice: Any) -> str:
    parts = []
    if notice.reward_amount:
        parts.append(gettext("%(amount)s yuan") % {"amount": f"{notice.reward_amount:,}"})
    if notice.reward_text:
        parts.append(notice.reward_text)
    return gettext(", ").join(parts)


#: Separators between the numbers of `contact_phones` (0915-3237000、110).
_PHONE_SEPARATORS = re.compile(r"[、，,;；/]+|\s{2,}")
#: A number that can be dialled: digits and hyphens, optionally an extension after a second hyphen or 转.
_DIALLABLE = re.compile(r"(\+?\d[\d-]{1,18}\d)(?:(?:-|转)(\d{1,6}))?")


def tel_href(number: str) -> str:
    """A `tel:` address (RFC 3966) for a written phone number, or '' when it is not one: `0915-3237000` →
    `tel:0915-3237000`, `0915-3268110-8001` → `tel:0915-3268110;ext=8001`, `110` → `tel:110`."""
    text = (number or "").strip()
    match = _DIALLABLE.fullmatch(text)
    if match is None:
        return ""
    main, extension = match.groups()
    if extension is None and main.count("-") >= 2 and main.startswith("0"):  # area-local-extension
        main, _sep, extension = main.rpartition("-")
    return f"tel:{main}" + (f";ext={extension}" if extension else "")


def phone_links(text: str) -> list[dict[str, str]]:
    """The parts of a free-text phone field: each its words before the number (`label`), the number (`text`) and
    its `tel:` address (`href`, '' for a part without a number)."""
    links = []
    for part in (p.strip() for p in _PHONE_SEPARATORS.split(text or "")):
        if not part:
            continue
        found = _DIALLABLE.search(part)
        if found is None or found.end() != len(part):
            links.append({"label": "", "text": part, "href": ""})
            continue
        links.append({"label": part[: found.start()].strip(), "text": found.group(0), "href": tel_href(found.group(0))})
    return links


def public_context(notice: Any) -> dict[str, Any]:
    """What the site's template shows besides the page's own fields: the masked ID number, the age today, the
    level and status labels, the photos and the bulletins (nothing for a closed notice)."""
    if notice.is_closed:
        return {"notice_closed": True}
    return {
        "notice_closed": False,
        "masked_id_number": mask_id_number(notice.id_number),
        "age_now": age_on(notice.born_on, timezone.localdate()),
        "level_label": NoticeLevel(notice.level).label,
        "status_label": NoticeStatus(notice.status).label,
        "sex_label": Sex(notice.sex).label if notice.sex != Sex.UNKNOWN else "",
        "photos": list(notice.photos.all()),
        "bulletins": list(notice.bulletins.all()),
        "contact_phone_links": phone_links(notice.contact_phones),
        "reward_amount_text": f"{notice.reward_amount:,}" if notice.reward_amount else "",
    }
