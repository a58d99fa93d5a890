"""A reader's selection on the command line: `export --ids/--ids-from` and `set new`."""

from __future__ import annotations

import json

import pytest

from archive.build import rebuild
from archive.catalog import Catalog
from archive.cli import main
from archive.selection import MAX_IDS, SelectionError, parse_ids

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

NO_8600 = "1950-05-14-stalin-to-mao-no-8600"
CONVERSATION = "1949-03-05-stalin-kim-conversation"
VOLUNTEERS = "1950-10-01-stalin-to-mao-volunteers"


@pytest.fixture
def cli_env(built_archive, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(built_archive.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(built_archive.index_dir))
    monkeypatch.setenv("ARCHIVE_SEARCH_URL", built_archive.search_url)
    monkeypatch.setenv("ARCHIVE_BASE_URL", "https://archive.example.org")  # no default-address note
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    return built_archive


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_parse_ids_takes_commas_spaces_lines_and_comments():
    text = f"# chapter 3\n{NO_8600}, {CONVERSATION}\n\n{VOLUNTEERS} {NO_8600}\n"
    assert parse_ids(text) == [NO_8600, CONVERSATION, VOLUNTEERS]
    with pytest.raises(SelectionError) as error:
        parse_ids(",".join(f"id-{i}" for i in range(MAX_IDS + 1)))
    assert str(error.value) == f"a selection holds at most {MAX_IDS} documents, got {MAX_IDS + 1}"


def test_export_ids_in_date_order(cli_env, capsys, tmp_path):
    target = tmp_path / "chosen.jsonl"
    status, out, err = run(capsys, "export", "--ids", f"{VOLUNTEERS},{CONVERSATION},{NO_8600}",
                           "-f", "jsonl", "-o", str(target))
    assert (status, out) == (0, "")
    assert err == f"exported 3 document(s), a selection of 3 document(s), as jsonl to {target}\n"
    ids = [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()]
    assert ids == [CONVERSATION, NO_8600, VOLUNTEERS]


def test_export_ids_from_file_matches_ids(cli_env, capsys, tmp_path):
    listed = tmp_path / "ids.txt"
    listed.write_text(f"{NO_8600}\n{CONVERSATION}\n", encoding="utf-8")
    from_file, from_flag = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(capsys, "export", "--ids-from", str(listed), "-f", "csv", "-o", str(from_file))[0] == 0
    assert run(capsys, "export", "--ids", f"{CONVERSATION},{NO_8600}", "-f", "csv",
               "-o", str(from_flag))[0] == 0
    assert from_file.read_bytes() == from_flag.read_bytes()
    assert len(from_file.read_text(encoding="utf-8").splitlines()) == 3


def test_unknown_ids_are_named_and_nothing_is_written(cli_env, capsys, tmp_path):
    target = tmp_path / "chosen.csv"
    status, out, err = run(capsys, "export", "--ids", f"{NO_8600},nope-1,nope-2", "-f", "csv",
                           "-o", str(target))
    assert (status, out, err) == (2, "", "archive: no document with ids nope-1, nope-2 "
                                  "(nothing was written)\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("argv", "message"), [
    (["--ids", "a", "--set", "green"], "archive: --ids and --ids-from export exactly those "
     "documents: give no query, filters or --set with them\n"),
    (["--ids", "a", "Stalin"], "archive: --ids and --ids-from export exactly those documents: "
     "give no query, filters or --set with them\n"),
    (["--ids", " , "], "archive: no ids given (nothing was written)\n"),
    (["--ids-from", "/nonexistent/ids.txt"],
     "archive: cannot read /nonexistent/ids.txt: No such file or directory\n"),
])
def test_bad_id_lists_are_refused(cli_env, capsys, tmp_path, argv, message):
    assert run(capsys, "export", *argv, "-f", "csv", "-o", str(tmp_path / "x.csv")) == (2, "", message)
    assert list(tmp_path.iterdir()) == []


def test_set_new_writes_a_valid_set_and_refuses_to_overwrite(config, capsys, monkeypatch, tmp_path):
    archive = config()
    assert rebuild(archive).status == "built"
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(archive.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(archive.index_dir))
    monkeypatch.setenv("ARCHIVE_SEARCH_URL", archive.search_url)
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    listed = tmp_path / "ids.txt"
    listed.write_text(f"{VOLUNTEERS}\n{CONVERSATION}\n", encoding="utf-8")
    path = archive.sets_dir / "chapter-3.yaml"
    status, out, err = run(capsys, "set", "new", "chapter-3", "--ids-from", str(listed),
                           "--title", "Chapter 3: sources", "--description", "Cited in chapter 3.")
    assert (status, out) == (0, "")
    assert err == f"wrote {path} (2 document(s)); run `archive build` to publish it\n"
    assert path.read_text(encoding="utf-8") == (
        "title: 'Chapter 3: sources'\ndescription: Cited in chapter 3.\ndocuments:\n"
        f"  - {CONVERSATION}\n  - {VOLUNTEERS}\n")
    report = rebuild(archive)
    assert report.status == "built", [str(p) for p in report.problems]
    catalog = Catalog(archive.database_url)
    try:
        saved = {s.id: s for s in catalog.sets()}["chapter-3"]
    finally:
        catalog.dispose()
    assert (saved.title, saved.description, saved.documents) == (
        "Chapter 3: sources", "Cited in chapter 3.", (CONVERSATION, VOLUNTEERS))

    before = path.read_bytes()
    status, out, err = run(capsys, "set", "new", "chapter-3", "--ids", NO_8600)
    assert (status, err) == (2, f"archive: {path} already exists; choose another name\n")
    assert path.read_bytes() == before


@pytest.mark.parametrize(("argv", "message"), [
    (["chapter-4", "--ids", f"{NO_8600},nope"],
     "archive: no document with id nope (nothing was written)\n"),
    (["Chapter 4", "--ids", NO_8600],
     "archive: set name 'Chapter 4': use lower-case letters, digits and hyphens (e.g. chapter-3)\n"),
    (["chapter-4"], "archive: give the documents with --ids-from FILE or --ids ID,ID,...\n"),
])
def test_set_new_refuses_bad_input(cli_env, capsys, argv, message):
    before = sorted(cli_env.sets_dir.glob("*")) if cli_env.sets_dir.exists() else []
    assert run(capsys, "set", "new", *argv) == (2, "", message)
    after = sorted(cli_env.sets_dir.glob("*")) if cli_env.sets_dir.exists() else []
    assert after == before
