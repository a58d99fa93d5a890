"""The benchmark script still runs end to end (issue 7). Asserts nothing about time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "benchmark.py"


def test_benchmark_quick_runs_and_prints_the_table(tmp_path):
    # A tiny collection and few queries keep this to well under a minute on two cores.
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--sizes", "150", "--queries", "3",
         "--web-requests", "1", "--work", str(tmp_path / "bench")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| measure | 150: ours | 150: SQLite FTS5 | 150: ratio |")
    labels = [line.split(" | ")[0].removeprefix("| ") for line in lines[2:] if line.startswith("|")]
    assert labels == [
        "build, docs/s (peak RSS)",
        "one changed file rebuilt, s (nothing changed)",
        "`archive search` as a fresh process, s",
        *(f"{kind}: p50 / p95 / p99 ms" for kind in (
            "common term", "rare term", "two-term AND", "phrase", "name variant",
            "term + date range", "term + all facets", "empty query + all facets",
            "top-20 with snippets", "full search request (web page)")),
        "web, 16 clients: req/s, p95 ms (errors)",
        "export ZIP, docs/s (peak RSS)",
        "pictures of all documents (numbers + 3 SVGs), p50 / p95 ms",
    ]
    pictures = next(line for line in lines if line.startswith("| pictures"))
    assert "not measured" not in pictures  # the pictures step ran (#18)
    assert not (tmp_path / "bench" / "BENCHMARKS.md").exists()


def test_benchmark_rewrites_its_table_and_keeps_the_other_sections(tmp_path):
    """The script used to write BENCHMARKS.md from scratch, dropping the load test, search
    quality, hostile-query and pictures sections that other scripts and notes add."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark_script", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # its dataclasses look themselves up there
    spec.loader.exec_module(script)
    path = tmp_path / "BENCHMARKS.md"
    kept = "\n## Load test\n\nkept 1\n\n## Pictures\n\n| a | b |\n"
    path.write_text("# Benchmarks\n\nold table\n\n## Targets\n\n- old verdict\n" + kept)
    script.write_markdown(path, [], "150", 3)
    text = path.read_text()
    assert text.endswith("\n## Targets\n\n\n" + kept)
    assert "old table" not in text and "old verdict" not in text
    assert text.startswith("# Benchmarks\n\nWritten by `python scripts/benchmark.py`")
