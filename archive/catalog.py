"""The catalog: validated records in SQL (SQLite by default, PostgreSQL by URL).

The only module that imports SQLAlchemy. A build replaces the changed rows and the generation
number in one transaction, so readers see either the old catalog or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, NoSuchModuleError

from .generations import CatalogUnavailable, unavailable_message
from .records import (
    Archive,
    ArchiveRef,
    DocumentSet,
    Person,
    Record,
    archive_from_dict,
    person_from_dict,
    record_from_dict,
)
from .settings import SettingError

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(200), primary_key=True),
    Column("path", String(500), nullable=False, unique=True),
    Column("sha256", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("type", String(40), nullable=False, index=True),
    Column("number", String(200)),
    Column("date_text", String(100), nullable=False),
    Column("date_earliest", Date, nullable=False, index=True),
    Column("date_latest", Date, nullable=False, index=True),
    Column("language", String(8), index=True),
    Column("record", Text, nullable=False),  # the whole validated record as JSON
    # Covers the build's look-ups of what is catalogued: without it SQLite scans every row with
    # its record JSON (2.5 s of a 5.7 s no-op build at 100,000 documents).
    Index("documents_path_sha256_id", "path", "sha256", "id"),
)
people = Table(
    "people", metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("data", Text, nullable=False),
)
roles = Table(
    "document_people", metadata,
    Column("document_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("person_id", String(200), nullable=False, index=True),
)
references = Table(
    "archive_refs", metadata,
    Column("document_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("archive", String(200), nullable=False, index=True),
    Column("fond", String(40)),
    Column("opis", String(40)),
    Column("delo", String(40)),
    Column("papka", String(40)),
    Column("listy", String(100)),
    Column("cited", Text, nullable=False),
)
subjects = Table(
    "subjects", metadata,
    Column("document_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("subject", String(300), primary_key=True),
)
archives = Table(
    "archives", metadata,
    Column("id", String(40), primary_key=True),
    Column("data", Text, nullable=False),
)
sets = Table(
    "document_sets", metadata,
    Column("id", String(200), primary_key=True),
    Column("data", Text, nullable=False),
)
meta = Table(
    "meta", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)
# What a build needs of each catalogued file without reading it: its size and modification time
# when last read, and the ids it links to (to check links when another document goes away).
files = Table(
    "document_files", metadata,
    Column("path", String(500), primary_key=True),
    Column("document_id", String(200), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("replies_to", Text, nullable=False),  # JSON list of ids
)
_CHILD_TABLES = (roles, references, subjects)


def _missing_table(error: BaseException) -> bool:
    """The database's "no such table" (SQLite) / undefined_table (PostgreSQL, SQLSTATE 42P01):
    the one error that means a catalog not created yet."""
    return getattr(error, "sqlstate", None) == "42P01" or str(error).startswith("no such table")


def _raise_unavailable(context) -> None:
    """SQLAlchemy's handle_error hook: a database that cannot be reached or read becomes
    CatalogUnavailable (one sentence, no traceback for the user); errors in a readable
    database (a missing table, a constraint) pass through unchanged."""
    error = context.original_exception
    dbapi = getattr(context.dialect, "loaded_dbapi", None) if context.dialect else None
    kinds = tuple(getattr(dbapi, name) for name in ("OperationalError", "DatabaseError",
                                                     "InterfaceError") if hasattr(dbapi, name))
    passing = tuple(getattr(dbapi, name) for name in ("IntegrityError", "ProgrammingError",
                                                       "DataError") if hasattr(dbapi, name))
    if not kinds or not isinstance(error, kinds) or isinstance(error, passing) \
            or _missing_table(error):
        return
    url = context.engine.url.render_as_string(hide_password=True) if context.engine else "?"
    raise CatalogUnavailable(unavailable_message(url, error)) from error


def _drop_connections_to_replaced_file(engine: Engine, path: Path) -> None:
    """A pooled SQLite connection keeps reading the file it opened, even once that file is
    deleted or replaced (index/ removed and rebuilt): its state never changes again and readers
    would serve the old catalog forever. Each connection remembers which file (device, inode) it
    opened; one taken from the pool when another file is at the path is discarded and a new one
    opened (SQLAlchemy's pessimistic disconnect handling). While a connection holds the old file
    open, the old inode cannot be given to a new file, so the comparison cannot be fooled."""

    def identity() -> tuple[int, int] | None:
        try:
            found = os.stat(path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def opened(_dbapi_connection, record) -> None:
        record.info["file"] = identity()

    def checked_out(_dbapi_connection, record, _proxy) -> None:
        if record.info.get("file") != identity():
            raise DisconnectionError("the catalog file was replaced")

    event.listen(engine, "connect", opened)
    event.listen(engine, "checkout", checked_out)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers keep reading while a build writes
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


_URL_FORMS = "sqlite:///path/to/catalog.sqlite3 or postgresql+psycopg://user:password@host/database"


def _engine(url: str) -> Engine:
    """The engine for a URL; SettingError (never SQLAlchemy's traceback) for a URL we cannot use.
    Only the scheme is quoted back: the rest may hold a password."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    try:
        return create_engine(url, future=True)
    except NoSuchModuleError:
        problem = f"unknown database scheme {scheme!r}"
    except ImportError as error:  # a dialect SQLAlchemy knows, its driver not installed
        problem = f"the database driver for {scheme!r} is not installed ({error.name or error})"
    except ArgumentError:
        problem = "not a database URL"
    raise SettingError(f"ARCHIVE_DATABASE_URL: {problem}; expected {_URL_FORMS}")


class Catalog:
    """The catalog at a SQLAlchemy URL. Every method raises CatalogUnavailable when the database
    cannot be reached or read."""

    def __init__(self, url: str):
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine: Engine = _engine(url)
        event.listen(self.engine, "handle_error", _raise_unavailable)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            if url.startswith("sqlite:///"):
                _drop_connections_to_replaced_file(self.engine, Path(url.removeprefix("sqlite:///")))

    def create(self) -> None:
        metadata.create_all(self.engine)
        self._widen_archive_column()

    def _widen_archive_column(self) -> None:
        """Catalogs made before archives outside the authority were allowed kept the archive
        id in 40 characters; a name as cited needs more (SQLite does not enforce lengths)."""
        if self.engine.dialect.name != "postgresql":
            return
        column = next(c for c in inspect(self.engine).get_columns("archive_refs")
                      if c["name"] == "archive")
        if (getattr(column["type"], "length", None) or 200) < 200:
            with self.engine.begin() as conn:
                conn.execute(text("ALTER TABLE archive_refs ALTER COLUMN archive TYPE VARCHAR(200)"))

    def dispose(self) -> None:
        self.engine.dispose()

    # -- writing (one transaction per build) -------------------------------------------------

    def apply(self, *, changed: Iterable[Record], removed: Iterable[str],
              people_list: Iterable[Person], archive_list: Iterable[Archive],
              set_list: Iterable[DocumentSet], state: dict[str, str],
              file_stats: Iterable[tuple[Record, int, int]] = (),
              full: bool = False) -> None:
        """Write a build's changes and its state (generation ...) atomically.

        `file_stats` holds (record, mtime_ns, size) of the files the build read, for the next
        build to skip them while they stay unchanged; `full` forgets every other file.
        """
        changed = list(changed)
        gone = list(removed) + [r.id for r in changed]
        with self.engine.begin() as conn:
            if full:
                conn.execute(delete(files))
            for start in range(0, len(gone), 500):
                conn.execute(delete(files).where(files.c.document_id.in_(gone[start:start + 500])))
            _remember_files(conn, file_stats)
            for start in range(0, len(gone), 500):
                batch = gone[start:start + 500]
                for table in _CHILD_TABLES:
                    conn.execute(delete(table).where(table.c.document_id.in_(batch)))
                conn.execute(delete(documents).where(documents.c.id.in_(batch)))
            for start in range(0, len(changed), 1000):
                batch = changed[start:start + 1000]
                conn.execute(insert(documents), [_document_row(r) for r in batch])
                role_rows = [
                    {"document_id": r.id, "role": role, "position": i, "person_id": pid}
                    for r in batch for role in ("sender", "recipient", "via", "copies_to")
                    for i, pid in enumerate(getattr(r, role))
                ]
                ref_rows = [
                    {"document_id": r.id, "position": i, **_ref_columns(ref)}
                    for r in batch for i, ref in enumerate(r.archive_refs)
                ]
                subject_rows = [
                    {"document_id": r.id, "subject": s} for r in batch for s in dict.fromkeys(r.subjects)
                ]
                for table, rows in ((roles, role_rows), (references, ref_rows), (subjects, subject_rows)):
                    if rows:
                        conn.execute(insert(table), rows)
            conn.execute(delete(people))
            people_rows = [
                {"id": p.id, "name": p.name, "kind": p.kind, "data": json.dumps(asdict(p))}
                for p in people_list
            ]
            if people_rows:
                conn.execute(insert(people), people_rows)
            conn.execute(delete(archives))
            archive_rows = [{"id": a.id, "data": json.dumps(asdict(a))} for a in archive_list]
            if archive_rows:
                conn.execute(insert(archives), archive_rows)
            conn.execute(delete(sets))
            set_rows = [{"id": s.id, "data": json.dumps(asdict(s))} for s in set_list]
            if set_rows:
                conn.execute(insert(sets), set_rows)
            conn.execute(delete(meta).where(meta.c.key.in_(list(state))))
            conn.execute(insert(meta), [{"key": k, "value": v} for k, v in state.items()])

    def remember_files(self, file_stats: Iterable[tuple[Record, int, int]]) -> None:
        """Record the size and modification time of files a build read but found unchanged."""
        with self.engine.begin() as conn:
            _remember_files(conn, file_stats)

    # -- reading ------------------------------------------------------------------------------

    def state(self) -> dict[str, str]:
        """The key/value state of the last build ({} when no build has created the catalog yet).

        Raises CatalogUnavailable for any other database error.
        """
        try:
            with self.engine.connect() as conn:
                return dict(conn.execute(select(meta.c.key, meta.c.value)).all())
        except DBAPIError as error:
            if _missing_table(error.orig):
                return {}
            raise

    def file_hashes(self) -> dict[str, tuple[str, str]]:
        """path -> (sha256, id) of every catalogued document."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.path, documents.c.sha256, documents.c.id)).all()
            return {path: (sha, doc_id) for path, sha, doc_id in rows}

    def catalogued_files(self) -> list[tuple]:
        """What a build compares the documents folder with: (path, id, sha256, mtime_ns, size,
        replies_to JSON) of every catalogued document; the last three are None unless a build
        recorded the file's size and modification time for the content now catalogued."""
        query = (select(documents.c.path, documents.c.id, documents.c.sha256, files.c.mtime_ns,
                        files.c.size, files.c.replies_to)
                 .outerjoin(files, (documents.c.path == files.c.path)
                            & (documents.c.sha256 == files.c.sha256)
                            & (documents.c.id == files.c.document_id)))
        with self.engine.connect() as conn:
            # The driver's plain tuples: SQLAlchemy's result rows cost ~0.5 s per 100,000.
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute(str(query.compile(dialect=self.engine.dialect)))
                return cursor.fetchall()
            finally:
                cursor.close()

    def cached_record(self, path: str, sha256: str) -> Record | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(documents.c.record).where(documents.c.path == path,
                                                 documents.c.sha256 == sha256)
            ).first()
        return record_from_dict(json.loads(row[0])) if row else None

    def get(self, doc_id: str) -> Record | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents.c.record).where(documents.c.id == doc_id)).first()
        return record_from_dict(json.loads(row[0])) if row else None

    def records(self, ids: Iterable[str] | None = None) -> Iterator[Record]:
        """Records in date order (ties by id), optionally only `ids`; streamed, not all in memory."""
        query = select(documents.c.record).order_by(documents.c.date_earliest, documents.c.id)
        if ids is not None:
            wanted = list(ids)
            for start in range(0, len(wanted), 500):
                with self.engine.connect() as conn:
                    rows = conn.execute(query.where(documents.c.id.in_(wanted[start:start + 500])))
                    found = {r.id: r for r in (record_from_dict(json.loads(x[0])) for x in rows)}
                yield from (found[i] for i in wanted[start:start + 500] if i in found)
            return
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=500).execute(query)
            for (data,) in result:
                yield record_from_dict(json.loads(data))

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(documents)).scalar_one()

    def people(self) -> list[Person]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(people.c.data).order_by(people.c.id)).scalars().all()
        return [person_from_dict(json.loads(r)) for r in rows]

    def archives(self) -> list[Archive]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(archives.c.data).order_by(archives.c.id)).scalars().all()
        return [archive_from_dict(json.loads(r)) for r in rows]

    def cited_archives(self) -> list[str]:
        """Every archive the references cite (ids, and archives not in the authority as cited)."""
        with self.engine.connect() as conn:
            query = select(references.c.archive).distinct().order_by(references.c.archive)
            return list(conn.execute(query).scalars())

    def sets(self) -> list[DocumentSet]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(sets.c.data).order_by(sets.c.id)).scalars().all()
        return [DocumentSet(**{**d, "documents": tuple(d["documents"])}) for d in map(json.loads, rows)]


