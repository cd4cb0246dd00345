"""Benchmark of the public site's home page under concurrent HTTP load, against a bare Django template view.

Sets up the demo portal (`manage.py setup_demo`: the ankang profile, its demo content and every plugin's demo
data) in a fresh SQLite database under a temporary folder, serves it with two gunicorn servers — "ours" (the
page cache on) and "ours-cold" (`SUNLIGHT_API_CACHE=0`: every request renders the page) — each with a bare
template view at /bare/home/ (the ceiling, `bench/site_views.py`), then drives, in one run and for the same time
each: the home page warm, the home page cold, a revalidation of the home page (If-None-Match: 304) and the bare
view. The report gives requests/s, p50 and p99 and the ratios against the bare view.

Usage: .venv/bin/python bench/site.py [--threads 8] [--duration 5] [--warmup 1] [--workers 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

from bench.api import LOAD_AT_START, Result, Server, _load_average, drive, fetch, log, server_env  # noqa: E402

SETTINGS = "bench.site_settings"
RATIOS = [
    ("home", "ours", "bare"),
    ("home", "ours-cold", "bare"),
    ("304", "ours", "bare"),
    ("home", "ours", "ours-cold"),
]


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8, help="concurrent client connections (default 8)")
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per variant (default 5)")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per server (default 2)")
    parser.add_argument("--server-threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument("--json", metavar="FILE", help="write the raw results to FILE")
    args = parser.parse_args(argv)
    if args.threads < 1 or args.duration <= 0 or args.workers < 1 or args.server_threads < 1:
        parser.error("--threads, --duration, --workers and --server-threads must be positive")
    return args


def setup_demo(run_dir: Path) -> tuple[str, Path]:
    """The demo portal in a fresh SQLite database: (database URL, var directory)."""
    var_dir = run_dir / "var"
    database_url = f"sqlite:///{run_dir / 'site.sqlite3'}"
    env = server_env(database_url, var_dir, None, DJANGO_SETTINGS_MODULE="settings.dev")
    log("setting up the demo portal (setup_demo) ...")
    result = subprocess.run(
        [sys.executable, "manage.py", "setup_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        raise SystemExit(f"setup_demo failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return database_url, var_dir


def main(argv=None) -> int:
    """Run the benchmark and print the report."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    command = shlex.join([sys.executable.replace(str(ROOT) + "/", ""), "bench/site.py", *sys.argv[1:]])
    run_dir = Path(tempfile.mkdtemp(prefix="sunlight-bench-site-"))
    servers: list[Server] = []
    try:
        database_url, var_dir = setup_demo(run_dir)
        env = server_env(database_url, var_dir, None, DJANGO_SETTINGS_MODULE=SETTINGS)
        log(f"starting 2 servers (gunicorn, {args.workers} workers x {args.server_threads} threads each)")
        warm = Server("warm", env, args, run_dir / "warm.log")
        cold = Server("cold", {**env, "SUNLIGHT_API_CACHE": "0"}, args, run_dir / "cold.log")
        servers += [warm, cold]
        warm.wait()
        cold.wait()
        status, headers, body = fetch(warm.port, "/")
        if status != 200 or b'<main id="main"' not in body:
            raise SystemExit(f"the home page does not render: HTTP {status}\n{warm.output()}")
        etag = headers.get("etag", "")
        plan = [
            ("home", "ours", warm, [("/", {})]),
            ("home", "ours-cold", cold, [("/", {})]),
            ("304", "ours", warm, [("/", {"If-None-Match": etag})]),
            ("home", "bare", warm, [("/bare/home/", {})]),
        ]
        for server in servers:  # load templates, jieba, URL resolvers in every worker before measuring
            for _ in range(args.workers * args.server_threads * 4):
                fetch(server.port, "/")
                fetch(server.port, "/bare/home/")
        results = []
        for scenario, variant, server, requests in plan:
            log(f"{scenario} {variant}: {args.duration:.0f} s with {args.threads} clients")
            result = Result(scenario, variant, len(requests))
            drive(result, server.port, requests, args.threads, args.duration, args.warmup)
            results.append(result)
        return report(args, command, results)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


def report(args: argparse.Namespace, command: str, results: list[Result]) -> int:
    """Print the table and the ratios; 1 when a request failed."""
    by = {(r.scenario, r.variant): r for r in results}
    print("== results ==")
    print(f"command: {command}")
    print(f"python {platform.python_version()}  threads {args.threads}  duration {args.duration:.0f} s  workers "
          f"{args.workers}x{args.server_threads}  load average {LOAD_AT_START} -> {_load_average()}")  # fmt: skip
    for r in results:
        print(f"{r.scenario:<5} {r.variant:<10} {r.rps:9.1f} req/s  p50 {r.percentile(50):7.2f} ms  "
              f"p99 {r.percentile(99):7.2f} ms  errors {r.errors}  statuses {r.statuses}")  # fmt: skip
    print("== ratios (requests/s) ==")
    base_bare = by[("home", "bare")]
    for scenario, variant, baseline in RATIOS:
        a = by[(scenario, variant)]
        b = base_bare if baseline == "bare" else by[("home", baseline)]
        ratio = a.rps / b.rps if b.rps else float("nan")
        print(f"{scenario} {variant}/{baseline}: {ratio:.2f}x  info")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) | {"rps": r.rps} for r in results], indent=1))
    failed = sum(r.errors for r in results)
    if failed:
        print(f"{failed} requests failed: {[s for r in results for s in r.error_samples][:5]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
