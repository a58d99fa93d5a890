"""The Whoosh engine (the embedded default): the only package that imports Whoosh.

`schema` holds the schema, its analysis and the one patched Whoosh class, `writing` writes full
and incremental generations (with their facet columns), `index` opens one for searching, and
`postings` matches and scores queries over the posting arrays `index` reads through Whoosh.
Generations live in `<ARCHIVE_INDEX_DIR>/whoosh/000001`...
Whoosh is imported only when an index is written or opened, never to find where one lives.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...generations import BuildState
    from ...people import PeopleAuthority
    from ...records import Record
    from ...vocabulary import Vocabulary
    from .index import Index

FOLDER = "whoosh"


class WhooshEngine:
    """archive.engines.Engine for Whoosh indexes under an index folder."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir

    def generations_dir(self) -> Path:
        return self.index_dir / FOLDER

    def generation_path(self, generation: int) -> Path:
        return self.generations_dir() / f"{generation:06d}"

    def create(self, path: Path, records: Iterable[Record], people: PeopleAuthority,
               places: Vocabulary | None = None) -> int:
        from . import writing

        return writing.create_index(path, records, people, places)

    def update(self, path: Path, changed: Iterable[Record], removed: Iterable[str],
               people: PeopleAuthority, places: Vocabulary | None = None) -> None:
        from . import writing

        writing.update_index(path, changed, removed, people, places)

    def document_count(self, path: Path) -> int:
        from . import writing

        return writing.document_count(path)

    def stage(self, path: Path) -> None:
        return None

    def publish(self, path: Path, catalog) -> None:
        return None

    def local_generation(self, build: BuildState) -> Path | None:
        path = self.generation_path(build.generation)
        return path if build.generation and path.is_dir() else None

    def open(self, path: Path) -> Index:
        from .index import Index

        return Index(path)
