"""The kit of every public submission and lookup (disclosure requests, letters, tips …): the portal of a host,
idempotency keys, query codes (`cms.codes`), plain-text fields, phone validation, answers that no cache stores, and rate
limits per client address, including a limit on failed lookups per address and per number.

Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (settings/base.py), read at each request so that
`override_settings` works; a scope missing there falls back to the default its throttle declares. Counts live
in the default cache: Redis when `REDIS_URL` is set (every process shares them), the local cache otherwise.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

from django.core.cache import cache as default_cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from cms.codes import hash_query_code, new_query_code, query_code_matches, spend_like_a_check
from cms.sanitize import clean_plain

__all__ = ["hash_query_code", "new_query_code", "query_code_matches", "spend_like_a_check"]

#: Answers that carry a query code or a citizen's data: never stored by a browser or a shared cache.
NO_STORE = "private, no-store"
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Longest idempotency key.
MAX_IDEMPOTENCY_KEY = 64
_KEY_RE = re.compile(r"^[A-Za-z0-9._:\-]+$")

REQUIRED = _("This field is required.")

_MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^(?:\+?86)?0\d{2,3}-?\d{7,8}(?:(?:-|转)\d{1,5})?$")


# --- the portal, idempotency keys, query codes -------------------------------------------------------------


def portal_for(request: HttpRequest) -> Any:
    """The portal (`cms.models.Portal`) whose Wagtail site serves this request's host, or None."""
    from wagtail.models import Site

    from cms.models import Portal

    site = Site.find_for_request(request)
    if site is None:
        return None
    return Portal.objects.filter(site=site).first()


def idempotency_key_of(request: HttpRequest, data: Any = None) -> str:
    """The idempotency key of a submission: the Idempotency-Key header, else the `idempotency_key` field."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if not key and hasattr(data, "get"):
        key = data.get("idempotency_key") or ""
    return str(key).strip()


def idempotency_key_problem(key: str) -> str | None:
    """None for a usable key (or none), else the (translated) problem."""
    if not key:
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY:
        return str(_("The idempotency key may have at most %(n)d characters.") % {"n": MAX_IDEMPOTENCY_KEY})
    if not _KEY_RE.match(key):
        return str(_("The idempotency key may hold letters, digits and . _ : - only."))
    return None


def check_idempotency_key(key: str) -> None:
    """Raise a 400 (DRF ValidationError on `idempotency_key`) for a key that is too long or has other characters
    than letters, digits and . _ : -."""
    problem = idempotency_key_problem(key)
    if problem:
        raise serializers.ValidationError({"idempotency_key": [problem]})


# --- fields ------------------------------------------------------------------------------------------------


class PlainTextField(serializers.CharField):
    """A text field that strips HTML (nh3) and surrounding space before its checks; empty after cleaning is
    "required" when the field is required. Input far beyond the limit is refused before cleaning."""

    def __init__(self, **kwargs: Any) -> None:
        """As CharField; `required` fields get the same message whether missing or blank."""
        messages = {"required": REQUIRED, "blank": REQUIRED, "null": REQUIRED}
        if kwargs.get("max_length"):
            messages["max_length"] = _("Please keep this to at most {max_length} characters.")
        messages.update(kwargs.pop("error_messages", {}))
        kwargs.setdefault("allow_blank", not kwargs.get("required", True))
        super().__init__(error_messages=messages, **kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        """Clean, then validate as a CharField."""
        if isinstance(data, str):
            if self.max_length and len(data) > self.max_length * 20:
                self.fail("max_length", max_length=self.max_length)
            data = clean_plain(data).strip()
        return super().run_validation(data)


def plain_text(max_length: int, required: bool = False, **kwargs: Any) -> PlainTextField:
    """A PlainTextField of at most `max_length` characters."""
    return PlainTextField(max_length=max_length, required=required, **kwargs)


def idempotency_key_field() -> serializers.CharField:
    """The optional `idempotency_key` body field (alternative to the header)."""
    return serializers.CharField(
        max_length=MAX_IDEMPOTENCY_KEY,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("Alternative to the Idempotency-Key header."),
    )


def normalise_phone(value: str) -> str:
    """A mainland mobile or landline number without spaces and brackets; a DRF ValidationError otherwise."""
    compact = re.sub(r"[\s()（）]", "", value or "")
    if not (_MOBILE_RE.match(compact) or _LANDLINE_RE.match(compact)):
        raise serializers.ValidationError(_("Give a mobile number (11 digits) or a landline with area code."))
    return compact


# --- responses ---------------------------------------------------------------------------------------------


class NoStoreMixin:
    """Answers of these views are never stored by a browser or a shared cache."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        """Add `Cache-Control: private, no-store` to every answer (errors included)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response


# --- rate limits -------------------------------------------------------------------------------------------


