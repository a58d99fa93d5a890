"""Helpers shared by the foundation tests: archives built in tmp_path from tests/data."""

from __future__ import annotations

import shutil
from pathlib import Path

from archive.settings import Config, load_config

DATA = Path(__file__).parent / "data"


def make_archive(root: Path, *sources: Path, database_url: str = "",
                 env: dict | None = None) -> Config:
    """Copy document folders into root/documents and return a Config pointing there (`env`:
    more settings, such as conftest's `engine_settings()` for the test's engine)."""
    documents = root / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copytree(source, documents, dirs_exist_ok=True, symlinks=True)
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(documents),
                       ARCHIVE_INDEX_DIR=str(root / "index"), ARCHIVE_DATABASE_URL=database_url,
                       **(env or {}))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, to prove that a command changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Six test documents (not historical: made up here, with the fixture collection's authorities) for
# how the pictures show dates the archive doubts: (file stem, date as written)
QUALIFIED_DATES = (
    ("sure-january", "1950-01-30"),
    ("sure-day", "1950-10-08"),
    ("uncertain-day", "1950-10-02?"),
    ("approximate-day", "~1950-10-15"),
    ("sure-interval", "1950-10-05/1950-10-09"),
    ("uncertain-interval", "1950-09-28?/1950-10-03"),
)


def qualified_dates_archive(root: Path) -> Config:
    """An archive of the QUALIFIED_DATES documents (not built): a sure date, an uncertain one,
    an approximate one and two intervals, one of them uncertain, around October 1950."""
    documents = root / "documents"
    shutil.copytree(Path(__file__).parent / "data" / "collection" / "authority", documents / "authority")
    for stem, written in QUALIFIED_DATES:
        (documents / f"{stem}.md").write_text(
            f"---\ntitle: Test telegram dated {written}\ntype: telegram\ndate: '{written}'\n"
            "sender: Stalin\nrecipient: Mao Zedong\nlanguage: ru\narchive_refs:\n"
            "  - APRF, f. 45, op. 1, d. 334\n---\n\n## Summary\n\nA test document.\n",
            encoding="utf-8")
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(documents),
                       ARCHIVE_INDEX_DIR=str(root / "index"),
                       ARCHIVE_BASE_URL="https://archive.example.org")
