"""Letters that report an emergency (seed 002 art. 34: the portal does not take reports of crimes in progress;
it points the writer to 110 at once). Detection is deliberately generous: a false alarm costs a line of text
on the receipt, a miss may cost more.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

#: What the receipt and the status lookup say to a writer whose letter reports an emergency.
POINTER = _(
    "If you are in danger or a crime is happening now, call 110 at once. Letters to this box are not read "
    "around the clock and are no substitute for an emergency call."
)

_TERMS = (
    "救命",
    "快来人",
    "正在抢劫",
    "正在打人",
    "正在砸",
    "正在被",
    "被绑架",
    "绑架了",
    "劫持",
    "持刀",
    "拿刀",
    "砍人",
    "杀人了",
    "要杀",
    "着火了",
    "起火了",
    "爆炸",
    "跳楼",
    "想自杀",
    "要自杀",
    "轻生",
    "家暴",
    "被困",
    "失踪",
    "走失",
    "有人闯入",
    "入室",
)
_RE = re.compile("|".join(re.escape(t) for t in _TERMS))


def reports_emergency(*texts: str) -> bool:
    """True when any of `texts` reads like an emergency (a crime in progress, danger to life, a missing person)."""
    return any(_RE.search(text or "") for text in texts)
