"""Archives the authority does not know, end to end: `archive check` warns (and says how to add
the archive), `archive build` accepts, and the archive browser, facets, search, citations and
exports show the archive as written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from support import DATA, make_archive

from archive import citations, export
from archive.browse import Browser
from archive.build import rebuild
from archive.catalog import Catalog
from archive.cli import main
from archive.search import SearchRequest, SearchService
from web import create_app

AUTHORITY = Path(__file__).parent.parent / "documents" / "authority" / "archives.yaml"
REGIONAL = "regional-archive"
FOREIGN = "foreign-archive"
HOW = ("is not in the archive authority; it is kept as written. To resolve it, add it to "
       "documents/authority/archives.yaml (id, name_en, name_ru, abbreviations; a former name "
       "goes under former_names)")


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    root = tmp_path_factory.mktemp("unknown-archives")
    config = make_archive(root, DATA / "minimal", DATA / "unknown-archives")
    shutil.copy(AUTHORITY, config.documents_dir / "authority" / "archives.yaml")
    return config


@pytest.fixture(scope="module")
def built(config):
    report = rebuild(config)
    assert report.status == "built", [str(p) for p in report.problems]
    return report


def test_check_warns_and_passes(config, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(config.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(config.index_dir))
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    documents = config.documents_dir
    assert out.splitlines() == [
        f'{documents}/foreign-archive.md:7: archive_refs: warning: archive "PRO" {HOW}',
        f'{documents}/regional-archive.md:9: archive_refs: warning: archive "GAKhK" {HOW}',
    ]
    assert err.strip() == "ok: 3 document(s) valid, 2 warning(s)"


def test_build_accepts_and_reports_the_warnings(built):
    assert built.problems == []
    assert [(p.path.rsplit("/", 1)[-1], p.line) for p in built.warnings] == [
        ("foreign-archive.md", 7), ("regional-archive.md", 9)]


def test_archive_browser_shows_the_archive_as_written(config, built):
    browser = Browser(config)
    tree = {node.value: node.label for node in browser.archive_tree()}
    assert tree == {
        "AVP RF": "Archive of Foreign Policy of the Russian Federation (AVP RF)",
        "GAKhK": "GAKhK",
        "PRO": "PRO",
        "RGANI": "Russian State Archive of Contemporary History (RGANI)",
    }
    gakhk = browser.archive_node("GAKhK")
    assert [(c.level, c.label) for c in gakhk.children] == [("fond", "f. P-137")]
    pro = browser.archive_node("PRO")
    assert [(c.level, c.label) for c in pro.children] == [("fond", "f. FO 371")]
    view = browser.document(FOREIGN)
    assert [(r.archive, r.archive_name, r.short, r.long, r.russian) for r in view.refs] == [
        ("PRO", "PRO", "FO 371/84053", "PRO, FO 371/84053", "PRO. FO 371/84053."),
        ("RGANI", "Russian State Archive of Contemporary History", "f. 5, op. 28, d. 5, ll. 1-3",
         "Russian State Archive of Contemporary History (RGANI), fond 5, opis 28, delo 5, "
         "listy 1-3",
         "РГАНИ. Ф. 5. Оп. 28. Д. 5. Л. 1-3."),
    ]
    [regional] = browser.document(REGIONAL).refs
    assert (regional.long, regional.russian) == (
        "GAKhK, fond P-137, opis 1, delo 2, list 14 ob.", "ГАХК. Ф. П-137. Оп. 1. Д. 2. Л. 14 об.")


def test_archives_page_and_api(config, built):
    client = create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()
    values = [a["value"] for a in client.get("/api/archives").get_json()["archives"]]
    assert values == ["AVP RF", "GAKhK", "PRO", "RGANI"]
    page = client.get("/archives").get_data(as_text=True)
    assert "GAKhK" in page and "PRO" in page
    assert client.get("/api/archives/GAKhK").status_code == 200
    page = client.get(f"/documents/{REGIONAL}").get_data(as_text=True)
    assert "GAKhK, fond P-137, opis 1, delo 2, list 14 ob." in page
    assert "ГАХК. Ф. П-137. Оп. 1. Д. 2. Л. 14 об." in page
    document = client.get(f"/api/documents/{REGIONAL}").get_json()
    assert document["archive_refs"][0]["archive_name"] == "GAKhK"


def test_facets_and_search(config, built):
    service = SearchService(config)
    try:
        result = service.search(SearchRequest())
        archive = [(b.value, b.label, b.count) for b in result.facets["archive"]]
        assert archive == [("AVP RF", "AVP RF", 1), ("GAKhK", "GAKhK", 1), ("PRO", "PRO", 1),
                           ("RGANI", "RGANI", 1)]
        found = service.search(SearchRequest(q="archive:GAKhK"))
        assert [h.id for h in found.hits] == [REGIONAL]
        filtered = service.search(SearchRequest(filters=(("archive", ("PRO",)),)))
        assert [h.id for h in filtered.hits] == [FOREIGN]
    finally:
        service.close()


def test_citations_and_exports(config, built):
    catalog = Catalog(config.database_url)
    context = export.Context.load(config, catalog)
    record = catalog.get(REGIONAL)
    item = citations.csl_json(record, context.people, context.archives, config.base_url)
    assert item == {
        "id": "regional-archive", "type": "personal_communication", "genre": "telegram",
        "title": "A telegram kept in a regional archive", "language": "en",
        "author": [{"family": "Shtykov", "given": "T. F."}],
        "recipient": [{"family": "Vyshinsky", "given": "A. Ya."}],
        "issued": {"date-parts": [[1950, 2, 7]]},
        "archive": "GAKhK", "archive_location": "f. P-137, op. 1, d. 2, l. 14 ob.",  # no place
        "note": "Original language: Russian",
        "URL": "http://127.0.0.1:8000/documents/regional-archive"}
    foreign = citations.csl_json(catalog.get(FOREIGN), context.people, context.archives,
                                 config.base_url)
    # the call number names the whole file: cited before the RGANI copy written after it
    assert (foreign["archive"], foreign["archive_location"], foreign["note"]) == (
        "PRO", "FO 371/84053",
        "Original language: English\nOther copies: RGANI, f. 5, op. 28, d. 5, ll. 1-3")
    chosen = export.whole_archive(catalog, config)
    rows = list(csv.DictReader(io.StringIO(
        b"".join(export.export(chosen, "csv", context)).decode("utf-8"))))
    assert {r["id"]: r["archive_refs"] for r in rows} == {
        FOREIGN: "PRO, FO 371/84053; RGANI, f. 5, op. 28, d. 5, ll. 1-3",
        REGIONAL: "GAKhK, f. P-137, op. 1, d. 2, l. 14 ob.",
        "valid-telegram": "AVP RF, f. 059a, op. 5a, d. 3, p. 11, ll. 87-91",
    }
    lines = b"".join(export.export(chosen, "jsonl", context)).decode("utf-8").splitlines()
    refs = {json.loads(line)["id"]: json.loads(line)["archive_refs"] for line in lines}
    assert refs[FOREIGN][0] == {
        "archive": "PRO", "fond": "FO 371", "opis": None, "delo": "84053", "papka": None,
        "listy": None, "cited": "PRO FO 371/84053", "call_number": "FO 371/84053",
        "primary": False, "short": "FO 371/84053",
    }


def test_rendered_citations_name_the_archive_as_written(config, built):
    catalog = Catalog(config.database_url)
    context = export.Context.load(config, catalog)

    def cite(doc_id, fmt):
        return citations.cite(catalog.get(doc_id), context.people, context.archives,
                              config.base_url, fmt)

    assert [cite(REGIONAL, "chicago-note"), cite(FOREIGN, "mla")] == [
        "T. F. Shtykov, “A Telegram Kept in a Regional Archive,” telegram to A. Ya. Vyshinsky, "
        "February 7, 1950, f. P-137, op. 1, d. 2, l. 14 ob., GAKhK, "
        f"{config.base_url}/documents/{REGIONAL}.",
        "“A Report Kept in a Foreign Archive.” Report. 2 Mar. 1950, PRO, FO 371/84053, "
        f"{config.base_url}/documents/{FOREIGN}.",
    ]
