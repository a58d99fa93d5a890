"""The Whoosh index (with archive.engines.whoosh.postings, the numpy matching over it).

One directory per index generation; a build writes a new generation and the catalog's state says
which one is current, so readers never see a half-written index. Beside the segments each
generation holds `columns.npz` (archive.facets): the facet and date columns by document number,
so that searches count facets and filter dates in numpy rather than through Whoosh.

Analysis is archive.analysis wrapped as a Whoosh tokenizer: Latin words stemmed as English,
Cyrillic words stemmed as Russian plus their transliteration, diacritics folded. `spell` keeps
the folded, unstemmed words (doc ids only) for prefix, fuzzy and "did you mean". A word-pair
(shingle) field for phrases was tried and dropped: Whoosh pays ~50-90 us per distinct term at
commit, and pairs multiplied the vocabulary (345,000 terms for 1,000 documents; build 3x slower).
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.codec import whoosh3 as w3
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.util.numeric import byte_to_length, length_to_byte

from ... import analysis, facets, spelling
from ... import query as q
from ...index_fields import index_fields
from ...people import PeopleAuthority
from ...records import Record
from ...vocabulary import Vocabulary
from . import postings

DEFAULT_FIELDS = {"title": 2.0, "text": 1.0, "names": 1.5, "subject": 1.5}
TERM_CACHE_BYTES = 256 << 20  # posting arrays kept per generation (a few thousand terms)
SEGMENTS_FILE = "segments.json"  # the Whoosh segments the columns were written from
PARALLEL_THRESHOLD = 2000  # below this, starting worker processes costs more than it saves


def _cache_missing_length_columns() -> None:
    """Whoosh 2.7's per-document reader checks the disk (a stat) on every posting of a field that
    has no length column (ID, KEYWORD, NUMERIC fields), because it caches only the columns it
    finds. Caching the absence too removed ~265,000 stat calls from indexing 1,000 documents
    (74 -> 85 documents/s)."""
    reader_class = w3.W3PerDocReader
    if getattr(reader_class, "_archive_caches_absence", False):
        return
    find = reader_class._cached_reader

    def cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = find(self, fieldname, column)
        return self._readers[fieldname]

    reader_class._cached_reader = cached_reader
    reader_class._archive_caches_absence = True


_cache_missing_length_columns()


class _Mixed(Tokenizer):
    """Words -> stems (English for Latin, Russian + transliteration for Cyrillic), with offsets."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for token in analysis.tokens(value):
            for term in token.terms:
                t.text = term
                t.boost, t.stopped = 1.0, False
                if positions:
                    t.pos = start_pos + token.pos
                if chars:
                    t.startchar, t.endchar = start_char + token.start, start_char + token.end
                yield t


