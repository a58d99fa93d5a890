"""Incremental builds skip files whose size and modification time are as catalogued (issue 7)."""

from __future__ import annotations

import os
import time

from support import DATA, make_archive

import archive.documents
from archive.build import rebuild

TEMPLATE = (DATA / "minimal" / "valid-telegram.md").read_text(encoding="utf-8")
HOUR_AGO = time.time() - 3600


def write_doc(folder, doc_id, title, extra=""):
    text = TEMPLATE.replace("Shtykov to Vyshinsky, a valid test telegram", title)
    text = text.replace("\ntype:", f"\n{extra}type:") if extra else text
    path = folder / f"{doc_id}.md"
    path.write_text(text, encoding="utf-8")
    os.utime(path, (HOUR_AGO, HOUR_AGO))  # not "racily clean": old enough to trust its mtime
    return path


def reads(monkeypatch) -> list[str]:
    seen = []
    original = archive.documents.load_document

    def counting(path, *args, **kwargs):
        seen.append(path.name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(archive.documents, "load_document", counting)
    return seen


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    config = make_archive(tmp_path, DATA / "minimal")
    for i in range(4):
        write_doc(config.documents_dir, f"doc-{i}", f"Title {i}")
    os.utime(config.documents_dir / "valid-telegram.md", (HOUR_AGO, HOUR_AGO))
    assert rebuild(config).status == "built"
    seen = reads(monkeypatch)
    assert rebuild(config).status == "up-to-date"
    assert seen == []
    path = write_doc(config.documents_dir, "doc-2", "Changed title")
    os.utime(path, (HOUR_AGO + 5, HOUR_AGO + 5))
    report = rebuild(config)
    assert (report.status, report.updated, seen) == ("built", ["doc-2"], ["doc-2.md"])


def test_a_touched_file_is_read_but_not_reindexed(tmp_path, monkeypatch):
    config = make_archive(tmp_path, DATA / "minimal")
    path = write_doc(config.documents_dir, "doc-0", "Title 0")
    rebuild(config)
    os.utime(path, (HOUR_AGO + 60, HOUR_AGO + 60))
    seen = reads(monkeypatch)
    report = rebuild(config)
    assert (report.status, seen) == ("up-to-date", ["doc-0.md"])
    seen.clear()
    assert rebuild(config).status == "up-to-date"
    assert seen == []


def test_links_of_unread_files_are_still_checked(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    write_doc(config.documents_dir, "doc-0", "Title 0")
    write_doc(config.documents_dir, "doc-1", "Reply", extra="replies_to: [doc-0]\n")
    assert rebuild(config).status == "built"
    (config.documents_dir / "doc-0.md").unlink()
    report = rebuild(config)
    assert report.status == "invalid"
    assert [p.message for p in report.problems] == ["no document with id 'doc-0' in the collection"]
