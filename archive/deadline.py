"""The per-request deadline: a search that runs too long stops with a clear error.

Threads cannot be killed, so the deadline is cooperative: the search service starts a request's
clock (`within`), and the stages that can take long (each node of the query tree, each prefix or
fuzzy expansion, each phrase word's positions, each hit highlighted, each word checked for "did
you mean") call `check()`, which raises SearchTimeout once the time is up. The clock lives in a
context variable, so each thread (each request of a threaded server) has its own, and the code
between the service and the checks passes nothing along.

The clock is the thread's CPU time, not the wall clock: the deadline bounds what one request
costs the server. On a busy server an ordinary search waits for the CPU and for the index lock;
measured in wall time it would time out only because of the others (a 2 s wall-clock deadline
turned ordinary searches into 503s in a load test with 20 clients on 2 cores), and shedding them
would not make the expensive ones cheaper.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class SearchTimeout(RuntimeError):
    """A search ran past its deadline and was stopped (an HTTP 503 in the API)."""

    def __init__(self, seconds: float):
        super().__init__(f"the search took more than {seconds:g} s of processing and was stopped; "
                         "try fewer or more specific terms")
        self.seconds = seconds


_ends: ContextVar[tuple[float, float] | None] = ContextVar("archive_search_deadline", default=None)


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Run the body under a deadline of `seconds` of this thread's CPU time from now (None or 0:
    no deadline).

    A deadline already running (a search inside a search) is kept if it ends sooner.
    """
    ends = (time.thread_time() + seconds, seconds) if seconds else None
    current = _ends.get()
    if current is not None and (ends is None or current[0] <= ends[0]):
        ends = current
    token = _ends.set(ends)
    try:
        yield
    finally:
        _ends.reset(token)


def check() -> None:
    """Raise SearchTimeout if the current request's deadline has passed."""
    ends = _ends.get()
    if ends is not None and time.thread_time() > ends[0]:
        raise SearchTimeout(ends[1])


def remaining() -> float | None:
    """Seconds left before the current request's deadline (None: there is none), for a call
    that waits on another process (a search engine's request timeout). Raises SearchTimeout
    when none are left."""
    ends = _ends.get()
    if ends is None:
        return None
    left = ends[0] - time.thread_time()
    if left <= 0:
        raise SearchTimeout(ends[1])
    return left


def timed_out() -> SearchTimeout:
    """The error for a call stopped at the current request's deadline."""
    ends = _ends.get()
    return SearchTimeout(ends[1] if ends else 0)
