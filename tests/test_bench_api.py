"""The API benchmark runs end to end on a small data set: real gunicorn servers, every scenario, no errors.

Only the exit code, the printed scenario tables and ratio lines and the error counts are checked: the benchmark's
timings are measurements, never assertions.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.bench_runs import bench_env

ROOT = Path(__file__).resolve().parent.parent
VARIANT_ROW = re.compile(r"^(?:ours|ours-cold|stock|bare) +[\d.]+ +[\d.]+ +[\d.]+ +(\d+) +(\d+) ", re.MULTILINE)


def test_bench_api_small_run(tmp_path) -> None:
    """`bench/api.py --pages 300` with short windows exits 0 and prints every scenario and ratio, error-free."""
    env = bench_env()
    results = tmp_path / "results.json"
    command = [sys.executable, "bench/api.py", "--pages", "300", "--duration", "0.6", "--warmup", "0.2",
               "--threads", "2", "--workers", "1", "--check-errors", "--json", str(results)]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        process.terminate()  # the benchmark stops its servers on SIGTERM
        stdout, stderr = process.communicate(timeout=30)
    completed = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    for title in ("== page listing", "== page detail", "== catalogue search", "== revalidation"):
        assert title in completed.stdout, output
    rows = VARIANT_ROW.findall(completed.stdout)
    assert len(rows) == 3 * 4 + 2, output  # three scenarios x four variants, and 304: ours and bare
    assert all(int(requests) > 0 and int(errors) == 0 for requests, errors in rows), output
    for line in ("listing ours/stock: ", "listing ours/bare: ", "304 ours/bare: "):
        assert line in completed.stdout, output
    assert "errors: 0" in completed.stdout, output
    revalidated = [r for r in json.loads(results.read_text(encoding="utf-8"))["results"] if r["scenario"] == "304"]
    ours = next(r for r in revalidated if r["variant"] == "ours")
    assert set(ours["statuses"]) == {"304"}, output  # every revalidation of ours was answered 304 Not Modified
