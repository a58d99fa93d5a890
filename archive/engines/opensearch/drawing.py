"""The pictures of a result set (archive.pictures) from OpenSearch aggregations: the documents'
distinct date spans, correspondents (sender, recipient, via) and places (from, to), each counted
by a composite aggregation over its picture key (documents.picture_keys), then drawn by
archive.pictures with each distinct key weighing as many documents as have it. The same
numbers as pictures.compute over every matching document, at the cost of the distinct keys.
"""

from __future__ import annotations

import json

import numpy as np

from ... import facets
from ... import pictures as drawing
from .mapping import PICTURE_KEYS

PAGE = 2000  # distinct keys per aggregation page


def pictures(index, body: dict, request, people, places) -> drawing.Pictures:
    """`body` is the search's (query, post_filter); its aggregations are replaced."""
    query = body["query"]
    if "post_filter" in body:  # aggregations do not see the post filter: apply it here
        query = {"bool": {"must": [query], "filter": [body["post_filter"]]}}
    base = {"size": 0, "query": query}
    counted = _counts(index, base)
    spans, roles, placed = (counted[name] for name in PICTURE_KEYS)
    rows = [{"date_start": int(s), "date_end": int(e)}
            for s, e in (key.split(" ") for key in spans)]
    columns, weights, docs = _columns(rows, spans)
    total = int(weights.sum())
    timeline = drawing.timeline(columns, docs, request, weights)
    rows = [dict(zip(("sender", "recipient", "via"), json.loads(key), strict=True))
            for key in roles]
    columns, weights, docs = _columns(rows, roles)
    network = drawing.network(columns, docs, request, people, weights=weights)
    rows = [dict(zip(("place_from", "place_to"), json.loads(key), strict=True)) for key in placed]
    columns, weights, docs = _columns(rows, placed)
    routes = drawing.routes(columns, docs, request, places, weights=weights)
    return drawing.Pictures(total=total, timeline=timeline, network=network, routes=routes)


def _columns(rows: list[dict], counts: dict[str, int]):
    """Columns with one row per distinct key, their weights, and every row number."""
    for number, row in enumerate(rows):
        row.setdefault("date_start", 0)
        row.setdefault("date_end", 0)
        row["id"] = str(number)
    columns = facets.build(rows)
    weights = np.array(list(counts.values()), dtype=np.int64)
    return columns, weights, np.arange(len(rows), dtype=np.int64)


def _counts(index, base: dict) -> dict[str, dict[str, int]]:
    """Each picture key -> its distinct values in the result set -> documents, read a page of
    PAGE values at a time."""
    out: dict[str, dict[str, int]] = {name: {} for name in PICTURE_KEYS}
    after: dict[str, dict | None] = {name: None for name in PICTURE_KEYS}
    left = list(PICTURE_KEYS)
    while left:
        aggs = {}
        for name in left:
            composite = {"size": PAGE, "sources": [{"key": {"terms": {"field": name}}}]}
            if after[name] is not None:
                composite["after"] = after[name]
            aggs[name] = {"composite": composite}
        response = index.request(body={**base, "aggs": aggs})["aggregations"]
        for name in list(left):
            buckets = response[name]["buckets"]
            out[name].update((b["key"]["key"], b["doc_count"]) for b in buckets)
            if len(buckets) < PAGE or "after_key" not in response[name]:
                left.remove(name)
            else:
                after[name] = response[name]["after_key"]
    return out
