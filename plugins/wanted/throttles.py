"""Rate limits of the public side of wanted notices, per client address (`api.public`).

- `TipThrottle` (scope `wanted_tip`, default 10/hour): tips, through the API and the form alike.

The rate comes from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["wanted_tip"]` when the settings name it (the
suggested environment variable is SUNLIGHT_WANTED_TIP_RATE), else the default below.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from api.public import ScopeThrottle

TIP_SCOPE = "wanted_tip"


class TipThrottle(ScopeThrottle):
    """Tips submitted per client address."""

    scope = TIP_SCOPE
    default_rate = "10/hour"
    message = _("Too many tips have been sent from your address. Please try again later, or call 110.")
