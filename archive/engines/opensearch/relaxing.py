"""archive.relax in OpenSearch: when no document has every free word of a plain query, the
documents with most of them; when a sentence-like query has fewer than relax.FILL complete
matches, those first and then the documents with most of its words. The same result set and
notes as relax.complete gives the Whoosh engine:

- a word's weight is log(1 + live documents / its documents), counted by filter aggregations;
- a document's weight is the sum of its words' weights: each word is a `constant_score` clause
  of a `bool` whose score is that sum, restricted to the query's required parts;
- the documents kept weigh at least relax.MIN_SHARE of the heaviest one's: `min_score`.

At most four requests, and only for a query that may relax (two or more free words, no AND):
the counts, the heaviest weight, whether relaxing adds any document, then the search itself.
"""

from __future__ import annotations

import math

from ... import query, relax
from .translate import MATCH_ALL

# Scores are 32-bit floats in OpenSearch: a document weighing exactly half the heaviest one's
# (two equally rare words, one of them present) must stay in.
_ROUNDING = 1e-5


def relaxed(index, parsed: query.Parsed) -> tuple[dict, float | None]:
    """The query for `parsed` (its node, or relaxed) and the minimum score it needs."""
    matching = index.translate(parsed.node)
    if not relax.relaxable(parsed):
        return matching, None
    items = parsed.node.items
    optional = [i for i in items if relax._optional(i)]
    required = [i for i in items if not relax._optional(i)]
    parts = [index.translate(item) for item in optional]
    aggs = {"all": {"filter": matching}, **{str(i): {"filter": p} for i, p in enumerate(parts)}}
    response = index.request(body={"size": 0, "track_total_hits": True, "aggs": aggs})
    complete = response["aggregations"]["all"]["doc_count"]
    if complete and (complete >= relax.FILL or len(optional) < relax.SENTENCE):
        return matching, None
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
            return {"match_none": {}}, None
        return matching, None
    threshold = best * relax.MIN_SHARE * (1 - _ROUNDING)
    if not complete:
        parsed.notes.append(note)
        return most, threshold
    extra = index.request(body={"size": 0, "track_total_hits": True, "min_score": threshold,
                                "query": {"bool": {"must": [most], "must_not": [matching]}}})
    if not extra["hits"]["total"]["value"]:
        return matching, None
    parsed.notes.append(f"Only {complete} document(s) contain all of: {words}; "
                        f"after them, those with most of them.")
    first = {"bool": {"must": [matching, {"constant_score": {"filter": MATCH_ALL,
                                                             "boost": best + 1}}]}}
    return {"bool": {"should": [first, most]}}, threshold


def _heaviest(index, most: dict) -> float:
    hits = index.request(body={"size": 1, "query": most, "_source": False,
                               "sort": [{"_score": "desc"}]})["hits"]["hits"]
    return float(hits[0]["_score"]) if hits else 0.0