def _remember_files(conn, file_stats: Iterable[tuple[Record, int, int]]) -> None:
    rows = [{"path": r.path, "document_id": r.id, "sha256": r.sha256, "mtime_ns": mtime,
             "size": size, "replies_to": json.dumps(list(r.replies_to))}
            for r, mtime, size in file_stats]
    for start in range(0, len(rows), 500):
        batch = rows[start:start + 500]
        conn.execute(delete(files).where(files.c.path.in_([row["path"] for row in batch])))
        conn.execute(insert(files), batch)


def _ref_columns(ref: ArchiveRef) -> dict:
    """The reference's table columns; `primary` lives in the record's JSON only."""
    columns = asdict(ref)
    del columns["primary"]
    return columns


def _document_row(record: Record) -> dict:
    return {
        "id": record.id,
        "path": record.path,
        "sha256": record.sha256,
        "title": record.title,
        "type": record.type,
        "number": record.number,
        "date_text": record.date.text,
        "date_earliest": record.date.earliest,
        "date_latest": record.date.latest,
        "language": record.language,
        "record": json.dumps(record.to_dict(), ensure_ascii=False),
    }


# -- read queries for the web reader (archive.browse) ----------------------------------------
# Added as functions over a Catalog so that the class above stays as the build uses it.

def date_counts(catalog: Catalog) -> list[tuple[object, int]]:
    """(date_earliest, number of documents) per distinct earliest date, in date order."""
    query = (select(documents.c.date_earliest, func.count())
             .group_by(documents.c.date_earliest).order_by(documents.c.date_earliest))
    with catalog.engine.connect() as conn:
        return [(day, n) for day, n in conn.execute(query)]


