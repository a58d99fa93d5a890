"""Columnar facet arrays for one index generation (numpy; no search engine).

A build writes `columns.npz` beside the index: for every document number, its id rank, date span,
whether that date is qualified (uncertain or approximate) and the values of each facet,
multi-valued facets as offsets + values (CSR). A search gets the matching document numbers from the
engine and does the rest here: date masks, facet filters (OR within a facet, AND across facets)
and disjunctive counts (each facet counted under all the other active filters), each a handful of
vectorised operations instead of per-document Python.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FACETS = ("sender", "recipient", "via", "year", "month", "type", "archive", "language", "subject",
          "place_from", "place_to")
FILENAME = "columns.npz"
SPARSE_FRACTION = 4  # count by matched documents when fewer than 1 in 4 documents match


class IndexOutdated(RuntimeError):
    """Columns an older version of archive wrote, in a format this one cannot read without
    misreading it: `archive build` rebuilds them (archive.build.INDEX_FORMAT is part of the hash
    a build compares, so the next build is a full one)."""


@dataclass
class Facet:
    vocab: list[str]  # value code -> value
    offsets: np.ndarray  # int64, len N+1: values of doc d are values[offsets[d]:offsets[d+1]]
    values: np.ndarray  # int32 codes
    owners: np.ndarray  # int32, the document number of each entry of values
    codes: dict[str, int]
    _holders: tuple | None = field(default=None, compare=False, repr=False)  # see holders()

    def mask(self, selected: Iterable[str], size: int) -> np.ndarray:
        """Documents having any of the selected values."""
        out = np.zeros(size, dtype=bool)
        for value in selected:
            if value in self.codes:
                out[self.holders(self.codes[value])] = True
        return out

    def holders(self, code: int) -> np.ndarray:
        """The documents having one value (an inverted list, built on first use: ~10 ms at
        100,000 documents, then a filter costs what its documents cost, not a scan)."""
        if self._holders is None:
            order = np.argsort(self.values, kind="stable")
            bounds = np.searchsorted(self.values[order], np.arange(len(self.vocab) + 1))
            self._holders = (self.owners[order], bounds)
        docs, bounds = self._holders
        return docs[bounds[code]:bounds[code + 1]]

    def count(self, docs: np.ndarray, matched: np.ndarray | None = None) -> np.ndarray:
        """Counts per value code over the documents in the boolean mask `docs`.

        `matched` (the mask's document numbers, sorted) lets a selective query count only its
        own documents' values instead of testing every document's.
        """
        if matched is not None and len(matched) * SPARSE_FRACTION < len(docs):
            starts = self.offsets[matched]
            lengths = self.offsets[matched + 1] - starts
            first = np.cumsum(lengths) - lengths  # where each document's values land
            entries = np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()))
            return np.bincount(self.values[entries], minlength=len(self.vocab))
        return np.bincount(self.values[docs[self.owners]], minlength=len(self.vocab))


@dataclass
class Columns:
    ids: np.ndarray  # str, document number -> id ("" for deleted documents)
    live: np.ndarray  # bool
    id_rank: np.ndarray  # int32, rank of the id in sorted order (ties in sorts)
    date_start: np.ndarray  # int32, proleptic ordinal of the earliest day
    date_end: np.ndarray  # int32, ordinal of the latest day
    facets: dict[str, Facet]
    qualified: np.ndarray  # bool, the date is uncertain or approximate (`1950-10-02?`, `~1949-05`)

    @property
    def size(self) -> int:
        return len(self.ids)

    def docnums(self, ids: Sequence[str]) -> dict[str, int]:
        order = np.argsort(self.ids)
        found = np.searchsorted(self.ids, ids, sorter=order)
        out = {}
        for doc_id, pos in zip(ids, found, strict=True):
            if pos < len(order) and self.ids[order[pos]] == doc_id and self.live[order[pos]]:
                out[doc_id] = int(order[pos])
        return out


def build(rows: Sequence[Mapping | None]) -> Columns:
    """Columns from one mapping per document number (None for a deleted document).

    Each mapping has `id`, `date_start`, `date_end` (ordinals), `qualified` (bool) and a list of
    values per facet.
    """
    size = len(rows)
    live = np.array([r is not None for r in rows], dtype=bool)
    ids = np.array([r["id"] if r else "" for r in rows], dtype=str)
    rank = np.empty(size, dtype=np.int32)
    rank[np.argsort(ids, kind="stable")] = np.arange(size, dtype=np.int32)
    start = np.array([r["date_start"] if r else 0 for r in rows], dtype=np.int32)
    end = np.array([r["date_end"] if r else 0 for r in rows], dtype=np.int32)
    qualified = _qualified(rows)
    facets = {}
    for name in FACETS:
        lists = [r.get(name, []) if r else [] for r in rows]
        vocab = sorted({v for values in lists for v in values})
        codes = {v: i for i, v in enumerate(vocab)}
        lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=size)
        offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        values = np.fromiter((codes[v] for vs in lists for v in vs), dtype=np.int32,
                             count=int(offsets[-1]))
        owners = np.repeat(np.arange(size, dtype=np.int32), lengths)
        facets[name] = Facet(vocab, offsets, values, owners, codes)
    return Columns(ids, live, rank, start, end, facets, qualified)


def _qualified(rows: Sequence[Mapping | None]) -> np.ndarray:
    return np.array([bool(r["qualified"]) if r else False for r in rows], dtype=bool)


def head(columns: Columns, size: int) -> Columns:
    """The columns of the first `size` document numbers."""
    if size == columns.size:
        return columns
    facets = {}
    for name, facet in columns.facets.items():
        end = int(facet.offsets[size])
        facets[name] = Facet(facet.vocab, facet.offsets[:size + 1], facet.values[:end],
                             facet.owners[:end], facet.codes)
    return Columns(columns.ids[:size], columns.live[:size], columns.id_rank[:size],
                   columns.date_start[:size], columns.date_end[:size], facets,
                   columns.qualified[:size])


def extend(previous: Columns, rows: Sequence[Mapping | None], live: np.ndarray) -> Columns:
    """What `build` gives for every document number, from the columns of the first
    `previous.size` documents (unchanged but for deletions, given by `live`) and the rows of the
    documents after them: an incremental build re-reads only its new documents."""
    old = previous.size
    size = old + len(rows)
    kept = live[:old]
    ids = np.concatenate([previous.ids, np.array([r["id"] if r else "" for r in rows], dtype=str)])
    ids[~live] = ""
    rank = np.empty(size, dtype=np.int32)
    rank[np.argsort(ids, kind="stable")] = np.arange(size, dtype=np.int32)
    start = np.concatenate([previous.date_start,
                            np.array([r["date_start"] if r else 0 for r in rows], dtype=np.int32)])
    end = np.concatenate([previous.date_end,
                          np.array([r["date_end"] if r else 0 for r in rows], dtype=np.int32)])
    qualified = np.concatenate([previous.qualified, _qualified(rows)])
    start[~live], end[~live], qualified[~live] = 0, 0, False
    facets = {}
    for name, facet in previous.facets.items():
        keep = kept[facet.owners]
        old_values = facet.values[keep]
        lists = [r.get(name, []) if r else [] for r in rows]
        old_vocab = np.array(facet.vocab, dtype=str)
        vocab = sorted({str(v) for v in old_vocab[np.unique(old_values)]}
                       | {v for values in lists for v in values})
        codes = {v: i for i, v in enumerate(vocab)}
        remap = np.array([codes.get(str(v), -1) for v in old_vocab], dtype=np.int32)
        lengths = np.concatenate([
            np.bincount(facet.owners[keep], minlength=old).astype(np.int64),
            np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))])
        offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        new_values = np.fromiter((codes[v] for vs in lists for v in vs), dtype=np.int32)
        values = np.concatenate([remap[old_values], new_values]).astype(np.int32)
        owners = np.repeat(np.arange(size, dtype=np.int32), lengths)
        facets[name] = Facet(vocab, offsets, values, owners, codes)
    return Columns(ids, live.copy(), rank, start, end, facets, qualified)


def save(columns: Columns, folder: Path) -> None:
    """Write columns.npz atomically (the folder may hold hard links shared with a generation)."""
    arrays = {"ids": columns.ids, "live": columns.live, "id_rank": columns.id_rank,
              "date_start": columns.date_start, "date_end": columns.date_end,
              "qualified": columns.qualified}
    for name, facet in columns.facets.items():
        arrays[f"{name}.vocab"] = np.array(facet.vocab, dtype=str)
        arrays[f"{name}.offsets"] = facet.offsets
        arrays[f"{name}.values"] = facet.values
    scratch = folder / f".{FILENAME}.{os.getpid()}.tmp"
    with open(scratch, "wb") as out:
        np.savez(out, **arrays)
    os.replace(scratch, folder / FILENAME)  # never write into a shared (hard-linked) file


def load(folder: Path) -> Columns:
    """The saved columns; raises IndexOutdated for columns an older version wrote (without a
    column this one reads), never taking what they lack for "no"."""
    with np.load(folder / FILENAME, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    missing = [name for name in ("qualified", *(f"{f}.vocab" for f in FACETS)) if name not in arrays]
    if missing:
        # no path in the message: the web API answers it (503) to anyone
        raise IndexOutdated(f"the index was written by an older version of archive (it lacks "
                            f"{', '.join(missing)}): run `archive build` to rebuild it")
    facets = {}
    for name in FACETS:
        vocab = [str(v) for v in arrays[f"{name}.vocab"]]
        offsets = arrays[f"{name}.offsets"]
        owners = np.repeat(np.arange(len(offsets) - 1, dtype=np.int32), np.diff(offsets))
        facets[name] = Facet(vocab, offsets, arrays[f"{name}.values"], owners,
                             {v: i for i, v in enumerate(vocab)})
    return Columns(arrays["ids"], arrays["live"], arrays["id_rank"], arrays["date_start"],
                   arrays["date_end"], facets, arrays["qualified"])


def date_mask(columns: Columns, start: int | None, end: int | None) -> np.ndarray | None:
    """Documents whose date span overlaps [start, end] (ordinals); None when unbounded."""
    if start is None and end is None:
        return None
    mask = columns.live.copy()
    if start is not None:
        mask &= columns.date_end >= start
    if end is not None:
        mask &= columns.date_start <= end
    return mask


def filter_and_count(columns: Columns, base: np.ndarray,
                     selected: Mapping[str, Sequence[str]]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The final match mask and, per facet, its value counts under all the *other* filters."""
    masks = {name: columns.facets[name].mask(values, columns.size)
             for name, values in selected.items() if values}
    final = base.copy()
    for mask in masks.values():
        final &= mask
    counts = {}
    matched = np.flatnonzero(final)
    for name, facet in columns.facets.items():
        if name not in masks:
            counts[name] = facet.count(final, matched)
            continue
        others = base.copy()
        for other, mask in masks.items():
            if other != name:
                others &= mask
        counts[name] = facet.count(others, np.flatnonzero(others))
    return final, counts
