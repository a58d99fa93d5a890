"""Index generations: where each one lives, which one is current, and the authorities it was
built with.

The catalog's state names the current generation (the build's commit point). A fresh `archive
search` process needs only that number and the name and archive authorities, so for the default
SQLite catalog it reads them without SQLAlchemy (whose import is ~0.2 s of a ~0.8 s cold search
at 100,000 documents): the number from the catalog's `meta` table through the standard library's
sqlite3, read-only; the authorities from `authorities.json`, written into the generation's
directory by the build that wrote the generation (so they always belong together).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from .records import Archive, Person, archive_from_dict, person_from_dict
from .settings import Config
from .vocabulary import Vocabulary, vocabulary_from_list

AUTHORITIES_FILE = "authorities.json"
STATE_TABLE = "meta"  # archive.catalog's key/value state table (a test checks they agree)


def index_path(config: Config, generation: int) -> Path:
    return config.index_dir / "whoosh" / f"{generation:06d}"


def current_generation(catalog) -> int:
    """The generation an archive.catalog.Catalog names (0: nothing built yet)."""
    return int(catalog.state().get("generation", 0))


def sqlite_generation(database_url: str) -> int | None:
    """The current generation read straight from a SQLite catalog; None when the URL is not
    SQLite (ask the Catalog); 0 when there is no catalog or nothing built yet."""
    if not database_url.startswith("sqlite:///") or any(c in database_url for c in "?%"):
        return None  # another database, or a URL with options or escapes: the Catalog parses it
    path = Path(database_url.removeprefix("sqlite:///"))
    if not path.is_file():
        return 0
    conn = sqlite3.connect(path, timeout=10)  # opened as the Catalog opens it; only read
    try:
        row = conn.execute(f"SELECT value FROM {STATE_TABLE} WHERE key = 'generation'").fetchone()
    except sqlite3.Error:  # no table yet (a catalog being created)
        return 0
    finally:
        conn.close()
    return int(row[0]) if row else 0


def save_authorities(folder: Path, people: Iterable[Person], archives: Iterable[Archive],
                     places: Vocabulary | None = None, terms: Vocabulary | None = None,
                     cited_archives: Iterable[str] = ()) -> None:
    """`cited_archives`: the archives references cite that the authority does not know, as
    cited (so that `archive:GANO` finds them)."""
    # in id order, as the catalog returns them (the order a PeopleAuthority is built in)
    data = {"people": [asdict(p) for p in sorted(people, key=lambda p: p.id)],
            "archives": [asdict(a) for a in sorted(archives, key=lambda a: a.id)],
            "cited_archives": sorted(set(cited_archives)),
            "places": places.to_list() if places is not None else [],
            "terms": terms.to_list() if terms is not None else []}
    scratch = folder / f".{AUTHORITIES_FILE}.{os.getpid()}.tmp"
    scratch.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(scratch, folder / AUTHORITIES_FILE)  # never write into a hard-linked file


def _saved(folder: Path) -> dict | None:
    try:
        return json.loads((folder / AUTHORITIES_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def load_authorities(folder: Path) -> tuple[list[Person], list[Archive]] | None:
    """The authorities a generation was built with; None for a generation written before they
    were saved with it (ask the catalog)."""
    data = _saved(folder)
    if data is None:
        return None
    return ([person_from_dict(p) for p in data["people"]],
            [archive_from_dict(a) for a in data["archives"]])


def load_cited_archives(folder: Path) -> list[str]:
    """The archives not in the authority that the generation's references cite, as cited."""
    return list((_saved(folder) or {}).get("cited_archives", ()))


def load_vocabularies(folder: Path) -> tuple[Vocabulary, Vocabulary]:
    """The place and term authorities a generation was built with (empty for a generation
    written before they were saved with it)."""
    data = _saved(folder) or {}
    return vocabulary_from_list(data.get("places", [])), vocabulary_from_list(data.get("terms", []))
