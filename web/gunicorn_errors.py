"""The security headers on the error responses gunicorn writes itself.

A request gunicorn cannot parse (a malformed request line 400, a line over `limit_request_line`
414, too many or too large header fields 431 ...) never reaches Flask, so `security.py` never sees
its response. Gunicorn writes that response in `Worker.handle_error` as one preformatted block;
our worker class (gunicorn's `worker_class` setting takes any subclass of its workers) hands
`handle_error` the client socket behind a thin wrapper that adds our headers to that block.
Raising the limits instead would let a stranger send unbounded request lines and headers.
"""

from __future__ import annotations

from gunicorn.workers.gthread import ThreadWorker

from .security import HEADERS

_HEADER_BLOCK = "".join(f"{name}: {value}\r\n" for name, value in HEADERS.items()).encode("latin-1")


def with_security_headers(response: bytes) -> bytes:
    """Insert our headers after the status line of a raw HTTP response (once)."""
    status_line, separator, rest = response.partition(b"\r\n")
    if not separator or not status_line.startswith(b"HTTP/"):
        return response
    return status_line + separator + _HEADER_BLOCK + rest


class _HeaderAddingSocket:
    """The client socket, but the first block sent gets our headers (gunicorn's error writer
    sends status line, headers and body in one `sendall`)."""

    def __init__(self, sock):
        self._sock = sock
        self._first = True

    def sendall(self, data: bytes, *args) -> None:
        if self._first:
            self._first = False
            data = with_security_headers(bytes(data))
        self._sock.sendall(data, *args)

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


class SecureThreadWorker(ThreadWorker):
    """gunicorn's threaded worker, its own error responses carrying our security headers."""

    def handle_error(self, req, client, addr, exc):
        super().handle_error(req, _HeaderAddingSocket(client), addr, exc)
