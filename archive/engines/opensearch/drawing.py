"""The pictures of a result set (archive.pictures) from OpenSearch aggregations: the documents'
distinct date spans, correspondents (sender, recipient, via) and places (from, to), each counted
by a composite aggregation over its picture key (documents.picture_keys), then drawn by
archive.pictures with each distinct key standing for as many documents as have it. The same
numbers as pictures.compute over every matching document; the requests cost what the distinct
keys do, the drawing what the matches do (numpy arrays as long as the result set).
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
    spans, roles, placed = (_counts(index, {"size": 0, "query": query})[name]
                            for name in PICTURE_KEYS)
    # the timeline and routes count a document as often as it is listed: each distinct key is
    # listed as many times as documents have it (an array as long as the result set)
    rows = [{"date_start": int(start), "date_end": int(end), "qualified": qualified == "1"}
            for start, end, qualified in (key.split(" ") for key in spans)]
    columns, weights = _columns(rows, spans)
    timeline = drawing.timeline(columns, _listed(weights), request)
    rows = [dict(zip(("sender", "recipient", "via"), json.loads(key), strict=True))
            for key in roles]
    columns, weights = _columns(rows, roles)
    network = drawing.network(columns, np.arange(len(rows)), request, people, weights=weights)
    rows = [dict(zip(("place_from", "place_to"), json.loads(key), strict=True)) for key in placed]
    columns, weights = _columns(rows, placed)
    routes = drawing.routes(columns, _listed(weights), request, places)
    return drawing.Pictures(total=sum(spans.values()), timeline=timeline, network=network,
                            routes=routes)


def _columns(rows: list[dict], counts: dict[str, int]) -> tuple[facets.Columns, np.ndarray]:
    """Columns with one row per distinct key, and each row's documents."""
    for number, row in enumerate(rows):
        row.setdefault("date_start", 0)
        row.setdefault("date_end", 0)
        row.setdefault("qualified", False)
        row["id"] = str(number)
    return facets.build(rows), np.array(list(counts.values()), dtype=np.int64)


def _listed(weights: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(weights), dtype=np.int64), weights)


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