def date_span(catalog: Catalog) -> tuple[object, object] | None:
    """The earliest and latest day any document can mean, or None for an empty catalog."""
    query = select(func.min(documents.c.date_earliest), func.max(documents.c.date_latest))
    with catalog.engine.connect() as conn:
        first, last = conn.execute(query).one()
    return (first, last) if first is not None else None


def role_counts(catalog: Catalog) -> list[tuple[str, str, int]]:
    """(person_id, role, number of documents) for every person named in any role."""
    query = (select(roles.c.person_id, roles.c.role, func.count(func.distinct(roles.c.document_id)))
             .group_by(roles.c.person_id, roles.c.role))
    with catalog.engine.connect() as conn:
        return [(p, r, n) for p, r, n in conn.execute(query)]


def document_summaries(catalog: Catalog, ids: Iterable[str] | None = None) -> list[dict]:
    """id, title, type, number, date_text, date_earliest of documents (all, or `ids`), in date
    order, ties by id; without parsing the stored records."""
    columns = (documents.c.id, documents.c.title, documents.c.type, documents.c.number,
               documents.c.date_text, documents.c.date_earliest)
    query = select(*columns).order_by(documents.c.date_earliest, documents.c.id)
    with catalog.engine.connect() as conn:
        if ids is None:
            return [dict(row._mapping) for row in conn.execute(query)]
        wanted, rows = list(dict.fromkeys(ids)), []
        for start in range(0, len(wanted), 500):
            batch = query.where(documents.c.id.in_(wanted[start:start + 500]))
            rows += [dict(row._mapping) for row in conn.execute(batch)]
    rows.sort(key=lambda r: (r["date_earliest"], r["id"]))
    return rows


