"""`archive cite` in a formatted style exits promptly, every time (#14, item 6).

mini-racer's context destructor, left to interpreter teardown, could wait forever on a future:
about one run in four hung after printing the citation. The command now closes the engine itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RUNS = 30
TIMEOUT = 20  # seconds for one run; a healthy run takes about half a second


def test_cite_in_a_formatted_style_never_hangs_at_exit(built_archive):
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(built_archive.documents_dir),
           "ARCHIVE_INDEX_DIR": str(built_archive.index_dir),
           "ARCHIVE_DATABASE_URL": built_archive.database_url,
           "ARCHIVE_BASE_URL": "https://archive.example.org"}
    archive = Path(sys.executable).with_name("archive")
    command = [str(archive)] if archive.exists() else [sys.executable, "-m", "archive.cli"]
    outputs = set()
    for run in range(RUNS):
        style = ("chicago-note", "mla", "apa")[run % 3]
        try:
            result = subprocess.run(
                [*command, "cite", "1950-05-14-stalin-to-mao-no-8600", "--format", style],
                env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"run {run + 1} of {RUNS} ({style}) hung at exit") from None
        assert (result.returncode, result.stderr) == (0, ""), f"run {run + 1} ({style})"
        outputs.add((style, result.stdout))
    assert len(outputs) == 3  # each style printed the same citation on every run
