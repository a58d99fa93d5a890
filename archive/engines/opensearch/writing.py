"""Writing OpenSearch indexes: a full index (a new one per full build), changes applied in place
by content hash, and the reconciliation of an index with the catalog.

Documents go to the bulk API as newline-delimited JSON built ahead of the request: making a
document (archive.analysis over every field) and serialising it is most of a build's time, so
large builds make them in worker processes (one per core) while this one sends.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from ...people import PeopleAuthority
from ...records import Record
from ...vocabulary import Vocabulary
from .. import SearchEngineUnavailable
from . import mapping
from .documents import document

CHUNK = 500  # documents per bulk request (~7 MB of JSON for generated documents)
PARALLEL_THRESHOLD = 2000  # below this, starting worker processes costs more than it saves
SCAN_BATCH = 10_000  # ids and hashes read per request when comparing with the catalog
RETRIES = 5  # of documents the cluster refused for load (429), with growing pauses
BULK_TIMEOUT = 120  # seconds a bulk request or a refresh may take (a loaded node is slow)


class BulkRefused(SearchEngineUnavailable):
    """The cluster refused documents for another reason than load (a mapping error)."""


def new_index_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def is_ours(prefix: str, name: str) -> bool:
    """Whether an index name is one a full build of this archive made (not another prefix's:
    `archive-x-<uuid>` is not `archive`'s)."""
    return re.fullmatch(re.escape(prefix) + r"-[0-9a-f]{32}", name) is not None


def create_index(client, name: str, records: Iterable[Record], people: PeopleAuthority,
                 places: Vocabulary | None, shards: int, replicas: int) -> int:
    """Create index `name` and load `records` into it; returns the number of documents.

    Loaded without replicas, without refreshes (each refresh writes a segment) and with the
    translog synced in the background rather than at every request (a build killed meanwhile
    leaves an index nobody uses), then flushed (on disk before the catalog names it), given its
    replicas and settings back, and refreshed."""
    body = mapping.index_body(shards, 0)
    body["settings"]["index"].update({"refresh_interval": "-1",
                                      "translog": {"durability": "async"}})
    client.indices.create(index=name, body=body)
    count = send(client, name, _indexing(records, people, places))
    client.indices.flush(index=name, request_timeout=BULK_TIMEOUT)
    client.indices.put_settings(index=name, body={"index": {
        "refresh_interval": None, "number_of_replicas": replicas,
        "translog": {"durability": "request"}}})
    client.indices.refresh(index=name, request_timeout=BULK_TIMEOUT)
    return count


def apply_changes(client, name: str, changed: Iterable[Record], removed: Iterable[str],
                  people: PeopleAuthority, places: Vocabulary | None) -> tuple[int, int]:
    """Upsert the changed records whose stored hash differs and delete the removed ids, then
    refresh; returns (documents written, documents deleted)."""
    changed = list(changed)
    stored = stored_hashes(client, name, [r.id for r in changed])
    writing = [r for r in changed if stored.get(r.id) != r.sha256]
    removed = list(removed)
    written = send(client, name, _indexing(writing, people, places))
    deleted = send(client, name, _deleting(removed))
    client.indices.refresh(index=name)
    return written, deleted


@dataclass
class Reconciled:
    """What a reconciliation compared, and what it found wrong in the index and fixed."""

    hashes: bool = False  # every content hash compared (else the counts were equal)
    missing: list[str] = field(default_factory=list)  # catalogued, not in the index
    stale: list[str] = field(default_factory=list)  # in the index with another content hash
    extra: list[str] = field(default_factory=list)  # in the index, not catalogued

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.extra)


def reconcile(client, name: str, catalog, people: PeopleAuthority, places: Vocabulary | None,
              thorough: bool = True) -> Reconciled:
    """Make the index hold exactly the catalog's documents with the catalog's content hashes:
    rewrite the missing and stale ones from the catalog's records, delete the others.

    Not `thorough`: when the counts agree the hashes are not compared (the caller knows that
    only a build that finished wrote into the index: a scan of every hash costs seconds at a
    million documents)."""
    catalogued = {doc_id: sha for sha, doc_id in catalog.file_hashes().values()}
    client.indices.refresh(index=name)  # whatever a killed build wrote, searchable
    if not thorough and client.count(index=name)["count"] == len(catalogued):
        return Reconciled()
    indexed = all_hashes(client, name)
    found = Reconciled(
        hashes=True,
        missing=sorted(i for i in catalogued if i not in indexed),
        stale=sorted(i for i, sha in catalogued.items() if i in indexed and indexed[i] != sha),
        extra=sorted(i for i in indexed if i not in catalogued))
    if found:
        send(client, name, _indexing(catalog.records(found.missing + found.stale), people, places))
        send(client, name, _deleting(found.extra))
        client.indices.refresh(index=name)
    return found


