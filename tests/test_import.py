"""`archive import`: the bundled collection round-trips through its JSONL export byte for byte;
CSV and Zotero CSL-JSON records are checked like `archive check`, duplicates are skipped, and
nothing is written on a dry run or while any record has a problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archive.cli import main

ROOT = Path(__file__).parent.parent


@pytest.fixture
def empty(tmp_path, monkeypatch):
    """An empty documents folder holding only the bundled name and archive authority."""
    documents = tmp_path / "empty" / "documents"
    shutil.copytree(ROOT / "documents" / "authority", documents / "authority")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(documents))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(tmp_path / "empty" / "index"))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    return documents


def sources(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md")) if p.name != "README.md"}


def test_jsonl_export_then_import_into_an_empty_folder_is_byte_identical(tmp_path, monkeypatch,
                                                                          capsys, empty):
    bundled = tmp_path / "bundled"
    shutil.copytree(ROOT / "documents", bundled / "documents")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(bundled / "documents"))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(bundled / "index"))
    exported = tmp_path / "all.jsonl"
    assert main(["export", "-f", "jsonl", "-o", str(exported)]) == 0
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(empty))
    capsys.readouterr()
    assert main(["import", str(exported)]) == 0  # dry run: nothing written
    out, err = capsys.readouterr()
    assert sources(empty) == {}
    assert out.count("would write ") == len(sources(ROOT / "documents")) == 61
    assert err == ("61 new document(s), 0 duplicate(s) skipped, 0 problem(s); run again with "
                   "--write to write them\n")
    assert main(["import", str(exported), "--write"]) == 0
    assert sources(empty) == sources(ROOT / "documents")
    capsys.readouterr()
    assert main(["import", str(exported), "--write"]) == 0  # again: every record a duplicate
    out, err = capsys.readouterr()
    assert err == "0 new document(s), 61 duplicate(s) skipped, 0 problem(s)\n"
    assert sources(empty) == sources(ROOT / "documents")


CSV_HEADER = "title,type,date,sender,recipient,archive_refs,summary,colour\n"


def test_csv_names_are_matched_with_suggestions_and_nothing_is_written(tmp_path, capsys, empty):
    sheet = tmp_path / "letters.csv"
    sheet.write_text(CSV_HEADER
                     + 'Kim to Stalin on arms,letter,1950-03-09,김일성,Stallin,"APRF, f. 45, op. 1, '
                     'd. 346, l. 10",A request.,red\n'
                     + "Mao to Stalin,telegram,14 May 1950,Mao Zedong,I. V. Stalin,,,\n",
                     encoding="utf-8")
    assert main(["import", str(sheet), "--write"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[:2] == [
        f"{sheet}:1: header: unknown column(s) colour ignored (known: id, title, type, number, "
        "date, date_note, sender, signed_as, recipient, via, copies_to, place_from, place_to, "
        "language, subjects, archive_refs, archive_ref_status, published_in, source_url, "
        "source_copies, translator, replies_to, confidence, confidence_note, summary)",
        f"{sheet}:2: recipient: unknown name 'Stallin' (not in the name authority, "
        "authority/people.yaml); did you mean 'I. V. Stalin'?",
    ]
    assert [line.split(": ")[1] for line in lines[2:] if line.startswith(f"{sheet}:3: ")] == [
        "date", "archive_refs"]  # an EDTF date is required, and refs or archive_ref_status
    assert err == ("0 new document(s), 0 duplicate(s) skipped, 3 problem(s): nothing was "
                   "written; fix the problems and run again\n")
    assert sources(empty) == {}


def test_csv_writes_valid_documents_named_from_date_and_people(tmp_path, capsys, empty):
    sheet = tmp_path / "letters.csv"
    sheet.write_text(CSV_HEADER
                     + 'Kim to Stalin on arms,letter,1950-03-09,金日成,Filippov,"APRF, f. 45, '
                     'op. 1, d. 346, l. 10",A request for arms.,\n', encoding="utf-8")
    assert main(["import", str(sheet), "--write"]) == 0
    written = empty / "1950-03-09-kim-il-sung-to-stalin.md"
    assert sources(empty) == {written.name: written.read_bytes()}
    assert written.read_text(encoding="utf-8") == (
        "---\ntitle: Kim to Stalin on arms\ntype: letter\ndate: '1950-03-09'\nsender:\n- 金日成\n"
        "recipient:\n- Filippov\narchive_refs:\n- APRF, f. 45, op. 1, d. 346, l. 10\n---\n\n"
        "## Summary\n\nA request for arms.\n")
    capsys.readouterr()
    assert main(["check"]) == 0


def test_zotero_csl_json_letters(tmp_path, capsys, empty):
    # The shape Zotero's "Export Collection... > CSL JSON" gives a letter with an archive location.
    items = [{"id": "http://zotero.org/users/1/items/ABCD", "type": "letter",
              "title": "Letter to Stalin", "author": [{"family": "Kim", "given": "Il Sung"}],
              "recipient": [{"family": "Stalin", "given": "I. V."}],
              "issued": {"date-parts": [["1950", "3", "9"]]}, "archive": "APRF",
              "archive_location": "f. 45, op. 1, d. 346, l. 10", "abstract": "Asks for arms."}]
    library = tmp_path / "zotero.json"
    library.write_text(json.dumps(items), encoding="utf-8")
    assert main(["import", str(library), "--write"]) == 0
    written = empty / "1950-03-09-kim-il-sung-to-stalin.md"
    assert written.read_text(encoding="utf-8") == (
        "---\ntitle: Letter to Stalin\ntype: letter\ndate: '1950-03-09'\nsender:\n- Kim Il Sung\n"
        "recipient:\n- I. V. Stalin\narchive_refs:\n- APRF, f. 45, op. 1, d. 346, l. 10\n---\n\n"
        "## Summary\n\nAsks for arms.\n")


@pytest.mark.parametrize("fmt", ["ris", "csl-json"])
def test_zotero_formats_of_the_bundled_collection_import_as_valid_documents(
        tmp_path, monkeypatch, capsys, empty, fmt):
    bundled = tmp_path / "bundled"
    shutil.copytree(ROOT / "documents", bundled / "documents")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(bundled / "documents"))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(bundled / "index"))
    exported = tmp_path / ("all.ris" if fmt == "ris" else "all.json")
    assert main(["export", "-f", fmt, "-o", str(exported)]) == 0
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(empty))
    capsys.readouterr()
    assert main(["import", str(exported), "--write"]) == 0
    assert capsys.readouterr().err == "61 new document(s), 0 duplicate(s) skipped, 0 problem(s)\n"
    assert len(sources(empty)) == 61
    assert main(["check"]) == 0
    capsys.readouterr()
    assert main(["import", str(exported), "--write"]) == 0  # again: each one a duplicate
    assert capsys.readouterr().err == "0 new document(s), 61 duplicate(s) skipped, 0 problem(s)\n"
