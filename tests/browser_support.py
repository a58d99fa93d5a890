"""What the browser tests share: Debian's Chromium driven by Playwright (which never downloads a
browser here), the app served on a free loopback port, and the rule that a missing Chromium
skips the tests with the reason, except under ARCHIVE_REQUIRE_SERVICES=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}

if not CHROMIUM.exists() and os.environ.get("ARCHIVE_REQUIRE_SERVICES"):
    raise RuntimeError("ARCHIVE_REQUIRE_SERVICES is set but /usr/bin/chromium is missing")
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need /usr/bin/chromium "
                       "(apt-get install chromium)"),
]


@contextmanager
def serving(config) -> Iterator[str]:
    """The app over `config`, served on a free loopback port by a threaded WSGI server in this
    process (so that the tests share the app's state); yields its address."""
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, create_app({"ARCHIVE_CONFIG": config}), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)
