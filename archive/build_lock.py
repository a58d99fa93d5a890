"""The build lock, and the rule that no process a build starts outlives it.

`index/build.lock` is held with `flock` by the build; the kernel releases it when the last file
descriptor of it closes, so a killed build cannot leave it locked by itself. Its text names the
holder (first line, shown to a build that is refused) and the workers the build started:

    pid 4242, started 2026-11-29 16:14:16 UTC
    worker 4250
    worker 4251

Worker processes are forked (Whoosh's parallel writer, one per core) and would inherit the locked
descriptor: after a SIGKILL of the build they lived on as orphans, blocked on a queue nobody
feeds, holding the lock forever. So while this process holds the lock, every process it forks
does this first (an `os.register_at_fork` hook, whatever library forks it):

- closes the inherited lock descriptor, so only the build itself holds the lock;
- asks Linux to SIGKILL it when its parent dies (`prctl(PR_SET_PDEATHSIG)`), then checks that
  the parent did not die before that;
- starts a thread that ends the process when its parent changes (the portable fallback, for
  systems without prctl);
- adds a `worker PID` line to the lock file.

And a build that finds the lock held while the process named in it is gone takes it over: the
processes still holding the lock file open that the file names as that build's workers are its
orphans; it kills them and takes the lock. Processes it cannot recognise are named in the error.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import re
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_WATCH_SECONDS = 0.5  # how often a worker without prctl looks for its parent
TAKEOVER_SECONDS = 10.0  # how long a build waits for killed orphans to let go of the lock


class BuildError(RuntimeError):
    """A build that cannot run or finish; the message is one sentence for the user."""


class BuildLocked(BuildError):
    """Another build holds the lock."""


class BuildLock:
    """An exclusive lock on `path` (index/build.lock) for one build; see the module docstring."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self._owner = 0

    def __enter__(self) -> BuildLock:
        global _held
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            if not _try_lock(fd):
                _take_over(self.path, fd)
        except BaseException:
            os.close(fd)
            raise
        # A lock file left by a killed build is not locked, so we get here: it is stale; reuse it.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n"
                  .encode(), 0)
        self._fd, self._owner = fd, os.getpid()
        _held = self
        return self

    def __exit__(self, *exc) -> None:
        global _held
        if _held is self:
            _held = None
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


# -- taking over the lock of a dead build ---------------------------------------------------

def _take_over(path: Path, fd: int) -> None:
    """Get the lock held by a dead build's orphans, or raise BuildLocked."""
    text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    holder_line = text.splitlines()[0].strip() if text.strip() else "unknown"
    holder = re.match(r"pid (\d+)", holder_line)
    if holder is None or _alive(int(holder.group(1))):
        raise BuildLocked(f"another build is running ({holder_line}); it holds the lock {path}")
    workers = {int(pid) for pid in re.findall(r"^worker (\d+)$", text, flags=re.M)}
    deadline = time.monotonic() + TAKEOVER_SECONDS
    while True:
        holding = _holders(path)
        if holding is None:
            # Who holds the file cannot be seen (no /proc), so nothing is killed on a pid alone
            # (it may name another process by now); the workers end themselves (parent watch).
            orphans, strangers = set(), sorted(pid for pid in workers if _alive(pid))
        else:
            orphans = workers & holding - {os.getpid()}
            strangers = sorted(holding - workers - {os.getpid()})
        for pid in orphans:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if _try_lock(fd):
            return
        if time.monotonic() > deadline or (holding is not None and strangers and not orphans):
            who = ", ".join(map(str, strangers)) or "unknown processes"
            raise BuildLocked(
                f"the build named in the lock {path} ({holder_line}) is no longer running, but "
                f"process(es) {who} still hold the lock: stop them, then build again")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust kill()
    return stat[stat.rindex(")") + 2:][:1] not in ("Z", "X")


def _holders(path: Path) -> set[int] | None:
    """Pids of the processes with `path` open (Linux /proc); None where that cannot be seen."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return None
    try:
        target = os.stat(path)
    except OSError:
        return set()
    found = set()
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                try:
                    info = os.stat(fd)
                except OSError:
                    continue
                if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
                    found.add(int(entry.name))
                    break
        except OSError:  # gone, or not ours to look at
            continue
    return found


# -- the processes a build forks --------------------------------------------------------------

_held: BuildLock | None = None  # the lock this process holds now, for the fork hook


def _in_forked_child() -> None:
    global _held
    lock, _held = _held, None
    if lock is None or lock._fd is None:
        return
    parent = lock._owner
    os.close(lock._fd)
    lock._fd = None
    _die_with(parent)
    try:
        record = os.open(lock.path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        try:
            os.write(record, f"worker {os.getpid()}\n".encode())
        finally:
            os.close(record)
    except OSError:
        pass  # the lock file is only a record; the worker dies with its parent anyway


def _die_with(parent: int) -> None:
    """End this process when `parent` dies: at once on Linux, within a moment elsewhere."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher below still works
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="archive-parent-watch", daemon=True).start()


os.register_at_fork(after_in_child=_in_forked_child)
