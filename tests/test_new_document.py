"""`archive new`: one document from flags or prompts, checked, never replacing a file."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from archive.cli import main

ROOT = Path(__file__).parent.parent


@pytest.fixture
def documents(tmp_path, monkeypatch):
    folder = tmp_path / "documents"
    shutil.copytree(ROOT / "documents" / "authority", folder / "authority")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(folder))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    return folder


EXPECTED = ("---\ntitle: Kim to Stalin\ntype: letter\ndate: '1950-03-09'\nsender:\n- 金日成\n"
            "recipient:\n- Filippov\narchive_refs:\n- APRF, f. 45, op. 1, d. 346, l. 10\n---\n\n"
            "## Summary\n\nAsks for arms.\n")
FLAGS = ["new", "--title", "Kim to Stalin", "--type", "letter", "--date", "1950-03-09",
         "--sender", "金日成", "--recipient", "Filippov", "--ref", "APRF, f. 45, op. 1, d. 346, l. 10",
         "--summary", "Asks for arms."]


def test_flags_write_one_valid_document_and_never_overwrite(documents, capsys):
    assert main(FLAGS) == 0
    path = documents / "1950-03-09-kim-il-sung-to-stalin.md"
    assert capsys.readouterr().err == f"wrote {path}\n"
    assert path.read_text(encoding="utf-8") == EXPECTED
    assert main(["check"]) == 0
    capsys.readouterr()
    assert main([*FLAGS[:-1], "Something else."]) == 1
    assert capsys.readouterr().err == f"archive: {path} already exists; give another --id\n"
    assert path.read_text(encoding="utf-8") == EXPECTED


def test_every_problem_is_named_and_nothing_written(documents, capsys):
    status = main(["new", "--title", "X", "--type", "letter", "--date", "14 May", "--sender",
                   "Stallin", "--recipient", "Mao Zedong"])
    assert status == 1
    assert capsys.readouterr().err == (
        'archive: date: expected an EDTF date such as 1950-05-14, 1950-05, 1950, '
        '1950-05-13/1950-05-14, 1950-10-02? or ~1949-05, got "14 May"\n'
        "archive: sender: unknown name 'Stallin' (not in the name authority, "
        "authority/people.yaml); did you mean 'I. V. Stalin'?\n")
    assert list(documents.glob("*.md")) == []


def test_prompts_check_names_and_references_as_typed(documents, capsys, monkeypatch):
    answers = "Kim to Stalin\nletter\n1950-03-09\nKim Ir Sen\n金日成\nMao\nFilippov\n" \
              "APRF, fond\nAPRF, f. 45, op. 1, d. 346, l. 10\nAsks for arms.\n"
    stdin = io.StringIO(answers)
    stdin.isatty = lambda: True
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["new"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == ["  no person or body called 'Kim Ir Sen' in the name authority; did you "
                       "mean Kim Il Sung?",
                       "  no person or body called 'Mao' in the name authority; did you mean "
                       "Mao Zedong?"]
    assert err[2].startswith("  ") and len(err) == 4  # the reference's problem, then "wrote"
    assert (documents / "1950-03-09-kim-il-sung-to-stalin.md").read_text(encoding="utf-8") == EXPECTED


def test_no_flags_without_a_terminal_is_refused(documents, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["new"]) == 2
    assert "give the fields as flags" in capsys.readouterr().err
