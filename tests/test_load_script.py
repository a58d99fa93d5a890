"""scripts/load_test.py runs: a few seconds and a few requests against `archive serve` over a
small archive, and it refuses anything but loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from web_support import build_web_archive

SCRIPT = Path(__file__).parent.parent / "scripts" / "load_test.py"


def test_load_test_smoke(tmp_path):
    config = build_web_archive(tmp_path)
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    done = subprocess.run([sys.executable, str(SCRIPT), "--seconds", "2", "--clients", "3",
                           "--max-requests", "40", "--json"],
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == 0 and report["error_samples"] == []
    assert 0 < report["overall"]["requests"] <= 40
    assert report["clients"] == 3 and report["documents_seen"] == 15
    assert set(report["by_kind"]) <= {"search", "facet", "document", "export"}
    assert report["overall"]["p50_ms"] <= report["overall"]["p95_ms"] <= report["overall"]["p99_ms"]


def test_load_test_hostile_mix_smoke(tmp_path):
    config = build_web_archive(tmp_path)
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    done = subprocess.run([sys.executable, str(SCRIPT), "--seconds", "3", "--clients", "2",
                           "--hostile-clients", "2", "--max-requests", "60", "--json"],
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["errors"], report["error_samples"], report["hostile_clients"]) == (0, [], 2)
    assert report["by_kind"]["hostile"]["requests"] == sum(report["hostile_statuses"].values()) > 0
    assert set(report["hostile_statuses"]) <= {"200", "400", "503"}
    assert report["overall"]["requests"] == sum(
        stats["requests"] for kind, stats in report["by_kind"].items() if kind != "hostile")


def test_load_test_refuses_anything_but_loopback():
    done = subprocess.run([sys.executable, str(SCRIPT), "--url", "http://192.0.2.1:8000",
                           "--seconds", "1"], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "only http on loopback (127.0.0.1) is allowed" in done.stderr
