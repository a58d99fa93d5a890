"""Errors users can reach end in one sentence, never a traceback (#14 item 9): an index folder
that cannot be written, a database URL we cannot use, a port out of range, and ZIP exports of
files changed or removed since the build."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import DATA, make_archive

from archive.cli import main

URL_FORMS = ("expected sqlite:///path/to/catalog.sqlite3 or "
             "postgresql+psycopg://user:password@host/database")


@pytest.fixture
def archive_dir(tmp_path, monkeypatch):
    make_archive(tmp_path, DATA / "collection")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", "documents")
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", "index")
    monkeypatch.setenv("ARCHIVE_BASE_URL", "https://archive.example.org")
    return tmp_path


def _unwritable_folder(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder / "index"
    # root ignores file modes; sysfs refuses new entries even to root
    if not Path("/sys/kernel").is_dir():
        pytest.skip("running as root without /sys: no folder root cannot write")
    return Path("/sys/archive-index-test")


def test_an_index_folder_that_cannot_be_written_is_one_sentence(archive_dir, monkeypatch, capsys):
    index = _unwritable_folder(archive_dir)
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(index))
    assert main(["build", "--quiet"]) == 1
    reason = os.strerror(1 if os.geteuid() == 0 else 13)  # EPERM from sysfs, else EACCES
    assert capsys.readouterr() == ("", (
        f"archive: cannot write the index folder {index} ({reason}: {index}); the catalog and "
        "index were left as they were (set ARCHIVE_INDEX_DIR to a folder you can write)\n"))


@pytest.mark.parametrize("command", [["search", "Kim"], ["show", "valid-telegram"]])
def test_building_first_into_a_folder_that_cannot_be_written_is_one_sentence(
        archive_dir, monkeypatch, capsys, command):
    index = _unwritable_folder(archive_dir)  # nothing built yet: these commands build first
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(index))
    assert main(command) == 1
    reason = os.strerror(1 if os.geteuid() == 0 else 13)
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"archive: cannot write the index folder {index} ({reason}: {index}); the catalog and "
        "index were left as they were (set ARCHIVE_INDEX_DIR to a folder you can write)")


@pytest.mark.parametrize("url, problem", [
    ("nosuchdb://host/db", "unknown database scheme 'nosuchdb'"),
    ("not a url", "not a database URL"),
    ("mysql://user:secret@host/db", "the database driver for 'mysql' is not installed (MySQLdb)"),
])
@pytest.mark.parametrize("command", [["build", "--quiet"], ["show", "x"], ["export", "-f", "csv",
                                                                           "-o", "-"]])
def test_a_database_url_we_cannot_use_is_one_sentence(archive_dir, monkeypatch, capsys, url,
                                                      problem, command):
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", url)
    assert main(command) == 2
    assert capsys.readouterr() == ("", f"archive: ARCHIVE_DATABASE_URL: {problem}; {URL_FORMS}\n")


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http", "٨٠٨٠"])
def test_serve_refuses_a_port_out_of_range(archive_dir, capsys, port):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", port])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"archive serve: error: argument --port: expected a port from 1 to 65535, got {port!r}")


MANIFEST_AND_CITATIONS = ["manifest.csv", "documents.jsonl", "citations.bib", "citations.ris",
                          "citations.json", "README.txt"]


def test_zip_export_leaves_out_sources_changed_or_removed_since_the_build(archive_dir, capsysbinary):
    assert main(["build", "--quiet"]) == 0
    documents = archive_dir / "documents"
    sources = sorted(p.name for p in documents.glob("*.md"))
    changed, removed = "1950-01-30-stalin-to-shtykov.md", "1949-11-shtykov-report.md"
    with (documents / changed).open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added after the build.\n")
    (documents / removed).unlink()
    capsysbinary.readouterr()

    assert main(["export", "--format", "zip", "-o", "-"]) == 1
    out, err = capsysbinary.readouterr()
    left_out = [f"documents/{removed} (removed)", f"documents/{changed} (changed)"]  # as exported
    assert err.decode().splitlines() == [
        "exported 14 document(s), the whole archive, as zip to standard output",
        f"archive: 2 source(s) changed or removed since the build were left out (listed in "
        f"README.txt): {', '.join(left_out)}; run `archive build` and export again",
    ]
    archive = zipfile.ZipFile(io.BytesIO(out))
    kept = [name for name in sources if name not in (changed, removed)]
    names = archive.namelist()
    assert (sorted(names[:-6]), names[-6:]) == ([f"documents/{name}" for name in kept],
                                                MANIFEST_AND_CITATIONS)
    for name in kept:
        assert archive.read(f"documents/{name}") == (documents / name).read_bytes()
    manifest = archive.read("manifest.csv").decode("utf-8-sig").splitlines()
    assert len(manifest) == 1 + len(sources)  # the catalogued metadata of every document
    readme = archive.read("README.txt").decode().splitlines()
    exported = datetime.strptime(readme[9], "Exported: %Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - exported).total_seconds()) < 60
    assert readme == [
        "Export from the archive of diplomatic telegrams on the origins of the Korean War",
        "",
        "WARNING: 2 source file(s) changed or removed since the archive was built are NOT in "
        "documents/;",
        "their rows and citations here describe the version that was catalogued. Rebuild the "
        "archive and export again for a complete set:",
        f"  documents/{removed} (removed)",
        f"  documents/{changed} (changed)",
        "",
        "What:     the whole archive",
        f"Count:    {len(sources)} document(s), {len(kept)} with their source (see the warning above)",
        f"Exported: {exported:%Y-%m-%d %H:%M:%S} UTC",
        "See it:   https://archive.example.org/",
        "",
        "Contents",
        "  documents/       the Markdown source of every document, byte for byte",
        "  manifest.csv     one row per document (UTF-8 with BOM; multi-valued fields joined by '; ')",
        "  documents.jsonl  one JSON record per line, with parsed references and canonical names",
        "  citations.bib    BibTeX (@unpublished; the archive reference is in note)",
        "  citations.ris    RIS, as Zotero imports letters",
        "  citations.json   CSL-JSON",
        "",
        "How to cite this set",
        f"  The whole archive. Exported {exported:%d %B %Y} from https://archive.example.org/.",
        "  Cite each document individually from citations.* (each carries its archive reference).",
    ]
