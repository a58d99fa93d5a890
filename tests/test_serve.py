"""`archive serve`: a gunicorn master with one worker process per `--workers`, each answering
on the same port; it stops cleanly on SIGTERM and leaves no worker behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from web_support import build_web_archive, free_port, wait_until_serving

from archive.cli import main

ARCHIVE = [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main())"]


def children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie (an orphaned worker is reaped by init at any moment)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_serve_runs_the_workers_asked_for_and_stops_cleanly(tmp_path):
    config = build_web_archive(tmp_path)
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        server = subprocess.Popen([*ARCHIVE, "serve", "--port", str(port), "--workers", "2",
                                   "--threads", "2"], env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        wait_until_serving(port, server, log)
        workers = children(server.pid)
        assert len(workers) == 2, workers
        for path in ("/search?q=Stalin", "/api/search?q=Stalin"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                assert response.status == 200 and response.read()
    finally:
        server.send_signal(signal.SIGTERM)
        returncode = server.wait(timeout=30)
    assert returncode == 0, log.read_text()
    assert not any(alive(pid) for pid in workers)
    assert "serving" in log.read_text() and "2 worker(s) x 2 threads" in log.read_text()


@pytest.mark.parametrize("option", ["--workers", "--threads"])
def test_serve_refuses_fewer_than_one_worker_or_thread(tmp_path, monkeypatch, capsys, option):
    config = build_web_archive(tmp_path)
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(config.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(config.index_dir))
    assert main(["serve", option, "0"]) == 2
    assert capsys.readouterr().err == "archive: --workers and --threads must be at least 1\n"


def test_serve_names_an_address_in_use(tmp_path, monkeypatch, capsys):
    config = build_web_archive(tmp_path)
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(config.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(config.index_dir))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"archive: cannot listen on 127.0.0.1:{port}: Address already in use\n")
