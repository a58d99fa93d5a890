"""The web reader and JSON API: a thin HTTP layer over `archive.browse` and `archive.search`.

`create_app(test_config=None)` loads the defaults, then the environment (through
`archive.settings.load_config`), then `test_config`. Any `ARCHIVE_*` key in `test_config`
overrides that setting; `ARCHIVE_CONFIG` may hand over a ready `Config` (tests do).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from flask import Flask, current_app, request
from werkzeug.routing import BaseConverter

from archive.browse import Browser
from archive.engines import engine
from archive.settings import Config, load_config

from .caches import BoundedCache


class SlugConverter(BaseConverter):
    """A document, person or set id: never a dot or a slash, so never a path."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(JSON_AS_ASCII=False, MAX_CONTENT_LENGTH=1024 * 1024)
    test_config = dict(test_config or {})
    config = test_config.pop("ARCHIVE_CONFIG", None)
    if config is None:
        config = load_config(**{k: str(v) for k, v in test_config.items() if k.startswith("ARCHIVE_")})
    app.config.update({k: v for k, v in test_config.items() if not k.startswith("ARCHIVE_")})
    engine(config)  # an unusable ARCHIVE_SEARCH_URL stops the app at start (SettingError), never a 500
    app.extensions["archive"] = Services(config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.strict_slashes = False
    # No redirect from "/static//x" to "/static/x": Werkzeug builds its Location from the Host
    # header, whatever a client puts there. A doubled slash is simply not found.
    app.url_map.merge_slashes = False

    from . import api, errors, exports, pages, pictures, security, selection, unapi

    security.init_app(app)
    errors.init_app(app)
    pages.init_app(app)
    pictures.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(unapi.bp)
    app.register_blueprint(selection.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    return app


class Services:
    """The archive's services for one app: the browse model now, the search service on first use
    (both refresh themselves when a build commits a new generation), and the app's caches."""

    def __init__(self, config: Config):
        self.config = config
        self.browser = Browser(config)
        self.citations = BoundedCache(4096)  # formatted citations by (build, document id)
        self._search = None
        self._lock = threading.Lock()

    @property
    def search(self):
        if self._search is None:
            with self._lock:
                if self._search is None:
                    from archive.search import SearchService

                    self._search = SearchService(self.config)
        return self._search


def services() -> Services:
    return current_app.extensions["archive"]


def public_config() -> Config:
    """The settings for this request: without ARCHIVE_BASE_URL, citations, canonical links and
    exports carry the address the request came to (scheme, host and any script root)."""
    config = services().config
    if config.base_url_set:
        return config
    return replace(config, base_url=request.url_root.rstrip("/"))
