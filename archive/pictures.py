"""The numbers behind the pictures of a result set: timeline, correspondence network, routes.

Computed from the index's columns (archive.facets) for every matching document, not just the
page shown: a few vectorised numpy operations over the matches, so the cost grows with the
number of matches, never with a per-document Python loop. Every bar, node, edge and route carries
the query parameters of the search it narrows to (as facet buckets do), so that no template or
view builds URLs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

import numpy as np

from .facets import FACETS, Columns, Facet

DAY_RANGE = 92  # a result set spanning fewer days than this is drawn per day, else per month
MONTH_RANGE = 240  # ... and one spanning more months than this per year
TOP_CORRESPONDENTS = 30  # nodes of the network; the rest are summed as "others"
TOP_ROUTES = 40
TOP_EDGES = 200  # 30 correspondents could make 2,700 arrows: the heaviest are drawn and listed
OTHERS = "others"
_EPOCH = date(1970, 1, 1).toordinal()
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Params = list[tuple[str, str]]


@dataclass
class Bar:
    start: str  # ISO date, first day of the period
    end: str  # ISO date, last day
    label: str  # "May 1950", "14 May 1950", "1950"
    exact: int  # documents dated within this period
    spanning: int  # documents whose date (a month, an interval, a year) overlaps it but is wider
    params: Params  # the search narrowed to this period
    # of the exact and spanning documents, those whose date the archive doubts: uncertain or
    # approximate (`1950-10-02?`, `~1949-05`, `1950-05%`)
    uncertain: int
    uncertain_spanning: int  # ... of them, those counted in `spanning`


@dataclass
class Timeline:
    unit: str  # day | month | year
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Node:
    id: str  # person or body id, or "others"
    label: str
    documents: int  # documents in which it is sender, recipient or via
    sent: int
    received: int
    relayed: int
    params: Params | None  # None for "others"


@dataclass
class Edge:
    source: str  # node id
    target: str
    count: int  # documents
    kind: str  # "direct" (sender -> recipient) or "via" (sender -> via, via -> recipient)
    params: Params | None
    source_label: str = ""
    target_label: str = ""


@dataclass
class Network:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    others: int = 0  # correspondents summed into "others"
    edges_left_out: int = 0  # the lightest edges beyond TOP_EDGES


@dataclass
class Place:
    id: str
    label: str
    lat: float | None
    lon: float | None
    sent_from: int
    sent_to: int


@dataclass
class Route:
    source: str  # place id
    target: str
    count: int
    params: Params
    source_label: str = ""
    target_label: str = ""


@dataclass
class Routes:
    places: list[Place] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    unplaced: int = 0  # matching documents without a place_from or place_to


@dataclass
class Pictures:
    total: int
    timeline: Timeline
    network: Network
    routes: Routes

    def to_dict(self) -> dict:
        data = asdict(self)
        for item in (*data["timeline"]["bars"], *data["network"]["nodes"], *data["network"]["edges"],
                     *data["routes"]["routes"]):
            if item["params"] is not None:
                item["params"] = [list(pair) for pair in item["params"]]
        return data


def compute(columns: Columns, matches: np.ndarray, request, people, places,
            top: int | None = None) -> Pictures:
    """The pictures of the documents in the boolean mask `matches`.

    `request` is the archive.search.SearchRequest that found them (links narrow it), `people` the
    name authority and `places` the place authority (a Vocabulary with coordinates, or None).
    """
    docs = np.flatnonzero(matches)
    return Pictures(total=len(docs), timeline=timeline(columns, docs, request),
                    network=network(columns, docs, request, people, top),
                    routes=routes(columns, docs, request, places))


# -- timeline --------------------------------------------------------------------------------

def timeline(columns: Columns, docs: np.ndarray, request) -> Timeline:
    if not len(docs):
        return Timeline("month")
    floor, ceiling = request.date_range()
    # a date range asked for bounds the picture (a year-only date would otherwise widen it)
    starts = columns.date_start[docs].astype(np.int64)
    ends = columns.date_end[docs].astype(np.int64)
    if floor is not None:
        starts = np.maximum(starts, floor.toordinal())
    if ceiling is not None:
        ends = np.minimum(ends, ceiling.toordinal())
    first, last = int(starts.min()), int(ends.max())
    if last - first < DAY_RANGE:
        unit, lo, hi = "day", starts, ends
    else:
        unit, lo, hi = "month", _months(starts), _months(ends)
        if int(hi.max()) - int(lo.min()) >= MONTH_RANGE:
            unit, lo, hi = "year", lo // 12, hi // 12
    base = int(lo.min())
    lo, hi = lo - base, hi - base
    size = int(hi.max()) + 1
    single, qualified = lo == hi, columns.qualified[docs]
    exact = np.bincount(lo[single], minlength=size)
    spanning = _overlapping(lo, hi, ~single, size)
    doubted = np.bincount(lo[single & qualified], minlength=size)
    doubted_spanning = _overlapping(lo, hi, ~single & qualified, size)
    bars = []
    for i in range(size):
        start, end = _period(unit, base + i)
        start, end = max(start, floor or start), min(end, ceiling or end)
        params = replace(request, date_from=start.isoformat(), date_to=end.isoformat(),
                         page=1).to_params()
        bars.append(Bar(start.isoformat(), end.isoformat(), _label(unit, start), int(exact[i]),
                        int(spanning[i]), params, int(doubted[i] + doubted_spanning[i]),
                        int(doubted_spanning[i])))
    return Timeline(unit, bars)


def _overlapping(lo: np.ndarray, hi: np.ndarray, chosen: np.ndarray, size: int) -> np.ndarray:
    """How many of the `chosen` spans [lo, hi] overlap each period 0..size-1: a difference
    array (+1 where a span starts, -1 after it ends) summed."""
    change = np.bincount(lo[chosen], minlength=size + 1) - \
        np.bincount(hi[chosen] + 1, minlength=size + 1)
    return np.cumsum(change)[:size]


def _months(ordinals: np.ndarray) -> np.ndarray:
    """Months since year 0 (year * 12 + month - 1) of proleptic ordinals."""
    days = (ordinals.astype(np.int64) - _EPOCH).astype("datetime64[D]")
    return days.astype("datetime64[M]").astype(np.int64) + 1970 * 12


def _period(unit: str, number: int) -> tuple[date, date]:
    """First and last day of a period: `number` is an ordinal, a month (year * 12 + month - 1)
    or a year."""
    if unit == "day":
        day = date.fromordinal(number)
        return day, day
    if unit == "year":
        return date(number, 1, 1), date(number, 12, 31)
    year, number = divmod(number, 12)
    following = date(year + (number + 1) // 12, (number + 1) % 12 + 1, 1)
    return date(year, number + 1, 1), date.fromordinal(following.toordinal() - 1)


def _label(unit: str, start: date) -> str:
    if unit == "day":
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    if unit == "year":
        return str(start.year)
    return f"{_MONTHS[start.month - 1]} {start.year}"


# -- network ---------------------------------------------------------------------------------

def _weights(weights: np.ndarray | None, owners: np.ndarray) -> np.ndarray | None:
    """Each entry's weight, its owner's (None: one each)."""
    return None if weights is None else weights[owners]


def network(columns: Columns, docs: np.ndarray, request, people, top: int | None = None,
            weights: np.ndarray | None = None) -> Network:
    """`weights` (by document number): a row stands for that many documents alike (the
    OpenSearch engine counts the result set's distinct correspondents by an aggregation)."""
    roles = {role: columns.facets[role] for role in ("sender", "recipient", "via")}
    vocab = sorted(set().union(*(f.vocab for f in roles.values())))
    index = {name: i for i, name in enumerate(vocab)}
    codes = {role: np.array([index[v] for v in f.vocab], dtype=np.int64)
             for role, f in roles.items()}
    if not len(docs) or not vocab:
        return Network()
    size = len(vocab)
    entries = {role: _entries(f, docs) for role, f in roles.items()}
    counts = {role: np.bincount(codes[role][values], _weights(weights, owners), minlength=size)
              for role, (owners, values) in entries.items()}
    kinds = (("direct", "sender", "recipient"), ("via", "sender", "via"), ("via", "via", "recipient"))
    crossed = [_pairs(roles[source], roles[target], docs, with_shared=True) for _, source, target in kinds]
    # documents per person, each (document, person) once whatever the roles: the sum over the
    # roles, less those a person holds twice in one document (sender and via, ...), plus those
    # held in all three (inclusion-exclusion; no sorting of every entry)
    same = []
    for (_, source, target), (owners, a, b, _) in zip(kinds, crossed, strict=True):
        equal = codes[source][a] == codes[target][b]
        same.append(owners[equal] * size + codes[source][a][equal])
    documents = counts["sender"] + counts["recipient"] + counts["via"]
    held_twice = np.concatenate(same)
    each = None if weights is None else weights[held_twice // size]
    documents -= np.bincount(held_twice % size, each, minlength=size)
    triple = same[0][np.isin(same[0], same[1])]
    each = None if weights is None else weights[triple // size]
    documents += np.bincount(triple % size, each, minlength=size)
    present = np.flatnonzero(documents)
    order = sorted(present.tolist(), key=lambda p: (-int(documents[p]), vocab[p]))
    top = TOP_CORRESPONDENTS if top is None else top
    shown, rest = order[:top], order[top:]
    node_of = np.full(size + 1, len(shown), dtype=np.int64)  # len(shown): "others"
    node_of[shown] = np.arange(len(shown))
    ids = [vocab[p] for p in shown] + ([OTHERS] if rest else [])

    def label(person_id: str) -> str:
        return people.get(person_id).name if person_id in people else person_id

    nodes = [Node(vocab[p], label(vocab[p]), int(documents[p]), int(counts["sender"][p]),
                  int(counts["recipient"][p]), int(counts["via"][p]),
                  _person_params(request, label(vocab[p]))) for p in shown]
    if rest:
        in_rest = np.zeros(size, dtype=bool)
        in_rest[rest] = True
        touched = np.zeros(columns.size, dtype=bool)
        for role, (owners, values) in entries.items():
            touched[owners[in_rest[codes[role][values]]]] = True
        touching = int(touched.sum()) if weights is None else int(weights[touched].sum())
        nodes.append(Node(OTHERS, f"{len(rest)} others", touching,
                          *(int(counts[r][rest].sum()) for r in ("sender", "recipient", "via")), None))
    n = len(ids)
    parts = []  # per kind: (counts, source node, target node, kind number)
    for number, ((_, source, target), (owners, a, b, shared)) in enumerate(zip(kinds, crossed,
                                                                                 strict=True)):
        key = node_of[codes[source][a]] * n + node_of[codes[target][b]]
        # one count per document and node pair: only a document with several pairs (several
        # recipients, or two "others") can repeat one, so only those are deduplicated
        each = None if weights is None else weights[owners[~shared]]
        found = np.bincount(key[~shared], each, minlength=n * n)
        if shared.any():
            once = np.unique(owners[shared] * (n * n) + key[shared])
            each = None if weights is None else weights[once // (n * n)]
            found += np.bincount(once % (n * n), each, minlength=n * n)
        found[np.arange(n) * (n + 1)] = 0  # no arrow from a node to itself
        keys = np.flatnonzero(found)
        parts.append((found[keys], keys // n, keys % n, np.full(len(keys), number)))
    count, i, j, kind = (np.concatenate(column) for column in zip(*parts, strict=True))
    rank = np.argsort(np.argsort(np.array(ids)))  # ties by source id, then target id
    order = np.lexsort((rank[j], rank[i], np.minimum(kind, 1), -count))  # direct before via
    narrow = _Narrower(request)
    edges = []
    for e in order[:TOP_EDGES].tolist():
        name, source, target = kinds[int(kind[e])]
        a, b = ids[int(i[e])], ids[int(j[e])]
        edges.append(Edge(a, b, int(count[e]), name,
                          None if OTHERS in (a, b) else narrow({source: a, target: b}),
                          nodes[int(i[e])].label, nodes[int(j[e])].label))
    return Network(nodes, edges, len(rest), max(0, len(order) - TOP_EDGES))


def _entries(facet: Facet, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(document number, value code) of each value of the documents `docs` (sorted)."""
    starts = facet.offsets[docs]
    lengths = facet.offsets[docs + 1] - starts
    first = np.cumsum(lengths) - lengths
    entries = np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()))
    return np.repeat(docs, lengths), facet.values[entries]


def _pairs(a: Facet, b: Facet, docs: np.ndarray, with_shared: bool = False):
    """(document number, value code in a, value code in b) of every pair of values one document
    has in both facets; `with_shared` adds whether each pair's document has other pairs."""
    a_start, b_start = a.offsets[docs], b.offsets[docs]
    a_len, b_len = a.offsets[docs + 1] - a_start, b.offsets[docs + 1] - b_start
    n = a_len * b_len
    k = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)  # pair number within a document
    width = np.repeat(b_len, n)  # never 0 where a pair exists
    out = (np.repeat(docs, n), a.values[np.repeat(a_start, n) + k // width],
           b.values[np.repeat(b_start, n) + k % width])
    return (*out, np.repeat(n > 1, n)) if with_shared else out


def _person_params(request, name: str) -> Params:
    """The search narrowed to the documents this correspondent sent, received or relayed: facets
    combine with AND, so the three roles are asked in the query instead."""
    quoted = name.replace('"', "")
    term = f'(sender:"{quoted}" OR recipient:"{quoted}" OR via:"{quoted}")'
    return replace(request, q=f"{request.q} {term}".strip(), page=1).to_params()


class _Narrower:
    """The search with some facets each set to one value (a subset of what it had: the value
    occurs in the results), without building a request per link (a network has 200 edges)."""

    def __init__(self, request):
        request = request.normalized()
        self.head = [("q", request.q)] if request.q else []
        self.filters = dict(request.filters)
        self.tail = replace(request, q="", filters=(), page=1).to_params()

    def __call__(self, values: dict[str, str]) -> Params:
        chosen = {**self.filters, **{name: (value,) for name, value in values.items()}}
        return self.head + [(name, v) for name in FACETS for v in chosen.get(name, ())] + self.tail


# -- routes ----------------------------------------------------------------------------------

def routes(columns: Columns, docs: np.ndarray, request, places,
           top: int = TOP_ROUTES) -> Routes:
    origin, destination = columns.facets["place_from"], columns.facets["place_to"]
    if not len(docs):
        return Routes()
    sent_from = np.bincount(_entries(origin, docs)[1], minlength=len(origin.vocab))
    sent_to = np.bincount(_entries(destination, docs)[1], minlength=len(destination.vocab))
    has_place = (origin.offsets[docs + 1] > origin.offsets[docs]) | \
        (destination.offsets[docs + 1] > destination.offsets[docs])
    _, a, b = _pairs(origin, destination, docs)
    width = max(len(destination.vocab), 1)
    keys, found = np.unique(a.astype(np.int64) * width + b, return_counts=True)
    found_routes = sorted(((origin.vocab[k // width], destination.vocab[k % width], int(c))
                           for k, c in zip(keys.tolist(), found.tolist(), strict=True)),
                          key=lambda r: (-r[2], r[0], r[1]))[:top]
    named: dict[str, list[int]] = {}
    for code in np.flatnonzero(sent_from).tolist():
        named.setdefault(origin.vocab[code], [0, 0])[0] = int(sent_from[code])
    for code in np.flatnonzero(sent_to).tolist():
        named.setdefault(destination.vocab[code], [0, 0])[1] = int(sent_to[code])

    def entry(place_id: str):
        return places.get(place_id) if places is not None and place_id in places else None

    out = []
    for pid, (n_from, n_to) in sorted(named.items(), key=lambda p: (-sum(p[1]), p[0])):
        found_entry = entry(pid)
        out.append(Place(pid, found_entry.name if found_entry else pid,
                         found_entry.lat if found_entry else None,
                         found_entry.lon if found_entry else None, n_from, n_to))
    labels = {place.id: place.label for place in out}
    narrow = _Narrower(request)
    return Routes(out, [Route(s, t, c, narrow({"place_from": s, "place_to": t}),
                              labels[s], labels[t]) for s, t, c in found_routes],
                  int((~has_place).sum()))
