"""OpenSearch at a scale one machine's `archive build` cannot hold in memory (issue 15): the
engine's write path and the search service over a million generated documents.

    python scripts/generate_collection.py 1000000 /tmp/g1m
    python scripts/opensearch_scale.py /tmp/g1m --url http://127.0.0.1:9200/m1 --node-pid PID \\
        --work /tmp/p1m

`archive build` validates the whole collection into memory before it writes (about 17 KB a
document: ~17 GB at a million), so this script streams instead: worker processes read and
validate each file (archive.documents.load_document, as a build does) and make its OpenSearch
document (the engine's own bulk lines), this process sends them by the bulk API into a new
index as a full build does (the engine's create_index settings: no refresh, no replicas while
loading). The catalog is left out (it is the same SQLAlchemy code at any engine); a SQLite
catalog holding only the build's state and a generation folder (authorities, lemmas, the
index's name) let `SearchService` search the index exactly as `archive serve` does.

Prints: documents/s of the load (reading + validating + analysing + sending), the seconds of the
final flush and refresh, the node's resident memory and index size, the p50/p95/p99 of each
query kind of scripts/benchmark.py through SearchService (result cache off), and the seconds of
a one-document incremental update (the engine's update + refresh).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import time
import uuid
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

def records(documents: Path, people, archives, limit: int | None, log):
    """The documents' records, read and validated one at a time as a build reads them."""
    from archive.documents import load_document

    started = time.perf_counter()
    for done, path in enumerate(_paths(documents, limit), 1):
        record, problems = load_document(path, documents, people, archives, max_bytes=5_000_000)
        if record is None:
            raise SystemExit(f"{path}: {problems}")
        if done % 50_000 == 0:
            log(f"  {done:,} documents read, {done / (time.perf_counter() - started):,.0f}/s")
        yield record


def _paths(documents: Path, limit: int | None):
    count = 0
    for folder in sorted(p for p in documents.iterdir() if p.is_dir() and p.name.isdigit()):
        for path in sorted(folder.glob("*.md")):
            yield path
            count += 1
            if limit is not None and count >= limit:
                return


def rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000

    return rank(0.5), rank(0.95), rank(0.99)


def cases(queries: int):
    import generate_collection

    from archive.search import SearchRequest

    words = generate_collection.query_words()
    rng = random.Random(7)
    senders = generate_collection.REAL_IDS[:6]
    forms = ("Vishinsky", "Вышинский", "Filippov", "Feng Xi", "Kim Ir Sen", "Mao Tse-tung")
    out: dict[str, list] = {}
    for i in range(queries):
        common = words["common"][i % len(words["common"])]
        other = words["common"][(i * 7 + 3) % len(words["common"])]
        rare = words["rare"][i % len(words["rare"])]
        phrase = words["phrases"][i % len(words["phrases"])]
        start = date(1949, 3, 1).toordinal() + rng.randrange(480)
        first, last = date.fromordinal(start), date.fromordinal(start + rng.randrange(30, 120))
        sender = senders[i % len(senders)]
        for kind, request in (
                ("common term", SearchRequest(q=common)),
                ("rare term", SearchRequest(q=rare)),
                ("two-term AND", SearchRequest(q=f"{common} {other}")),
                ("phrase", SearchRequest(q=f'"{phrase}"')),
                ("name variant", SearchRequest(q=forms[i % len(forms)])),
                ("term + date range", SearchRequest(q=common, date_from=first.isoformat(),
                                                    date_to=last.isoformat())),
                ("empty query + all facets", SearchRequest()),
                ("full search request (web page)", SearchRequest.from_params({
                    "q": common, "sender": sender, "year": "1950", "date_from": "1949-06",
                    "date_to": "1950-09", "page": "1", "page_size": "20"}))):
            out.setdefault(kind, []).append(request)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", type=Path)
    parser.add_argument("--url", required=True, help="http://host:port/prefix of the cluster")
    parser.add_argument("--node-pid", type=int, help="the node's pid, for its memory")
    parser.add_argument("--work", type=Path, required=True, help="the index folder to make")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind")
    parser.add_argument("--reuse", action="store_true", help="search the index --work holds")
    parser.add_argument("--load-only", action="store_true", help="load, then stop")
    args = parser.parse_args(argv)

    from archive import generations, lemmas
    from archive.catalog import Catalog
    from archive.documents import load_authorities
    from archive.engines import engine
    from archive.search import SearchService
    from archive.settings import load_config
    from archive.vocabulary import load_vocabularies

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    env = {"ARCHIVE_DOCUMENTS_DIR": str(args.documents), "ARCHIVE_INDEX_DIR": str(args.work),
           "ARCHIVE_SEARCH_URL": args.url}
    config = load_config(env)
    people, archives, problems = load_authorities(config)
    places, terms, _ = load_vocabularies(config.authority_dir, None)
    search_engine = engine(config)
    client = search_engine.client
    results: dict = {"documents": str(args.documents)}
    current = generations.sqlite_state(config.database_url) if args.reuse else None
    path = search_engine.generation_path(current.generation if current else 1)
    if not args.reuse:
        scratch = path.with_name("tmp-000001")
        started = time.perf_counter()
        cpu = time.process_time()
        count = search_engine.create(scratch, records(args.documents, people, archives,
                                                      args.limit, log), people, places)
        seconds = time.perf_counter() - started
        results.update(documents_loaded=count, build_seconds=round(seconds, 1),
                       docs_per_s=round(count / seconds),
                       builder_cpu_seconds=round(time.process_time() - cpu, 1))
        log(f"built {count:,} in {seconds:.0f} s ({count / seconds:,.0f}/s)")
        os.rename(scratch, path)
        built = generations.BuildState(1, uuid.uuid4().hex)
        generations.save_authorities(path, people, archives, places, terms)
        lemmas.save(path)
        generations.save_build(path, built)
        catalog = Catalog(config.database_url)
        catalog.create()
        catalog.apply(changed=[], removed=[], people_list=list(people),
                      archive_list=list(archives), set_list=[],
                      state={"generation": "1", "build_id": built.build_id,
                             "documents": str(count)}, full=True)
        catalog.dispose()
    name = search_engine.index_name(path)
    stats = client.indices.stats(index=name)["indices"][name]["total"]
    results["index_bytes"] = stats["store"]["size_in_bytes"]
    results["index_documents"] = stats["docs"]["count"]
    results["node_rss_mb_after_load"] = rss_mb(args.node_pid)

    if args.load_only:
        print(json.dumps(results, indent=1))
        return 0
    service = SearchService(config, cache_size=0)
    queries = {}
    try:
        for kind, requests in cases(args.queries).items():
            for request in requests[:10]:
                service.search(request)
            times = []
            for request in requests:
                started = time.perf_counter()
                result = service.search(request)
                times.append(time.perf_counter() - started)
            queries[kind] = [round(v, 1) for v in percentiles(times)]
            log(f"{kind}: p50/p95/p99 {queries[kind]} ms (last total {result.total:,})")
        results["queries"] = queries
        results["node_rss_mb_after_search"] = rss_mb(args.node_pid)

        record = next(records(args.documents, people, archives, 1, log))
        record = dataclasses.replace(record, title=record.title + " (revised)", sha256="0" * 64)
        started = time.perf_counter()
        search_engine.update(path, [record], [], people, places)
        results["one_document_update_seconds"] = round(time.perf_counter() - started, 3)
        log(f"one-document update: {results['one_document_update_seconds']} s")
    finally:
        service.close()
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
