"""scripts/benchmark_refs.py still runs end to end (issue 13). Asserts nothing about time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "benchmark_refs.py"


def test_benchmark_refs_prints_every_row(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "refs"), "--size", "30"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    names = [line.rsplit(None, 5)[0] for line in result.stdout.splitlines()]
    assert names == ["strings", "generated collection", "published footnotes",
                     "hostile: 400 archives not in the authority", "hostile: labels without numbers",
                     "hostile: dotted numbers", "hostile: capitalised words, then a call number",
                     "hostile: a file continued after prose"]
