"""`bench/site.py` runs end to end on a small budget: the demo portal served by two gunicorn servers, every
variant answered without error, the revalidations all 304 and the ratio lines printed. Timings are measurements,
never assertions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.bench_runs import bench_env

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^(home|304) +(ours|ours-cold|bare) +[\d.]+ req/s .* errors (\d+) ", re.MULTILINE)


def test_bench_site_small_run(tmp_path) -> None:
    """Four variants, no error, 304 for every revalidation, a home page that renders in the layout."""
    env = bench_env()
    results = tmp_path / "results.json"
    command = [sys.executable, "bench/site.py", "--duration", "0.5", "--warmup", "0.1", "--threads", "2",
               "--workers", "1", "--server-threads", "1", "--json", str(results)]  # fmt: skip
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    rows = ROW.findall(completed.stdout)
    assert [(s, v) for s, v, _ in rows] == [("home", "ours"), ("home", "ours-cold"), ("304", "ours"), ("home", "bare")]
    assert all(errors == "0" for _, _, errors in rows), output
    for line in ("home ours/bare:", "home ours-cold/bare:", "304 ours/bare:", "home ours/ours-cold:"):
        assert line in completed.stdout, output
    data = {(r["scenario"], r["variant"]): r for r in json.loads(results.read_text())}
    assert set(data[("304", "ours")]["statuses"]) == {"304"}, output
    assert set(data[("home", "ours")]["statuses"]) == {"200"} and data[("home", "ours")]["rps"] > 0, output
