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
