"""Matching and scoring a query tree over posting arrays (numpy; no search engine).

The Whoosh index (archive.engines.whoosh.index) stays the store of the inverted index; it hands out each
term's posting list once per generation as numpy arrays (`Postings`, kept in a `TermCache`), the
field lengths for BM25, and position checks for phrase candidates. Everything else happens here,
a handful of vectorised operations per query node instead of Python work per matching document:
Term = union over its fields and terms, And = intersection, Or = union, Not = difference from the
live documents, Phrase = intersection of the words' postings, then positions checked only for
those candidates.

Scores follow Whoosh's BM25F (B=0.75, K1=1.2, idf = log(N / (df + 1)) + 1, a field's query boost
as a factor, non-scorable keyword fields scoring their weight) and its way of combining them (Or
and And add the scores of the parts that match; a negation adds nothing), so relevance order is
the same as Whoosh's up to floating-point rounding.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from math import log
from typing import Protocol

import numpy as np

from ... import analysis, deadline
from ... import query as q
from ..query_terms import MAX_EXPANSIONS, too_many_expansions

B, K1 = 0.75, 1.2
# Index words that the prefix (word*) and fuzzy (word~) terms of one query may stand for in all:
# each is a posting list to read (~0.1-1 ms when not cached), so a query of many short prefixes
# would otherwise read thousands (#14).
EMPTY = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class Postings:
    """One term's live documents (sorted), its weight (frequency) in each, and its document
    frequency as the engine counts it (deleted documents included, as Whoosh's idf does)."""

    docs: np.ndarray  # int32, sorted
    weights: np.ndarray  # float64
    df: int

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.weights.nbytes + 100


NO_POSTINGS = Postings(EMPTY, np.zeros(0), 0)


@dataclass(frozen=True)
class Positions:
    """Every occurrence of one term as a sorted key: document number << 32 | word position."""

    keys: np.ndarray  # int64, sorted

    @classmethod
    def of(cls, docs: np.ndarray, positions: np.ndarray) -> Positions:
        keys = (docs.astype(np.int64) << 32) | positions.astype(np.int64)
        return cls(np.sort(keys))

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + 100


NO_POSITIONS = Positions(np.zeros(0, dtype=np.int64))


class TermCache:
    """A least-recently-used map of posting arrays bounded by their total size in bytes."""

    def __init__(self, max_bytes: int = 256 << 20):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[Hashable, Postings] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], Postings]) -> Postings:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        value = load()  # outside our lock: the loader takes the engine's own lock
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self.bytes += value.nbytes
                while self.bytes > self.max_bytes and len(self._items) > 1:
                    _, dropped = self._items.popitem(last=False)
                    self.bytes -= dropped.nbytes
        return value

    def has(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        return len(self._items)


class Source(Protocol):
    """What the evaluation needs from an engine for one index generation."""

    live: np.ndarray  # bool by document number
    doc_count_all: int
    default_fields: dict[str, float]  # the fields a word without a field searches, and boosts

    def postings(self, field: str, term: str) -> Postings: ...
    def scorable(self, field: str) -> bool: ...
    def lengths(self, field: str) -> np.ndarray: ...  # float64 by document number
    def avg_length(self, field: str) -> float: ...
    # a field's words starting with `word` (fuzzy=0) or within `fuzzy` edits; at most `limit`
    def expand(self, field: str, word: str, fuzzy: int, limit: int) -> list[str]: ...
    # a term's occurrences; with candidates, perhaps only those in the candidate documents
    def positions(self, field: str, term: str, candidates: np.ndarray | None = None) -> Positions: ...
    def date_columns(self) -> tuple[np.ndarray, np.ndarray]: ...


Match = tuple[np.ndarray, np.ndarray | None]  # sorted docnums, their scores (or None)


def match(source: Source, node, *, scored: bool, max_expansions: int = MAX_EXPANSIONS) -> Match:
    """Document numbers matching a query tree (sorted), and their scores when `scored`.

    Raises SearchError when the prefix and fuzzy terms stand for more than `max_expansions`
    index words, and deadline.SearchTimeout when the request's time runs out.
    """
    return _Evaluator(source, scored, max_expansions).node(node)


class _Evaluator:
    def __init__(self, source: Source, scored: bool, max_expansions: int = MAX_EXPANSIONS):
        self.source = source
        self.scored = scored
        self.fields = source.default_fields
        self.expansions_left = max_expansions
        self.max_expansions = max_expansions

    # nodes

    def node(self, node) -> Match:
        deadline.check()
        if isinstance(node, q.All):
            return self.every()
        if isinstance(node, q.And):
            positive = [i for i in node.items if not isinstance(i, q.Not)]
            negative = [i.item for i in node.items if isinstance(i, q.Not)]
            base = self.intersect([self.node(i) for i in positive]) if positive else self.every()
            if negative and len(base[0]):
                base = self.subtract(base, self.union([self.node(i) for i in negative]))
            return base
        if isinstance(node, q.Or):
            return self.union([self.node(i) for i in node.items])
        if isinstance(node, q.Not):
            return self.subtract(self.every(), self.node(node.item))
        if isinstance(node, q.Term):
            return self.term(node)
        if isinstance(node, q.Phrase):
            fields = [node.field] if node.field else list(self.fields)
            return self.union([self.phrase(f, node.words) for f in fields])
        if isinstance(node, q.Person):
            parts = [self.keyword(role, node.person_id) for role in node.roles or ("people",)]
            for form in node.text_forms:
                words = tuple(analysis.words(form))
                parts += [self.phrase(f, words) for f in self.fields]
            return self.union(parts)
        if isinstance(node, q.Exact):
            return self.keyword(node.field, node.value)
        if isinstance(node, q.DateRange):
            return self.dates(node)
        raise TypeError(f"cannot match {node!r}")  # pragma: no cover

    def every(self) -> Match:
        docs = np.flatnonzero(self.source.live).astype(np.int32)
        return docs, (np.ones(len(docs)) if self.scored else None)

    def term(self, node: q.Term) -> Match:
        fields = [node.field] if node.field else list(self.fields)
        if node.prefix or node.fuzzy:
            word = analysis.fold(node.text)
            target = "spell" if set(fields) & {"text", "names", "subject"} or not node.field \
                else fields[0]
            words = self.source.expand(target, word, node.fuzzy, self.expansions_left + 1)
            alone = self.expansions_left == self.max_expansions
            self.expansions_left -= len(words)
            if self.expansions_left < 0:
                raise q.SearchError(too_many_expansions(node, self.max_expansions, alone))
            if len(words) == 1:  # Whoosh scores a lone expansion as a plain term
                return self.scored_term(target, words[0])
            # several: Whoosh's constant score (1.0) for any of them
            inner = _Evaluator(self.source, False, 0)
            docs, _ = inner.union([inner.checked_term(target, w) for w in words])
            return docs, (np.ones(len(docs)) if self.scored else None)
        terms = analysis.word_terms(node.text)
        return self.union([self.scored_term(f, t, self.fields.get(f, 1.0))
                           for f in fields for t in terms])

    def checked_term(self, field: str, term: str) -> Match:
        deadline.check()  # one posting list of up to MAX_EXPANSIONS to read
        return self.scored_term(field, term)

    def keyword(self, field: str, value: str) -> Match:
        return self.scored_term(field, value)

    def phrase(self, field: str, words: tuple[str, ...]) -> Match:
        terms = [analysis.word_terms(w) for w in words]
        terms = [t for t in terms if t]
        if not terms:
            return EMPTY, (np.zeros(0) if self.scored else None)
        if len(terms) == 1:
            return self.union([self.scored_term(field, t) for t in terms[0]])
        if all(len(t) == 1 for t in terms):
            return self.positional(field, [t[0] for t in terms])
        # Cyrillic words: their Russian stems in a Russian text, or their transliterations
        return self.union([self.positional(field, [t[0] for t in terms]),
                           self.positional(field, [t[-1] for t in terms])])

    def positional(self, field: str, terms: list[str]) -> Match:
        lists = [self.source.postings(field, t) for t in terms]
        if any(p.df == 0 for p in lists):
            return self.nothing()
        candidates = lists[0].docs
        for p in sorted(lists[1:], key=lambda p: len(p.docs)):
            candidates = np.intersect1d(candidates, p.docs, assume_unique=True)
            if not len(candidates):
                return self.nothing()
        docs = phrase_docs(self._positions(field, terms, candidates), candidates)
        if not self.scored:
            return docs, None
        scores = np.zeros(len(docs))
        for term, p in zip(terms, lists, strict=True):
            scores += self.scores(field, term, p, 1.0)[np.searchsorted(p.docs, docs)]
        return docs, scores

    def _positions(self, field: str, terms: list[str], candidates: np.ndarray) -> Iterator[Positions]:
        """Each term's occurrences, read only when the phrase still has candidates (a phrase of
        common words that never stand together stops after its first few)."""
        for term in terms:
            deadline.check()
            yield self.source.positions(field, term, candidates)

    def dates(self, node: q.DateRange) -> Match:
        starts, ends = self.source.date_columns()
        mask = self.source.live.copy()
        bounds = 0
        if node.start:
            mask &= ends >= node.start.toordinal()
            bounds += 1
        if node.end:
            mask &= starts <= node.end.toordinal()
            bounds += 1
        docs = np.flatnonzero(mask).astype(np.int32)
        return docs, (np.full(len(docs), float(bounds)) if self.scored else None)

    # terms and scores

    def scored_term(self, field: str, term: str, boost: float = 1.0) -> Match:
        postings = self.source.postings(field, term)
        if not self.scored:
            return postings.docs, None
        return postings.docs, self.scores(field, term, postings, boost)

    def scores(self, field: str, term: str, postings: Postings, boost: float) -> np.ndarray:
        if not self.source.scorable(field):
            return postings.weights * boost
        n = self.source.doc_count_all
        idf = log(n / (postings.df + 1)) + 1
        tf = postings.weights
        lengths = self.source.lengths(field)[postings.docs]
        avg = self.source.avg_length(field) or 1
        scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avg)))
        return scores * boost if boost != 1.0 else scores

    # combining

    def nothing(self) -> Match:
        return EMPTY, (np.zeros(0) if self.scored else None)

    def union(self, parts: list[Match]) -> Match:
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return self.nothing()
        if len(parts) == 1:
            return parts[0]
        size = len(self.source.live)
        hit = np.zeros(size, dtype=bool)
        for docs, _ in parts:
            hit[docs] = True
        docs = np.flatnonzero(hit).astype(np.int32)
        if not self.scored:
            return docs, None
        total = np.zeros(size)
        for part_docs, part_scores in parts:
            total[part_docs] += part_scores  # each part lists a document once
        return docs, total[docs]

    def intersect(self, parts: list[Match]) -> Match:
        if any(not len(p[0]) for p in parts):
            return self.nothing()
        parts = sorted(parts, key=lambda p: len(p[0]))
        docs, scores = parts[0]
        for other_docs, other_scores in parts[1:]:
            if self.scored:
                docs, mine, theirs = np.intersect1d(docs, other_docs, assume_unique=True,
                                                    return_indices=True)
                scores = scores[mine] + other_scores[theirs]
            else:
                docs = np.intersect1d(docs, other_docs, assume_unique=True)
            if not len(docs):
                return self.nothing()
        return docs, scores

    def subtract(self, base: Match, removed: Match) -> Match:
        if not len(removed[0]):
            return base
        keep = ~np.isin(base[0], removed[0], assume_unique=True)
        return base[0][keep], (base[1][keep] if base[1] is not None else None)


def phrase_docs(occurrences: Iterable[Positions], candidates: np.ndarray) -> np.ndarray:
    """The candidates (sorted) in which the k-th term occurs at position start + k.

    With keys doc << 32 | position, "the k-th term at start + k" is "its key minus k equals the
    first term's key": sorted arrays intersected by binary search, no per-document work. The
    terms' occurrences are taken one at a time, and no more once no start is left.
    """
    terms = iter(occurrences)
    keys = next(terms).keys
    if len(candidates) < len(keys) // 4:  # few candidates: drop the others' occurrences first
        keys = keys[_contains(candidates.astype(np.int64), keys >> 32)]
    k = 1
    while len(keys):
        found = next(terms, None)
        if found is None:
            break
        keys = keys[_contains(found.keys - k, keys)]
        k += 1
    docs = np.unique((keys >> 32).astype(np.int32))
    return docs[_contains(candidates.astype(np.int32), docs)]


def _contains(sorted_values: np.ndarray, items: np.ndarray) -> np.ndarray:
    """For each item, whether it is in `sorted_values` (a boolean mask)."""
    if not len(sorted_values):
        return np.zeros(len(items), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, items), len(sorted_values) - 1)
    return sorted_values[at] == items