def stored_hashes(client, name: str, ids: list[str]) -> dict[str, str]:
    """id -> content hash of those of `ids` the index holds."""
    out: dict[str, str] = {}
    for start in range(0, len(ids), SCAN_BATCH):
        found = client.mget(index=name, body={"ids": ids[start:start + SCAN_BATCH]},
                            _source_includes="hash", realtime=True)
        out.update({d["_id"]: d["_source"]["hash"] for d in found["docs"] if d.get("found")})
    return out


def all_hashes(client, name: str) -> dict[str, str]:
    """id -> content hash of every document, from the doc values (a scroll in index order,
    cleared at the end)."""
    from opensearchpy import helpers

    hits = helpers.scan(client, index=name, size=SCAN_BATCH, scroll="2m",
                        query={"_source": False, "docvalue_fields": ["hash"]})
    return {hit["_id"]: hit["fields"]["hash"][0] for hit in hits}


def send(client, name: str, lines: Iterator[tuple[str, str]]) -> int:
    """Send (id, action lines) in bulk requests of CHUNK documents; returns how many the index
    took. Documents refused for load (429) are sent again; any other refusal raises
    BulkRefused (a deletion of a document already gone is no refusal)."""
    done = 0
    while True:
        chunk = list(islice(lines, CHUNK))
        if not chunk:
            return done
        done += _send_chunk(client, name, chunk)


def _send_chunk(client, name: str, chunk: list[tuple[str, str]]) -> int:
    pending = chunk
    for attempt in range(RETRIES + 1):
        answer = client.bulk(index=name, body="".join(text for _, text in pending),
                             request_timeout=BULK_TIMEOUT)
        if not answer["errors"]:
            return len(chunk)
        again = []
        for entry, item in zip(pending, answer["items"], strict=True):
            (action, result), = item.items()
            status = result.get("status", 500)
            if status == 429 and attempt < RETRIES:
                again.append(entry)
            elif status >= 300 and not (action == "delete" and status == 404):
                raise BulkRefused(f"OpenSearch refused document {entry[0]} ({action} in "
                                  f"{name}): {result.get('error')}")
        if not again:
            return len(chunk)
        pending = again
        time.sleep(0.5 * 2 ** attempt)
    return len(chunk)


def _deleting(ids: Iterable[str]) -> Iterator[tuple[str, str]]:
    for doc_id in ids:
        yield doc_id, json.dumps({"delete": {"_id": doc_id}}) + "\n"


def _indexing(records: Iterable[Record], people: PeopleAuthority,
              places: Vocabulary | None) -> Iterator[tuple[str, str]]:
    """(id, action and document lines) of each record, made here or, for many records, in one
    worker process per core (in order)."""
    records = iter(records)
    head = list(islice(records, PARALLEL_THRESHOLD))
    procs = min(os.cpu_count() or 1, 4)
    if len(head) < PARALLEL_THRESHOLD or procs < 2:
        for record in head:
            yield _bulk_lines(record, people, places)
        yield from (_bulk_lines(record, people, places) for record in records)
        return
    yield from _in_workers(_chained(head, records), people, places, procs)


def _chained(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest


def _bulk_lines(record: Record, people: PeopleAuthority, places: Vocabulary | None
                ) -> tuple[str, str]:
    action = json.dumps({"index": {"_id": record.id}})
    return record.id, f"{action}\n{json.dumps(document(record, people, places), ensure_ascii=False)}\n"


# -- worker processes ----------------------------------------------------------------------------

_worker_state: tuple | None = None  # (people, places) in a worker


def _start_worker(people: PeopleAuthority, places: Vocabulary | None) -> None:
    global _worker_state
    _worker_state = (people, places)


def _work(records: list[Record]) -> list[tuple[str, str]]:
    people, places = _worker_state
    return [_bulk_lines(record, people, places) for record in records]


def _in_workers(records: Iterator[Record], people: PeopleAuthority,
                places: Vocabulary | None, procs: int) -> Iterator[tuple[str, str]]:
    """Forked workers (archive.build_lock makes them die with the build) turn batches of records
    into bulk lines, a few batches ahead of the sender (never more: memory stays bounded), in
    order."""
    import multiprocessing
    from collections import deque

    context = multiprocessing.get_context("fork")
    with context.Pool(procs, initializer=_start_worker, initargs=(people, places)) as pool:
        pending: deque = deque()
        batches = iter(lambda: list(islice(records, CHUNK)), [])
        for batch in batches:
            pending.append(pool.apply_async(_work, (batch,)))
            if len(pending) > 2 * procs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
