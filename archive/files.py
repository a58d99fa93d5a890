"""Reading the files of the documents folder without ever blocking on one.

A FIFO (or a device) named like a document or an authority file would block the first read
forever, holding the build lock; such files are refused after a stat and never opened.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegular(OSError):
    """A path that is not a regular file; `strerror` says what it is."""

    def __init__(self, path: Path | str, info: os.stat_result):
        super().__init__(errno.EINVAL, f"not a regular file ({file_kind(info)})", str(path))


def read_regular(path: Path | str, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file; NotRegular for anything else, OSError (EFBIG) past
    `max_bytes`. Opened without blocking and checked again once open, in case a FIFO took the
    file's place after the stat."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegular(path, info)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(path, info)
        raw = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    if max_bytes is not None and len(raw) > max_bytes:
        raise OSError(errno.EFBIG, f"over the limit of {max_bytes:,} bytes "
                      "(ARCHIVE_MAX_FILE_BYTES)", str(path))
    return raw


def file_kind(info: os.stat_result) -> str:
    mode = info.st_mode
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISDIR, "a folder"))
    return next((name for test, name in kinds if test(mode)), "not a file")