class _Plain(Tokenizer):
    """Folded, unstemmed words (the spelling vocabulary)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = analysis.plain_words(value) if tokenize else [value]
        for i, word in enumerate(words):
            t.text, t.boost, t.stopped = word, 1.0, False
            if positions:
                t.pos = start_pos + i
            yield t


MIXED = _Mixed()
PLAIN = _Plain()


def _keyword(analyzer) -> KEYWORD:
    """Terms without frequencies or positions (doc ids only: the cheapest postings to write)."""
    field = KEYWORD()
    field.analyzer = analyzer
    return field


def schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=MIXED, stored=True),
        text=TEXT(analyzer=MIXED, stored=True),
        spell=_keyword(PLAIN),
        names=TEXT(analyzer=MIXED),
        people=KEYWORD(commas=True),
        sender=KEYWORD(commas=True, stored=True),
        recipient=KEYWORD(commas=True, stored=True),
        via=KEYWORD(commas=True, stored=True),
        archive=KEYWORD(commas=True, stored=True),
        fond=KEYWORD(commas=True, lowercase=True),
        type=ID(stored=True),
        language=ID(stored=True),
        subject=TEXT(analyzer=MIXED, stored=True),
        number=TEXT(analyzer=MIXED, stored=True),
        date_start=NUMERIC(int, bits=32, stored=True),
        date_end=NUMERIC(int, bits=32, stored=True),
        date_text=STORED(),
        summary=STORED(),
        facets=COLUMN(),
    )


# -- writing ---------------------------------------------------------------------------------

def create_index(path: Path, records: Iterable[Record], people: PeopleAuthority,
                 places: Vocabulary | None = None) -> int:
    """Write a new index at `path` (which must not exist yet); returns the number of documents.

    Large collections are indexed by two processes, each writing its own segment (Whoosh's
    multiprocessing writer): measured 85 -> 152 documents/s on two cores at 1,000 documents.
    """
    records = list(records)
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), schema())
    parallel = len(records) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1
    # Each indexing process sorts its postings in memory up to limitmb, then spills a run to disk
    # and merges the runs at the end, a posting at a time. 512 MB instead of 128 at 100,000
    # documents: 912 -> 616 s (110 -> 162 docs/s), peak RSS 1.5 -> 1.9 GB.
    options = {"procs": 2, "multisegment": True, "limitmb": 512} if parallel else {"limitmb": 256}
    options["compound"] = False  # see update_index
    with ix.writer(**options) as writer:
        for record in records:
            writer.add_document(**index_fields(record, people, places))
    ix.close()
    write_columns(path)
    return len(records)


def update_index(path: Path, changed: Iterable[Record], removed: Iterable[str],
                 people: PeopleAuthority, places: Vocabulary | None = None) -> None:
    """Apply changes to an index copy at `path` (a new generation, never the one being served).

    Segments stay separate files (`compound=False`): opening a compound segment copies each of
    its parts into memory (0.6 s of a cold `archive search` at 100,000 documents), while plain
    files are read in place.
    """
    ix = whoosh_index.open_dir(str(path))
    with ix.writer(limitmb=128, compound=False) as writer:
        for doc_id in removed:
            writer.delete_by_term("id", doc_id)
        for record in changed:
            writer.update_document(**index_fields(record, people, places))
    ix.close()
    write_columns(path)


def write_columns(path: Path) -> None:
    """Save the facet columns of every document number as numpy arrays (archive.facets).

    An incremental build's generation starts as a copy of the previous one, with its columns and
    `segments.json`. The documents of the leading segments Whoosh kept as they were (it appends
    new ones, marks deletions, and merges only the small last ones) keep their columns; only the
    documents after them are read.
    """
    ix = whoosh_index.open_dir(str(path))
    try:
        with ix.reader() as reader:
            size = reader.doc_count_all()
            segments = [[leaf.segment().segment_id(), leaf.segment().doc_count_all()]
                        for leaf, _ in reader.leaf_readers()]
            live = np.ones(size, dtype=bool)  # deletions are few: mark them, not ask for each
            for leaf, base in reader.leaf_readers():
                live[[base + d for d in leaf.segment().deleted_docs()]] = False
            previous = _reusable_columns(path, segments)
            first = previous.size if previous is not None else 0
            column = reader.column_reader("facets")
            rows = [json.loads(column[d]) if live[d] else None for d in range(first, size)]
    finally:
        ix.close()
    columns = facets.extend(previous, rows, live) if previous is not None else facets.build(rows)
    facets.save(columns, path)
    scratch = path / f".{SEGMENTS_FILE}.{os.getpid()}.tmp"
    scratch.write_text(json.dumps(segments))
    os.replace(scratch, path / SEGMENTS_FILE)  # never write into a hard-linked file


def _reusable_columns(path: Path, segments: list[list]) -> facets.Columns | None:
    """The previous columns of the documents in the segments Whoosh kept as they were: the
    longest common prefix of the two segment lists (Whoosh appends a segment per commit and
    merges only small ones, which come last, so the big first segments keep their numbers)."""
    try:
        before = json.loads((path / SEGMENTS_FILE).read_text())
        previous = facets.load(path)
    except (FileNotFoundError, ValueError):
        return None
    if previous.size != sum(n for _, n in before):
        return None
    kept = 0
    for old, new in zip(before, segments, strict=False):
        if old != new:
            break
        kept += 1
    if not kept:
        return None
    return facets.head(previous, sum(n for _, n in before[:kept]))


def document_count(path: Path) -> int:
    ix = whoosh_index.open_dir(str(path))
    try:
        return ix.doc_count()
    finally:
        ix.close()


# -- reading ---------------------------------------------------------------------------------

class Index:
    """One generation opened for searching: a long-lived searcher shared by all threads.

    Queries are matched and scored by archive.postings over numpy arrays that this class reads
    through Whoosh's reader once per generation: each term's postings and positions (a
    `TermCache` bounded by bytes), each field's document lengths. Whoosh searchers are not
    thread-safe, so every call into Whoosh holds `_lock`; the numpy work happens outside it.
    """

    def __init__(self, path: Path):
        self.path = path
        self._ix = whoosh_index.open_dir(str(path))
        self._searcher = self._ix.searcher()
        self._lock = threading.Lock()
        try:
            self.columns = facets.load(path)
        except FileNotFoundError:  # an index written before columns existed
            write_columns(path)
            self.columns = facets.load(path)
        # the numpy query engine (archive.postings) reads each term's postings once per generation
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

    # the numpy engine's source (archive.postings.Source)

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
                words = tuple(analysis_words(form))
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
        """What to mark in a snippet: stemmed terms, folded prefixes, folded fuzzy matches."""
        terms: set[str] = set()
        prefixes: list[str] = []
        fuzzy: set[str] = set()
        for item in _positive(node):
            if isinstance(item, q.Term) and item.prefix:
                prefixes.append(analysis.fold(item.text))
            elif isinstance(item, q.Term) and item.fuzzy:
                fuzzy.update(self.expand("spell", analysis.fold(item.text), item.fuzzy,
                                         postings.MAX_EXPANSIONS))
            elif isinstance(item, q.Term):
                terms.update(analysis.word_terms(item.text))
            elif isinstance(item, q.Phrase):
                terms.update(t for w in item.words for t in analysis.word_terms(w))
            elif isinstance(item, q.Person):
                for form in item.text_forms:
                    terms.update(t for w in analysis_words(form) for t in analysis.word_terms(w))
        return terms, prefixes, fuzzy

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

    def more_like(self, docnum: int, limit: int) -> list[int]:
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


def analysis_words(text: str) -> list[str]:
    return [m.group() for m in analysis._WORD.finditer(text)]


def _positive(node):
    if isinstance(node, q.And | q.Or):
        for item in node.items:
            yield from _positive(item)
    elif not isinstance(node, q.Not):
        yield node


def _any(parts: list) -> wq.Query:
    parts = [p for p in parts if p is not wq.NullQuery]
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _all(parts: list) -> wq.Query:
    return parts[0] if len(parts) == 1 else wq.And(parts)
