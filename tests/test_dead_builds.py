"""A build killed with SIGKILL leaves no process and no lock behind (#14 item 2).

A full build of a large collection indexes in two worker processes (Whoosh's parallel writer).
Killed by SIGKILL, the build used to leave them running as orphans that held the lock, and every
later build was refused naming a dead pid. Now they die with their parent, and a lock still held
by the named workers of a dead build is taken over (the orphans are killed).
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import generations
from archive.build import BuildLocked, rebuild
from archive.catalog import Catalog
from archive.search import SearchRequest, SearchService, SearchUnavailable
from archive.settings import load_config

ROOT = Path(__file__).parent.parent
DOCUMENTS = 1500  # indexing lasts several seconds even on an idle machine
# The parallel writer starts at 2,000 documents (archive.engines.whoosh.writing's
# PARALLEL_THRESHOLD); the builds here lower that so that these documents keep the two workers
# busy for seconds: the same code.
BUILD = [sys.executable, "-c",
         "import sys; import archive.engines.whoosh.writing as engine; engine.PARALLEL_THRESHOLD = 100; "
         "from archive.cli import main; sys.exit(main(['build', '--full', '--quiet']))"]


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (a zombie holds no file open)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def lock_is_free(config) -> bool:
    fd = os.open(config.index_dir / "build.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def reader_sees(config) -> tuple[int, int, int]:
    """(generation, catalogued documents, documents found by a search), from fresh readers."""
    catalog = Catalog(config.database_url)
    try:
        generation = generations.current_state(catalog).generation
        count = catalog.count() if generation else 0
    finally:
        catalog.dispose()
    service = SearchService(config)
    try:
        found = service.search(SearchRequest()).total
    except SearchUnavailable:
        found = 0
    finally:
        service.close()
    return generation, count, found


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("dead-builds")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_collection.py"), str(DOCUMENTS),
                    str(root / "documents"), "--jobs", "1"], check=True, capture_output=True)
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(root / "documents"),
                       ARCHIVE_INDEX_DIR=str(root / "index"))


def kill_mid_indexing(config, env, delay: float) -> None:
    """Start a full build, SIGKILL it `delay` s after both workers started; no worker may live on."""
    process = subprocess.Popen(BUILD, env=env)
    workers: set[int] = set()
    try:
        def started() -> bool:
            assert process.poll() is None, "the build ended before its workers started"
            workers.update(children(process.pid))
            return len(workers) >= 2

        wait_for(started, 120, "the build did not start two workers")
        time.sleep(delay)
        assert process.poll() is None, "the build ended before it was killed: use more documents"
        lock = config.index_dir / "build.lock"
        assert lock.read_text().splitlines()[0].startswith(f"pid {process.pid}, started ")
        # each worker adds its line as it starts, a moment after it appears in /proc
        wait_for(lambda: {f"worker {pid}" for pid in workers} <= set(lock.read_text().splitlines()),
                 10, "the lock file does not name the workers")
        process.send_signal(signal.SIGKILL)
        process.wait()
        wait_for(lambda: not any(running(pid) for pid in workers), 5,
                 f"workers {sorted(workers)} outlived the killed build")
        assert lock_is_free(config)
    finally:
        for pid in workers:  # never leave a stray process, even when the test fails
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            process.wait()


def test_sigkill_during_a_full_build_leaves_no_worker_and_no_lock(large):
    config = large
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    env.pop("ARCHIVE_DATABASE_URL", None)
    for delay in (0.0, 1.0):  # a fresh index
        kill_mid_indexing(config, env, delay)
        assert reader_sees(config) == (0, 0, 0)
    subprocess.run(BUILD, env=env, check=True, timeout=600)
    assert reader_sees(config) == (1, DOCUMENTS, DOCUMENTS)
    for delay in (0.3, 1.6):  # a rebuilt index: readers keep the last complete build
        kill_mid_indexing(config, env, delay)
        assert reader_sees(config) == (1, DOCUMENTS, DOCUMENTS)
    subprocess.run(BUILD, env=env, check=True, timeout=600)
    assert reader_sees(config) == (2, DOCUMENTS, DOCUMENTS)
    assert sorted(p.name for p in (config.index_dir / "whoosh").iterdir()) == ["000001", "000002"]


# A build as an older version left it: killed, its worker alive and holding the lock (it forked
# the worker without the protection above). `named` says whether the lock file names it.
DEAD_BUILD = r"""
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
worker = os.fork()
if worker == 0:
    for stream in (1, 2):  # let the caller read the output to its end
        os.dup2(os.open(os.devnull, os.O_RDWR), stream)
    time.sleep(300)
    os._exit(0)
