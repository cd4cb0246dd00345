"""`manage.py deliver_outbox`: the outlet delivery worker."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from cms.outlets import outbox
from cms.outlets.models import Delivery


class Command(BaseCommand):
    """Deliver due outbox rows in a loop: new ones, retries whose time has come, and rows a dead worker left
    behind (their lease expired). Stops cleanly on SIGTERM or Ctrl+C after the delivery in hand."""

    help = "Deliver due outlet deliveries in a loop (retries, and rows left by a stopped worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds to sleep when nothing is due.")
        parser.add_argument("--once", action="store_true", help="Run one pass over the due rows, then exit.")
        parser.add_argument("--batch", type=int, default=100, help="Rows claimed per pass at most.")

    def handle(self, *args: Any, interval: float, once: bool, batch: int, **options: Any) -> None:
        """Run passes until stopped (or once)."""
        self.stopping = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, self._stop)
            self.stdout.write(f"deliver_outbox: started (every {interval:g} s)", ending="\n")
            self.stdout.flush()
        totals = outbox.PassResult()
        while not self.stopping.is_set():
            if not connection.in_atomic_block:  # drop stale connections between passes (not inside a transaction)
                close_old_connections()
            result = outbox.deliver_pending(limit=batch, report=self._report, stop=self.stopping.is_set)
            for name in ("attempted", "delivered", "retrying", "failed"):
                setattr(totals, name, getattr(totals, name) + getattr(result, name))
            if once:
                break
            if not result.more:
                self.stopping.wait(interval)
        self.stdout.write(
            f"deliver_outbox: stopped; {totals.attempted} attempted, {totals.delivered} delivered, "
            f"{totals.retrying} waiting to retry, {totals.failed} failed"
        )

    def _stop(self, signum: int, frame: Any) -> None:
        """Finish the delivery in hand, then exit."""
        self.stopping.set()

    def _report(self, delivery: Delivery, outcome: outbox.Outcome) -> None:
        """One line per attempt."""
        status = outcome.status if outcome.status is not None else "-"
        detail = f" ({outcome.error})" if outcome.error else ""
        self.stdout.write(
            f"delivery {delivery.pk} [{delivery.outlet.name} {delivery.action}] attempt {delivery.attempts}: "
            f"{delivery.state} status={status}{detail}"
        )
        self.stdout.flush()
