"""Benchmark of the public API under concurrent HTTP load: ours against Wagtail's stock v2 and a bare Django view.

Builds (once, cached under var/bench/) a realistic tree: the ankang profile with N generated pages, tags and
images (`bench/api_data.py`). Serves it with gunicorn (settings `bench/api_settings.py`, URLs
`bench/api_urls.py`): our endpoints, Wagtail's stock v2 endpoints at /stock/v2/ on the same data, and bare
Django JSON views at /bare/ (the ceiling, `bench/api_views.py`). A second server runs ours with the server-side
response cache off (SUNLIGHT_API_CACHE=0, "ours-cold"). A thread pool of keep-alive connections then drives each
scenario (page listing, page detail, catalogue search, 304 revalidation) for a fixed time per variant, all in
one run, and the report gives requests/s, p50 and p99 per variant and the ratios against the goals.

Usage: .venv/bin/python bench/api.py [--pages 5000] [--threads 8] [--duration 5] [--warmup 1] [--workers 2]
[--database-url URL] [--rebuild] [--json FILE] [--check | --check-errors]. Exit code 0 (a measurement), unless
--check is given and a goal is missed or a request failed (--check-errors: only failed requests count).
"""

from __future__ import annotations

import argparse
import fcntl
import http.client
import json
import os
import platform
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE_DIR = ROOT / "var" / "bench"
SETTINGS = "bench.api_settings"

#: Goals (issue text): (scenario, variant, baseline, at least this ratio of requests/s).
GOALS = [("listing", "ours", "stock", 2.0), ("listing", "ours", "bare", 0.5), ("304", "ours", "bare", 0.8)]
#: Ratios printed for information.
INFO_RATIOS = [
    ("listing", "ours-cold", "stock"),
    ("listing", "ours-cold", "bare"),
    ("detail", "ours", "stock"),
    ("detail", "ours", "bare"),
    ("detail", "ours-cold", "stock"),
    ("search", "ours", "stock"),
    ("search", "ours", "bare"),
    ("search", "ours-cold", "stock"),
]
SCENARIOS = ("listing", "detail", "search", "304")
ARTICLE_FIELDS = "summary,tags,author_department,cover_image_thumbnail,first_published_at"
DOCUMENT_FIELDS = "summary,author_department,index_number,document_number,first_published_at"
SEARCH_FIELDS = "index_number,document_number,author_department,first_published_at"
LISTING_URLS = 50
DETAIL_URLS = 200
SEARCH_QUERIES = 20
LIMIT = 20

_STARTED = time.perf_counter()


