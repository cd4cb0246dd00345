"""The notice as people read it: the text outlets receive (Weibo, WeChat, the app, through
`cms.outlets.render`'s plain-text fallback `notice_text`) and the context of the site's page template. The ID
number is always masked."""

from __future__ import annotations

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
    }
