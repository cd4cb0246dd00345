"""The masking benchmark runs end to end on a few letters and every planted value is masked.

Only the exit code and the report's lines are checked: timings are measurements, never assertions.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_masking_small_run() -> None:
    """`bench/masking.py --letters 20 --repeat 1 --check` exits 0 and reports a throughput ratio."""
    completed = subprocess.run(
        [sys.executable, "bench/masking.py", "--letters", "20", "--repeat", "1", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert re.search(r"^throughput: mask_text [\d,]+ chars/s, find_personal_data .* ratio \d", output, re.M), output
    planted = re.search(r"^planted personal data gone after masking: (\d+)/(\d+)$", output, re.M)
    assert planted and planted.group(1) == planted.group(2) and int(planted.group(2)) > 100, output
