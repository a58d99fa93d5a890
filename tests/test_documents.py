"""Validation: one broken fixture per rule, each with its exact message (tests/data/invalid)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import DATA, make_archive, snapshot

from archive.cli import main
from archive.documents import load_collection, split_sections

INVALID = DATA / "invalid"
EXPECTED = (INVALID / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def invalid_archive(tmp_path, monkeypatch):
    config = make_archive(tmp_path, DATA / "minimal")
    for item in INVALID.iterdir():
        if item.name != "expected.txt":
            target = config.documents_dir / item.name
            (shutil.copytree if item.is_dir() else shutil.copy)(item, target)
    monkeypatch.chdir(tmp_path)
    return config


def test_check_reports_every_problem_in_one_run(invalid_archive, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", "documents")
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", "index")
    before = snapshot(invalid_archive.documents_dir)
    status = main(["check"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.splitlines() == EXPECTED
    assert err.strip() == f"{len(EXPECTED)} problem(s) in 31 document(s)"
    assert snapshot(invalid_archive.documents_dir) == before  # nothing was modified


@pytest.mark.parametrize("line", EXPECTED, ids=[line.split(":")[0] + ":" + line.split(":")[1]
                                                for line in EXPECTED])
def test_each_rule_alone(tmp_path, monkeypatch, line):
    """Each fixture, checked on its own next to a valid collection, gives exactly its message."""
    name = line.split(":")[0].removeprefix("documents/")
    config = make_archive(tmp_path, DATA / "minimal")
    source = INVALID / name
    target = config.documents_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    if name.startswith("twins/"):
        shutil.copytree(INVALID / "twins", config.documents_dir / "twins", dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    config = config.__class__(**{**config.__dict__, "documents_dir": Path("documents")})
    problems = [str(p) for p in load_collection(config, only=[Path("documents") / name]).problems]
    assert problems == [e for e in EXPECTED if e.startswith(f"documents/{name}:")]


def test_bom_and_crlf_are_accepted(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    shutil.copy(INVALID / "bom-crlf-accepted.md", config.documents_dir)
    collection = load_collection(config)
    assert collection.problems == []
    record = collection.records["bom-crlf-accepted"]
    assert (record.title, record.sender, record.recipient) == (
        "A BOM and CRLF line ends are accepted", ["stalin"], ["mao-zedong"])
    assert record.sections == {"summary": "Windows line ends."}


def test_oversized_file_is_refused_quickly(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    big = config.documents_dir / "huge.md"
    with big.open("wb") as handle:
        handle.write(b"---\ntitle: Huge\ntype: note\ndate: 1950-01-01\narchive_ref_status: not-found\n---\n")
        handle.write(b"word " * (20 * 1024 * 1024 // 5))
    problems = [str(p) for p in load_collection(config).problems]
    assert problems == [
        f"{big}:1: file: refused: {big.stat().st_size:,} bytes is over the limit of 5,000,000 "
        "(ARCHIVE_MAX_FILE_BYTES)"
    ]


def test_symlink_outside_documents_is_refused(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    outside = tmp_path / "secret.md"
    outside.write_text((DATA / "minimal" / "valid-telegram.md").read_text(encoding="utf-8"))
    link = config.documents_dir / "linked.md"
    link.symlink_to(outside)
    problems = [str(p) for p in load_collection(config).problems]
    assert problems == [
        f"{link}:1: file: refused: a symbolic link pointing outside the documents folder"]


def test_valid_record_is_complete(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    collection = load_collection(config)
    assert collection.problems == []
    data = collection.records["valid-telegram"].to_dict()
    del data["sha256"]
    assert data == {
        "id": "valid-telegram",
        "path": "valid-telegram.md",
        "title": "Shtykov to Vyshinsky, a valid test telegram",
        "type": "telegram",
        "date": {"text": "1950-01-19", "earliest": "1950-01-19", "latest": "1950-01-19",
                 "uncertain": False, "approximate": False},
        "body": "## Summary\n\nA short summary used by the validation tests.\n",
        "number": "No. 1",
        "date_note": None,
        "sender": ["shtykov"],
        "recipient": ["vyshinsky"],
        "via": [],
        "copies_to": [],
        "signed_as": None,
        "place_from": "Pyongyang",
        "place_to": "Moscow",
        "language": "ru",
        "subjects": ["testing"],
        "archive_refs": [{
            "archive": "AVP RF", "fond": "059a", "opis": "5a", "delo": "3", "papka": "11",
            "listy": "87-91", "cited": "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 87-91",
            "call_number": None,
            "primary": False,
        }],
        "archive_ref_status": None,
        "published_in": [],
        "source_url": None,
        "source_copies": [],
        "translator": None,
        "replies_to": [],
        "confidence": "high",
        "confidence_note": None,
        "sections": {"summary": "A short summary used by the validation tests."},
    }
    assert [s.id for s in collection.sets] == ["test-set"]


def test_sections_are_recognised():
    body = "Intro.\n\n## Summary\n\nShort.\n\n## Translation\n\nLong text.\n\n## Original\n\nТекст.\n"
    assert split_sections(body) == {"summary": "Short.", "translation": "Long text.",
                                    "original": "Текст."}


def test_check_on_named_paths_only(invalid_archive, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", "documents")
    assert main(["check", "documents/valid-telegram.md"]) == 0
    assert main(["check", "documents/unknown-field.md"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [e for e in EXPECTED if e.startswith("documents/unknown-field.md:")]
    assert main(["check", "documents/nothing-here.md"]) == 2


def test_to_dict_equals_dataclasses_asdict_for_the_bundled_collection():
    """Record.to_dict skips asdict's deep copies; it must give the same data for every record
    (references, sections, optional fields), with the date as date_to_dict gives it."""
    from dataclasses import asdict

    from archive.records import date_to_dict
    from archive.settings import load_config

    repo = Path(__file__).resolve().parent.parent
    collection = load_collection(load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(repo / "documents")))
    assert len(collection.records) > 50
    for record in collection.records.values():
        expected = {**asdict(record), "date": date_to_dict(record.date)}
        assert record.to_dict() == expected, record.id
        assert [type(v) for v in record.to_dict().values()] == [type(v) for v in expected.values()]
