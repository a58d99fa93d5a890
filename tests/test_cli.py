"""The command line forgives: unquoted words, errors naming the flag typed, pages past the end,
exports that count, ids found from a part or a file name, a first build on demand, help topics."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from archive.cli import main
from archive.help import QUERY_SECTIONS, TOPICS

NO_8600 = "1950-05-14-stalin-to-mao-no-8600"
VOLUNTEERS = "1950-10-01-stalin-to-mao-volunteers"


@pytest.fixture
def cli_env(built_archive, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(built_archive.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(built_archive.index_dir))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    # a set address: the default one is noted on stderr (tested with the citations)
    monkeypatch.setenv("ARCHIVE_BASE_URL", "https://archive.example.org")
    return built_archive


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def search_json(capsys, *argv: str) -> dict:
    status, out, err = run(capsys, "search", *argv, "--json")
    assert (status, err) == (0, "")
    return json.loads(out)


# -- unquoted words ----------------------------------------------------------------------------

def test_unquoted_words_are_one_query(cli_env, capsys):
    unquoted = search_json(capsys, "38th", "parallel")
    assert unquoted == search_json(capsys, "38th parallel")
    assert unquoted["total"] > 0


def test_unquoted_words_with_options_between_and_after(cli_env, capsys):
    assert search_json(capsys, "Kim", "Stalin", "--date-from", "1950") == \
        search_json(capsys, "Kim Stalin", "--date-from", "1950")


# -- errors name the flag typed ----------------------------------------------------------------

@pytest.mark.parametrize(("argv", "message"), [
    (["--limit", "500"], 'archive: --limit: expected a whole number from 1 to 100, got "500"\n'),
    (["--limit", "0"], 'archive: --limit: expected a whole number from 1 to 100, got "0"\n'),
    (["--page", "0"], 'archive: --page: expected a whole number from 1, got "0"\n'),
    (["--date-from", "1950-06", "--date-to", "1950-01"],
     "archive: --date-to: 1950-01 is before --date-from 1950-06\n"),
    (["--date-from", "May"],
     'archive: --date-from: expected a date such as 1950, 1950-05 or 1950-05-14, got "May"\n'),
    (["--date-to", "1950-13"],
     'archive: --date-to: expected a date such as 1950, 1950-05 or 1950-05-14, got "1950-13"\n'),
    (["--sender", "Stallin"], 'archive: --sender: no person or body called "Stallin" in the name '
                              "authority; did you mean I. V. Stalin?\n"),
    (["--recipient", "Nobody"],
     'archive: --recipient: no person or body called "Nobody" in the name authority\n'),
])
def test_search_errors_name_the_flag(cli_env, capsys, argv, message):
    assert run(capsys, "search", "Kim", *argv) == (2, "", message)


def test_a_field_in_the_query_keeps_its_own_name(cli_env, capsys):
    assert run(capsys, "search", "sender:Nobody") == (
        2, "", 'archive: sender: no person or body called "Nobody" in the name authority\n')


def test_a_quoted_value_is_left_as_typed(cli_env, capsys):
    assert run(capsys, "search", "--date-from", "page_size") == (
        2, "", 'archive: --date-from: expected a date such as 1950, 1950-05 or 1950-05-14, '
               'got "page_size"\n')


# -- a page past the end -----------------------------------------------------------------------

def test_a_page_past_the_end_says_so(cli_env, capsys):
    total = search_json(capsys, "Kim")["total"]
    pages = -(-total // 3)
    assert run(capsys, "search", "Kim", "--limit", "3", "--page", "99") == (
        2, "", f"archive: --page: page 99 of {pages}: past the last page "
               f"({total} document(s), 3 a page)\n")
    status, out, _ = run(capsys, "search", "Kim", "--limit", "3", "--page", str(pages))
    assert status == 0 and out.splitlines()[0] == f"{3 * (pages - 1) + 1}-{total} of {total} " \
        "document(s), sorted by relevance"


def test_no_results_is_not_past_the_end(cli_env, capsys):
    status, out, err = run(capsys, "search", "zzzzqx")
    assert (status, out.splitlines()[-1], err) == (0, "0 document(s), sorted by relevance", "")


# -- export counts, warns on zero, suggests names -------------------------------------------------

def test_export_prints_the_count(cli_env, capsys, tmp_path):
    target = tmp_path / "kim.csv"
    total = search_json(capsys, "Kim")["total"]
    assert run(capsys, "export", "Kim", "-f", "csv", "-o", str(target)) == (
        0, "", f"exported {total} document(s), search results for q=Kim, as csv to {target}\n")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == total


def test_export_of_nothing_warns_and_keeps_the_old_file(cli_env, capsys, tmp_path):
    target = tmp_path / "kim.csv"
    target.write_text("earlier work\n", encoding="utf-8")
    assert run(capsys, "export", "Kimm", "-f", "csv", "-o", str(target)) == (
        1, "", 'archive: nothing to export: no documents match; did you mean "kim"? '
               "(nothing was written)\n")
    assert target.read_text(encoding="utf-8") == "earlier work\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kim.csv"]


def test_export_of_an_empty_date_range_warns(cli_env, capsys, tmp_path):
    assert run(capsys, "export", "--date-from", "1960", "-f", "jsonl", "-o", "-") == (
        1, "", "archive: nothing to export: no documents match (nothing was written)\n")


def test_export_suggests_names_as_search_does(cli_env, capsys, tmp_path):
    expected = ('archive: --sender: no person or body called "Stallin" in the name authority; '
                "did you mean I. V. Stalin?\n")
    assert run(capsys, "export", "--sender", "Stallin", "-f", "csv", "-o", str(tmp_path / "x")) == (
        2, "", expected)
    assert run(capsys, "search", "--sender", "Stallin") == (2, "", expected)


def test_export_to_standard_output_counts_too(cli_env, capsys):
    status, out, err = run(capsys, "export", "-f", "jsonl", "-o", "-")
    count = len(list(cli_env.documents_dir.glob("*.md")))
    assert (status, len(out.splitlines())) == (0, count)
    assert err == f"exported {count} document(s), the whole archive, as jsonl to standard output\n"


# -- show and cite find ids from a part, a path or a file name --------------------------------------

@pytest.mark.parametrize("typed", [
    NO_8600,
    f"{NO_8600}.md",
    f"documents/{NO_8600}.md",
    f"./some/where/documents/{NO_8600}.md",
])
def test_show_takes_an_id_a_file_name_or_a_path(cli_env, capsys, typed):
    status, out, err = run(capsys, "show", typed, "--json")
    assert (status, err, json.loads(out)["id"]) == (0, "", NO_8600)


@pytest.mark.parametrize(("typed", "suggested"), [
    ("stalin-to-mao", [NO_8600, VOLUNTEERS]),
    ("Stalin-To-Mao", [NO_8600, VOLUNTEERS]),
    ("stalni-mao", [NO_8600, VOLUNTEERS, "1950-10-02-mao-to-stalin"]),
    ("documents/stalin-to-mao.md", [NO_8600, VOLUNTEERS]),
])
def test_show_suggests_matching_ids(cli_env, capsys, typed, suggested):
    assert run(capsys, "show", typed) == (
        2, "", f"archive: no document with id {typed!r}; did you mean one of these?\n"
               + "".join(f"  {s}\n" for s in sorted(suggested)))


def test_one_suggestion_is_a_question(cli_env, capsys):
    assert run(capsys, "cite", "no-8600") == (
        2, "", f"archive: no document with id 'no-8600'; did you mean {NO_8600}?\n")


def test_nothing_close_suggests_nothing(cli_env, capsys):
    assert run(capsys, "show", "qqqqqq") == (2, "", "archive: no document with id 'qqqqqq'\n")


def test_cite_takes_a_file_name(cli_env, capsys):
    by_id = run(capsys, "cite", NO_8600, "-f", "apa")
    assert run(capsys, "cite", f"{NO_8600}.md", "-f", "apa") == by_id
    assert by_id[0] == 0 and by_id[1].strip()


# -- building first ----------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["search", "Kim", "--json"],
    ["show", NO_8600, "--json"],
    ["cite", NO_8600],
    ["export", "-f", "jsonl", "-o", "-"],
])
def test_commands_build_first_when_nothing_is_built(config, monkeypatch, capsys, argv):
    fresh = config()
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(fresh.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(fresh.index_dir))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    status, out, err = run(capsys, *argv)
    count = len(list(fresh.documents_dir.glob("*.md")))
    lines = err.splitlines()
    assert status == 0, err
    assert lines[:3] == [
        f"archive: nothing built yet: building the catalog and index from {fresh.documents_dir} first",
        f"index [##############################] {count}/{count}",
        f"archive: built generation 1: {count} document(s)",
    ]
    assert out.strip()
    # the second time, nothing is built
    status, _, err = run(capsys, *argv)
    assert status == 0 and "building" not in err


def test_a_missing_documents_folder_is_one_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    assert run(capsys, "search", "Kim") == (
        2, "", f"archive: documents folder {tmp_path / 'nowhere'} does not exist "
               "(set ARCHIVE_DOCUMENTS_DIR)\n")


def test_an_invalid_document_is_left_out_and_listed(config, monkeypatch, capsys):
    fresh = config()
    shutil.copy(fresh.documents_dir / f"{NO_8600}.md", fresh.documents_dir / "broken.md")
    (fresh.documents_dir / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(fresh.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(fresh.index_dir))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    status, _, err = run(capsys, "show", NO_8600)
    assert status == 0
    assert "archive: left out 1 invalid document(s); run `archive check`" in err.splitlines()


# -- help --------------------------------------------------------------------------------------

def test_help_lists_topics(capsys):
    status, out, err = run(capsys, "help")
    assert (status, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[1:]] == list(TOPICS)


def test_help_search_prints_the_web_help_pages_sections(capsys):
    status, out, _ = run(capsys, "help", "search")
    assert status == 0
    for heading, _text, examples in QUERY_SECTIONS:
        assert f"\n{heading}\n" in out
        assert "e.g. " + "   ".join(examples) in out
    assert "archive search 38th parallel" in out


def test_help_of_an_unknown_topic_suggests_one(capsys):
    assert run(capsys, "help", "serch") == (2, "", "archive: no help topic 'serch'; did you mean search?\n")


@pytest.mark.parametrize("argv", [["--help"], ["search", "--help"], ["export", "--help"]])
def test_help_texts_point_to_installed_documentation(capsys, argv):
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert "README" not in out
    assert "archive help" in out


def test_every_topic_prints(capsys):
    for name in TOPICS:
        status, out, _ = run(capsys, "help", name)
        assert status == 0 and len(out.splitlines()) >= 3, name


def test_the_same_file_name_in_two_folders_is_told_apart_by_the_path():
    from archive.lookup import find_document_id

    files = {"1950/a-note.md": "1950-a", "1949/a-note.md": "1949-a", "x.md": "x"}
    assert find_document_id("documents/1949/a-note.md", files) == ("1949-a", [])
    assert find_document_id("x.md", files) == ("x", [])
    assert find_document_id("a-note.md", files) == (None, ["1949-a", "1950-a"])  # both so named
    assert find_document_id("1949-", files) == (None, ["1949-a"])
