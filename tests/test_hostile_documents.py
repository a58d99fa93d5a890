"""Hostile documents (#14): YAML alias bombs and duplicate keys in every YAML file we read, file
names that are not UTF-8, FIFOs, numbers too long to read, dates after today, and `check PATH`
on files outside the documents folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from support import DATA, make_archive

from archive.archives import AuthorityError as ArchiveAuthorityError
from archive.archives import load_archives
from archive.browse import _part_key
from archive.catalog import Catalog
from archive.cli import main
from archive.people import AuthorityError, load_people
from archive.sets import load_sets

ROOT = Path(__file__).resolve().parent.parent
LAUGHS = "".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n"
                 for p, c in zip("abcdefgh", "bcdefghi", strict=True))
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + LAUGHS
ANCHOR = "YAML anchor &{} refused: anchors and aliases are not accepted; write the value out in full"
ALIAS = "YAML alias *{} refused: anchors and aliases are not accepted; write the value out in full"
PEOPLE = (DATA / "minimal" / "authority" / "people.yaml").read_text(encoding="utf-8")
ARCHIVES = (DATA / "minimal" / "authority" / "archives.yaml").read_text(encoding="utf-8")


def test_people_authority_refuses_an_alias_bomb(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(f"- id: bomb\n  name: Bomb\n  note: *i\n  {BOMB.replace(chr(10), chr(10) + '  ')}",
                    encoding="utf-8")
    with pytest.raises(AuthorityError) as error:
        load_people(path)
    assert str(error.value) == f"{path}:3: note: {ALIAS.format('i')}"


def test_archive_authority_refuses_anchors_and_aliases(tmp_path):
    path = tmp_path / "archives.yaml"
    path.write_text(ARCHIVES + "- id: X\n  name_en: &n Name\n  name_ru: *n\n", encoding="utf-8")
    lines = len(ARCHIVES.splitlines())
    with pytest.raises(ArchiveAuthorityError) as error:
        load_archives(path)
    assert str(error.value).splitlines() == [
        f"{path}:{lines + 2}: name_en: {ANCHOR.format('n')}",
        f"{path}:{lines + 3}: name_ru: {ALIAS.format('n')}",
    ]


def test_people_authority_refuses_a_key_given_twice(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(PEOPLE + "- id: twice\n  name: One\n  name: Two\n", encoding="utf-8")
    line = len(PEOPLE.splitlines()) + 3
    with pytest.raises(AuthorityError) as error:
        load_people(path)
    assert str(error.value) == (
        f"{path}:{line}: name: key 'name' given twice (lines {line - 1} and {line}): keep one "
        "(YAML would silently keep only the last)")


def test_sets_refuse_an_alias_bomb_and_a_key_given_twice(tmp_path):
    (tmp_path / "bomb.yaml").write_text("title: Bomb\ndescription: *i\ndocuments: [x]\n" + BOMB,
                                        encoding="utf-8")
    (tmp_path / "twice.yaml").write_text("title: A\ntitle: B\ndescription: C\ndocuments: [x]\n",
                                         encoding="utf-8")
    sets, problems = load_sets(tmp_path, {"x"})
    assert sets == []
    assert [str(p) for p in problems] == [
        f"{tmp_path}/bomb.yaml:2: description: {ALIAS.format('i')}",
        f"{tmp_path}/bomb.yaml:4: a: {ANCHOR.format('a')}",
        f"{tmp_path}/bomb.yaml:5: b: {ANCHOR.format('b')}",
        f"{tmp_path}/bomb.yaml:6: c: {ANCHOR.format('c')}",
        f"{tmp_path}/bomb.yaml:7: d: {ANCHOR.format('d')}",
        f"{tmp_path}/bomb.yaml:8: e: {ANCHOR.format('e')}",
        f"{tmp_path}/bomb.yaml:9: f: {ANCHOR.format('f')}",
        f"{tmp_path}/bomb.yaml:10: g: {ANCHOR.format('g')}",
        f"{tmp_path}/bomb.yaml:11: h: {ANCHOR.format('h')}",
        f"{tmp_path}/bomb.yaml:12: i: {ANCHOR.format('i')}",
        f"{tmp_path}/twice.yaml:2: title: key 'title' given twice (lines 1 and 2): keep one "
        "(YAML would silently keep only the last)",
    ]


def test_archive_parts_sort_without_reading_them_as_numbers():
    """A catalog built before parts were bounded may hold one of 4,301 digits: the /archives
    tree sorts them without int() (which raised ValueError: every /archives page was a 500)."""
    huge = "3" * 4301
    parts = ["45", "5a", huge, "059a", None, "5", "abc", "10", "05", "٣"]
    assert sorted(parts, key=_part_key) == ["٣", "05", "5", "5a", "10", "45", "059a", huge,
                                            "abc", None]


@pytest.fixture
def archive_dir(tmp_path, monkeypatch):
    """A valid collection in tmp_path/documents, the current folder being tmp_path."""
    make_archive(tmp_path, DATA / "minimal")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", "documents")
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", "index")
    return tmp_path


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archive.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_fifo_named_like_a_document_is_skipped_without_being_opened(archive_dir):
    os.mkfifo(archive_dir / "documents" / "x.md")
    problem = "documents/x.md:1: file: skipped: not a regular file (a FIFO)"
    check = _run("check")
    assert (check.returncode, check.stdout, check.stderr) == (
        1, problem + "\n", "1 problem(s) in 2 document(s)\n")
    build = _run("build", "--allow-invalid", "--quiet")
    assert (build.returncode, build.stdout) == (0, problem + "\n")
    assert build.stderr.splitlines()[0] == "left out 1 invalid document(s): documents/x.md"
    again = _run("build", "--quiet")  # the lock was released: a second build runs
    assert (again.returncode, again.stdout) == (1, problem + "\n")


def test_a_file_name_that_is_not_utf8_is_reported_and_skipped(archive_dir, capsys):
    source = (archive_dir / "documents" / "valid-telegram.md").read_bytes()
    (archive_dir / os.fsdecode(b"documents/caf\xe9.md")).write_bytes(source)
    problem = r"documents/caf\xe9.md:1: file: the file name is not UTF-8 (byte 0xe9); rename the file"
    assert main(["check"]) == 1
    assert capsys.readouterr() == (problem + "\n", "1 problem(s) in 2 document(s)\n")
    assert main(["build", "--allow-invalid", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert (out, err.splitlines()[0]) == (
        problem + "\n", r"left out 1 invalid document(s): documents/caf\xe9.md")
    catalog = Catalog("sqlite:///index/catalog.sqlite3")
    try:
        assert [path for path, *_ in catalog.catalogued_files()] == ["valid-telegram.md"]
    finally:
        catalog.dispose()


def test_a_date_after_today_is_accepted_with_a_warning(archive_dir, capsys):
    text = (archive_dir / "documents" / "valid-telegram.md").read_text(encoding="utf-8")
    future = (date.today() + timedelta(days=400)).isoformat()
    (archive_dir / "documents" / "future.md").write_text(
        text.replace("date: 1950-01-19", f"date: {future}"), encoding="utf-8")
    warning = (f'documents/future.md:5: date: warning: "{future}" is after today '
               f"({date.today().isoformat()}); check the year (the document is accepted)\n")
    assert main(["check"]) == 0
    assert capsys.readouterr() == (warning, "ok: 2 document(s) valid, 1 warning(s)\n")
    assert main(["build", "--quiet"]) == 0
    assert capsys.readouterr().out == warning


def test_check_path_checks_files_outside_the_documents_folder(archive_dir, capsys):
    """`archive check PATH` used to say "ok" for any file it did not walk to."""
    shutil.copy(DATA / "invalid" / "unknown-field.md", archive_dir / "outside.md")
    (archive_dir / "README.md").write_text("# Notes\n", encoding="utf-8")
    (archive_dir / "documents" / "README.md").write_text("# About\n", encoding="utf-8")
    assert main(["check", "outside.md", "README.md", "documents/README.md"]) == 1
    assert capsys.readouterr() == (
        "README.md:1: front matter: missing: the file must start with a --- line\n"
        "documents/README.md:1: front matter: missing: the file must start with a --- line\n"
        "outside.md:5: recipent: unknown field; did you mean 'recipient'?\n",
        "3 problem(s) in 3 document(s)\n")
    shutil.copy(archive_dir / "documents" / "valid-telegram.md", archive_dir / "copy.md")
    assert main(["check", "copy.md"]) == 0
    assert capsys.readouterr() == ("", "ok: 1 document(s) valid\n")


def test_check_path_on_a_folder_checks_the_documents_in_it(archive_dir, capsys):
    folder = archive_dir / "elsewhere"
    folder.mkdir()
    for name in ("unknown-field.md", "replies-missing.md"):
        shutil.copy(DATA / "invalid" / name, folder)
    assert main(["check", "elsewhere"]) == 1
    assert capsys.readouterr() == (
        "elsewhere/replies-missing.md:6: replies_to: no document with id 'no-such-document' "
        "in the collection\n"
        "elsewhere/unknown-field.md:5: recipent: unknown field; did you mean 'recipient'?\n",
        "2 problem(s) in 2 document(s)\n")


def test_a_fifo_among_the_authority_and_set_files_is_never_opened(archive_dir):
    os.mkfifo(archive_dir / "documents" / "sets" / "fifo.yaml")
    check = _run("check")
    assert (check.returncode, check.stdout) == (
        1, "documents/sets/fifo.yaml:1: file: cannot read (not a regular file (a FIFO))\n")
    people = archive_dir / "documents" / "authority" / "people.yaml"
    people.unlink()
    os.mkfifo(people)
    problem = ("documents/authority/people.yaml:1: people: cannot read the name authority "
               "(not a regular file (a FIFO))\n")
    for command in (["check"], ["build", "--quiet"]):
        result = _run(*command)
        assert (result.returncode, result.stdout) == (1, problem)


def test_check_path_checks_authority_and_set_files_as_what_they_are(archive_dir, capsys):
    sets = archive_dir / "documents" / "sets"
    (sets / "broken.yaml").write_text("title: A\ndescription: B\ndocuments: [no-such-id]\n",
                                      encoding="utf-8")
    assert main(["check", "documents/authority/people.yaml", "documents/sets/test-set.yaml"]) == 0
    assert capsys.readouterr() == ("", "ok: 2 document(s) valid\n")
    assert main(["check", "documents/sets/broken.yaml"]) == 1
    assert capsys.readouterr() == (
        "documents/sets/broken.yaml:3: documents: no document with id 'no-such-id'\n",
        "1 problem(s) in 1 document(s)\n")
