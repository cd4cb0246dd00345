"""Rate limits of the public side of disclosure requests, per client address (`api.public`).

- `SubmitThrottle` (scope `disclosure_submit`, default 10/hour): submissions, API and form alike.
- `StatusThrottle` (scope `disclosure_status`, default 60/min): every status lookup.
- `lookup_failures()` (scope `disclosure_status_failures`, default 10/hour): wrong number or query code, per
  address and per request number; past the limit every lookup of that address (or number) answers 429, even
  with the right code, until the window has passed.

The rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (settings/base.py, env SUNLIGHT_DISCLOSURE_*).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from api.public import LookupFailures, ScopeThrottle

SUBMIT_SCOPE = "disclosure_submit"
STATUS_SCOPE = "disclosure_status"
FAILURE_SCOPE = "disclosure_status_failures"


class SubmitThrottle(ScopeThrottle):
    """Submissions of requests per client address."""

    scope = SUBMIT_SCOPE
    default_rate = "10/hour"
    message = _("Too many requests have been submitted from your address. Please try again later.")


class StatusThrottle(ScopeThrottle):
    """Status lookups per client address."""

    scope = STATUS_SCOPE
    default_rate = "60/min"
    message = _("Too many status lookups from your address. Please wait and try again later.")


def lookup_failures() -> LookupFailures:
    """The counter of failed status lookups of requests."""
    return LookupFailures("disclosure", FAILURE_SCOPE, "10/hour")