def _load_average() -> str:
    """The 1-minute load average of the machine (other processes compete with the servers and the clients)."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


LOAD_AT_START = _load_average()


def log(message: str) -> None:
    """Print a progress line on stderr, with the seconds since the start."""
    print(f"[{time.perf_counter() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000, help="generated pages (default 5000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed of the generated pages (default 42)")
    parser.add_argument("--threads", type=int, default=8, help="concurrent client connections (default 8)")
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per variant (default 5)")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each (default 1)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds over all variants, order rotating (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per server (default 2)")
    parser.add_argument("--server-threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated subset of {','.join(SCENARIOS)}"
    )
    parser.add_argument("--database-url", help="PostgreSQL URL to build and serve from (default: a SQLite copy)")
    parser.add_argument("--redis-url", help="Redis for the servers' cache (default: each worker's local memory)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set even if a cached one exists")
    parser.add_argument("--json", metavar="FILE", help="write the raw results to FILE")
    checks = parser.add_mutually_exclusive_group()
    checks.add_argument("--check", action="store_true", help="exit 1 when a goal is missed or a request failed")
    checks.add_argument("--check-errors", action="store_true", help="exit 1 only when a request failed")
    parser.add_argument("--build-into", help=argparse.SUPPRESS)  # internal: the data-building subprocess
    args = parser.parse_args(argv)
    if args.pages < 100 or args.threads < 1 or args.duration <= 0 or args.warmup < 0 or args.rounds < 1:
        parser.error("--pages must be at least 100; --threads, --rounds and --duration positive")
    if args.workers < 1 or args.server_threads < 1:
        parser.error("--workers and --server-threads must be positive")
    args.scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown or not args.scenarios:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    return args


# -- data set -----------------------------------------------------------------------------------------------------


def _fix_path() -> None:
    """`python bench/api.py` puts bench/ first on sys.path, where this file would shadow the `api` app."""
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def server_env(database_url: str, var_dir: Path, redis_url: str | None, **extra: str) -> dict[str, str]:
    """Environment of the builder and the servers: our settings, this database and var directory."""
    env = {k: v for k, v in os.environ.items() if k not in ("SUNLIGHT_EXTRA_PLUGINS", "REDIS_URL", "ES_URL")}
    env.update(DJANGO_SETTINGS_MODULE=SETTINGS, DATABASE_URL=database_url, SUNLIGHT_VAR_DIR=str(var_dir))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def build_into(args: argparse.Namespace) -> int:
    """The data-building subprocess: Django is set up from the environment the parent gave."""
    _fix_path()
    import django

    django.setup()
    from django.db import connection

    import bench.api_data as data

    tables = connection.introspection.table_names()
    if tables and connection.vendor == "postgresql":
        if not args.rebuild:
            print(f"{args.database_url}: the database is not empty; --rebuild drops and rebuilds it", file=sys.stderr)
            return 2
        log("dropping every table of the database (--rebuild)")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    counts = data.build(args.pages, args.seed, log)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    Path(args.build_into, "built.json").write_text(json.dumps(counts), encoding="utf-8")
    return 0


def prepare_data(args: argparse.Namespace, key: str, run_dir: Path) -> tuple[str, Path, dict[str, Any]]:
    """Build the data set unless cached; return the database URL and var directory the servers use."""
    if args.database_url:
        var_dir = CACHE_DIR / f"api-pg-{key}"
        marker = var_dir / "built.json"
        database_url = args.database_url
        stamp = var_dir / "database-url"
        fresh = marker.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == database_url
        if args.rebuild or not fresh:
            shutil.rmtree(var_dir, ignore_errors=True)
            var_dir.mkdir(parents=True)
            _run_builder(args, database_url, var_dir)
            stamp.write_text(database_url, encoding="utf-8")
        else:
            log(f"using the data set built earlier in {database_url} ({var_dir.relative_to(ROOT)})")
        return database_url, var_dir, json.loads(marker.read_text(encoding="utf-8"))
    cached = CACHE_DIR / f"api-{key}"
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # One builder at a time (two CI runs may benchmark at once); the others wait, then use what it built.
    with open(CACHE_DIR / f"api-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if args.rebuild or not (cached / "built.json").exists():
            building = CACHE_DIR / f"api-{key}.building-{os.getpid()}"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir(parents=True)
            try:
                _run_builder(args, f"sqlite:///{building / 'bench.sqlite3'}", building)
                shutil.rmtree(cached, ignore_errors=True)
                building.rename(cached)
                for stale in CACHE_DIR.glob(f"api-pages{args.pages}-seed{args.seed}-*"):
                    if stale != cached and ".building-" not in stale.name:  # built before a migration or profile change
                        shutil.rmtree(stale, ignore_errors=True)
            finally:
                shutil.rmtree(building, ignore_errors=True)
        else:
            log(f"using the cached data set {cached.relative_to(ROOT)} (--rebuild builds it again)")
        # Each run serves a copy, so the cached database stays as built.
        shutil.copy2(cached / "bench.sqlite3", run_dir / "bench.sqlite3")
        shutil.copytree(cached / "media", run_dir / "media")
        (run_dir / "static").mkdir(exist_ok=True)
    return f"sqlite:///{run_dir / 'bench.sqlite3'}", run_dir, json.loads((cached / "built.json").read_text("utf-8"))


def _run_builder(args: argparse.Namespace, database_url: str, var_dir: Path) -> None:
    """Build the data set in a subprocess (its own Django, on `database_url`)."""
    log(f"building the data set: {args.pages} pages, seed {args.seed} (cached afterwards)")
    command = [sys.executable, str(Path(__file__).resolve()), "--build-into", str(var_dir), "--pages",
               str(args.pages), "--seed", str(args.seed)]  # fmt: skip
    if args.rebuild:
        command.append("--rebuild")
    if args.database_url:
        command += ["--database-url", args.database_url]
    completed = subprocess.run(command, cwd=ROOT, env=server_env(database_url, var_dir, None), check=False)
    if completed.returncode != 0:
        raise SystemExit(f"building the data set failed (exit {completed.returncode})")


# -- URLs ---------------------------------------------------------------------------------------------------------


@dataclass
class Urls:
    """The paths each variant cycles through."""

    listing: list[tuple[str, str]]  # (query string, model label): ours/stock/bare share it
    detail: list[int]
    queries: list[str]


def collect_urls(database_url: str, var_dir: Path, seed: int) -> Urls:
    """Pick listing pages, detail pages and search queries from the served database (reproducibly)."""
    os.environ.update(server_env(database_url, var_dir, None))
    _fix_path()
    import django

    django.setup()
    from django.db import connections

    from bench.api_data import _columns
    from bench.search import load_json
    from pages.models import ArticlePage, GovernmentDocumentPage

    rng = random.Random(seed)
    article_columns, _, document_columns = _columns()
    candidates: list[tuple[str, str, int]] = []
    for columns, model, fields, share in (
        (article_columns, ArticlePage, ARTICLE_FIELDS, 30),
        (document_columns, GovernmentDocumentPage, DOCUMENT_FIELDS, 20),
    ):
        label = model._meta.label
        sized = sorted(((model.objects.child_of(c).live().count(), c.pk) for c in columns), reverse=True)
        pages_of = [
            (f"type={label}&child_of={pk}&fields={fields}&order=-first_published_at&limit={LIMIT}&offset={offset}",
             label, count)
            for count, pk in sized
            if count
            for offset in range(0, min(count, 3 * LIMIT), LIMIT)
        ]  # fmt: skip
        pages_of.sort(key=lambda item: (item[0].split("&offset=")[1] != "0", -item[2]))  # first pages first
        candidates += pages_of[:share]
    listing = [(query, label) for query, label, _ in candidates]
    ids = sorted(ArticlePage.objects.live().values_list("pk", flat=True))
    ids += sorted(GovernmentDocumentPage.objects.live().values_list("pk", flat=True))
    detail = rng.sample(ids, min(DETAIL_URLS, len(ids)))
    queries = [query["q"] for query in load_json("search_queries.json")["queries"][:SEARCH_QUERIES]]
    connections.close_all()
    return Urls(listing=listing[:LISTING_URLS], detail=detail, queries=queries)


def variant_requests(urls: Urls, scenario: str, variant: str, etags: dict[str, str]) -> list[tuple[str, dict]]:
    """The (path, headers) a variant cycles through."""
    if scenario == "listing" or (scenario == "304" and variant == "bare"):
        if variant == "bare":
            return [(f"/bare/pages/?{query}", {}) for query, _ in urls.listing]
        prefix = "/stock/v2" if variant == "stock" else "/api/v2"
        return [(f"{prefix}/pages/?{query}", {}) for query, _ in urls.listing]
    if scenario == "304":  # ours with the ETag of a first GET
        return [(f"/api/v2/pages/?{query}", {"If-None-Match": etags[query]}) for query, _ in urls.listing]
    if scenario == "detail":
        prefix = {"stock": "/stock/v2/pages", "bare": "/bare/pages"}.get(variant, "/api/v2/pages")
        return [(f"{prefix}/{page_id}/", {}) for page_id in urls.detail]
    paths = {
        "stock": "/stock/v2/pages/?type=pages.GovernmentDocumentPage&fields=" + SEARCH_FIELDS + "&limit=10&search={q}",
        "bare": "/bare/search/catalogue/?q={q}",
    }.get(variant, "/api/search/catalogue/?q={q}")
    return [(paths.format(q=quote(q)), {}) for q in urls.queries]


# -- servers ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the server process (Linux): receive SIGTERM when the benchmark dies, even when it is killed."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Server:
    """A gunicorn process serving the benchmark settings."""

    def __init__(self, name: str, env: dict[str, str], args: argparse.Namespace, log_path: Path) -> None:
        """Start gunicorn on a free port (call `wait` before use)."""
        self.name = name
        self.port = free_port()
        self.log_path = log_path
        self.log_file = log_path.open("wb")
        command = [
            sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.server_threads),
            "--keep-alive", "30", "--backlog", "256", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )

    def wait(self, timeout: float = 90) -> None:
        """Block until the server answers its readiness probe."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"server {self.name} exited ({self.process.returncode}):\n{self.output()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/bare/ping/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"server {self.name} did not answer within {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        """What the server wrote so far."""
        self.log_file.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        """Stop gunicorn (TERM, then KILL after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET: status, headers (lower-case names), body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


# -- load generator -----------------------------------------------------------------------------------------------


@dataclass
class Result:
    """What one variant of one scenario measured."""

    scenario: str
    variant: str
    urls: int
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list, repr=False)

    @property
    def rps(self) -> float:
        """Measured requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th latency percentile in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def drive(result: Result, port: int, requests: list[tuple[str, dict]], threads: int, duration: float,
          warmup: float) -> None:  # fmt: skip
    """Run `threads` keep-alive clients cycling through `requests`; add what the measured window saw to `result`."""
    barrier = threading.Barrier(threads + 1)
    window: dict[str, float] = {}
    lock = threading.Lock()
    statuses: Counter[int] = Counter()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        index = number * max(1, len(requests) // threads)
        latencies: list[float] = []
        seen: Counter[int] = Counter()
        errors: list[str] = []
        barrier.wait()
        start, end = window["start"], window["end"]
        while True:
            began = time.perf_counter()
            if began >= end:
                break
            path, headers = requests[index % len(requests)]
            index += 1
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                status, message = 0, f"{type(error).__name__}: {error}"
            else:
                message = f"HTTP {status}"
            finished = time.perf_counter()
            if began < start:
                continue
            seen[status] += 1
            if status in (200, 304):
                latencies.append(finished - began)
            else:
                errors.append(f"{message} on {path}")
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            statuses.update(seen)
            result.errors += len(errors)
            result.error_samples.extend(errors[: 5 - len(result.error_samples)])

    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    window["start"] = time.perf_counter() + warmup
    window["end"] = window["start"] + duration
    barrier.wait()
    for worker in workers:
        worker.join()
    result.requests += sum(statuses.values())
    result.seconds += duration
    for status, count in statuses.items():
        result.statuses[str(status)] = result.statuses.get(str(status), 0) + count


def prime(server: Server, urls: Urls, args: argparse.Namespace, seconds: float = 2.0) -> None:
    """Load every worker's lazy state (jieba's dictionary, URL resolvers, templates) before anything is measured."""
    requests = [
        request
        for scenario in ("listing", "detail", "search")
        for variant in ("ours", "stock", "bare")
        for request in variant_requests(urls, scenario, variant, {})[:4]
    ]
    result = Result("prime", server.name, len(requests))
    drive(result, server.port, requests, 2 * args.workers * args.server_threads, seconds, 0)
    log(f"server {server.name} primed: {result.requests} requests in {seconds:g} s, {result.errors} errors")
    for sample in result.error_samples:
        log(f"  error while priming: {sample}")


# -- report -------------------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    """PASS or MISS."""
    return "PASS" if ok else "MISS"


def _relative(path: str) -> str:
    """A path relative to the repository root when inside it (without resolving symlinks such as .venv's python)."""
    absolute = Path(os.path.abspath(path))
    return str(absolute.relative_to(ROOT)) if absolute.is_relative_to(ROOT) else path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report; the exit code follows --check / --check-errors."""
    args = parse_args(argv)
    if args.build_into:
        return build_into(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers and clean up when killed
    command = shlex.join([_relative(sys.executable), _relative(sys.argv[0]), *sys.argv[1:]])
    _fix_path()
    from bench.api_data import cache_key

    key = cache_key(args.pages, args.seed)
    run_dir = Path(tempfile.mkdtemp(prefix="sunlight-bench-api-"))
    servers: list[Server] = []
    try:
        database_url, var_dir, counts = prepare_data(args, key, run_dir)
        urls = collect_urls(database_url, var_dir, args.seed)
        log(f"starting 2 servers (gunicorn, {args.workers} workers x {args.server_threads} threads each)")
        warm = Server("warm", server_env(database_url, var_dir, args.redis_url), args, run_dir / "warm.log")
        servers.append(warm)
        cold_env = server_env(database_url, var_dir, args.redis_url, SUNLIGHT_API_CACHE="0")
        cold = Server("cold", cold_env, args, run_dir / "cold.log")
        servers.append(cold)
        warm.wait()
        cold.wait()
        for server in servers:
            prime(server, urls, args)
        return measure(args, command, key, counts, urls, warm, cold)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


def measure(args: argparse.Namespace, command: str, key: str, counts: dict, urls: Urls, warm: Server,
            cold: Server) -> int:  # fmt: skip
    """Drive every scenario's variants (rotating order per round), then print the tables and ratios."""
    etags: dict[str, str] = {}
    notes: list[str] = []
    plan: list[tuple[str, list[str]]] = []
    for scenario in args.scenarios:
        if scenario == "304":
            for query, _ in urls.listing:
                status, headers, _ = fetch(warm.port, f"/api/v2/pages/?{query}")
                if status == 200 and headers.get("etag"):
                    etags[query] = headers["etag"]
            if len(etags) < len(urls.listing):
                notes.append(f"304: no ETag from ours on {len(urls.listing) - len(etags)} listing URLs; skipped")
                print("304 revalidation: no ETag", flush=True)
                continue
            plan.append((scenario, ["ours", "bare"]))
        else:
            plan.append((scenario, ["ours", "ours-cold", "stock", "bare"]))
    results: dict[tuple[str, str], Result] = {}
    for scenario, variants in plan:
        for round_ in range(args.rounds):
            shift = round_ % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                requests = variant_requests(urls, scenario, variant, etags)
                result = results.setdefault((scenario, variant), Result(scenario, variant, len(requests)))
                port = cold.port if variant == "ours-cold" else warm.port
                drive(result, port, requests, args.threads, args.duration, args.warmup)
                log(f"{scenario:<8} {variant:<10} round {round_ + 1}/{args.rounds}: {result.rps:8.1f} req/s, "
                    f"{result.errors} errors")  # fmt: skip

    import django

    print()
    print(f"command: {command}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}, "
        f"django {django.get_version()}; database {'PostgreSQL' if args.database_url else 'SQLite'}; "
        f"load average at the start {LOAD_AT_START}, at the end {_load_average()}"
    )
    print(
        f"data: {counts.get('articles', 0)} articles + {counts.get('documents', 0)} documents, {counts.get('tags', 0)}"
        f" tag assignments, {counts.get('images', 0)} images ({key})"
    )
    print(
        f"load: {args.threads} keep-alive client threads, {args.duration:g} s measured after {args.warmup:g} s "
        f"warm-up per variant, {args.rounds} round(s); servers: gunicorn gthread, {args.workers} workers x "
        f"{args.server_threads} threads, one with SUNLIGHT_API_CACHE=0 (ours-cold)"
    )
    titles = {
        "listing": f"page listing ({len(urls.listing)} URLs: child_of a column, {LIMIT} items with fields)",
        "detail": f"page detail ({len(urls.detail)} pages)",
        "search": f"catalogue search ({len(urls.queries)} queries; stock: v2 ?search=, bare: title icontains)",
        "304": f"revalidation ({len(urls.listing)} listing URLs; ours with If-None-Match, bare answers 200)",
    }
    for scenario, variants in plan:
        print()
        print(f"== {titles[scenario]} ==")
        print(f"{'variant':<10} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'requests':>9} {'errors':>7}  statuses")
        for variant in variants:
            r = results[(scenario, variant)]
            statuses = " ".join(f"{status}:{count}" for status, count in sorted(r.statuses.items()))
            print(f"{variant:<10} {r.rps:>9.1f} {r.percentile(50):>9.2f} {r.percentile(99):>9.2f} "
                  f"{r.requests:>9} {r.errors:>7}  {statuses}")  # fmt: skip
            for sample in r.error_samples:
                print(f"  error: {sample}")
    print()
    print("== ratios of requests/s ==")
    missed = []
    ratios: dict[str, float] = {}
    for scenario, variant, baseline, goal in GOALS:
        name = f"{scenario} {variant}/{baseline}"
        if (scenario, variant) not in results or (scenario, baseline) not in results:
            if scenario in args.scenarios:
                missed.append(name)
                print(f"{name}: not measured (goal >= {goal}x)  MISS")
            continue
        ratio = results[(scenario, variant)].rps / max(results[(scenario, baseline)].rps, 1e-9)
        ratios[name] = ratio
        if ratio < goal:
            missed.append(name)
        print(f"{name}: {ratio:.2f}x (goal >= {goal}x)  {_verdict(ratio >= goal)}")
    for scenario, variant, baseline in INFO_RATIOS:
        if (scenario, variant) in results and (scenario, baseline) in results:
            ratio = results[(scenario, variant)].rps / max(results[(scenario, baseline)].rps, 1e-9)
            ratios[f"{scenario} {variant}/{baseline}"] = ratio
            print(f"{scenario} {variant}/{baseline}: {ratio:.2f}x  info")
    errors = sum(r.errors for r in results.values())
    for note in notes:
        print(note)
    print(f"errors: {errors}")
    print(f"run time: {time.perf_counter() - _STARTED:.0f} s")
    if args.json:
        payload = {
            "command": command,
            "cores": os.cpu_count(),
            "data": {**counts, "key": key},
            "options": {k: v for k, v in vars(args).items() if k != "build_into"},
            "results": [
                {**asdict(r), "latencies": None, "rps": r.rps, "p50_ms": r.percentile(50), "p99_ms": r.percentile(99)}
                for r in results.values()
            ],
            "ratios": ratios,
            "missed_goals": missed,
            "notes": notes,
        }
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.check and (missed or errors):
        return 1
    if args.check_errors and errors:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
