"""One delivery attempt over HTTP: the signed JSON envelope, the POST, and what its outcome means.

The body is the JSON envelope `{event, idempotency_key, outlet: {kind, name}, item: {type, id, revision},
payload, created_at}`; the headers carry `Idempotency-Key`, `X-Sunlight-Event`, `X-Sunlight-Timestamp` and
`X-Sunlight-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` (docs/outlets.md shows how a
receiver checks it). 2xx is delivered; 4xx other than 408/409/425/429 is refused for good; network errors,
5xx, 3xx and 408/409/425/429 are worth another attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import ssl
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .models import Delivery

# 4xx answers that mean "not now" rather than "never": timeout, conflict, too early, too many requests.
TRANSIENT_CLIENT_ERRORS = frozenset({408, 409, 425, 429})
USER_AGENT = "Sunlight-Outbox/1"
ERROR_LENGTH = 300


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: delivered, worth retrying, or refused for good."""

    delivered: bool
    retry: bool
    status: int | None = None
    error: str = ""


def envelope(delivery: Delivery) -> dict[str, Any]:
    """The JSON document posted for `delivery` (the same on every attempt)."""
    return {
        "event": delivery.action,
        "idempotency_key": delivery.idempotency_key,
        "outlet": {"kind": delivery.outlet.kind, "name": delivery.outlet.name},
        "item": {"type": delivery.item_type, "id": delivery.item_id, "revision": delivery.revision_id},
        "payload": delivery.payload,
        "created_at": delivery.created_at.isoformat() if delivery.created_at else None,
    }


def encode(document: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON with keys in order."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Sunlight-Signature` value: "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<body>")."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """True when `signature` is ours for this timestamp and body (what a receiver checks)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")


def headers(delivery: Delivery, body: bytes, timestamp: str) -> dict[str, str]:
    """The request headers of one attempt."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": delivery.idempotency_key,
        "X-Sunlight-Event": delivery.action,
        "X-Sunlight-Timestamp": timestamp,
        "X-Sunlight-Signature": sign(delivery.outlet.secret, timestamp, body),
    }


def classify(status: int) -> Outcome:
    """The outcome of an HTTP answer with this status."""
    if 200 <= status < 300:
        return Outcome(delivered=True, retry=False, status=status)
    reason = http.client.responses.get(status, "")
    error = f"HTTP {status} {reason}".strip()
    if 400 <= status < 500 and status not in TRANSIENT_CLIENT_ERRORS:
        return Outcome(delivered=False, retry=False, status=status, error=error)
    return Outcome(delivered=False, retry=True, status=status, error=error)


def _short(exc: BaseException) -> str:
    """A short description of a network error (its class and message, never the URL or secret)."""
    text = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return text[:ERROR_LENGTH]


def post(delivery: Delivery, *, connect_timeout: float, read_timeout: float) -> Outcome:
    """POST `delivery` to its outlet's endpoint once and classify the answer. Never raises for network errors."""
    url = urlsplit(delivery.outlet.endpoint_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        return Outcome(delivered=False, retry=False, error="The outlet's endpoint URL is not an http(s) URL.")
    body = encode(envelope(delivery))
    timestamp = str(int(time.time()))
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    if url.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            url.hostname, url.port, timeout=connect_timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=connect_timeout)
    try:
        connection.connect()
        connection.sock.settimeout(read_timeout)
        connection.request("POST", target, body=body, headers=headers(delivery, body, timestamp))
        response = connection.getresponse()
        response.read(64 * 1024)  # drain a little so the server sees a clean close; the answer is the status
        return classify(response.status)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(delivered=False, retry=True, error=_short(exc))
    finally:
        connection.close()