def rate_of(scope: str, default: str | None = None) -> str | None:
    """The configured rate of `scope` (e.g. "10/hour"), read now from the DRF settings, else `default`."""
    rates = api_settings.DEFAULT_THROTTLE_RATES or {}
    return rates.get(scope, default)


def client_ident(request: Any) -> str:
    """The client address as DRF's throttles see it (REMOTE_ADDR, or X-Forwarded-For with NUM_PROXIES)."""
    return BaseThrottle().get_ident(request)


class ScopeThrottle(SimpleRateThrottle):
    """A per-address throttle of a fixed scope whose rate is read from the settings at each request
    (`default_rate` when the settings name none). Subclasses set `scope`, `default_rate` and `message`."""

    scope = ""
    default_rate: str | None = None
    #: The message of the 429 answer.
    message = _("Too many requests from your address. Please wait and try again later.")

    def get_rate(self) -> str | None:
        """The scope's current rate."""
        return rate_of(self.scope, self.default_rate)

    def get_cache_key(self, request: Any, view: Any) -> str:
        """One count per scope and client address."""
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def check(self, request: Any) -> None:
        """For plain Django views: raise DRF's Throttled (with the wait) when the address is over the rate."""
        if not self.allow_request(request, None):
            raise Throttled(wait=self.wait(), detail=str(self.message))


class ThrottledMessageMixin:
    """DRF views whose 429 carries the message of their first throttle class."""

    def throttled(self, request: Request, wait: float) -> None:
        """429 with the throttle's message."""
        throttles = getattr(self, "throttle_classes", [])
        message = getattr(throttles[0], "message", None) if throttles else None
        raise Throttled(wait=wait, detail=str(message) if message else None)


class LookupFailures:
    """Failed lookups (wrong number or query code), counted per client address and per number.

    Once either count reaches the scope's limit every lookup of that address (or of that number) is refused,
    even with the right code, until the window has passed. `prefix` keeps the counts of different lookups
    (requests, letters …) apart.
    """

    message = _("Too many failed lookups. For your security, lookups are paused; please try again later.")

    def __init__(self, prefix: str, scope: str, default_rate: str = "10/hour", cache: Any = None) -> None:
        """Count under `prefix` at the rate of `scope` (default `default_rate`) in `cache` (default cache)."""
        self.prefix = prefix
        self.cache = cache or default_cache
        rate = rate_of(scope, default_rate)
        self.num, self.duration = SimpleRateThrottle.parse_rate(None, rate) if rate else (None, None)

    def _keys(self, request: Any, number: str) -> list[str]:
        keys = [f"{self.prefix}:lookup-fail:ip:{client_ident(request)}"]
        number = (number or "").strip().upper()
        if number:
            digest = hashlib.sha256(number.encode()).hexdigest()[:32]
            keys.append(f"{self.prefix}:lookup-fail:number:{digest}")
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


# --- the status lookup of a case -------------------------------------------------------------------------


class StatusLookupView(ThrottledMessageMixin, NoStoreMixin):
    """A status lookup by number and query code (GET with query parameters, or POST with the body to keep the
    code out of URLs and logs). Subclasses (also subclassing DRF's APIView) set `throttle_classes`,
    `query_serializer` (fields `number`, `code`), `not_found` and implement `failures()`, `find()` and
    `represent()`. Failed lookups are counted per address and per number; past the limit even the right code is
    refused (429); a wrong number and a wrong code are answered alike (404)."""

    query_serializer: type[serializers.Serializer]
    not_found: Any = _("Nothing matches this number and query code.")

    def failures(self) -> LookupFailures:
        """The failed-lookup counter of this kind of case."""
        raise NotImplementedError

    def find(self, portal: Any, number: str, code: str) -> Any:
        """The case of `portal` with this number and code, or None (as costly either way)."""
        raise NotImplementedError

    def represent(self, obj: Any) -> dict[str, Any]:
        """The public status of `obj` (never personal data)."""
        raise NotImplementedError

    def lookup(self, request: Request, data: Any) -> Response:
        """Check the failure limit, then find the case; count a failure on a wrong number or code."""
        from rest_framework.exceptions import NotFound

        params = self.query_serializer(data=data)
        params.is_valid(raise_exception=True)
        number, code = params.validated_data["number"], params.validated_data["code"]
        failures = self.failures()
        failures.check(request, number)
        portal = portal_for(request)
        obj = self.find(portal, number, code) if portal is not None else None
        if obj is None:
            failures.record(request, number)
            raise NotFound(str(self.not_found))
        return Response(self.represent(obj))

    def get(self, request: Request) -> Response:
        """Look up by query parameters."""
        return self.lookup(request, request.query_params)

    def post(self, request: Request) -> Response:
        """Look up by body."""
        return self.lookup(request, request.data)
