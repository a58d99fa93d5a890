"""Response headers on every response, and the read-only rule (GET and HEAD only)."""

from __future__ import annotations

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",  # no 'unsafe-inline': scripts come only from /static
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
READ_METHODS = ("GET", "HEAD")
# POST where a URL would be too long (a selection of 1,000 documents) or to set the reader's own
# cookie; these endpoints write nothing on the server.
READ_ONLY_POSTS = ("selection.show", "selection.export", "selection.add", "selection.remove")


def init_app(app: Flask) -> None:
    app.before_request(_read_only)
    app.after_request(_headers)


def _read_only() -> None:
    # The public reader never writes: every other method (OPTIONS included) is refused.
    if request.method == "POST" and request.endpoint in READ_ONLY_POSTS:
        return
    if request.method not in READ_METHODS:
        abort(405, valid_methods=list(READ_METHODS))


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
