"""The `<prefix>-generations` index: what every `archive serve` sharing the cluster needs to
know about the committed generations, so that none of them keeps state of its own.

- `generation-<build id>`: a generation's small files (build.json, authorities.json,
  lemmas.json, opensearch.json, as the build wrote them into its folder) and the OpenSearch index
  it searches, saved just before the catalog commits it; whether the catalog committed it (set
  by the build's publish; a record never committed is a killed build's) and whether its index
  was reconciled with the catalog since;
- `writing-<index>`: an incremental build is writing into that index in place (it is the one
  the current generation searches); removed once a build has published and reconciled it. Found
  by the next build: the index may hold changes of a build that never committed.
"""

from __future__ import annotations

import time

GENERATIONS = "generations"  # <prefix>-generations
KEPT = 2  # generation records kept: the current one and the one before (readers in flight)

_BODY = {
    "settings": {"index": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}},
    "mappings": {"dynamic": False, "properties": {  # later fields need no new mapping
        "kind": {"type": "keyword"},
        "build_id": {"type": "keyword"},
        "generation": {"type": "integer"},
        "index": {"type": "keyword"},
        "published": {"type": "double"},  # seconds since the epoch; 0 until committed
        "committed": {"type": "boolean"},
        "attempted": {"type": "boolean"},  # a publish started
        "writer": {"type": "keyword"},
        "reconciled": {"type": "boolean"},
        "files": {"type": "object", "enabled": False},
    }},
}


def registry_name(prefix: str) -> str:
    return f"{prefix}-{GENERATIONS}"


def ensure(client, prefix: str) -> None:
    """Create the registry index unless it exists (safe when two processes race)."""
    name = registry_name(prefix)
    if client.indices.exists(index=name):
        return
    from opensearchpy import RequestError

    try:
        client.indices.create(index=name, body=_BODY)
    except RequestError as error:
        if error.error != "resource_already_exists_exception":
            raise


def save_generation(client, prefix: str, build_id: str, generation: int, index: str,
                    files: dict[str, str], committed: bool = False) -> None:
    client.index(index=registry_name(prefix), id=f"generation-{build_id}", refresh=True, body={
        "kind": "generation", "build_id": build_id, "generation": generation, "index": index,
        "published": time.time() if committed else 0.0, "committed": committed,
        "reconciled": False, "files": files})


def mark_publishing(client, prefix: str, build_id: str) -> None:
    """The catalog committed the generation and a publish started (a second publish of it
    knows the first may have been killed half way)."""
    client.update(index=registry_name(prefix), id=f"generation-{build_id}", refresh=True,
                  body={"doc": {"committed": True, "published": time.time(), "attempted": True}})


def generation(client, prefix: str, build_id: str) -> dict | None:
    """A generation's record (build_id, generation, index, files, committed, reconciled)."""
    found = client.get(index=registry_name(prefix), id=f"generation-{build_id}", ignore=[404])
    return found["_source"] if found.get("found") else None  # no such record, or no registry


def mark_reconciled(client, prefix: str, build_id: str) -> None:
    client.update(index=registry_name(prefix), id=f"generation-{build_id}", refresh=True,
                  body={"doc": {"reconciled": True}})


def generations(client, prefix: str) -> list[dict]:
    """The generation records (without their files), the most recently published first."""
    found = client.search(index=registry_name(prefix), body={
        "query": {"term": {"kind": "generation"}}, "sort": [{"published": "desc"}],
        "size": 100, "_source": {"excludes": ["files"]}})
    return [hit["_source"] for hit in found["hits"]["hits"]]


def forget_generations(client, prefix: str, build_ids: list[str]) -> None:
    for build_id in build_ids:
        client.delete(index=registry_name(prefix), id=f"generation-{build_id}", refresh=True,
                      ignore=[404])


def mark_writing(client, prefix: str, index: str, writer: str) -> None:
    """Record that `writer` (one build) is about to write into `index` in place, unless a
    build that never published did before (its mark stays: its changes must be checked)."""
    client.index(index=registry_name(prefix), id=f"writing-{index}", refresh=True,
                 op_type="create", ignore=[409],
                 body={"kind": "writing", "index": index, "writer": writer,
                       "published": time.time()})


def writer(client, prefix: str, index: str) -> str | None:
    """The build whose in-place writes into `index` no publish has checked yet, if any."""
    found = client.get(index=registry_name(prefix), id=f"writing-{index}", ignore=[404])
    return found["_source"]["writer"] if found.get("found") else None


def clear_writing(client, prefix: str, index: str) -> None:
    client.delete(index=registry_name(prefix), id=f"writing-{index}", refresh=True, ignore=[404])
