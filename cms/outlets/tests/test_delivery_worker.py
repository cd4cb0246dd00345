"""The production worker (`manage.py deliver_outbox`) as real subprocesses on a database of their own: one is
killed (SIGKILL) while the receiver holds its request open; the rows it held are taken again when the lease
expires, two restarted workers deliver everything without sending any row twice at once, and the receiver ends
with every idempotency key applied exactly once (the killed one arrived twice on the wire)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.server import _database_url, manage

from .delivery_receiver import Receiver

ROOT = Path(__file__).resolve().parents[3]
SECRET = "worker-test-secret"

CREATE_ROWS = """
import json
from wagtail.models import Site
from cms.models import Portal
from cms.outlets import outbox
from cms.outlets.models import Outlet
from cms.outlets.registry import OutletItem
portal = Portal.objects.create(profile="outbox", name="Outbox test bureau", short_name="test", site=Site.objects.get())
outlet = Outlet.objects.create(portal=portal, kind="web", name="web", endpoint_url={url!r}, secret={secret!r})
rows = []
for n in range({count}):
    item = OutletItem(item_type="tests.thing", item_id=str(n), revision_id=n, title=f"item {{n}}", url="http://x/")
    rows += outbox.record_item(item, [outlet], "publish")
print(json.dumps([row.idempotency_key for row in rows]))
"""


@pytest.fixture(scope="module")
def worker_env(tmp_path_factory):
    """A migrated database the subprocesses share (SQLite file, or a fresh PostgreSQL database on PostgreSQL)."""
    tmp = tmp_path_factory.mktemp("outbox")
    url, drop = _database_url(tmp)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "DATABASE_URL": url,
        "SUNLIGHT_VAR_DIR": str(tmp / "var"),
        "PYTHONUNBUFFERED": "1",
        # enqueueing stores a task nobody runs here: the worker under test is deliver_outbox
        "SUNLIGHT_TASKS_BACKEND": "database",
        "SUNLIGHT_OUTLET_LEASE": "2",
        "SUNLIGHT_OUTLET_BACKOFF_BASE": "0.2",
    }
    try:
        manage(env, "migrate", "--no-input")
        yield env
    finally:
        drop()


def delivery_rows(url: str) -> dict[str, tuple[str, int]]:
    """{idempotency key: (state, attempts)} read straight from the workers' database."""
    query = "SELECT idempotency_key, state, attempts FROM outlets_delivery"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return {key: (state, attempts) for key, state, attempts in conn.execute(query)}
    import psycopg

    with psycopg.connect(url) as conn:
        return {key: (state, attempts) for key, state, attempts in conn.execute(query)}


def start_worker(env: dict) -> subprocess.Popen:
    """`manage.py deliver_outbox` in a subprocess."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "deliver_outbox", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_killed_worker_leaves_nothing_lost_and_nothing_applied_twice(worker_env):
    receiver = Receiver(SECRET, hold_first=True).start()
    processes: list[subprocess.Popen] = []
    try:
        script = CREATE_ROWS.format(url=receiver.url, secret=SECRET, count=4)
        keys = json.loads(manage(worker_env, "shell", "-c", script).stdout.strip().splitlines()[-1])
        assert {state for state, _ in delivery_rows(worker_env["DATABASE_URL"]).values()} == {"pending"}

        first = start_worker(worker_env)
        processes.append(first)
        assert receiver.first_arrived.wait(60), "the worker did not deliver"
        first.send_signal(signal.SIGKILL)  # killed while its request is open
        first.wait(10)
        held = receiver.seen[0].key
        assert delivery_rows(worker_env["DATABASE_URL"])[held] == ("delivering", 1)  # leased, abandoned
        receiver.release.set()

        restarted = [start_worker(worker_env), start_worker(worker_env)]
        processes += restarted
        for worker in restarted:  # both are up (Django loaded, signals handled) before anything is asserted
            assert worker.stdout.readline().startswith("deliver_outbox: started")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows = delivery_rows(worker_env["DATABASE_URL"])
            if {state for state, _ in rows.values()} == {"delivered"}:
                break
            time.sleep(0.2)
        for worker in restarted:  # SIGTERM: a clean stop with a summary
            worker.send_signal(signal.SIGTERM)
        for worker in restarted:
            worker.wait(20)
        outputs = [worker.stdout.read() for worker in restarted]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        receiver.stop()

    assert [worker.returncode for worker in restarted] == [0, 0], outputs
    assert all("deliver_outbox: stopped" in output for output in outputs)
    assert "attempt 2: delivered status=200" in "".join(outputs)  # the abandoned row, taken again
    rows = delivery_rows(worker_env["DATABASE_URL"])
    assert {key: state for key, (state, _) in rows.items()} == dict.fromkeys(keys, "delivered")
    assert rows[held][1] == 2 and all(rows[key][1] == 1 for key in keys if key != held)
    # at-least-once on the wire, exactly once in effect
    wire = receiver.keys_on_the_wire()
    assert sorted(receiver.applied) == sorted(keys)
    assert wire.count(held) == 2 and all(wire.count(key) == 1 for key in keys if key != held)
    assert all(seen.signature_ok for seen in receiver.seen)
