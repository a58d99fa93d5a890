"""The archive the web tests read: tests/data/collection plus tests/data/web (a set and a document
with hostile markup), copied into a temporary folder and built."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from archive.build import rebuild
from archive.settings import Config, load_config

DATA = Path(__file__).parent / "data"
HOSTILE = "1950-06-01-hostile-markup"


def build_web_archive(root: Path, env: dict | None = None) -> Config:
    """`env`: more settings (conftest's `engine_settings()` for the test's engine)."""
    documents = root / "documents"
    shutil.copytree(DATA / "collection", documents)
    shutil.copytree(DATA / "web", documents, dirs_exist_ok=True)
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(documents),
                         ARCHIVE_INDEX_DIR=str(root / "index"),
                         ARCHIVE_BASE_URL="https://archive.example.org", **(env or {}))
    report = rebuild(config)
    assert report.status == "built", [str(p) for p in report.problems]
    return config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Wait for a started `archive serve` to answer /api/; fail with its log if it exits."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=5):
                return
        except OSError:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "archive serve did not start"
            time.sleep(0.2)