def document_roles(catalog: Catalog, ids: Iterable[str]) -> list[tuple[str, str, int, str]]:
    """(document_id, role, position, person_id) for the given documents."""
    wanted, found = list(dict.fromkeys(ids)), []
    with catalog.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            query = (select(roles.c.document_id, roles.c.role, roles.c.position, roles.c.person_id)
                     .where(roles.c.document_id.in_(wanted[start:start + 500]))
                     .order_by(roles.c.document_id, roles.c.role, roles.c.position))
            found += [tuple(row) for row in conn.execute(query)]
    return found


def person_documents(catalog: Catalog, person_id: str) -> list[tuple[str, str]]:
    """(document_id, role) for every document naming the person, in date order."""
    query = (select(roles.c.document_id, roles.c.role)
             .join(documents, documents.c.id == roles.c.document_id)
             .where(roles.c.person_id == person_id)
             .distinct()
             .order_by(documents.c.date_earliest, documents.c.id, roles.c.role))
    with catalog.engine.connect() as conn:
        return [(d, r) for d, r in conn.execute(query)]


def correspondents(catalog: Catalog, person_id: str) -> list[tuple[str, str, int]]:
    """(other person_id, direction "to" | "from", number of documents) between the person as
    sender and others as recipients ("to") and the reverse ("from")."""
    mine, theirs = roles.alias("mine"), roles.alias("theirs")
    found = []
    with catalog.engine.connect() as conn:
        for direction, my_role, their_role in (("to", "sender", "recipient"),
                                               ("from", "recipient", "sender")):
            query = (select(theirs.c.person_id, func.count(func.distinct(theirs.c.document_id)))
                     .join(mine, mine.c.document_id == theirs.c.document_id)
                     .where(mine.c.person_id == person_id, mine.c.role == my_role,
                            theirs.c.role == their_role, theirs.c.person_id != person_id)
                     .group_by(theirs.c.person_id))
            found += [(other, direction, n) for other, n in conn.execute(query)]
    return found