named = f"worker {worker}\n" if sys.argv[2] == "named" else ""
os.write(fd, f"pid {os.getpid()}, started 1950-06-25 04:00:00 UTC\n{named}".encode())
print(worker, flush=True)
os._exit(0)
"""


def leave_orphan(config, named: bool) -> int:
    config.index_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", DEAD_BUILD, str(config.index_dir / "build.lock"),
                           "named" if named else "unnamed"], capture_output=True, text=True,
                          check=True)
    orphan = int(done.stdout)
    assert running(orphan) and not lock_is_free(config)
    return orphan


def test_a_lock_held_by_a_dead_builds_worker_is_taken_over(config):
    archive = config()
    orphan = leave_orphan(archive, named=True)
    try:
        assert rebuild(archive).status == "built"
        assert not running(orphan)
    finally:
        if running(orphan):
            os.kill(orphan, signal.SIGKILL)


def test_a_lock_held_by_a_process_the_lock_does_not_name_is_refused(config):
    archive = config()
    orphan = leave_orphan(archive, named=False)
    try:
        with pytest.raises(BuildLocked) as error:
            rebuild(archive)
        lock = archive.index_dir / "build.lock"
        holder = (lock.read_text().splitlines()[0])
        assert str(error.value) == (
            f"the build named in the lock {lock} ({holder}) is no longer running, but "
            f"process(es) {orphan} still hold the lock: stop them, then build again")
        assert running(orphan)  # never killed: nothing says it belongs to that build
    finally:
        os.kill(orphan, signal.SIGKILL)
    wait_for(lambda: not running(orphan), 5, "the orphan did not die")
    assert rebuild(archive).status == "built"


# A build whose worker cannot use prctl (as on systems other than Linux): the worker's watch of
# its parent is what ends it.
WITHOUT_PRCTL = r"""
import os, signal, sys, time
from pathlib import Path
from archive import build_lock
build_lock.PR_SET_PDEATHSIG = 0  # an invalid option: prctl fails and asks for nothing
with build_lock.BuildLock(Path(sys.argv[1])):
    worker = os.fork()
    if worker == 0:
        for stream in (1, 2):
            os.dup2(os.open(os.devnull, os.O_RDWR), stream)
        time.sleep(300)
        os._exit(0)
    print(worker, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_worker_without_prctl_ends_when_its_build_dies(config):
    archive = config()
    archive.index_dir.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", WITHOUT_PRCTL, str(archive.index_dir / "build.lock")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    worker = int(done.stdout)
    try:
        wait_for(lambda: not running(worker), 5, "the worker outlived its build")
        assert lock_is_free(archive)
    finally:
        if running(worker):
            os.kill(worker, signal.SIGKILL)


def test_without_proc_a_named_pid_alone_is_never_killed(config, monkeypatch):
    """Where the holders of a file cannot be seen, a pid named in the lock may belong to another
    process by now: the build waits for the workers to end themselves, then names them."""
    from archive import build_lock

    monkeypatch.setattr(build_lock, "_holders", lambda path: None)
    monkeypatch.setattr(build_lock, "TAKEOVER_SECONDS", 0.5)
    archive = config()
    orphan = leave_orphan(archive, named=True)
    try:
        with pytest.raises(BuildLocked, match=rf"process\(es\) {orphan} still hold the lock"):
            rebuild(archive)
        assert running(orphan)
    finally:
        os.kill(orphan, signal.SIGKILL)
