"""A three-node OpenSearch cluster on loopback keeps answering while its nodes die (#15).

The bundled collection is indexed as the engine indexes it (archive.engines.opensearch: mapping
and documents) into an index of 3 shards with 1 replica each, and a client that knows all three
nodes searches it continuously from a thread while one node, then the elected cluster manager, is
killed with SIGKILL: every search answers in full (the client retries another node; a search never
accepts partial results), no document is lost (count, ids and content hashes), and the cluster is
green again once the node is restarted on its data path. Then the same through archive itself
(`archive build` and SearchService on ARCHIVE_SEARCH_URL listing the three nodes), once the
OpenSearch engine exists (skipped until then).

Slow (three JVMs): deselect locally with `-m "not opensearch_cluster"`; CI runs it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from opensearch_nodes import opensearch_engine_missing, require_launcher, start_cluster
from support import make_archive

from archive.build import rebuild
from archive.documents import load_collection
from archive.engines.opensearch.documents import document
from archive.engines.opensearch.mapping import index_body
from archive.search import SearchRequest, SearchService
from archive.settings import load_config

opensearchpy = pytest.importorskip("opensearchpy", reason="needs opensearch-py (pip install -e .)")

pytestmark = [pytest.mark.opensearch, pytest.mark.opensearch_cluster]

ROOT = Path(__file__).resolve().parent.parent
INDEX = "archive-cluster-test"
CALM = 3.0  # seconds of searching after each kill and each restart
SEARCH = {"size": 1000, "query": {"match_all": {}}, "_source": ["id", "hash"],
          "track_total_hits": True, "sort": [{"id": "asc"}],
          "aggs": {"year": {"terms": {"field": "facet_year", "size": 100}},
                   "sender": {"terms": {"field": "facet_sender", "size": 1000}}}}


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    """The bundled collection as OpenSearch documents, by id."""
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(ROOT / "documents"),
                         ARCHIVE_INDEX_DIR=str(tmp_path_factory.mktemp("unused-index")))
    loaded = load_collection(config)
    assert loaded.problems == []
    return {doc_id: document(record, loaded.people, loaded.places)
            for doc_id, record in loaded.records.items()}


@pytest.fixture(scope="module")
def cluster():
    require_launcher()
    started = time.monotonic()
    cluster = start_cluster(3, status="green")
    cluster.started_in = time.monotonic() - started
    yield cluster
    cluster.stop()


@dataclass
class Searches:
    """`search()` run back to back from a thread, each answer compared with the expected one."""

    search: Callable[[], dict]
    expected: dict
    done: int = 0
    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                answer = self.search()
            except Exception as error:  # a failed search is what this test looks for
                self.failures.append(f"{type(error).__name__}: {error}")
                continue
            self.slowest = max(self.slowest, time.monotonic() - started)
            if answer != self.expected:
                self.failures.append(f"search {self.done + 1} answered {answer}")
            self.done += 1


def kill_and_restart_while_searching(cluster, searches: Searches) -> list[tuple]:
    """Kill one node, then the elected cluster manager (SIGKILL), each restarted on its data
    path, while `searches` run; returns (node, nodes left, searches while it was down, seconds
    from restart to green) for each."""
    searcher = threading.Thread(target=searches.run, daemon=True)
    searcher.start()
    timeline = []
    try:
        manager = cluster.cluster_manager()
        other = next(node for node in cluster.nodes if node is not manager)
        for victim in (other, manager):
            if victim is manager:
                assert cluster.cluster_manager() is manager  # still elected after the first kill
            before = searches.done
            victim.kill()
            time.sleep(CALM)
            after_kill = cluster.wait_for("yellow", nodes=2)
            if victim is manager:
                assert cluster.cluster_manager() is not victim
            while_down = searches.done - before
            started = time.monotonic()
            victim.start()
            cluster.wait_for("green", nodes=3)
            time.sleep(CALM)
            timeline.append((victim.name, after_kill["number_of_nodes"], while_down,
                             round(time.monotonic() - started, 1)))
            assert while_down > 0, f"no search ran while {victim.name} was down"
    finally:
        searches.stop.set()
        searcher.join(timeout=60)
    print(f"\ncluster started in {cluster.started_in:.1f} s; {searches.done} searches, slowest "
          f"{searches.slowest:.2f} s; (killed, nodes left, searches while down, seconds to "
          f"green after restart): {timeline}")
    return timeline


def answered(response: dict) -> dict:
    return {"total": response["hits"]["total"]["value"],
            "shards": (response["_shards"]["successful"], response["_shards"]["failed"]),
            "ids": [(hit["_source"]["id"], hit["_source"]["hash"])
                    for hit in response["hits"]["hits"]],
            "facets": {name: {b["key"]: b["doc_count"] for b in agg["buckets"]}
                       for name, agg in response["aggregations"].items()}}


def expected_answer(collection: dict) -> dict:
    return {"total": len(collection), "shards": (3, 0),
            "ids": sorted((doc_id, doc["hash"]) for doc_id, doc in collection.items()),
            "facets": {name: dict(Counter(value for doc in collection.values()
                                          for value in doc[f"facet_{name}"]))
                       for name in ("year", "sender")}}


def test_searches_never_fail_while_nodes_die_and_no_document_is_lost(cluster, collection):
    client = opensearchpy.OpenSearch([node.url for node in cluster.nodes], max_retries=6,
                                     retry_on_timeout=True, timeout=20)
    try:
        client.indices.create(index=INDEX, body=index_body(3, 1))
        indexed = opensearchpy.helpers.bulk(
            client, ({"_index": INDEX, "_id": doc_id, "_source": doc}
                     for doc_id, doc in collection.items()), refresh=True)
        assert indexed == (len(collection), [])
        health = cluster.wait_for("green", nodes=3)
        assert (health["active_primary_shards"], health["active_shards"]) == (3, 6)
        expected = expected_answer(collection)

        def search() -> dict:
            return answered(client.search(index=INDEX, body=SEARCH, params={
                "allow_partial_search_results": "false", "request_timeout": 20}))

        assert search() == expected
        searches = Searches(search, expected)
        kill_and_restart_while_searching(cluster, searches)
        assert searches.failures == []
        assert search() == expected
        assert client.count(index=INDEX)["count"] == len(collection)
    finally:
        client.close()


def test_the_archive_searches_a_cluster_through_nodes_dying(cluster, tmp_path):
    """The same through archive's own build and SearchService, ARCHIVE_SEARCH_URL listing the
    three nodes (runs once the OpenSearch engine exists)."""
    reason = opensearch_engine_missing()
    if reason:
        pytest.skip(reason)
    prefix = f"archive-cluster-{uuid.uuid4().hex[:8]}"
    config = make_archive(tmp_path, ROOT / "documents",
                          env={"ARCHIVE_SEARCH_URL": f"{cluster.hosts}/{prefix}"})
    assert rebuild(config).status == "built"
    # whatever the engine's shard count, one replica of each: a node's death loses no shard
    cluster.request(f"/{prefix}*/_settings", "PUT", {"index": {"number_of_replicas": 1}})
    assert cluster.wait_for("green", nodes=3)["unassigned_shards"] == 0
    service = SearchService(config, cache_size=0)  # every search asks the cluster
    request = SearchRequest(q="Stalin", sort="date", page_size=100)

    def search() -> dict:
        result = service.search(request)
        return {"total": result.total, "ids": [hit.id for hit in result.hits],
                "facets": {name: [(b.value, b.count) for b in buckets]
                           for name, buckets in result.facets.items()}}

    try:
        expected = search()
        assert expected["total"] > 10 and len(expected["ids"]) == expected["total"]
        searches = Searches(search, expected)
        kill_and_restart_while_searching(cluster, searches)
        assert searches.failures == []
        assert search() == expected
    finally:
        service.close()
