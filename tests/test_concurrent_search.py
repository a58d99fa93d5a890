"""One search service shared by many threads (as the web app shares it) answers every query
correctly: Whoosh readers are not thread-safe, so nothing may read them outside the lock."""

from __future__ import annotations

import threading

import pytest

from archive.search import SearchRequest, SearchService

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

QUERIES = ("Stalin~1", "telegram~2", "Vishinsky~", "weap*", "Kim", '"air cover"', "Filippov")


def test_threads_share_one_service(built_archive):
    service = SearchService(built_archive, cache_size=0)
    try:
        requests = [SearchRequest.from_params({"q": [q], "sort": [s]})
                    for q in QUERIES for s in ("date", "-date", "relevance")]
        expected = {r: [h.id for h in service.search(r).hits] for r in requests}
        failures: list[str] = []

        def work(offset: int) -> None:
            for i in range(60):
                request = requests[(offset + i) % len(requests)]
                try:
                    got = [h.id for h in service.search(request).hits]
                except Exception as error:  # noqa: BLE001 - counted, then asserted
                    failures.append(f"{request.q}: {error!r}")
                else:
                    if got != expected[request]:
                        failures.append(f"{request.q}: {got} != {expected[request]}")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
    finally:
        service.close()
