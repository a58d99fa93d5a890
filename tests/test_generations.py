"""The current generation and its authorities as a fresh search process reads them: from SQLite
without SQLAlchemy, and from the generation's own authorities.json; the same as the catalog
says, on SQLite and on PostgreSQL, with the catalog as the fallback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from support import make_archive
from test_catalog import archive_config  # noqa: F401 - the SQLite + PostgreSQL fixture

from archive import catalog as catalog_module
from archive import engines, generations
from archive.build import rebuild
from archive.catalog import Catalog
from archive.search import SearchRequest, SearchService

COLLECTION = Path(__file__).parent / "data" / "collection"


def test_generation_and_authorities_equal_what_the_catalog_holds(archive_config):  # noqa: F811
    config = archive_config
    sqlite = config.database_url.startswith("sqlite")
    assert generations.sqlite_state(config.database_url) == (generations.BuildState() if sqlite
                                                             else None)
    assert rebuild(config).status == "built"
    (config.documents_dir / "valid-telegram.md").write_text(
        (config.documents_dir / "valid-telegram.md").read_text(encoding="utf-8") + "\nMore.\n",
        encoding="utf-8")
    assert rebuild(config).status == "built"  # an incremental build writes them too
    catalog = Catalog(config.database_url)
    try:
        build = generations.current_state(catalog)
        number = build.generation
        assert number == 2 and re.fullmatch("[0-9a-f]{32}", build.build_id)
        assert generations.load_build_id(engines.index_path(config, number)) == build.build_id
        fast = generations.sqlite_state(config.database_url)
        assert fast == (build if sqlite else None)
        people, archives = generations.load_authorities(engines.index_path(config, number))
        assert people == catalog.people() and archives == catalog.archives()
    finally:
        catalog.dispose()
    service = SearchService(config)
    try:
        result = service.search(SearchRequest(q="Vyshinsky"))
        assert [h.id for h in result.hits] == ["valid-telegram"] and service.generation() == 2
    finally:
        service.close()


def test_state_table_name_is_the_catalogs():
    assert generations.STATE_TABLE == catalog_module.meta.name


def test_missing_catalog_means_nothing_built(tmp_path):
    assert generations.sqlite_state(f"sqlite:///{tmp_path}/none.sqlite3") == generations.BuildState()
    assert not (tmp_path / "none.sqlite3").exists()


def test_urls_the_fast_path_does_not_parse_go_to_the_catalog(tmp_path):
    for url in (f"sqlite:///{tmp_path}/c.sqlite3?timeout=20", f"sqlite:///{tmp_path}/a%20b.sqlite3",
                "sqlite://", "postgresql+psycopg://u:p@127.0.0.1/db"):
        assert generations.sqlite_state(url) is None, url


def test_a_generation_without_saved_authorities_is_searched_with_the_catalogs(tmp_path):
    config = make_archive(tmp_path, COLLECTION)
    assert rebuild(config).status == "built"
    path = engines.index_path(config, generations.sqlite_state(config.database_url).generation)
    saved = json.loads((path / generations.AUTHORITIES_FILE).read_text(encoding="utf-8"))
    assert {p["id"] for p in saved["people"]} >= {"stalin", "vyshinsky"}
    (path / generations.AUTHORITIES_FILE).unlink()  # as a generation built before they were saved
    service = SearchService(config)
    try:
        found = service.search(SearchRequest(q="Filippov")).hits  # Stalin's code name
        assert found and service._catalog is not None
    finally:
        service.close()


def test_a_fresh_search_process_does_not_import_sqlalchemy(tmp_path):
    """SQLAlchemy's import is ~0.2 s of a cold `archive search`; the SQLite path avoids it."""
    config = make_archive(tmp_path, COLLECTION)
    assert rebuild(config).status == "built"
    code = ("import sys; from archive.cli import main; status = main(['search', 'Stalin']); "
            "print('sqlalchemy' in sys.modules, status)")
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    env.pop("ARCHIVE_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[-1] == "False 0", out
