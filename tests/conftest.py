"""Shared fixtures: archives built in temporary folders from tests/data/collection.

- `built_archive` (session): the fixture collection copied and built once per test run (once
  per engine); yields its Config. Read-only: tests that change documents or the index use
  `config` instead.
- `config` (factory): `config()` copies the collection into a fresh tmp folder and returns its
  Config (not built) on the test's engine; `config(collection=None)` gives an empty documents
  folder; `config(env={...})` overrides settings such as ARCHIVE_DATABASE_URL.

Every engine: a test marked `engines` (a module opts in with `pytestmark = pytest.mark.engines`)
that builds its archive through `built_archive`, `config` or `engine_settings` runs once per
engine, `[whoosh]` and `[opensearch]`. The OpenSearch variants carry the `opensearch` mark
(`-m "not opensearch"` leaves them out); they skip while the OpenSearch engine is not built, and
start one OpenSearch node for the session when the first of them runs (`opensearch_url`).
"""

from __future__ import annotations

import itertools
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from opensearch_nodes import opensearch_engine_missing

from archive.build import rebuild
from archive.settings import Config, load_config

COLLECTION = Path(__file__).parent / "data" / "collection"
ENGINES = ["whoosh", pytest.param("opensearch", marks=pytest.mark.opensearch)]


def pytest_configure(config):
    for line in (
        "engines: runs once per search engine (Whoosh, OpenSearch) when it builds its archive "
        "through built_archive, config or engine_settings",
        "opensearch: needs a real OpenSearch node (Java 17 and Maven; tests/opensearch_nodes.py)",
        "opensearch_cluster: starts a three-node OpenSearch cluster and kills nodes (slow)",
    ):
        config.addinivalue_line("markers", line)


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("engines") and \
            "search_engine" in metafunc.fixturenames:
        metafunc.parametrize("search_engine", ENGINES, indirect=True, scope="session")


@pytest.fixture(scope="session")
def search_engine(request) -> str:
    """The engine of this variant: "whoosh" unless the test runs per engine (mark `engines`)."""
    return getattr(request, "param", "whoosh")


@pytest.fixture(scope="session")
def engine_settings(search_engine, request) -> Callable[[], dict[str, str]]:
    """Settings for one new archive on the test's engine: none for Whoosh; for OpenSearch,
    ARCHIVE_SEARCH_URL on the session's node with an index prefix of the archive's own."""
    if search_engine == "whoosh":
        return dict
    reason = opensearch_engine_missing()
    if reason:
        pytest.skip(reason)
    base = request.getfixturevalue("opensearch_url")
    numbers = itertools.count(1)
    return lambda: {"ARCHIVE_SEARCH_URL": f"{base}-{next(numbers)}"}


@pytest.fixture(scope="session")
def opensearch_node() -> Iterator:
    """One OpenSearch node for the whole session, started when a test first asks for it
    (skips without Java/Maven, fails instead under ARCHIVE_REQUIRE_SERVICES=1)."""
    from opensearch_nodes import require_launcher, start_cluster

    require_launcher()
    cluster = start_cluster(1)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def opensearch_url(opensearch_node) -> str:
    """`http://127.0.0.1:PORT/PREFIX`: the session's node with an index prefix no other test
    session shares."""
    return f"{opensearch_node.url}/archive-test-{uuid.uuid4().hex[:10]}"


def _make(root: Path, collection: Path | None = COLLECTION, env: dict | None = None) -> Config:
    documents = root / "documents"
    if collection is not None:
        shutil.copytree(collection, documents)
    else:
        documents.mkdir(parents=True)
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(documents),
                       ARCHIVE_INDEX_DIR=str(root / "index"), **(env or {}))


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory, engine_settings) -> Config:
    config = _make(tmp_path_factory.mktemp("built"), env=engine_settings())
    report = rebuild(config)
    assert report.status == "built", [str(p) for p in report.problems]
    return config


@pytest.fixture
def config(tmp_path, engine_settings) -> Callable[..., Config]:
    counter = iter(range(1_000_000))

    def make(collection: Path | None = COLLECTION, env: dict | None = None) -> Config:
        return _make(tmp_path / f"archive-{next(counter)}", collection,
                     {**engine_settings(), **(env or {})})

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
