"""A real demo server for end-to-end tests: its own database, `setup_demo`, then `runserver` in a subprocess.

The database is a fresh SQLite file, or — when the suite runs on PostgreSQL — a fresh PostgreSQL database
next to the test database, dropped afterwards.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class DemoServer:
    """A running demo portal."""

    url: str
    password: str
    setup_output: str
    env: dict


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp: Path) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'demo.sqlite3'}", lambda: None
    import psycopg

    name = f"sunlight_e2e_{uuid.uuid4().hex[:8]}"
    admin_url = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return re.sub(r"/[^/]*$", f"/{name}", url), drop


def manage(env: dict, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run manage.py with `env`; raise with its output when it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def start_demo(tmp: Path):
    """Set up and start a demo server; yields a DemoServer; stops it and drops its database after."""
    database_url, drop = _database_url(tmp)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DATABASE_URL": database_url,
        "SUNLIGHT_VAR_DIR": str(tmp / "var"),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("SUNLIGHT_EXTRA_PLUGINS", None)
    try:
        output = manage(env, "setup_demo").stdout
        password = re.search(r"user: admin\s+password: (\S+)", output).group(1)
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/api/", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    raise RuntimeError("demo server did not start:\n" + (server.stdout.read() or "")) from None
                time.sleep(0.3)
        try:
            yield DemoServer(url=url, password=password, setup_output=output, env=env)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    finally:
        drop()
