"""Index generations: where each one lives, which one is current (the build that wrote it), and
the authorities it was built with.

The catalog's state names the current generation and its build id (the build's commit point).
The generation number counts builds and starts again at 1 when the index and catalog are deleted;
the build id (a random hex string written by every build into the catalog state and into the
generation's folder) never repeats, so every cache of what a build wrote is keyed by the
`BuildState` (number and id), never by the number alone.

A fresh `archive search` process needs only the state and the name and archive authorities, so
for the default SQLite catalog it reads them without SQLAlchemy (whose import is ~0.2 s of a
~0.8 s cold search at 100,000 documents): the state from the catalog's `meta` table through the
standard library's sqlite3, read-only; the authorities from `authorities.json`, written into the
generation's directory by the build that wrote the generation (so they always belong together).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from .engines import engine
from .records import Archive, Person, archive_from_dict, person_from_dict
from .settings import Config
from .vocabulary import Vocabulary, vocabulary_from_list

AUTHORITIES_FILE = "authorities.json"
BUILD_FILE = "build.json"  # {"build_id": ..., "generation": ...} of the build that wrote the folder
STATE_TABLE = "meta"  # archive.catalog's key/value state table (a test checks they agree)


class CatalogUnavailable(RuntimeError):
    """The catalog database cannot be read (unreachable server, unreadable or corrupt file).

    Never taken for an empty catalog: whoever meets it stops and changes nothing."""


@dataclass(frozen=True)
class BuildState:
    """Which build is current: its generation number (0: nothing built yet) and its build id
    ("" before the first build, and for a catalog built before builds had ids)."""

    generation: int = 0
    build_id: str = ""


def index_path(config: Config, generation: int) -> Path:
    """The folder of a generation, where the configured engine keeps it (archive.engines)."""
    return engine(config).generation_path(generation)


def state_of(values: dict[str, str]) -> BuildState:
    """The BuildState in a catalog's key/value state."""
    return BuildState(int(values.get("generation", 0)), values.get("build_id", ""))


def current_state(catalog) -> BuildState:
    """The build an archive.catalog.Catalog names; raises CatalogUnavailable."""
    return state_of(catalog.state())


def sqlite_state(database_url: str) -> BuildState | None:
    """The current build read straight from a SQLite catalog; None when the URL is not SQLite
    (ask the Catalog); BuildState() when there is no catalog or nothing built yet.

    Raises CatalogUnavailable when the file cannot be read as a catalog (unreadable, corrupt).
    """
    if not database_url.startswith("sqlite:///") or any(c in database_url for c in "?%"):
        return None  # another database, or a URL with options or escapes: the Catalog parses it
    path = Path(database_url.removeprefix("sqlite:///"))
    if not path.exists():
        return BuildState()
    try:
        conn = sqlite3.connect(path, timeout=10)  # opened as the Catalog opens it; only read
        try:
            rows = conn.execute(f"SELECT key, value FROM {STATE_TABLE} "
                                "WHERE key IN ('generation', 'build_id')").fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError as error:
        if str(error).startswith("no such table"):  # a catalog being created
            return BuildState()
        raise CatalogUnavailable(unavailable_message(f"sqlite:///{path}", error)) from None
    except sqlite3.Error as error:
        raise CatalogUnavailable(unavailable_message(f"sqlite:///{path}", error)) from None
    return state_of(dict(rows))


def unavailable_message(where: str, error: BaseException) -> str:
    reason = " ".join(str(error).split()) or type(error).__name__
    return f"cannot read the catalog database {where}: {reason}"


def save_build(folder: Path, state: BuildState) -> None:
    """Record in a generation's folder which build wrote it."""
    scratch = folder / f".{BUILD_FILE}.{os.getpid()}.tmp"
    scratch.write_text(json.dumps({"build_id": state.build_id, "generation": state.generation}))
    os.replace(scratch, folder / BUILD_FILE)  # never write into a hard-linked file


def load_build_id(folder: Path) -> str | None:
    """The id of the build that wrote a generation's folder; None for a folder written before
    builds had ids, or missing."""
    try:
        return json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))["build_id"]
    except (FileNotFoundError, NotADirectoryError):
        return None


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
