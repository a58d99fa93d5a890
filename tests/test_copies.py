"""Which archive copy a citation names, and `archive check`'s warning on a copy listed twice (#12)."""

from __future__ import annotations

import pytest
from support import DATA, make_archive

from archive.cli import main
from archive.copies import cited_ref, duplicate_copies, other_refs
from archive.records import ArchiveRef

APRF_LISTY_ONLY = ArchiveRef("APRF", listy="146-147")
AVP_FULL = ArchiveRef("AVP RF", fond="059a", opis="5a", delo="3", papka="11", listy="96-97")
APRF_FULL = ArchiveRef("APRF", fond="45", opis="1", delo="334", listy="105-106")
RGASPI = ArchiveRef("RGASPI", fond="558", opis="11", delo="334", listy="0055")


def test_the_most_complete_copy_is_cited():
    # 1950-03-24-shtykov-to-vyshinsky-kim-moscow-trip: APRF without fond/opis/delo, then AVP RF
    assert cited_ref([APRF_LISTY_ONLY, AVP_FULL]) is AVP_FULL
    assert other_refs([APRF_LISTY_ONLY, AVP_FULL]) == [APRF_LISTY_ONLY]


def test_equally_complete_copies_cite_the_first_written():
    assert cited_ref([APRF_FULL, RGASPI]) is APRF_FULL
    assert cited_ref([RGASPI, APRF_FULL]) is RGASPI


def test_a_copy_marked_primary_is_cited():
    marked = ArchiveRef("APRF", listy="146-147", primary=True)
    assert cited_ref([AVP_FULL, marked]) is marked
    assert other_refs([AVP_FULL, marked]) == [AVP_FULL]


def test_no_copy():
    assert (cited_ref([]), other_refs([])) == (None, [])


@pytest.mark.parametrize(("first", "second", "same"), [
    ("105-106", "105-6", True),  # Chicago's abbreviated range
    ("105-106", "105–106", True),  # en dash
    ("0055", "55", True),  # leading zeros
    ("198-202", "198-2", False),  # "198-2" is no range; not guessed
    ("105-106", "105-107", False),
    ("0141, 0142", "141, 142", True),
])
def test_sheets_written_differently(first, second, same):
    refs = [ArchiveRef("APRF", fond="45", opis="1", delo="334", listy=first),
            ArchiveRef("APRF", fond="45", opis="1", delo="334", listy=second)]
    assert duplicate_copies(refs) == ([(0, 1)] if same else [])


def test_other_archive_or_file_is_not_a_duplicate():
    refs = [APRF_FULL, ArchiveRef("AVP RF", fond="45", opis="1", delo="334", listy="105-106"),
            ArchiveRef("APRF", fond="45", opis="1", delo="335", listy="105-106")]
    assert duplicate_copies(refs) == []


def test_a_repeat_of_the_cited_copy_is_not_another_copy():
    repeat = ArchiveRef("APRF", fond="45", opis="1", delo="334", listy="105-6")
    assert other_refs([APRF_FULL, repeat, RGASPI]) == [RGASPI]


DUPLICATE = """---
title: Mao Zedong to Stalin, a copy listed twice
type: telegram
date: 1950-10-02
archive_refs:
  - APRF, fond 45, opis 1, delo 334, listy 105-106
  - RGASPI, f. 558, op. 11, d. 334, l. 0055
  - APRF, f. 45, op. 1, d. 334, pp. 105-6
---

Body.
"""


def test_check_warns_on_a_duplicate_copy(tmp_path, monkeypatch, capsys):
    config = make_archive(tmp_path, DATA / "minimal")
    (config.documents_dir / "duplicate-copy.md").write_text(DUPLICATE, encoding="utf-8")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(config.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(config.index_dir))
    assert main(["check"]) == 0  # a warning, not an error: the record stays valid
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{config.documents_dir}/duplicate-copy.md:8: archive_refs: warning: duplicate copy: "
        '"APRF, f. 45, op. 1, d. 334, pp. 105-6" is the same reference as '
        '"APRF, fond 45, opis 1, delo 334, listy 105-106"; remove one'
    ]
    assert err == "ok: 2 document(s) valid, 1 warning(s)\n"


def test_check_is_quiet_without_duplicates(tmp_path, monkeypatch, capsys):
    config = make_archive(tmp_path, DATA / "minimal")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(config.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(config.index_dir))
    assert main(["check"]) == 0
    assert capsys.readouterr() == ("", "ok: 1 document(s) valid\n")
