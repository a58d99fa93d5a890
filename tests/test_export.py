"""Bulk export: ZIP with byte-identical sources, CSV/JSONL/BibTeX/RIS/CSL-JSON, streamed."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import bibtexparser
import pytest
import rispy
from support import make_archive

from archive import export
from archive.build import rebuild
from archive.catalog import Catalog
from archive.cli import main

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, engine_settings):
    """The bundled collection, built once in a temporary folder."""
    config = make_archive(tmp_path_factory.mktemp("bundled"), ROOT / "documents",
                          env=engine_settings())
    assert rebuild(config).status == "built"
    catalog = Catalog(config.database_url)
    yield config, catalog, export.Context.load(config, catalog)
    catalog.dispose()


def collect(chunks) -> bytes:
    return b"".join(chunks)


def test_zip_holds_sources_byte_for_byte_and_every_member(bundled):
    config, catalog, context = bundled
    data = collect(export.export(export.whole_archive(catalog, config), "zip", context))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    sources = sorted(p.name for p in config.documents_dir.glob("*.md") if p.name != "README.md")
    assert sorted(n.removeprefix("documents/") for n in names if n.startswith("documents/")) == sources
    assert names[-6:] == ["manifest.csv", "documents.jsonl", "citations.bib", "citations.ris",
                          "citations.json", "README.txt"]
    for name in sources:
        assert archive.read(f"documents/{name}") == (config.documents_dir / name).read_bytes()
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert len(manifest) == len(sources) == catalog.count()
    assert len(archive.read("documents.jsonl").decode().splitlines()) == len(sources)
    assert len(json.loads(archive.read("citations.json"))) == len(sources)
    assert len(rispy.loads(archive.read("citations.ris").decode())) == len(sources)
    assert len(bibtexparser.parse_string(archive.read("citations.bib").decode()).entries) == len(sources)
    readme = archive.read("README.txt").decode()
    assert f"Count:    {len(sources)} document(s), complete (nothing was truncated)" in readme
    assert "What:     the whole archive" in readme


def test_curated_set_in_its_order_as_csv(bundled):
    config, catalog, context = bundled
    chosen = {s.id: s for s in catalog.sets()}["green-light-1950"]
    text = collect(export.export(export.curated_set(catalog, chosen.id, config), "csv", context,
                                 csv_bom=True)).decode("utf-8")
    assert text.startswith("\ufeffid,title,type,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["id"] for r in rows] == list(chosen.documents)
    record = catalog.get(chosen.documents[0])
    assert rows[0] == {key: str(value) for key, value in export.csv_row(record, context).items()}


def test_csv_row_joins_multi_valued_fields(bundled):
    config, catalog, context = bundled
    record = catalog.get("1950-07-01-feng-xi-to-shtykov-no-34691")
    row = export.csv_row(record, context)
    assert row["archive_refs"] == ("APRF, f. 45, op. 1, d. 346, l. 104; AVP RF, f. 059a, op. 5a, d. 3, "
                                   "p. 11, l. 107; RGASPI, f. 558, op. 11, d. 346, l. 0104")
    assert (row["sender"], row["recipient"], row["url"]) == (
        "I. V. Stalin", "T. F. Shtykov",
        "http://127.0.0.1:8000/documents/1950-07-01-feng-xi-to-shtykov-no-34691")


def test_csv_lists_the_other_copies_of_a_source(bundled):
    """The CSV had no source_copies column, so a spreadsheet lost the unofficial copy that JSONL
    and the API keep (#13); CSV import reads it back."""
    config, catalog, context = bundled
    record = catalog.get("1950-10-01-stalin-to-mao-zhou-via-roshchin")
    text = collect(export.export(export.ExportSet("one", lambda: [record], ""), "csv",
                                 context)).decode("utf-8")
    row = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert (row["source_url"], row["source_copies"]) == (
        record.source_url,
        "https://wilson-center-digital-archive.dvincitest.com/document/"
        "ciphered-telegram-filippov-stalin-mao-zedong-and-zhou-enlai-roshchin")
    assert list(row).index("source_copies") == list(row).index("source_url") + 1


@pytest.mark.parametrize("fmt, parse", [
    ("jsonl", lambda t: [json.loads(line)["id"] for line in t.splitlines()]),
    ("csl-json", lambda t: [item["id"] for item in json.loads(t)]),
    ("ris", lambda t: [e["urls"][0].rsplit("/", 1)[1] for e in rispy.loads(t)]),
    ("bibtex", lambda t: [e.key for e in bibtexparser.parse_string(t).entries]),
])
def test_each_direct_format_lists_every_document_in_order(bundled, fmt, parse):
    config, catalog, context = bundled
    text = collect(export.export(export.whole_archive(catalog, config), fmt, context)).decode()
    assert parse(text) == [r.id for r in catalog.records()]


def test_export_streams_without_reading_everything_first(bundled):
    config, catalog, context = bundled
    consumed = []

    def records():
        for record in catalog.records():
            consumed.append(record.id)
            yield record

    chosen = export.ExportSet("a test", records, "http://example.org/")
    for fmt in ("zip", "jsonl"):
        consumed.clear()
        chunks = export.export(chosen, fmt, context)
        next(chunks)
        assert len(consumed) <= 1, fmt
        rest = list(chunks)
        assert rest and len(consumed) == catalog.count()


def test_unknown_format_is_refused(bundled):
    config, catalog, context = bundled
    with pytest.raises(ValueError) as error:
        export.export(export.whole_archive(catalog, config), "pdf", context)
    assert str(error.value) == ("unknown export format 'pdf'; expected one of zip, csv, jsonl, "
                                "bibtex, ris, csl-json")


def test_cli_export_and_cite(bundled, tmp_path, monkeypatch, capsys):
    config, catalog, context = bundled
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(config.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(config.index_dir))
    monkeypatch.setenv("ARCHIVE_SEARCH_URL", config.search_url)
    monkeypatch.delenv("ARCHIVE_BASE_URL", raising=False)
    target = tmp_path / "set.jsonl"
    assert main(["export", "--set", "green-light-1950", "-f", "jsonl", "-o", str(target)]) == 0
    assert capsys.readouterr().err == (
        "archive: note: citations carry the default address http://127.0.0.1:8000; set "
        "ARCHIVE_BASE_URL to the reader's public address (e.g. "
        "ARCHIVE_BASE_URL=https://archive.example.org)\n"
        f'exported 13 document(s), the document set "The green light: January-May 1950", as jsonl '
        f"to {target}\n")
    assert len(target.read_text(encoding="utf-8").splitlines()) == 13
    assert not target.with_name("set.jsonl.part").exists()
    assert main(["export", "--set", "nope", "-f", "csv", "-o", str(target)]) == 2
    assert capsys.readouterr().err.startswith("archive: no document set 'nope' (known: ")
    assert main(["cite", "1950-05-14-stalin-to-mao-no-8600", "-f", "bibtex"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("@unpublished{1950-05-14-stalin-to-mao-no-8600,\n")
    assert err.count("archive: note: citations carry the default address") == 1
    monkeypatch.setenv("ARCHIVE_BASE_URL", "https://archive.example.org/")
    assert main(["cite", "1950-05-14-stalin-to-mao-no-8600", "-f", "ris"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "\nUR  - https://archive.example.org/documents/1950-05-14-stalin-to-mao-no-8600\n" in out
    assert main(["cite", "no-such-id"]) == 2
    assert capsys.readouterr().err == "archive: no document with id 'no-such-id'\n"
