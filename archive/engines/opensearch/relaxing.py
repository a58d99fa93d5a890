"""archive.relax in OpenSearch: when no document has every free word of a plain query, the
documents with most of them; when a sentence-like query has fewer than relax.FILL complete
matches, those first and then the documents with most of its words. The same result set and
notes as relax.complete gives the Whoosh engine:

- a word's weight is log(1 + live documents / its documents), counted by filter aggregations;
- a document's weight is the sum of its words' weights: each word is a `constant_score` clause
  of a `bool` whose score is that sum, restricted to the query's required parts;
- the documents kept weigh at least relax.MIN_SHARE of the heaviest one's: the `min_score` of a
  `function_score` around that `bool`, used as a filter;
- they are ranked as Whoosh ranks them: by weight first (x RANK_WEIGHT), then by the engine's
  score of the words they have; the complete matches, when there are some, before them.

At most four requests, and only for a query that may relax (two or more free words, no AND):
the counts, the heaviest weight, whether relaxing adds any document, then the search itself.
"""

from __future__ import annotations

import math

from ... import query, relax
from .translate import MATCH_ALL

RANK_WEIGHT = 1000.0  # a document's weight counts this many times its words' engine score
# Scores are 32-bit floats in OpenSearch: a document weighing exactly half the heaviest one's
# (two equally rare words, one of them present) must stay in.
_ROUNDING = 1e-5


def relaxed(index, parsed: query.Parsed) -> dict:
    """The query for `parsed`: its node, or relaxed (the note added to parsed.notes)."""
    matching = index.translate(parsed.node)
    if not relax.relaxable(parsed):
        return matching
    items = parsed.node.items
    optional = [i for i in items if relax._optional(i)]
    required = [i for i in items if not relax._optional(i)]
    parts = [index.translate(item) for item in optional]
    aggs = {"all": {"filter": matching}, **{str(i): {"filter": p} for i, p in enumerate(parts)}}
    response = index.request(body={"size": 0, "track_total_hits": True, "aggs": aggs})
    complete = response["aggregations"]["all"]["doc_count"]
    if complete and (complete >= relax.FILL or len(optional) < relax.SENTENCE):
        return matching
    live = max(response["hits"]["total"]["value"], 1)
    weights = [math.log(1 + live / n) if (n := response["aggregations"][str(i)]["doc_count"])
               else 0.0 for i in range(len(parts))]
    most = {"bool": {"should": [{"constant_score": {"filter": p, "boost": w}}
                                for p, w in zip(parts, weights, strict=True) if w],
                     "minimum_should_match": 1}}
    if required:
        node = required[0] if len(required) == 1 else query.And(tuple(required))
        most["bool"]["filter"] = [index.translate(node)]
    words = ", ".join(relax._label(i, parsed.labels) for i in optional)
    note = f"No document contains all of: {words}; showing those with most of them."
    best = _heaviest(index, most) if any(weights) else 0.0
    if best <= 0:
        if not complete:
            parsed.notes.append(note)
            return {"match_none": {}}
        return matching
    kept = {"function_score": {"query": most,
                               "min_score": best * relax.MIN_SHARE * (1 - _ROUNDING)}}
    ranked = {"bool": {"filter": [kept], "should": [
        *({"constant_score": {"filter": p, "boost": w * RANK_WEIGHT}}
          for p, w in zip(parts, weights, strict=True) if w),
        *parts]}}
    if not complete:
        parsed.notes.append(note)
        return ranked
    extra = index.request(body={"size": 0, "track_total_hits": True, "query": {
        "bool": {"filter": [kept], "must_not": [matching]}}})
    if not extra["hits"]["total"]["value"]:
        return matching
    parsed.notes.append(f"Only {complete} document(s) contain all of: {words}; "
                        f"after them, those with most of them.")
    # above any relaxed document's score (its weight's share, plus its words' engine scores)
    above = 10 * RANK_WEIGHT * (best + 1)
    first = {"bool": {"must": [matching, {"constant_score": {"filter": MATCH_ALL,
                                                             "boost": above}}]}}
    return {"bool": {"should": [first, ranked]}}


def _heaviest(index, most: dict) -> float:
    hits = index.request(body={"size": 1, "query": most, "_source": False,
                               "sort": [{"_score": "desc"}]})["hits"]["hits"]
    return float(hits[0]["_score"]) if hits else 0.0
