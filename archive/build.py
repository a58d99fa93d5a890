"""`archive build`: validate, then update the catalog and index incrementally and atomically.

The commit point is the catalog transaction that records the new generation: until it commits,
readers keep using the previous catalog rows and index directory; a build killed at any moment
leaves them untouched, and the next build clears what it left behind.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import lemmas
from .build_lock import BuildError, BuildLock, BuildLocked  # noqa: F401 - raised by rebuild
from .catalog import Catalog
from .documents import KnownFile, load_collection
from .engines import Engine, engine
from .files import read_regular
from .generations import BuildState, save_authorities, save_build, state_of
from .records import Problem, Record
from .settings import Config

RACY_NS = 2_000_000_000  # a file modified this close to a build is re-hashed by the next one
INDEX_FORMAT = "5"  # bump when the index schema or analysis changes: forces a full rebuild

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildReport:
    status: str  # built | up-to-date | invalid
    generation: int = 0
    build_id: str = ""  # of the build now current (archive.generations.BuildState)
    documents: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)  # never block a build


def authority_hash(config: Config) -> str:
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    for name in ("people.yaml", "archives.yaml", "places.yaml", "terms.yaml"):
        path = config.authority_dir / name
        try:
            digest.update(read_regular(path))
        except OSError:  # missing, or a FIFO: validation reports it (never opened)
            digest.update(b"")
    return digest.hexdigest()


def rebuild(config: Config, *, allow_invalid: bool = False, progress: Progress | None = None,
            full: bool = False) -> BuildReport:
    """Bring catalog and index up to date with the documents folder.

    Raises BuildLocked when another build runs, CatalogUnavailable (changing nothing) when the
    catalog database cannot be reached or read, SettingError when the search engine setting
    cannot be used. Returns status "invalid" (and changes nothing) when a document is invalid
    and `allow_invalid` is false.
    """
    started = time.monotonic()
    search_engine = engine(config)  # the one place a build chooses it (archive.engines)
    try:
        with BuildLock(config.index_dir / "build.lock"):
            catalog = Catalog(config.database_url)
            try:
                catalog.create()
                report = _rebuild(config, search_engine, catalog, allow_invalid, progress or _silent,
                                  full)
            finally:
                catalog.dispose()
    except OSError as error:  # before the catalog commits, nothing readers use has changed
        raise BuildError(_os_problem(error, config)) from None
    report.seconds = time.monotonic() - started
    return report


def _rebuild(config: Config, search_engine: Engine, catalog: Catalog, allow_invalid: bool,
             progress: Progress, full: bool) -> BuildReport:
    state = catalog.state()  # raises CatalogUnavailable: an unreadable catalog is not an empty one
    generation = state_of(state).generation
    _clear_leftovers(search_engine, generation)
    authorities = authority_hash(config)
    current = search_engine.generation_path(generation)
    full = full or state.get("authority_hash") != authorities or not current.is_dir()
    cache = None if full else catalog.cached_record
    with _collector_paused():
        known, unchanged = ({}, {}) if full else _catalogued(catalog)
        started_ns = time.time_ns()
        progress("validate", 0, 0)
        collection = load_collection(config, cache=cache, known=unchanged)
    if collection.problems and (not allow_invalid or collection.people is None
                                or collection.archives is None):
        return BuildReport("invalid", generation, state_of(state).build_id,
                           problems=collection.problems,
                           skipped=collection.skipped)
    records = collection.records
    changed = [r for r in records.values() if known.get(r.path, (None,))[0] != r.sha256]
    known_ids = {doc_id for _, doc_id in known.values()}
    removed = sorted(known_ids - set(records))
    if full:
        added, updated = sorted(records), []
    else:
        updated = sorted(r.id for r in changed if r.id in known_ids)
        added = sorted(r.id for r in changed if r.id not in known_ids)
    report = BuildReport("up-to-date", generation, state_of(state).build_id, len(records), added,
                         updated, removed, collection.problems, collection.skipped,
                         warnings=collection.warnings)
    file_stats = _file_stats(collection, started_ns)
    sets_unchanged = state.get("sets_hash") == _sets_hash(collection.sets)
    if not full and not changed and not removed and sets_unchanged:
        if file_stats:  # files read again (touched, or catalogued before sizes were kept)
            catalog.remember_files(file_stats)
        # finish what a build killed after its catalog commit left undone (cheap when nothing)
        search_engine.publish(current, catalog)
        return report

    new_generation = generation + 1
    built = BuildState(new_generation, uuid.uuid4().hex)  # never repeats, unlike the number
    target = search_engine.generation_path(new_generation)
    scratch = target.with_name(f"tmp-{new_generation:06d}-{os.getpid()}")
    if full:
        ordered = sorted(records.values(), key=lambda r: (r.date.earliest, r.id))
        search_engine.create(scratch, _counting(ordered, progress), collection.people,
                             collection.places)
    else:
        shutil.copytree(current, scratch, copy_function=os.link)  # segment files are write-once
        search_engine.update(scratch, _counting(changed, progress), removed, collection.people,
                             collection.places)
    cited = {ref.archive for record in (records.values() if full else changed)
             for ref in record.archive_refs}
    if not full:
        cited.update(catalog.cited_archives())
    save_authorities(scratch, collection.people, collection.archives, collection.places,
                     collection.terms,
                     cited_archives=[name for name in cited if name not in collection.archives])
    lemmas.save(scratch)  # kept from the copied generation when it is current
    save_build(scratch, built)
    os.rename(scratch, target)
    search_engine.stage(target)
    progress("catalog", 0, 0)
    catalog.apply(
        changed=changed if not full else records.values(),
        removed=removed if not full else [doc_id for _, doc_id in catalog.file_hashes().values()],
        people_list=list(collection.people),
        archive_list=list(collection.archives),
        set_list=collection.sets,
        state={
            "generation": str(new_generation),
            "build_id": built.build_id,
            "authority_hash": authorities,
            "sets_hash": _sets_hash(collection.sets),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "documents": str(len(records)),
        },
        file_stats=file_stats,
        full=full,
    )
    search_engine.publish(target, catalog)
    _clear_old_generations(search_engine, new_generation)
    report.status = "built"
    report.generation = new_generation
    report.build_id = built.build_id
    return report


@contextmanager
def _collector_paused():
    """Comparing the folder with the catalog creates a few long-lived objects per document
    (100,000s in all), and Python's cyclic collector would scan the growing heap again and again
    (0.3-0.5 s of a 2 s no-op build at 100,000 documents). Parsing documents leaves no cyclic
    garbage to speak of (43 objects for 10,000 documents), so nothing is lost by pausing it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _catalogued(catalog: Catalog) -> tuple[dict[str, tuple[str, str]], dict[str, KnownFile]]:
    """path -> (sha256, id) of every catalogued document, and path -> KnownFile of the files
    whose size and modification time are as a build recorded them (not to be read again)."""
    known, unchanged = {}, {}
    make = KnownFile._make
    for path, doc_id, sha, mtime, size, replies in catalog.catalogued_files():
        known[path] = (sha, doc_id)
        if mtime is not None:  # most documents reply to nothing: skip parsing "[]"
            unchanged[path] = make((path, doc_id, sha, mtime, size,
                                    () if replies == "[]" else tuple(json.loads(replies))))
    return known, unchanged


