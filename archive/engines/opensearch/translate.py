"""archive.query nodes -> the OpenSearch query DSL, matching exactly what the Whoosh engine
matches (archive.engines.whoosh.postings), so both engines find the same documents.

Words are analysed here by archive.analysis, as Whoosh's are, and sent as the index terms they
stand for (`term` queries; phrases as `match_phrase` with the `terms` analyzer, which reads
already-analysed words): OpenSearch never analyses a query word itself. A free word searches
title, text, names and subjects (Whoosh's default fields, with the same boosts). Prefix (word*)
and fuzzy (word~) terms are expanded here, through the index's word list (`expand`), to at most
MAX_EXPANSIONS index words for the whole query, with Whoosh's error wording past that, and the
words they stand for are matched as `terms`. Plain data: no client import.
"""

from __future__ import annotations

from collections.abc import Callable

from ... import analysis, deadline
from ... import query as q
from ..query_terms import MAX_EXPANSIONS, too_many_expansions

DEFAULT_FIELDS = {"title": 2.0, "text": 1.0, "names": 1.5, "subject": 1.5}  # as Whoosh's
MATCH_NONE: dict = {"match_none": {}}
MATCH_ALL: dict = {"match_all": {}}

# (field, folded word, fuzzy edits or 0 for a prefix, limit) -> the field's words, in order
Expand = Callable[[str, str, int, int], list[str]]


class Translator:
    """Translates one query tree; the prefix and fuzzy terms of the tree share one budget of
    MAX_EXPANSIONS index words, as in Whoosh (a new Translator for each tree)."""

    def __init__(self, expand: Expand, max_expansions: int = MAX_EXPANSIONS):
        self.expand = expand
        self.expansions_left = max_expansions
        self.max_expansions = max_expansions

    def node(self, node) -> dict:
        """The query for a node. Raises SearchError when the prefix and fuzzy terms stand for
        more than MAX_EXPANSIONS words."""
        deadline.check()
        if isinstance(node, q.All):
            return MATCH_ALL
        if isinstance(node, q.And):
            positive = [self.node(i) for i in node.items if not isinstance(i, q.Not)]
            negative = [self.node(i.item) for i in node.items if isinstance(i, q.Not)]
            return {"bool": {"must": positive or [MATCH_ALL],
                             **({"must_not": negative} if negative else {})}}
        if isinstance(node, q.Or):
            return any_of([self.node(i) for i in node.items])
        if isinstance(node, q.Not):
            return {"bool": {"must": [MATCH_ALL], "must_not": [self.node(node.item)]}}
        if isinstance(node, q.Term):
            return self.term(node)
        if isinstance(node, q.Phrase):
            fields = [node.field] if node.field else list(DEFAULT_FIELDS)
            return any_of([phrase(f, node.words) for f in fields])
        if isinstance(node, q.Person):
            parts = [{"term": {role: node.person_id}} for role in node.roles or ("people",)]
            for form in node.text_forms:
                words = tuple(analysis.words(form))
                parts += [phrase(f, words) for f in DEFAULT_FIELDS]
            return any_of(parts)
        if isinstance(node, q.Exact):
            return {"term": {node.field: node.value}}
        if isinstance(node, q.DateRange):
            return date_overlap(node.start, node.end)
        raise TypeError(f"cannot translate {node!r}")  # pragma: no cover

    def term(self, node: q.Term) -> dict:
        fields = [node.field] if node.field else list(DEFAULT_FIELDS)
        if node.prefix or node.fuzzy:
            word = analysis.fold(node.text)
            target = "spell" if set(fields) & {"text", "names", "subject"} or not node.field \
                else fields[0]
            words = self.expand(target, word, node.fuzzy, self.expansions_left + 1)
            alone = self.expansions_left == self.max_expansions
            self.expansions_left -= len(words)
            if self.expansions_left < 0:
                raise q.SearchError(too_many_expansions(node, self.max_expansions, alone))
            if not words:
                return MATCH_NONE
            if len(words) == 1:
                return {"term": {target: words[0]}}
            return {"constant_score": {"filter": {"terms": {target: words}}}}
        terms = analysis.word_terms(node.text)
        return any_of([_term(f, t, DEFAULT_FIELDS.get(f, 1.0)) for f in fields for t in terms])


def translate(node, expand: Expand, max_expansions: int = MAX_EXPANSIONS) -> dict:
    return Translator(expand, max_expansions).node(node)


def phrase(field: str, words: tuple[str, ...]) -> dict:
    """Words at consecutive positions of a field; a Cyrillic word matches by its Russian stem
    (all of the phrase's words) or by its transliteration (all of them), as in Whoosh."""
    terms = [t for t in (analysis.word_terms(w) for w in words) if t]
    if not terms:
        return MATCH_NONE
    if len(terms) == 1:
        return any_of([{"term": {field: t}} for t in terms[0]])
    first = _phrase(field, [t[0] for t in terms])
    if all(len(t) == 1 for t in terms):
        return first
    return any_of([first, _phrase(field, [t[-1] for t in terms])])


def date_overlap(start, end) -> dict:
    """Documents whose date span overlaps [start, end] (either end may be open)."""
    bounds = {}
    if start:
        bounds["gte"] = start.isoformat()
    if end:
        bounds["lte"] = end.isoformat()
    if not bounds:
        return MATCH_ALL
    return {"range": {"date": {**bounds, "relation": "intersects"}}}


def any_of(parts: list[dict]) -> dict:
    parts = [p for p in parts if p != MATCH_NONE]
    if not parts:
        return MATCH_NONE
    return parts[0] if len(parts) == 1 else {"bool": {"should": parts}}


def _term(field: str, term: str, boost: float) -> dict:
    return {"term": {field: {"value": term, "boost": boost}}} if boost != 1.0 \
        else {"term": {field: term}}


def _phrase(field: str, terms: list[str]) -> dict:
    return {"match_phrase": {field: {"query": " ".join(terms), "analyzer": "terms"}}}


