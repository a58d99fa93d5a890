"""What a search costs in the OpenSearch engine beside Whoosh (issue 15), on a built archive.

    ARCHIVE_DOCUMENTS_DIR=/tmp/c10000 ARCHIVE_INDEX_DIR=/tmp/i10000 \\
        python tests/opensearch/search_cost.py http://127.0.0.1:9250 --load

(Beside the tests, not in scripts/: it opens both engines' indexes directly, which only tests
may do; once the engine's build lands, `archive build` with ARCHIVE_SEARCH_URL loads the index.)

The archive must be built (Whoosh, `archive build`). `--load` writes its documents into a fresh
OpenSearch index first (the bulk helper over archive.engines.opensearch.documents; the engine's
own build does the same); without it, `--index NAME` names one loaded before. For a mix of
queries (words, a phrase, names, prefix, fuzzy, fields, boolean, dates, relaxed ones, facet
filters), each run warm through `SearchIndex.search(plan)` of both engines (one page of 20,
facets counted, sorted by relevance then by date): prints p50 / p95 in ms per query and for the
whole mix, and checks that both engines found the same set (total, facet counts).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))

QUERIES = ("", "telegram", "Kim Stalin", '"air cover"', "Shtykov", "negot*", "Vishinsky~",
           "sender:Stalin", "type:telegram NOT Mao", "date:1950-05..1950-07 troops",
           "Kim arsenal xyzzy", "Stalin Mao Kim Zhou Shtykov", "(Kim OR Mao) AND NOT Stalin")
FILTERS = (("type", ("telegram",)), ("year", ("1950",)))


def _p(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000)


def load(config, client, name: str) -> tuple[int, float]:
    from opensearchpy import helpers

    from archive.documents import load_collection
    from archive.engines.opensearch import documents, mapping

    collection = load_collection(config)
    client.indices.create(index=name, body=mapping.index_body())
    started = time.perf_counter()
    actions = ({"_index": name, "_id": r.id,
                "_source": documents.document(r, collection.people, collection.places)}
               for r in collection.records.values())
    helpers.bulk(client, actions, chunk_size=500, request_timeout=120)
    client.indices.refresh(index=name)
    return len(collection.records), time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--index", help="an index loaded before")
    parser.add_argument("--load", action="store_true", help="load the archive into a new index")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)
    from opensearchpy import OpenSearch

    from archive.engines.opensearch.searching import OpenSearchIndex
    from archive.search import SearchRequest, SearchService
    from archive.settings import load_config

    config = load_config()
    client = OpenSearch([args.url], timeout=120)
    name = args.index or f"archive-search-cost-{uuid.uuid4().hex[:8]}"
    if args.load:
        count, seconds = load(config, client, name)
        print(f"loaded {count} documents into {name} in {seconds:.1f} s")
    service = SearchService(config, cache_size=0)
    state = service._state()
    engines = {"whoosh": state.index, "opensearch": OpenSearchIndex(client, name)}
    print(f"{'query':42} {'sort':9} {'matches':>7}  {'whoosh p50/p95':>16}  "
          f"{'opensearch p50/p95':>18}  same")
    mix: dict[str, list[float]] = {engine: [] for engine in engines}
    differ = 0
    for q in QUERIES:
        for sort, filters in (("relevance", ()), ("date", FILTERS)):
            request = SearchRequest(q=q, sort=sort, filters=filters).normalized()
            times: dict[str, list[float]] = {engine: [] for engine in engines}
            outcome = {}
            for engine, index in engines.items():
                for i in range(args.repeats + 3):  # three warm-ups
                    plan = service._plan(state, request, 0, 20)
                    started = time.perf_counter()
                    results = index.search(plan)
                    if i >= 3:
                        times[engine].append(time.perf_counter() - started)
                outcome[engine] = (results.total, results.counts, plan.parsed.notes,
                                   [f.id for f in results.found] if sort == "date" else None)
                mix[engine] += times[engine]
            same = outcome["whoosh"] == outcome["opensearch"]
            differ += not same
            label = (q or "(everything)") + (" +filters" if filters else "")
            w, o = _p(times["whoosh"]), _p(times["opensearch"])
            print(f"{label[:42]:42} {sort:9} {outcome['whoosh'][0]:7d}  "
                  f"{w[0]:7.1f} /{w[1]:7.1f}  {o[0]:8.1f} /{o[1]:8.1f}  {'yes' if same else 'NO'}")
    w, o = _p(mix["whoosh"]), _p(mix["opensearch"])
    print(f"{'the whole mix':52} {'':7}  {w[0]:7.1f} /{w[1]:7.1f}  {o[0]:8.1f} /{o[1]:8.1f}  "
          f"{differ} differ")
    if args.load:
        client.indices.delete(index=name)
    service.close()
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
