"""The search benchmark runs end to end on a small catalogue and our engine keeps its recall goal.

Only the exit code and the recall line are checked: the benchmark's timings are measurements, never assertions.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECALL_LINE = re.compile(r"^recall@10 ours: (\d+\.\d+) over (\d+) labelled queries", re.MULTILINE)


def test_bench_search_small_run() -> None:
    """`bench/search.py --entries 3000 --queries 10 --repeat 1 --check` exits 0 with recall@10 >= 0.95."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SUNLIGHT_EXTRA_PLUGINS")
    }
    completed = subprocess.run(
        [sys.executable, "bench/search.py", "--entries", "3000", "--queries", "10", "--repeat", "1", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    match = RECALL_LINE.search(completed.stdout)
    assert match, output
    assert float(match.group(1)) >= 0.95, output
    assert int(match.group(2)) > 0, output
