"""The SQLite FTS5 baseline for the benchmark: what a technical researcher would reach for.

An external-content FTS5 table (`docs_fts` over `docs`: title, text, names, subject; Porter
stemming, diacritics removed) plus a facet table with indexed (facet, value, doc) columns and
indexed date columns, built from the same validated records as our index. Each query kind of
the benchmark has a method here that returns the same things our search service returns for
it (total, top 20 ids in order, facet counts and snippets where the kind asks for them).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

FACETS = ("sender", "recipient", "via", "year", "month", "type", "archive", "language", "subject")
WEIGHTS = "2.0, 1.0, 1.5, 1.5"  # title, text, names, subject: as our index weighs them
FACET_LIMIT = 50

_SCHEMA = """
CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, text TEXT,
                   names TEXT, subject TEXT, date_start INTEGER, date_end INTEGER,
                   date_text TEXT);
CREATE INDEX docs_start ON docs (date_start, id);
CREATE INDEX docs_end ON docs (date_end);
CREATE TABLE facets (doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE VIRTUAL TABLE docs_fts USING fts5(title, text, names, subject, content='docs',
    content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
"""
_INDEXES = """
CREATE INDEX facets_value ON facets (facet, value, doc);
CREATE INDEX facets_doc ON facets (doc, facet, value);
INSERT INTO docs_fts(docs_fts) VALUES ('rebuild');
ANALYZE;
"""


def facet_values(record) -> dict[str, list[str]]:
    """The facet values of a record, as our index derives them (years and short month spans)."""
    earliest, latest = record.date.earliest, record.date.latest
    months = []
    span = (latest.year - earliest.year) * 12 + latest.month - earliest.month
    if span < 3:
        y, m = earliest.year, earliest.month
        for _ in range(span + 1):
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return {
        "sender": record.sender, "recipient": record.recipient, "via": record.via,
        "year": [str(y) for y in range(earliest.year, latest.year + 1)], "month": months,
        "type": [record.type], "archive": [r.archive for r in record.archive_refs],
        "language": [record.language] if record.language else [], "subject": record.subjects,
    }


def build(path: Path, records: Iterable, people) -> tuple[int, float]:
    """Write the database at `path` from validated records; returns (documents, seconds)."""
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    count = 0
    docs, facets = [], []
    for rowid, record in enumerate(records, 1):
        sections = record.sections or {}
        text = "\n\n".join(v for v in sections.values() if v) if sections else record.body
        names = [form for role in (record.sender, record.recipient, record.via, record.copies_to)
                 for pid in role if pid in people for form in people.get(pid).all_forms()]
        docs.append((rowid, record.id, record.title, text, "\n".join(names),
                     "\n".join(record.subjects), record.date.earliest.toordinal(),
                     record.date.latest.toordinal(), record.date.text))
        for facet, values in facet_values(record).items():
            facets += [(rowid, facet, v) for v in dict.fromkeys(values)]
        count += 1
        if len(docs) >= 2000:
            _flush(db, docs, facets)
    _flush(db, docs, facets)
    db.executescript(_INDEXES)
    db.commit()
    db.close()
    return count, time.perf_counter() - started


def _flush(db: sqlite3.Connection, docs: list, facets: list) -> None:
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
    db.executemany("INSERT INTO facets VALUES (?, ?, ?)", facets)
    docs.clear()
    facets.clear()


def fts_terms(words: Iterable[str]) -> str:
    """Words as an FTS5 query: each quoted (no operators), implicitly ANDed."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def fts_phrase(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'


class FtsSearch:
    """One long-lived read connection (as a server would keep)."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.db.execute("PRAGMA temp_store=MEMORY")
        self.db.execute("CREATE TEMP TABLE m (rowid INTEGER PRIMARY KEY, score REAL)")

    def close(self) -> None:
        self.db.close()

    def search(self, match: str | None, *, date_range: tuple[int, int] | None = None,
               filters: dict[str, str] | None = None, facets: bool = False,
               snippets: bool = False, limit: int = 20) -> dict:
        """Total, top `limit` ids (by bm25 with a query, else by date), optional facet counts
        and snippets: the same answer our service gives for the request."""
        db = self.db
        where, params = [], []
        if date_range:
            where.append("d.date_end >= ? AND d.date_start <= ?")
            params += list(date_range)
        for facet, value in (filters or {}).items():
            where.append("d.rowid IN (SELECT doc FROM facets WHERE facet = ? AND value = ?)")
            params += [facet, value]
        if match is None and not where:
            return self._everything(facets, limit)
        db.execute("DELETE FROM m")
        if match is not None:
            sql = (f"INSERT INTO m SELECT f.rowid, bm25(docs_fts, {WEIGHTS}) FROM docs_fts f "
                   "JOIN docs d ON d.rowid = f.rowid WHERE docs_fts MATCH ?")
            params = [match, *params]
        else:
            sql = "INSERT INTO m SELECT d.rowid, d.date_start FROM docs d WHERE 1"
        db.execute(" AND ".join([sql, *where]), params)
        total = db.execute("SELECT count(*) FROM m").fetchone()[0]
        top = db.execute("SELECT d.rowid, d.id FROM m JOIN docs d ON d.rowid = m.rowid "
                         "ORDER BY m.score, d.id LIMIT ?", (limit,)).fetchall()
        result = {"total": total, "ids": [i for _, i in top]}
        if facets:
            result["facets"] = {
                name: db.execute(
                    "SELECT value, count(*) AS n FROM facets JOIN m ON m.rowid = facets.doc "
                    "WHERE facet = ? GROUP BY value ORDER BY n DESC, value LIMIT ?",
                    (name, FACET_LIMIT)).fetchall()
                for name in FACETS}
        if snippets and match is not None and top:
            rowids = [r for r, _ in top]
            marks = ",".join("?" * len(rowids))
            found = dict(db.execute(
                "SELECT rowid, snippet(docs_fts, 1, '<mark>', '</mark>', '…', 40) FROM docs_fts "
                f"WHERE docs_fts MATCH ? AND rowid IN ({marks})", [match, *rowids]).fetchall())
            result["snippets"] = [found.get(r, "") for r in rowids]
        return result

    def _everything(self, facets: bool, limit: int) -> dict:
        db = self.db
        result = {
            "total": db.execute("SELECT count(*) FROM docs").fetchone()[0],
            "ids": [i for (i,) in db.execute("SELECT id FROM docs ORDER BY date_start, id LIMIT ?",
                                             (limit,))],
        }
        if facets:
            result["facets"] = {
                name: db.execute("SELECT value, count(*) AS n FROM facets WHERE facet = ? "
                                 "GROUP BY value ORDER BY n DESC, value LIMIT ?",
                                 (name, FACET_LIMIT)).fetchall()
                for name in FACETS}
        return result
