"""The build: incremental by content hash, atomic, locked, and safe when killed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import DATA, make_archive, snapshot

from archive.build import BuildLock, BuildLocked, rebuild
from archive.catalog import Catalog
from archive.cli import main
from archive.engines import index_path
from archive.engines.whoosh import writing as whoosh_writing

TEMPLATE = (DATA / "minimal" / "valid-telegram.md").read_text(encoding="utf-8")


def write_doc(folder: Path, doc_id: str, title: str, day: int = 1) -> Path:
    text = TEMPLATE.replace("Shtykov to Vyshinsky, a valid test telegram", title)
    text = text.replace("date: 1950-01-19", f"date: 1950-01-{1 + day % 28:02d}")
    path = folder / f"{doc_id}.md"
    path.write_text(text, encoding="utf-8")
    return path


def state_of(config):
    """What a reader sees: catalog state, catalog ids and titles, index document count."""
    catalog = Catalog(config.database_url)
    try:
        state = catalog.state()
        titles = {r.id: r.title for r in catalog.records()}
    finally:
        catalog.dispose()
    generation = int(state["generation"])
    return generation, titles, whoosh_writing.document_count(index_path(config, generation))


def test_first_build_then_up_to_date(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    before = snapshot(config.documents_dir)
    report = rebuild(config)
    assert (report.status, report.generation, report.documents, report.added) == (
        "built", 1, 1, ["valid-telegram"])
    assert state_of(config) == (1, {"valid-telegram": "Shtykov to Vyshinsky, a valid test telegram"}, 1)
    again = rebuild(config)
    assert (again.status, again.generation, again.added, again.updated, again.removed) == (
        "up-to-date", 1, [], [], [])
    assert snapshot(config.documents_dir) == before  # sources are never modified


def test_incremental_add_change_remove(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    for i in range(5):
        write_doc(config.documents_dir, f"doc-{i}", f"Title {i}", day=i)
    assert rebuild(config).generation == 1
    write_doc(config.documents_dir, "doc-1", "Changed title")
    (config.documents_dir / "doc-2.md").unlink()
    write_doc(config.documents_dir, "doc-9", "New document")
    report = rebuild(config)
    assert (report.status, report.added, report.updated, report.removed) == (
        "built", ["doc-9"], ["doc-1"], ["doc-2"])
    generation, titles, indexed = state_of(config)
    assert (generation, indexed) == (2, 6)
    assert titles == {"valid-telegram": "Shtykov to Vyshinsky, a valid test telegram",
                      "doc-0": "Title 0", "doc-1": "Changed title", "doc-3": "Title 3",
                      "doc-4": "Title 4", "doc-9": "New document"}


def test_invalid_document_changes_nothing(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    rebuild(config)
    before = state_of(config)
    index_files = snapshot(config.index_dir / "whoosh")
    (config.documents_dir / "broken.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    write_doc(config.documents_dir, "fine", "A fine new document")
    report = rebuild(config)
    assert report.status == "invalid"
    assert [str(p) for p in report.problems] == [
        f"{config.documents_dir}/broken.md:2: type: required field is missing",
        f"{config.documents_dir}/broken.md:2: date: required field is missing",
        f"{config.documents_dir}/broken.md:2: archive_refs: no archive reference given; add one, "
        "or say archive_ref_status: not-found",
    ]
    assert state_of(config) == before
    assert snapshot(config.index_dir / "whoosh") == index_files

    allowed = rebuild(config, allow_invalid=True)
    assert (allowed.status, allowed.added, allowed.skipped) == (
        "built", ["fine"], [f"{config.documents_dir}/broken.md"])
    assert sorted(state_of(config)[1]) == ["fine", "valid-telegram"]


def test_second_build_is_refused_while_one_runs(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    lock_path = config.index_dir / "build.lock"
    with BuildLock(lock_path):
        with pytest.raises(BuildLocked) as error:
            rebuild(config)
    assert str(error.value).startswith(f"another build is running (pid {os.getpid()}, started ")
    assert str(error.value).endswith(f"; it holds the lock {lock_path}")
    assert rebuild(config).status == "built"  # released


def test_stale_lock_from_a_dead_build_is_cleared(tmp_path):
    config = make_archive(tmp_path, DATA / "minimal")
    config.index_dir.mkdir()
    (config.index_dir / "build.lock").write_text("pid 999999, started 1950-06-25 04:00:00 UTC")
    assert rebuild(config).status == "built"


def test_cli_build_and_show(tmp_path, monkeypatch, capsys):
    config = make_archive(tmp_path, DATA / "minimal")
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(config.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(config.index_dir))
    assert main(["build", "--quiet"]) == 0
    assert "built generation 1: 1 document(s) (1 added, 0 updated, 0 removed)" in capsys.readouterr().err
    assert main(["show", "valid-telegram"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:4] == ["id: valid-telegram", "path: valid-telegram.md",
                                    "title: Shtykov to Vyshinsky, a valid test telegram",
                                    "type: telegram"]
    assert main(["show", "nope"]) == 2
    assert capsys.readouterr().err == "archive: no document with id 'nope'\n"


BUILD = [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main(['build', '-q']))"]


def test_build_killed_at_random_moments_leaves_last_good_state(tmp_path):
    """SIGKILL a rebuild of every document several times; readers always see the old state."""
    config = make_archive(tmp_path, DATA / "minimal")
    for i in range(600):
        write_doc(config.documents_dir, f"doc-{i:04d}", f"Old title {i}", day=i)
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    subprocess.run(BUILD, env=env, check=True)
    good = state_of(config)
    assert good[0] == 1 and good[2] == 601
    for i in range(600):
        write_doc(config.documents_dir, f"doc-{i:04d}", f"New title {i}", day=i)

    rng = random.Random(1950)
    start = time.monotonic()
    process = subprocess.Popen(BUILD, env=env)
    process.wait()
    full_time = time.monotonic() - start
    # That build completed; rewrite again so that every later build has work to do.
    good = state_of(config)
    for round_number in range(5):
        for i in range(600):
            write_doc(config.documents_dir, f"doc-{i:04d}", f"Round {round_number} title {i}", day=i)
        process = subprocess.Popen(BUILD, env=env)
        time.sleep(rng.uniform(0.05, max(0.1, full_time * 0.95)))
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen = state_of(config)
        # Either the kill came before the commit (old state) or after it (a complete new one).
        assert seen == good or (seen[0] == good[0] + 1 and seen[2] == 601 and all(
            t.startswith(f"Round {round_number} ") for k, t in seen[1].items() if k.startswith("doc-")))
        good = seen
    subprocess.run(BUILD, env=env, check=True)
    generation, titles, indexed = state_of(config)
    assert indexed == 601 and titles["doc-0599"] == "Round 4 title 599"
    leftovers = [p.name for p in (config.index_dir / "whoosh").iterdir()]
    assert all(name.isdigit() for name in leftovers) and len(leftovers) <= 2
