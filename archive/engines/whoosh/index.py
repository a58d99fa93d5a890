"""Reading a Whoosh index generation for searching (archive.engines.SearchIndex): queries are
matched and scored by archive.engines.whoosh.postings over posting arrays read here through
Whoosh; facets and dates are filtered and counted over the generation's columns (archive.facets).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length, length_to_byte

from ... import analysis, facets, spelling
from ... import query as q
from .. import query_terms
from ..columnar import ColumnarSearch
from ..query_terms import MAX_EXPANSIONS
from . import (
    postings,
    schema,  # noqa: F401 - patches a Whoosh reader class (readers need it too)
)
from .writing import write_columns

DEFAULT_FIELDS = {"title": 2.0, "text": 1.0, "names": 1.5, "subject": 1.5}
TERM_CACHE_BYTES = 256 << 20  # posting arrays kept per generation (a few thousand terms)


class Index(ColumnarSearch):
    """One generation opened for searching: a long-lived searcher shared by all threads.

    Queries are matched and scored by archive.engines.whoosh.postings over numpy arrays that
    this class reads
    through Whoosh's reader once per generation: each term's postings and positions (a
    `TermCache` bounded by bytes), each field's document lengths. Whoosh searchers are not
    thread-safe, so every call into Whoosh holds `_lock`; the numpy work happens outside it.
    """

    def __init__(self, path: Path):
        self.path = path
        try:  # first: columns an older version wrote raise IndexOutdated before any file is open
            self.columns = facets.load(path)
        except FileNotFoundError:  # an index written before columns existed
            write_columns(path)
            self.columns = facets.load(path)
        self._ix = whoosh_index.open_dir(str(path))
        self._searcher = self._ix.searcher()
        self._lock = threading.Lock()
        # the numpy query engine (postings) reads each term's postings once per generation
        self.default_fields = DEFAULT_FIELDS
        self._schema = self._searcher.schema  # `Index.schema` re-reads the TOC file every time
        self.live = self.columns.live
        self.doc_count_all = self._searcher.doc_count_all()
        self._terms = postings.TermCache(TERM_CACHE_BYTES)
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        self._lexicon = spelling.Lexicon(self._words_starting)
        # Segment files stay open while the generation is served; an Index dropped without
        # close() (a test's app, a replaced service) still closes them when it is collected.
        self._finalizer = weakref.finalize(self, _close_whoosh, self._searcher, self._ix)

    def close(self) -> None:
        with self._lock:
            self._finalizer()

    # matching

    def match(self, node, *, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """Document numbers matching a query tree, sorted (and their scores when `scored`)."""
        if isinstance(node, q.All):
            return np.flatnonzero(self.columns.live), None
        return postings.match(self, node, scored=scored)

    def search_whoosh(self, node, *, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """The same through Whoosh's own matching and scoring (slow; for comparisons in tests)."""
        wquery = self.compile(node)
        with self._lock:
            if scored:
                pairs = self._searcher.search(wquery, limit=None).top_n
                docs = np.array([d for _, d in pairs], dtype=np.int64)
                scores = np.array([s for s, _ in pairs], dtype=np.float64)
                order = np.argsort(docs)
                return docs[order], scores[order]
            return np.sort(np.fromiter(self._searcher.docs_for_query(wquery), dtype=np.int64)), None

    # the numpy engine's source (postings.Source)

    def postings(self, field: str, term: str) -> postings.Postings:
        """One term's posting list as arrays, read through Whoosh once per generation (cached)."""
        return self._terms.get((field, term), lambda: self._read_postings(field, term))

    def _read_postings(self, field: str, term: str) -> postings.Postings:
        with self._lock:
            reader = self._searcher.reader()
            if field not in self._schema:
                return postings.NO_POSTINGS
            df = reader.doc_frequency(field, term)
            if not df:
                return postings.NO_POSTINGS
            parts = []
            for segment, base in reader.leaf_readers():
                if (field, term) in segment:
                    docs, weights = _posting_arrays(segment.postings(field, term))
                    parts.append((docs + base, weights))
        if not parts:
            return postings.NO_POSTINGS
        docs = np.concatenate([d for d, _ in parts]).astype(np.int32)
        weights = np.concatenate([w for _, w in parts])
        keep = self.live[docs]  # deleted documents stay in postings until segments merge
        return postings.Postings(docs[keep], weights[keep], df)

    def scorable(self, field: str) -> bool:
        return field in self._schema and self._schema[field].scorable

    def lengths(self, field: str) -> np.ndarray:
        return self._field_lengths(field)[0]

    def avg_length(self, field: str) -> float:
        return self._field_lengths(field)[1]

    def _field_lengths(self, field: str) -> tuple[np.ndarray, float]:
        """Each document's length in a field as Whoosh's BM25F sees it (the length byte decoded,
        1 where there is none) and the field's average length."""
        found = self._lengths.get(field)
        if found is not None:
            return found
        with self._lock:
            lengths = np.concatenate([_length_bytes(segment, field)
                                      for segment, _ in self._searcher.reader().leaf_readers()])
            average = self._searcher.avg_field_length(field) or 1
        decoded = _BYTE_TO_LENGTH[lengths]
        decoded[lengths == 0] = 1
        self._lengths[field] = found = (decoded, float(average))
        return found

    def expand(self, field: str, word: str, fuzzy: int, limit: int) -> list[str]:
        """Vocabulary words of a field starting with `word` (or within `fuzzy` edits of it, with
        the same first letter); at most `limit` of them, so a caller can tell there are more."""
        if fuzzy:
            return self._lexicon.within(field, word, fuzzy)[:limit] if field in self._schema else []
        with self._lock:
            if field not in self._schema:
                return []
            found = islice(self._searcher.reader().expand_prefix(field, word), limit)
            return [w.decode("utf-8") if isinstance(w, bytes) else w for w in found if w]

    def _words_starting(self, field: str, prefix: str) -> list[str]:
        """Every word of a field starting with `prefix` (spelling.Lexicon reads each letter once)."""
        with self._lock:
            if field not in self._schema:
                return []
            found = self._searcher.reader().expand_prefix(field, prefix)
            return [w.decode("utf-8") if isinstance(w, bytes) else w for w in found if w]

    def positions(self, field: str, term: str,
                  candidates: np.ndarray | None = None) -> postings.Positions:
        """Every occurrence of a term in a field (document, position), read once (cached).

        With `candidates` (sorted document numbers) fewer than a quarter of the term's documents,
        a term not read yet is read only in those documents, and not kept: "the army" reads
        "the" where "army" occurs, not in every document (~1 s at 100,000 documents).
        """
        key = ("positions", field, term)
        if candidates is not None and not self._terms.has(key) \
                and len(candidates) * 4 < self.postings(field, term).df:
            return self._read_positions(field, term, candidates)
        return self._terms.get(key, lambda: self._read_positions(field, term))

    def _read_positions(self, field: str, term: str,
                        candidates: np.ndarray | None = None) -> postings.Positions:
        docs, counts, positions = [], [], []
        with self._lock:
            reader = self._searcher.reader()
            if field not in self._schema or not self._schema[field].format.supports("positions"):
                return postings.NO_POSITIONS
            decode = self._schema[field].format.decode_positions
            for segment, base in reader.leaf_readers():
                if (field, term) not in segment:
                    continue
                matcher = segment.postings(field, term)
                if candidates is None:
                    values = _posting_values(matcher)
                else:
                    inside = candidates[(candidates >= base) & (candidates < base + segment.doc_count_all())]
                    values = _values_at(matcher, (inside - base).tolist())
                for doc, value in values:
                    found = decode(value)
                    docs.append(doc + base)
                    counts.append(len(found))
                    positions.extend(found)
        if not docs:
            return postings.NO_POSITIONS
        docs = np.repeat(np.array(docs, dtype=np.int32), counts)
        positions = np.array(positions, dtype=np.int32)
        keep = self.live[docs]
        return postings.Positions.of(docs[keep], positions[keep])

    def date_columns(self) -> tuple[np.ndarray, np.ndarray]:
        return self.columns.date_start, self.columns.date_end

    def compile(self, node) -> wq.Query:
        if isinstance(node, q.All):
            return wq.Every()
        if isinstance(node, q.And):
            positive = [self.compile(i) for i in node.items if not isinstance(i, q.Not)]
            negative = [self.compile(i.item) for i in node.items if isinstance(i, q.Not)]
            base = wq.And(positive) if len(positive) > 1 else (positive[0] if positive else wq.Every())
            return wq.AndNot(base, wq.Or(negative)) if negative else base
        if isinstance(node, q.Or):
            return wq.Or([self.compile(i) for i in node.items])
        if isinstance(node, q.Not):
            return wq.AndNot(wq.Every(), self.compile(node.item))
        if isinstance(node, q.Term):
            return self._term(node)
        if isinstance(node, q.Phrase):
            fields = [node.field] if node.field else list(DEFAULT_FIELDS)
            return _any([self._phrase(f, node.words) for f in fields])
        if isinstance(node, q.Person):
            roles = node.roles or ("people",)
            parts = [wq.Term(role, node.person_id) for role in roles]
            for form in node.text_forms:
                words = tuple(analysis.words(form))
                parts += [self._phrase(f, words) for f in DEFAULT_FIELDS]
            return _any(parts)
        if isinstance(node, q.Exact):
            return wq.Term(node.field, node.value)
        if isinstance(node, q.DateRange):
            parts = []
            if node.start:
                parts.append(wq.NumericRange("date_end", node.start.toordinal(), None))
            if node.end:
                parts.append(wq.NumericRange("date_start", None, node.end.toordinal()))
            return _all(parts)
        raise TypeError(f"cannot compile {node!r}")  # pragma: no cover

    def _term(self, node: q.Term) -> wq.Query:
        fields = [node.field] if node.field else list(DEFAULT_FIELDS)
        if node.prefix or node.fuzzy:
            word = analysis.fold(node.text)
            target = "spell" if set(fields) & {"text", "names", "subject"} or not node.field else fields[0]
            if node.prefix:
                return wq.Prefix(target, word)
            return wq.FuzzyTerm(target, word, maxdist=node.fuzzy, prefixlength=1)
        terms = analysis.word_terms(node.text)
        return _any([wq.Term(f, t, boost=DEFAULT_FIELDS.get(f, 1.0)) for f in fields for t in terms])

    def _phrase(self, fieldname: str, words: tuple[str, ...]) -> wq.Query:
        terms = [analysis.word_terms(w) for w in words]
        terms = [t for t in terms if t]
        if not terms:
            return wq.NullQuery
        if len(terms) == 1:
            return _any([wq.Term(fieldname, t) for t in terms[0]])
        return _phrase(fieldname, terms)

    # reading stored data

    def stored(self, docnums: Iterable[int]) -> list[dict]:
        with self._lock:
            return [self._searcher.stored_fields(int(d)) for d in docnums]

    def highlight_terms(self, node) -> tuple[set[str], list[str], set[str]]:
        return query_terms.highlight_terms(
            node, lambda word, edits: self.expand("spell", word, edits, MAX_EXPANSIONS))

    # vocabulary

    def frequency(self, word: str) -> int:
        """In how many documents a free word occurs (title, text, subjects or names)."""
        terms = analysis.word_terms(word)
        with self._lock:
            return max((self._searcher.doc_frequency(f, t) for f in DEFAULT_FIELDS for t in terms),
                       default=0)

    def similar_words(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Index words within two edits of `word` (one for short words), with the same first
        letter, most frequent first."""
        folded = analysis.fold(word)
        near = self._lexicon.within("spell", folded, 2 if len(folded) > 4 else 1)
        with self._lock:
            reader = self._searcher.reader()
            found = [(w, reader.doc_frequency("spell", w)) for w in near if w != folded]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:limit]

    def similar_docnums(self, docnum: int, limit: int) -> list[int]:
        with self._lock:
            results = self._searcher.more_like(docnum, "text", top=limit, numterms=10)
            return [hit.docnum for hit in results]


_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def _posting_arrays(matcher) -> tuple[np.ndarray, np.ndarray]:
    """A posting list's document numbers and weights, a block at a time where the codec allows."""
    leaf = getattr(matcher, "child", matcher)  # deletions are filtered by the caller
    ids, weights = [], []
    if all(hasattr(leaf, name) for name in ("_read_ids", "_read_weights", "_next_block")):
        while leaf.is_active():  # Whoosh 3 codec: whole blocks of up to 128 postings
            leaf._read_ids()
            leaf._read_weights()
            ids.append(np.asarray(leaf._ids, dtype=np.int64))
            weights.append(np.asarray(leaf._weights, dtype=np.float64))
            leaf._next_block()
    else:  # pragma: no cover - another codec: one posting at a time
        docs, found = [], []
        while matcher.is_active():
            docs.append(matcher.id())
            found.append(matcher.weight())
            matcher.next()
        ids, weights = [np.array(docs, dtype=np.int64)], [np.array(found, dtype=np.float64)]
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def _posting_values(matcher):
    """(document number, value bytes) of every posting, a block at a time where possible."""
    leaf = getattr(matcher, "child", matcher)
    if all(hasattr(leaf, name) for name in ("_read_ids", "_read_values", "_next_block")):
        while leaf.is_active():
            leaf._read_ids()
            leaf._read_values()
            yield from zip(leaf._ids, leaf._values, strict=True)
            leaf._next_block()
    else:  # pragma: no cover - another codec
        while matcher.is_active():
            yield matcher.id(), matcher.value()
            matcher.next()


def _values_at(matcher, docs: list[int]):
    """(document number, value bytes) of the postings of `docs` (sorted), skipping the others."""
    for doc in docs:
        if not matcher.is_active():
            return
        if matcher.id() < doc:
            matcher.skip_to(doc)
            if not matcher.is_active():
                return
        if matcher.id() == doc:
            yield doc, matcher.value()


def _length_bytes(segment, field: str) -> np.ndarray:
    """One segment's length bytes for a field (0: no length), read as one buffer if possible."""
    size = segment.doc_count_all()
    out = np.zeros(size, dtype=np.uint8)
    try:
        column = segment._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        if column is None:
            return out
        raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
        out[:min(size, len(raw))] = raw[:size]
    except AttributeError:  # pragma: no cover - another codec: ask document by document
        for d in range(size):
            out[d] = length_to_byte(segment.doc_field_length(d, field, 0))
    return out


def _close_whoosh(searcher, ix) -> None:
    searcher.close()
    ix.close()


def _phrase(fieldname: str, terms: list[tuple[str, ...]]) -> wq.Query:
    """Words at consecutive positions; a Cyrillic word may match by either of its terms."""
    if all(len(t) == 1 for t in terms):
        return wq.Phrase(fieldname, [t[0] for t in terms])
    # Cyrillic words: their Russian stems in a Russian text, or their transliterations
    return wq.Or([wq.Phrase(fieldname, [t[0] for t in terms]),
                  wq.Phrase(fieldname, [t[-1] for t in terms])])


def _any(parts: list) -> wq.Query:
    parts = [p for p in parts if p is not wq.NullQuery]
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _all(parts: list) -> wq.Query:
    return parts[0] if len(parts) == 1 else wq.And(parts)
