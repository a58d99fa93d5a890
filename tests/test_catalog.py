"""The catalog on SQLite and on a real PostgreSQL server, through the same code."""

from __future__ import annotations

import os

import pytest
from support import DATA, make_archive

from archive import catalog as catalog_module
from archive.build import rebuild
from archive.catalog import Catalog
from archive.documents import load_collection

POSTGRES_URL = os.environ.get("ARCHIVE_TEST_POSTGRES_URL", "")


def _postgres_url() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    if os.environ.get("ARCHIVE_REQUIRE_SERVICES"):
        pytest.fail("ARCHIVE_REQUIRE_SERVICES is set but ARCHIVE_TEST_POSTGRES_URL is not")
    pytest.skip("no PostgreSQL server configured: set ARCHIVE_TEST_POSTGRES_URL "
                "(e.g. postgresql+psycopg://user:pass@127.0.0.1/db); .ci/run starts one")


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_config(request, tmp_path):
    if request.param == "sqlite":
        yield make_archive(tmp_path, DATA / "minimal")
        return
    url = _postgres_url()
    fresh = Catalog(url)
    catalog_module.metadata.drop_all(fresh.engine)
    fresh.dispose()
    yield make_archive(tmp_path, DATA / "minimal", database_url=url)
    cleanup = Catalog(url)
    catalog_module.metadata.drop_all(cleanup.engine)
    cleanup.dispose()


def test_catalog_round_trips_records_people_archives_sets(archive_config):
    config = archive_config
    (config.documents_dir / "second.md").write_text(
        (DATA / "minimal" / "valid-telegram.md").read_text(encoding="utf-8")
        .replace("date: 1950-01-19", "date: 1949-09~")
        .replace("sender: Shtykov", "sender: [Filippov, Politburo]")
        .replace("  - AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 87-91",
                 "  - APRF, f. 45, op. 1, d. 346, l. 104; and RGASPI, f. 558, op. 11, d. 346, ll. 0104."),
        encoding="utf-8")
    assert rebuild(config).status == "built"
    collection = load_collection(config)
    catalog = Catalog(config.database_url)
    try:
        assert catalog.engine.dialect.name == ("postgresql" if "postgresql" in config.database_url
                                               else "sqlite")
        assert catalog.count() == 2
        # Date order (earliest first), whole records equal to what validation produced.
        assert [r.to_dict() for r in catalog.records()] == [
            collection.records["second"].to_dict(), collection.records["valid-telegram"].to_dict()]
        assert catalog.get("second").sender == ["stalin", "politburo"]
        assert [(r.archive, r.listy) for r in catalog.get("second").archive_refs] == [
            ("APRF", "104"), ("RGASPI", "0104")]
        assert catalog.get("missing") is None
        assert [r.id for r in catalog.records(["valid-telegram", "nope", "second"])] == [
            "valid-telegram", "second"]
        assert catalog.people() == sorted(collection.people, key=lambda p: p.id)
        assert catalog.archives() == sorted(collection.archives, key=lambda a: a.id)
        assert catalog.sets() == collection.sets
        assert catalog.file_hashes() == {
            r.path: (r.sha256, r.id) for r in collection.records.values()}
        assert catalog.state()["generation"] == "1"
    finally:
        catalog.dispose()


def test_incremental_build_updates_rows(archive_config):
    config = archive_config
    rebuild(config)
    path = config.documents_dir / "valid-telegram.md"
    path.write_text(path.read_text(encoding="utf-8").replace("subjects: [testing]",
                                                             "subjects: [testing, revision]"))
    report = rebuild(config)
    assert (report.status, report.updated) == ("built", ["valid-telegram"])
    catalog = Catalog(config.database_url)
    try:
        assert catalog.get("valid-telegram").subjects == ["testing", "revision"]
        assert catalog.state()["generation"] == "2"
    finally:
        catalog.dispose()


def test_a_catalog_from_before_unknown_archives_widens_the_archive_column(tmp_path):
    """PostgreSQL keeps column lengths: an archive_refs table made when archive ids had 40
    characters is widened, so a name as cited (here 47 characters) can be stored."""
    url = _postgres_url()
    old = Catalog(url)
    catalog_module.metadata.drop_all(old.engine)
    old.create()
    with old.engine.begin() as conn:
        conn.execute(catalog_module.text(
            "ALTER TABLE archive_refs ALTER COLUMN archive TYPE VARCHAR(40)"))
    old.dispose()
    config = make_archive(tmp_path, DATA / "minimal", database_url=url)
    (config.documents_dir / "long-archive-name.md").write_text(
        "---\ntitle: A long archive name\ntype: report\ndate: 1950-03-02\narchive_refs:\n"
        "  - Central State Archive of the October Revolution, f. 1, op. 2, d. 3\n---\n\nBody.\n",
        encoding="utf-8")
    try:
        assert rebuild(config).status == "built"
        catalog = Catalog(url)
        assert [r.archive for r in catalog.get("long-archive-name").archive_refs] == [
            "Central State Archive of the October Revolution"]
        catalog.dispose()
    finally:
        cleanup = Catalog(url)
        catalog_module.metadata.drop_all(cleanup.engine)
        cleanup.dispose()
