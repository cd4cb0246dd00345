"""Rate limits of the public side of disclosure requests, per client address (DRF's `get_ident`).

- `SubmitThrottle` (scope `disclosure_submit`, default 10/hour): submissions, API and form alike.
- `StatusThrottle` (scope `disclosure_status`, default 60/min): every status lookup.
- `LookupFailures` (scope `disclosure_status_failures`, default 10/hour): wrong number or query code. Failures
  are counted per client address and per request number; once either reaches the limit every lookup of that
  address (or of that number) answers 429, even with the right code, until the window has passed.

The rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (settings/base.py, env SUNLIGHT_DISCLOSURE_*),
read at each request so that `override_settings` works; a scope missing there falls back to `DEFAULT_RATES`.
Counts live in the default cache (Redis when REDIS_URL is set, so every process shares them).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.core.cache import cache as default_cache
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

SUBMIT_SCOPE = "disclosure_submit"
STATUS_SCOPE = "disclosure_status"
FAILURE_SCOPE = "disclosure_status_failures"

#: Rates used when the settings name none for a scope.
DEFAULT_RATES = {SUBMIT_SCOPE: "10/hour", STATUS_SCOPE: "60/min", FAILURE_SCOPE: "10/hour"}


def rate_of(scope: str) -> str | None:
    """The configured rate of `scope` (e.g. "10/hour"), read now from the DRF settings."""
    rates = api_settings.DEFAULT_THROTTLE_RATES or {}
    return rates.get(scope, DEFAULT_RATES.get(scope))


class ScopeThrottle(SimpleRateThrottle):
    """A per-address throttle of a fixed scope whose rate is read from the settings at each request."""

    scope = ""
    #: The message of the 429 answer.
    message = _("Too many requests from your address. Please wait and try again later.")

    def get_rate(self) -> str | None:
        """The scope's current rate."""
        return rate_of(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str:
        """One count per scope and client address."""
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def check(self, request: Any) -> None:
        """For plain Django views: raise DRF's Throttled (with the wait) when the address is over the rate."""
        if not self.allow_request(request, None):
            raise Throttled(wait=self.wait(), detail=str(self.message))


class SubmitThrottle(ScopeThrottle):
    """Submissions of requests per client address."""

    scope = SUBMIT_SCOPE
    message = _("Too many requests have been submitted from your address. Please try again later.")


class StatusThrottle(ScopeThrottle):
    """Status lookups per client address."""

    scope = STATUS_SCOPE
    message = _("Too many status lookups from your address. Please wait and try again later.")


def client_ident(request: Any) -> str:
    """The client address as DRF's throttles see it (REMOTE_ADDR, or X-Forwarded-For with NUM_PROXIES)."""
    return BaseThrottle().get_ident(request)


class LookupFailures:
    """Failed status lookups (wrong number or query code), counted per client address and per number."""

    message = _("Too many failed lookups. For your security, lookups are paused; please try again later.")

    def __init__(self, cache: Any = None) -> None:
        """Use `cache` (default: Django's default cache)."""
        self.cache = cache or default_cache
        rate = rate_of(FAILURE_SCOPE)
        self.num, self.duration = SimpleRateThrottle.parse_rate(None, rate) if rate else (None, None)

    def _keys(self, request: Any, number: str) -> list[str]:
        keys = [f"disclosure:lookup-fail:ip:{client_ident(request)}"]
        number = (number or "").strip().upper()
        if number:
            digest = hashlib.sha256(number.encode()).hexdigest()[:32]
            keys.append(f"disclosure:lookup-fail:number:{digest}")
        return keys

    def _history(self, key: str, now: float) -> list[float]:
        return [t for t in self.cache.get(key, []) if t > now - self.duration]

    def wait(self, request: Any, number: str) -> float | None:
        """Seconds until lookups are allowed again for this address or number, or None when allowed."""
        if not self.num:
            return None
        now = time.time()
        waits = []
        for key in self._keys(request, number):
            history = self._history(key, now)
            if len(history) >= self.num:
                waits.append(max(1.0, self.duration - (now - min(history))))
        return max(waits) if waits else None

    def check(self, request: Any, number: str) -> None:
        """Raise Throttled when this address or this number has failed too often."""
        wait = self.wait(request, number)
        if wait is not None:
            raise Throttled(wait=wait, detail=str(self.message))

    def record(self, request: Any, number: str) -> None:
        """Count one failed lookup for the address and the number."""
        if not self.num:
            return
        now = time.time()
        for key in self._keys(request, number):
            history = self._history(key, now)
            history.append(now)
            self.cache.set(key, history[-self.num * 2 :], int(self.duration) + 1)
