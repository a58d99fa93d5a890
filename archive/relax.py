"""No dead ends: when no document has every word of a plain query, the documents that have most
of them, ranked.

Only a query's free words relax (words, names and expanded names or terms typed without quotes
or a field); quoted phrases, `field:` terms and negations stay required, and a query with an
explicit AND stays strict. Words count by how rare they are (an inverse document frequency), so
a document with "arsenal" ranks above one with "in" and "the". Plain Python over the engine's
`match` (one call per word, so a query of n words costs n matches), the same for every engine.
"""

from __future__ import annotations

import math

import numpy as np

from . import query

MIN_SHARE = 0.5  # a document must have at least half the weight the best one has
FILL = 10  # a sentence-like query with fewer complete matches than this is completed
SENTENCE = 3  # free words (or names) that make a query sentence-like


def complete(index, parsed: query.Parsed, docs: np.ndarray, scores: np.ndarray | None, *,
             scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The engine's matches for `parsed`, with those that have most of its free words when no
    document has all of them, or after the complete ones when a sentence-like query has fewer
    than FILL complete matches; the note says which (added to parsed.notes)."""
    if not relaxable(parsed):
        return docs, scores
    optional = sum(map(_optional, parsed.node.items))
    if len(docs) and (len(docs) >= FILL or optional < SENTENCE):
        return docs, scores
    more, more_scores, note = match_most(index, parsed, scored=scored)
    if not len(docs):
        parsed.notes.append(note)
        return more, more_scores
    extra = ~np.isin(more, docs)
    if not extra.any():
        return docs, scores
    words = note.split(": ", 1)[1].split("; ")[0]
    parsed.notes.append(f"Only {len(docs)} document(s) contain all of: {words}; "
                        f"after them, those with most of them.")
    merged = np.concatenate([docs, more[extra]])
    order = np.argsort(merged, kind="stable")
    if not scored:
        return merged[order], None
    above = float(more_scores.max()) + 1 if len(more_scores) else 1.0
    merged_scores = np.concatenate([scores + above, more_scores[extra]])
    return merged[order], merged_scores[order]


def relaxable(parsed: query.Parsed) -> bool:
    node = parsed.node
    return not parsed.strict and isinstance(node, query.And) and \
        sum(map(_optional, node.items)) >= 2


def match_most(index, parsed: query.Parsed, *, scored: bool
               ) -> tuple[np.ndarray, np.ndarray | None, str]:
    """Document numbers (sorted) that match the query's required parts and most of its free
    words, their scores (weight of the words they have first, then the engine's score), and
    the note for the user."""
    items = parsed.node.items
    optional = [i for i in items if _optional(i)]
    required = [i for i in items if not _optional(i)]
    size = index.columns.size
    allowed = None
    if required:
        node = required[0] if len(required) == 1 else query.And(tuple(required))
        docs, _ = index.match(node, scored=False)
        allowed = np.zeros(size, dtype=bool)
        allowed[docs] = True
    live = max(int(index.columns.live.sum()), 1)
    weight = np.zeros(size, dtype=np.float64)
    score = np.zeros(size, dtype=np.float64)
    for item in optional:
        docs, scores = index.match(item, scored=True)
        if not len(docs):
            continue
        weight[docs] += math.log(1 + live / len(docs))
        if scores is not None:
            score[docs] += scores
    if allowed is not None:
        weight[~allowed] = 0
    best = weight.max() if size else 0.0
    words = ", ".join(_label(i, parsed.labels) for i in optional)
    note = f"No document contains all of: {words}; showing those with most of them."
    if best <= 0:
        return np.zeros(0, dtype=np.int64), (np.zeros(0) if scored else None), note
    docs = np.flatnonzero(weight >= best * MIN_SHARE - 1e-9)
    if not scored:
        return docs, None, note
    top = max(float(score[docs].max()), 1.0)
    return docs, weight[docs] * 10 + score[docs] / top, note


def _optional(node) -> bool:
    if isinstance(node, query.Term):
        return node.field is None and not node.quoted
    if isinstance(node, query.Phrase):
        return node.field is None and not node.quoted  # thirty-eighth, Il-sung
    if isinstance(node, query.Person):
        return not node.roles
    return isinstance(node, query.Or)


def _label(node, labels: dict) -> str:
    if node in labels:
        return labels[node]
    if isinstance(node, query.Term):
        return node.text
    if isinstance(node, query.Person):
        return node.typed
    if isinstance(node, query.Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, query.Or | query.And):
        joint = " OR " if isinstance(node, query.Or) else " "
        return "(" + joint.join(_label(i, labels) for i in node.items) + ")"
    return str(node)