def _file_stats(collection, started_ns: int) -> list[tuple[Record, int, int]]:
    """(record, mtime_ns, size) of each valid file read by this build. A file modified within
    RACY_NS of the build's start gets mtime 0 so the next build reads it again: it may have
    changed again within the file system's timestamp granularity."""
    out = []
    for record in collection.records.values():
        if isinstance(record, Record) and record.path in collection.stats:
            mtime, size = collection.stats[record.path]
            out.append((record, 0 if mtime > started_ns - RACY_NS else mtime, size))
    return out


def _counting(records, progress: Progress):
    records = list(records)
    total = len(records)
    for done, record in enumerate(records, 1):
        if done % 500 == 0 or done == total:
            progress("index", done, total)
        yield record


def _sets_hash(sets) -> str:
    return hashlib.sha256(repr([(s.id, s.title, s.description, s.documents) for s in sets])
                          .encode()).hexdigest()


def _clear_leftovers(search_engine: Engine, generation: int) -> None:
    """Remove what a killed build left: scratch folders and generations never committed."""
    folder = search_engine.generations_dir()
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        uncommitted = path.name.isdigit() and int(path.name) > generation
        if path.name.startswith("tmp-") or uncommitted:
            shutil.rmtree(path, ignore_errors=True)


def _clear_old_generations(search_engine: Engine, generation: int) -> None:
    """Keep the new generation and the one before (readers may still be using it)."""
    for path in search_engine.generations_dir().iterdir():
        if path.name.isdigit() and int(path.name) < generation - 1:
            shutil.rmtree(path, ignore_errors=True)


def _os_problem(error: OSError, config: Config) -> str:
    reason = error.strerror or str(error)
    name = os.fsdecode(error.filename) if error.filename is not None else ""
    index = os.path.abspath(config.index_dir)
    if not name or os.path.abspath(name).startswith(index):
        return (f"cannot write the index folder {config.index_dir} ({reason}: {name or index}); "
                "the catalog and index were left as they were (set ARCHIVE_INDEX_DIR to a "
                "folder you can write)")
    return f"build stopped: {reason}: {name}; the catalog and index were left as they were"


def _silent(stage: str, done: int, total: int) -> None:
    return None
