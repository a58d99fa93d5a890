"""Searching one OpenSearch index (archive.engines.SearchIndex): the plan's query translated to the
DSL (translate), the date overlap as a filter, the facet filters as `post_filter`, each facet
counted under the other facets' filters (a filter aggregation around a terms aggregation), the
order and window, relaxation when no document has every word (relaxing), more-like-this and the
word lists behind prefix, fuzzy and "did you mean".

Every request carries a timeout of what is left of the request's deadline (archive.deadline):
an OpenSearch request cannot run past it, and running out raises deadline.SearchTimeout.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date

from opensearchpy import exceptions

from ... import analysis, deadline, facets, spelling
from .. import query_terms
from ..plan import FACET_LIMIT, Found, Plan, Results
from ..query_terms import MAX_EXPANSIONS
from . import relaxing
from .drawing import pictures
from .mapping import FACET_PREFIX
from .translate import MATCH_ALL, date_overlap, translate

BATCH = 1000  # documents per request when every match is read (ids, exports)
WINDOW = 10_000  # from + size that one request may ask for (OpenSearch's max_result_window)
FACET_SIZE = 2 * FACET_LIMIT  # values counted per facet (more when ties at the limit go on)
MAX_VALUES = 65_535  # values of one facet tied at the limit read at most (the bucket limit)
LETTER_WORDS = 65_535  # words of one first letter read for fuzzy terms (the bucket limit)
_WORD_FIELDS = {"spell": "spell", "title": "title_terms", "number": "number_terms"}
_SOURCE = ["stored", "date_start", "date_end"]
_SORTS = {"relevance": [{"_score": "desc"}, {"id": "asc"}],
          "date": [{"date_start": "asc"}, {"id": "asc"}],
          "-date": [{"date_start": "desc"}, {"id": "asc"}]}


class OpenSearchIndex:
    """One OpenSearch index (a build's: its word lists are read once and kept) opened for
    searching; safe to share between threads."""

    def __init__(self, client, index_name: str, *, request_timeout: float = 30.0):
        self.client = client
        self.index = index_name
        self.request_timeout = request_timeout
        self._counts: dict[str, int] = {}  # spell word -> documents, for the letters read
        self._lock = threading.Lock()
        self._lexicon = spelling.Lexicon(self._words_starting)

    def close(self) -> None:
        """Nothing to release: the client belongs to the engine."""

    # searching

    def search(self, plan: Plan) -> Results:
        query = self.query(plan)
        end = None if plan.limit is None else plan.offset + plan.limit
        body = {"query": query, "sort": _SORTS[plan.sort], "track_total_hits": True,
                "_source": _SOURCE, "aggs": _facet_aggs(plan.filters)}
        if plan.filters:
            body["post_filter"] = _filters(plan.filters)
        size = plan.limit if end is not None and end <= WINDOW else 0
        response = self.request(body={**body, "from": plan.offset if size else 0, "size": size})
        total = response["hits"]["total"]["value"]
        hits = response["hits"]["hits"]
        if end is None or end > WINDOW:  # a deep window: read up to it in order
            body.pop("aggs")
            hits = list(self._scan(body, stop=end))[plan.offset:end]
        found = [_found(hit, plan.sort == "relevance") for hit in hits]
        aggregations = response["aggregations"]
        tied = _tied(aggregations)
        if tied:  # rare: many values share the count at the limit (Whoosh shows them all)
            aggs = _facet_aggs(plan.filters, only=tied)
            again = {**body, "aggs": aggs, "size": 0}
            aggregations.update(self.request(body=again)["aggregations"])
        results = Results(total=total, found=found, counts=_counts(aggregations, plan.filters))
        if plan.pictures is not None:
            people, places = plan.pictures
            results.pictures = pictures(self, body, plan.request, people, places)
        return results

    def query(self, plan: Plan) -> dict:
        """The query: the match (relaxed when no document has every word) and date overlap."""
        matching = relaxing.relaxed(self, plan.parsed)
        overlap = date_overlap(plan.start, plan.end)
        if overlap != MATCH_ALL:
            matching = {"bool": {"must": [matching], "filter": [overlap]}}
        return matching

    def translate(self, node) -> dict:
        return translate(node, self.expand)

    def ids(self, plan: Plan) -> Iterator[str]:
        body = {"query": self.query(plan), "sort": _SORTS[plan.sort], "_source": False,
                "docvalue_fields": ["id"]}
        if plan.filters:
            body["post_filter"] = _filters(plan.filters)
        for hit in self._scan(body):
            yield hit["fields"]["id"][0]

    def _scan(self, body: dict, stop: int | None = None) -> Iterator[dict]:
        """Every hit of a search in its order (or the first `stop`), BATCH at a time, through a
        point in time and search_after (the index may change meanwhile)."""
        pit = self._call(self.client.create_pit, index=self.index, keep_alive="1m")["pit_id"]
        try:
            after = None
            seen = 0
            while stop is None or seen < stop:
                page = {**body, "size": BATCH, "pit": {"id": pit, "keep_alive": "1m"}}
                if after is not None:
                    page["search_after"] = after
                hits = self._call(self.client.search, body=page)["hits"]["hits"]
                yield from hits
                seen += len(hits)
                if len(hits) < BATCH:
                    return
                after = hits[-1]["sort"]
        finally:
            try:
                self.client.delete_pit(body={"pit_id": [pit]})
            except exceptions.OpenSearchException:  # it expires by itself in a minute
                pass

    def more_like(self, doc_id: str, limit: int) -> list[Found]:
        found = self.request(body={"query": {"term": {"id": doc_id}}, "size": 1,
                                   "_source": False})["hits"]["hits"]
        if not found:
            return []
        like = {"more_like_this": {
            "fields": ["plain_en", "plain_ru", "plain_cjk"],
            "like": [{"_index": found[0]["_index"], "_id": found[0]["_id"]}],
            # Whoosh's: the 10 most telling words, any of them
            "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 10,
            "minimum_should_match": 1}}
        body = {"query": {"bool": {"must": [like], "must_not": [{"term": {"id": doc_id}}]}},
                "sort": _SORTS["relevance"], "size": limit, "_source": _SOURCE}
        return [_found(hit, False) for hit in self.request(body=body)["hits"]["hits"]]

    # highlighting and words

    def highlight_terms(self, node) -> tuple[set[str], list[str], set[str]]:
        return query_terms.highlight_terms(
            node, lambda word, edits: self.expand("spell", word, edits, MAX_EXPANSIONS))

    def frequency(self, word: str) -> int:
        """In how many documents a free word occurs: the most of any of its terms in any of
        title, text, subjects or names (as Whoosh counts it)."""
        terms = analysis.word_terms(word)
        if not terms:
            return 0
        aggs = {f"{i}": {"filter": {"term": {field: term}}}
                for i, (field, term) in enumerate((f, t) for f in ("title", "text", "names",
                                                                   "subject") for t in terms)}
        response = self.request(body={"size": 0, "aggs": aggs})
        return max(bucket["doc_count"] for bucket in response["aggregations"].values())

    def similar_words(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Index words within two edits of `word` (one for short words), with the same first
        letter, most frequent first."""
        folded = analysis.fold(word)
        near = self._lexicon.within("spell", folded, 2 if len(folded) > 4 else 1)
        found = [(w, self._counts.get(w, 0)) for w in near if w != folded]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:limit]

    def expand(self, field: str, word: str, fuzzy: int, limit: int) -> list[str]:
        """A field's words starting with `word` (fuzzy=0) or within `fuzzy` edits of it with
        the same first letter; the first `limit` in alphabetical order."""
        if field not in _WORD_FIELDS or not word:
            return []
        if fuzzy:
            return self._lexicon.within(field, word, fuzzy)[:limit]
        return [word for word, _ in self._words(field, word, limit)]

    def _words_starting(self, field: str, prefix: str) -> list[str]:
        words = self._words(field, prefix, LETTER_WORDS)
        if field == "spell":
            with self._lock:
                self._counts.update(words)
        return [w for w, _ in words]

    def _words(self, field: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        """A word list's words starting with `prefix`, alphabetically, with their documents."""
        aggs = {"words": {"terms": {"field": _WORD_FIELDS[field], "size": limit,
                                    "order": {"_key": "asc"},
                                    "include": re.escape(prefix).replace('"', '\\"') + ".*"}}}
        response = self.request(body={"size": 0, "aggs": aggs})
        return [(b["key"], b["doc_count"]) for b in response["aggregations"]["words"]["buckets"]]

    # requests

    def request(self, body: dict) -> dict:
        return self._call(self.client.search, index=self.index, body=body)

    def _call(self, method, **kwargs) -> dict:
        """One request, stopped at the request's deadline (deadline.SearchTimeout)."""
        left = deadline.remaining()
        timeout = self.request_timeout if left is None else min(left, self.request_timeout)
        try:
            return method(**kwargs, request_timeout=timeout)
        except exceptions.ConnectionTimeout:
            if left is None:
                raise
            raise deadline.timed_out() from None


def _filters(filters: dict[str, tuple[str, ...]], but: str | None = None) -> dict:
    clauses = [{"terms": {FACET_PREFIX + name: list(values)}}
               for name, values in filters.items() if values and name != but]
    return {"bool": {"filter": clauses}} if clauses else MATCH_ALL


def _facet_aggs(filters: dict[str, tuple[str, ...]], only: dict[str, int] | None = None) -> dict:
    """Per facet: its values counted under the other facets' filters, the most frequent ones
    and the selected ones (so that a selected value always has its count); `only`: facet ->
    least count, every value with at least that many documents."""
    aggs = {}
    for name in facets.FACETS if only is None else only:
        terms = {"field": FACET_PREFIX + name, "size": FACET_SIZE}
        if only is not None:
            terms.update(size=MAX_VALUES, min_doc_count=only[name])
        inner = {"top": {"terms": terms}}
        selected = [v for v in filters.get(name, ()) if v]
        if selected:
            inner["selected"] = {"terms": {"field": FACET_PREFIX + name, "size": len(selected),
                                           "include": selected}}
        aggs[name] = {"filter": _filters(filters, but=name), "aggs": inner}
    return aggs


def _counts(aggregations: dict, filters: dict[str, tuple[str, ...]]) -> dict[str, dict[str, int]]:
    """The facet counts as Whoosh gives them: every value with a count at least the
    FACET_LIMIT-th largest (ties kept), and the selected values that match."""
    out = {}
    for name in facets.FACETS:
        agg = aggregations[name]
        found = {b["key"]: b["doc_count"] for b in agg["top"]["buckets"]}
        if len(found) > FACET_LIMIT:
            kth = sorted(found.values(), reverse=True)[FACET_LIMIT - 1]
            found = {v: n for v, n in found.items() if n >= kth}
        for bucket in agg.get("selected", {}).get("buckets", ()):
            if bucket["doc_count"]:
                found[bucket["key"]] = bucket["doc_count"]
        out[name] = dict(sorted(found.items()))
    return out


def _tied(aggregations: dict) -> dict[str, int]:
    """Facets whose values tied with the FACET_LIMIT-th count go on past the values read:
    facet -> that count (every value with at least it is to be read)."""
    tied = {}
    for name in facets.FACETS:
        top = aggregations[name]["top"]
        buckets = top["buckets"]
        if top.get("sum_other_doc_count") and len(buckets) >= FACET_LIMIT \
                and buckets[-1]["doc_count"] == buckets[FACET_LIMIT - 1]["doc_count"]:
            tied[name] = buckets[FACET_LIMIT - 1]["doc_count"]
    return tied


def _found(hit: dict, scored: bool) -> Found:
    source = hit["_source"]
    return Found(id=source["stored"]["id"], stored=source["stored"],
                 score=round(float(hit["_score"]), 4) if scored and hit.get("_score") is not None
                 else None,
                 date_start=date.fromisoformat(source["date_start"]),
                 date_end=date.fromisoformat(source["date_end"]))


