"""Shared fixtures: archives built in temporary folders from tests/data/collection.

- `built_archive` (session): the fixture collection copied and built once per test run; yields its
  Config. Read-only: tests that change documents or the index use `config` instead.
- `config` (factory): `config()` copies the collection into a fresh tmp folder and returns its
  Config (not built); `config(collection=None)` gives an empty documents folder;
  `config(env={...})` overrides settings such as ARCHIVE_DATABASE_URL.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.build import rebuild
from archive.settings import Config, load_config

COLLECTION = Path(__file__).parent / "data" / "collection"


def _make(root: Path, collection: Path | None = COLLECTION, env: dict | None = None) -> Config:
    documents = root / "documents"
    if collection is not None:
        shutil.copytree(collection, documents)
    else:
        documents.mkdir(parents=True)
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(documents),
                       ARCHIVE_INDEX_DIR=str(root / "index"), **(env or {}))


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory) -> Config:
    config = _make(tmp_path_factory.mktemp("built"))
    report = rebuild(config)
    assert report.status == "built", [str(p) for p in report.problems]
    return config


@pytest.fixture
def config(tmp_path) -> Callable[..., Config]:
    counter = iter(range(1_000_000))

    def make(collection: Path | None = COLLECTION, env: dict | None = None) -> Config:
        return _make(tmp_path / f"archive-{next(counter)}", collection, env)

    return make


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, for the browser tests (see browser_support)."""
    from browser_support import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="browser tests need the playwright package")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
