"""A catalog database that cannot be reached or read is an error, never an empty catalog (#14).

Only "no table yet" means nothing built. An unreachable PostgreSQL server (a closed port), a
corrupt SQLite file or a path that cannot be opened as one: the CLI says so in one sentence and
exits 2, the web answers 503 with the JSON error shape, and nothing on disk changes (a build that
took the catalog for an empty one used to delete every generation as a leftover).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from support import DATA, make_archive, snapshot
from web_support import free_port

from archive.build import rebuild
from archive.catalog import Catalog
from archive.generations import BuildState, CatalogUnavailable, sqlite_state
from archive.search import SearchRequest, SearchService
from web import create_app

DOC = "valid-telegram"


def closed_postgres_url() -> str:
    return f"postgresql+psycopg://archive:secret@127.0.0.1:{free_port()}/archive"


def run_cli(config, *args: str, url: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    env.pop("ARCHIVE_DATABASE_URL", None)
    if url:
        env["ARCHIVE_DATABASE_URL"] = url
    code = f"import sys; from archive.cli import main; sys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)


def on_disk(config) -> dict[str, bytes]:
    """Every file under index/ but the lock (whose text names the last process that took it)."""
    return {k: v for k, v in snapshot(config.index_dir).items() if k != "build.lock"}


@pytest.fixture
def built(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    assert rebuild(config).status == "built"
    return config


@pytest.fixture
def corrupt(built):
    """The built archive with its SQLite catalog overwritten by bytes that are no database."""
    catalog_file = built.index_dir / "catalog.sqlite3"
    for leftover in built.index_dir.glob("catalog.sqlite3-*"):
        leftover.unlink()
    catalog_file.write_bytes(b"not a database " * 300)
    return built


def unavailable_line(url: str, reason: str) -> str:
    return f"archive: cannot read the catalog database {url}: {reason}; nothing was changed\n"


def test_unreachable_postgres_is_an_error_not_an_empty_catalog(built):
    url = closed_postgres_url()
    with pytest.raises(CatalogUnavailable) as error:
        Catalog(url).state()
    shown = url.replace(":secret@", ":***@")
    assert re.fullmatch(rf"cannot read the catalog database {re.escape(shown)}: connection failed: "
                        r".*Connection refused.*", str(error.value)), str(error.value)
    assert "secret" not in str(error.value)

    before = on_disk(built)
    for command in (["build"], ["build", "--full"], ["show", DOC]):
        done = run_cli(built, *command, url=url)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stdout == ""
        assert done.stderr == unavailable_line(shown, str(error.value).split(": ", 1)[1]), command
        assert on_disk(built) == before, command  # no generation taken for a leftover


def test_corrupt_sqlite_catalog_is_an_error_and_nothing_is_deleted(corrupt):
    before = on_disk(corrupt)
    url = corrupt.database_url
    with pytest.raises(CatalogUnavailable, match="file is not a database"):
        sqlite_state(url)
    for command in (["build"], ["build", "--full"], ["show", DOC], ["search", "Vyshinsky"]):
        done = run_cli(corrupt, *command)
        assert (done.returncode, done.stdout, done.stderr) == (
            2, "", unavailable_line(url, "file is not a database")), command
        assert on_disk(corrupt) == before, command


def test_a_catalog_path_that_cannot_be_opened_is_an_error(tmp_path):
    """A folder where the catalog file should be (the tests run as root, so a file's mode
    would not stop them reading it)."""
    config = make_archive(tmp_path, DATA / "minimal")
    assert rebuild(config).status == "built"
    catalog_file = config.index_dir / "catalog.sqlite3"
    for path in config.index_dir.glob("catalog.sqlite3*"):
        path.unlink()
    catalog_file.mkdir()
    before = on_disk(config)
    for command in (["show", DOC], ["search", "Vyshinsky"], ["build"]):
        done = run_cli(config, *command)
        assert (done.returncode, done.stderr) == (
            2, unavailable_line(config.database_url, "unable to open database file")), command
        assert on_disk(config) == before, command


def test_no_catalog_yet_still_means_nothing_built(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    assert sqlite_state(config.database_url) == BuildState()
    catalog = Catalog(config.database_url)  # creates an empty SQLite file: no table yet
    try:
        assert catalog.state() == {}
    finally:
        catalog.dispose()
    done = run_cli(config, "show", DOC)  # nothing built: it builds first, as `serve` does (#17)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("archive: nothing built yet: building the catalog and index from ")
    assert done.stdout.startswith(f"id: {DOC}\npath: {DOC}.md\n")


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_web_answers_503_when_the_catalog_cannot_be_read(corrupt, database):
    config = corrupt
    url = config.database_url
    if database == "postgresql":
        url = closed_postgres_url()
        config = make_archive(config.documents_dir.parent / "pg", DATA / "minimal", database_url=url)
    app = create_app({"TESTING": True, "ARCHIVE_CONFIG": config})
    client = app.test_client()
    shown = url.replace(":secret@", ":***@")
    for path in (f"/api/documents/{DOC}", "/api/search?q=Vyshinsky", "/api/people"):
        response = client.get(path)
        body = response.get_json()
        assert (response.status_code, set(body)) == (503, {"ok", "error", "status"}), path
        assert (body["ok"], body["status"]) == (False, 503)
        assert body["error"].startswith(f"cannot read the catalog database {shown}: "), body
    page = client.get(f"/documents/{DOC}")
    assert page.status_code == 503 and "cannot read the catalog database" in page.text
    search = SearchService(config)
    try:
        with pytest.raises(CatalogUnavailable):
            search.search(SearchRequest(q="Vyshinsky"))
    finally:
        search.close()
