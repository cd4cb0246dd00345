"""Rate limits of the public side of the mailbox, per client address (`api.public`; Redis when REDIS_URL is set,
the local cache otherwise).

- `SubmitThrottle` (scope `mailbox_submit`, default 10/hour): letters, API and form alike.
- `StatusThrottle` (scope `mailbox_status`, default 60/min): status lookups.
- `lookup_failures()` (scope `mailbox_status_failures`, default 10/hour): wrong number or code, per address and
  per letter number; past the limit even the right code answers 429 until the window has passed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from api.public import LookupFailures, ScopeThrottle


class SubmitThrottle(ScopeThrottle):
    """Letters submitted per client address."""

    scope = "mailbox_submit"
    default_rate = "10/hour"
    message = _("Too many letters have been sent from your address. Please try again later.")


class StatusThrottle(ScopeThrottle):
    """Status lookups per client address."""

    scope = "mailbox_status"
    default_rate = "60/min"
    message = _("Too many status lookups from your address. Please wait and try again later.")


def lookup_failures() -> LookupFailures:
    """The counter of failed status lookups of letters."""
    return LookupFailures("mailbox", "mailbox_status_failures", "10/hour")
