"""Searching by document numbers over numpy columns, for an engine that matches a query into
sorted document numbers (the Whoosh engine): the date overlap and facet filters, the multi-select
facet counts, the order and the window, all over the generation's `Columns` (archive.facets).

An engine using this offers `columns`, `match(node, scored)`, `stored(docnums)` and
`similar_docnums(docnum, limit)`; `ColumnarSearch` turns those into archive.engines.SearchIndex's
`search`, `ids` and `more_like`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np

from .. import deadline, facets, relax
from .. import pictures as drawing
from .plan import FACET_LIMIT, Found, Plan, Results


class ColumnarSearch:
    """The SearchIndex methods an engine gets from its columns and `match`."""

    columns: facets.Columns

    def match(self, node, *, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        raise NotImplementedError

    def stored(self, docnums) -> list[dict]:
        raise NotImplementedError

    def similar_docnums(self, docnum: int, limit: int) -> list[int]:
        raise NotImplementedError

    def search(self, plan: Plan) -> Results:
        final, counts, ordered, scores = self._run(plan, limit=_end(plan))
        window = slice(plan.offset, _end(plan))
        docs = ordered[window]
        page_scores = scores[window] if scores is not None else None
        deadline.check()
        pictures = None
        if plan.pictures is not None:
            people, places = plan.pictures
            pictures = drawing.compute(self.columns, final, plan.request, people, places)
        return Results(total=int(final.sum()), found=self._found(docs, page_scores),
                       counts=self._counts(plan, counts), pictures=pictures)

    def ids(self, plan: Plan) -> Iterator[str]:
        _, _, ordered, _ = self._run(plan)
        ids = self.columns.ids
        for start in range(0, len(ordered), 1000):
            yield from (str(i) for i in ids[ordered[start:start + 1000]])

    def more_like(self, doc_id: str, limit: int) -> list[Found]:
        docnum = self.columns.docnums([doc_id]).get(doc_id)
        if docnum is None:
            return []
        docs = [d for d in self.similar_docnums(docnum, limit + 1) if d != docnum][:limit]
        return self._found(np.array(docs, dtype=np.int64), None)

    def _run(self, plan: Plan, limit: int | None = None):
        """The final match mask, the facet counts, and the matches in order (only the first
        `limit` of them in order, and perhaps a few more, when `limit` is given) with scores."""
        columns = self.columns
        scored = plan.sort == "relevance"
        docs, scores = self.match(plan.node, scored=scored)
        docs, scores = relax.complete(self, plan.parsed, docs, scores, scored=scored)
        deadline.check()
        base = np.zeros(columns.size, dtype=bool)
        base[docs] = True
        base &= columns.live
        dates = facets.date_mask(columns, plan.start.toordinal() if plan.start else None,
                                 plan.end.toordinal() if plan.end else None)
        if dates is not None:
            base &= dates
        final, counts = facets.filter_and_count(columns, base, plan.filters)
        if scored:
            keep = final[docs]
            docs, scores = docs[keep], scores[keep]
            top = _first(-scores, limit)
            docs, scores = docs[top], scores[top]
            order = np.lexsort((columns.id_rank[docs], -scores))
            return final, counts, docs[order], scores[order]
        matched = np.flatnonzero(final)
        primary = columns.date_start[matched] if plan.sort == "date" else -columns.date_start[matched]
        top = _first(primary, limit)
        matched, primary = matched[top], primary[top]
        order = np.lexsort((columns.id_rank[matched], primary))
        return final, counts, matched[order], None

    def _found(self, docs: np.ndarray, scores) -> list[Found]:
        if not len(docs):
            return []
        columns = self.columns
        found = []
        for i, (docnum, stored) in enumerate(zip(docs, self.stored(docs), strict=True)):
            found.append(Found(
                id=stored["id"], stored=stored,
                score=round(float(scores[i]), 4) if scores is not None else None,
                date_start=date.fromordinal(int(columns.date_start[docnum])),
                date_end=date.fromordinal(int(columns.date_end[docnum]))))
        return found

    def _counts(self, plan: Plan, counts: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
        out = {}
        for name, found in counts.items():
            facet = self.columns.facets[name]
            codes = np.flatnonzero(found)
            if len(codes) > FACET_LIMIT:  # only what can be shown
                kth = np.partition(found[codes], len(codes) - FACET_LIMIT)[len(codes) - FACET_LIMIT]
                chosen = [facet.codes[v] for v in plan.filters.get(name, ()) if v in facet.codes]
                codes = np.union1d(codes[found[codes] >= kth],
                                   [c for c in chosen if found[c]]).astype(np.int64)
            out[name] = {facet.vocab[code]: int(found[code]) for code in codes.tolist()}
        return out


def _end(plan: Plan) -> int | None:
    return None if plan.limit is None else plan.offset + plan.limit


def _first(keys: np.ndarray, limit: int | None) -> slice | np.ndarray:
    """Which entries can be among the `limit` smallest keys (ties included: the tie-break
    decides among them), so that only those need sorting."""
    if limit is None or len(keys) <= 2 * limit:
        return slice(None)
    kth = np.partition(keys, limit - 1)[limit - 1]
    return keys <= kth
