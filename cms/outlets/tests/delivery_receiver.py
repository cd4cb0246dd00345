"""A real webhook receiver for the delivery tests: ThreadingHTTPServer on 127.0.0.1 in a thread. It checks the
HMAC signature, records every request, and applies each idempotency key once (as a receiver should)."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cms.outlets.delivery import verify


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (right now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Seen:
    """One request as the receiver saw it."""

    key: str
    event: str
    signature_ok: bool
    document: dict
    headers: dict


@dataclass
class Receiver:
    """The receiver's state: what arrived, what was applied, what to answer."""

    secret: str
    port: int = 0
    status: int = 200
    hold_first: bool = False  # apply, then keep the first request open until `release` is set
    seen: list[Seen] = field(default_factory=list)
    applied: dict[str, dict] = field(default_factory=dict)
    first_arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The endpoint URL to give an outlet."""
        return f"http://127.0.0.1:{self.port}/hook"

    def keys_on_the_wire(self) -> list[str]:
        """The idempotency key of every request received, in order (duplicates included)."""
        with self.lock:
            return [s.key for s in self.seen]

    def start(self) -> Receiver:
        """Listen on `port` (0: a free one) in a background thread."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                """Check, record, apply once, answer `status` (401 for a bad signature)."""
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ok = verify(
                    receiver.secret,
                    self.headers.get("X-Sunlight-Timestamp", ""),
                    body,
                    self.headers.get("X-Sunlight-Signature", ""),
                )
                document = json.loads(body.decode("utf-8"))
                key = self.headers.get("Idempotency-Key", "")
                with receiver.lock:
                    receiver.seen.append(
                        Seen(key, self.headers.get("X-Sunlight-Event", ""), ok, document, dict(self.headers))
                    )
                    first = len(receiver.seen) == 1
                    if ok and receiver.status < 300 and key not in receiver.applied:
                        receiver.applied[key] = document  # applied once, whatever arrives again
                if not ok:
                    self.send_response(401)
                    self.end_headers()
                    return
                if first and receiver.hold_first:
                    receiver.first_arrived.set()
                    receiver.release.wait(30)
                try:
                    self.send_response(receiver.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender is gone (killed)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Let a held request go and stop listening."""
        self.release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
