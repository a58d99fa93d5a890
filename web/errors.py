"""One function turns every error into a response: JSON under /api, a friendly page elsewhere.

Domain exceptions know nothing of HTTP; `STATUS` maps them to status codes.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from archive.browse import NotFound
from archive.engines import SearchEngineUnavailable
from archive.facets import IndexOutdated
from archive.generations import CatalogUnavailable
from archive.search import SearchError, SearchTimeout, SearchUnavailable

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    503: "Not available yet",
    500: "Something went wrong",
}


class BadRequest(ValueError):
    """A bad parameter; `errors` lists each problem when there are several."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


def _status(error: Exception) -> int:
    if isinstance(error, HTTPException):
        return error.code or 500
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, BadRequest | SearchError):
        return 400
    if isinstance(error, SearchUnavailable | SearchTimeout | CatalogUnavailable | IndexOutdated
                  | SearchEngineUnavailable):
        return 503
    return 500


def handle_error(error: Exception):
    """Every error, expected or not, becomes one response."""
    status = _status(error)
    if status == 500 and not isinstance(error, HTTPException):
        log.exception("unexpected error on %s %s", request.method, request.path)
        message = "internal error: the problem was logged"
    elif isinstance(error, HTTPException):
        message = _http_message(error)
    else:
        message = str(error)
    headers = {}
    if isinstance(error, HTTPException):
        headers = {k: v for k, v in error.get_headers() if k.lower() == "allow"}
    if request.path == "/api" or request.path.startswith("/api/"):
        body = {"ok": False, "error": message, "status": status}
        errors = getattr(error, "errors", None)
        if errors:
            body["errors"] = errors
        response = jsonify(body)
    else:
        title = "Search took too long" if isinstance(error, SearchTimeout) else TITLES.get(status, "Error")
        response = render_template("error.html", status=status, title=title, message=message)
    return response, status, headers


def _http_message(error: HTTPException) -> str:
    if error.code == 404:
        return f"nothing at {request.path}"
    if error.code == 405:
        return f"method {request.method} not allowed: the archive is read-only (GET and HEAD only)"
    return error.description or error.name


def init_app(app: Flask) -> None:
    app.register_error_handler(Exception, handle_error)