def neighbours(catalog: Catalog, doc_id: str) -> tuple[str | None, str | None]:
    """The ids before and after the document in (date_earliest, id) order."""
    with catalog.engine.connect() as conn:
        row = conn.execute(select(documents.c.date_earliest).where(documents.c.id == doc_id)).first()
        if row is None:
            return None, None
        day = row[0]
        before = (select(documents.c.id)
                  .where((documents.c.date_earliest < day)
                         | ((documents.c.date_earliest == day) & (documents.c.id < doc_id)))
                  .order_by(documents.c.date_earliest.desc(), documents.c.id.desc()).limit(1))
        after = (select(documents.c.id)
                 .where((documents.c.date_earliest > day)
                        | ((documents.c.date_earliest == day) & (documents.c.id > doc_id)))
                 .order_by(documents.c.date_earliest, documents.c.id).limit(1))
        return conn.execute(before).scalar(), conn.execute(after).scalar()


def replied_by(catalog: Catalog, doc_id: str) -> list[str]:
    """Ids of the documents whose `replies_to` names `doc_id`, in date order."""
    # replies_to lives only in the stored record: narrow with LIKE (ids are slugs, so no
    # wildcard characters), then confirm on the parsed record.
    query = (select(documents.c.id, documents.c.record)
             .where(documents.c.record.contains(f'"{doc_id}"'), documents.c.id != doc_id)
             .order_by(documents.c.date_earliest, documents.c.id))
    with catalog.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [i for i, data in rows if doc_id in json.loads(data).get("replies_to", [])]


def reference_rows(catalog: Catalog) -> list[tuple[str, str | None, str | None, str | None, str]]:
    """(archive, fond, opis, delo, document_id) for every archive reference."""
    query = (select(references.c.archive, references.c.fond, references.c.opis, references.c.delo,
                    references.c.document_id)
             .order_by(references.c.archive, references.c.document_id, references.c.position))
    with catalog.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def _ref_columns(ref) -> dict:
    """A reference's table columns (the record JSON keeps all of it, the call number too)."""
    return {c.name: getattr(ref, c.name) for c in references.columns
            if c.name not in ("document_id", "position")}
