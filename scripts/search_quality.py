"""Search quality on the bundled collection: recall@10, MRR and the zero-result rate of the
judged queries in tests/data/relevance.yaml.

    python scripts/search_quality.py                  # builds documents/ into a temporary folder
    python scripts/search_quality.py --documents DIR  # another collection (same judgments)
    python scripts/search_quality.py --show           # every query's rank of each relevant record
    python scripts/search_quality.py --documents /tmp/gen10k --timing   # time per query (ms)

Needs only the public API (rebuild, SearchService), so it runs on older checkouts too, for
before/after numbers (PYTHONPATH=that-checkout python scripts/search_quality.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = ROOT / "tests" / "data" / "relevance.yaml"
CUTOFF = 10


def evaluate(service, judgments: list[dict], cutoff: int = CUTOFF) -> dict:
    """Per-query ranks and the summary numbers, from a SearchService."""
    from archive.search import SearchRequest

    rows = []
    for item in judgments:
        result = service.search(SearchRequest(q=item["q"], page_size=cutoff))
        ranked = [hit.id for hit in result.hits]
        relevant = item["relevant"]
        found = [d for d in relevant if d in ranked]
        first = min((ranked.index(d) + 1 for d in found), default=None)
        rows.append({"q": item["q"], "kind": item.get("kind", ""), "total": result.total,
                     "recall": len(found) / len(relevant), "rr": 1 / first if first else 0.0,
                     "missed": [d for d in relevant if d not in ranked],
                     "note": result.query_note})
    count = len(rows)
    return {
        "queries": count,
        "recall": sum(r["recall"] for r in rows) / count,
        "mrr": sum(r["rr"] for r in rows) / count,
        "zero": sum(1 for r in rows if r["total"] == 0) / count,
        "rows": rows,
    }


def timings(service, judgments: list[dict], rounds: int = 3) -> dict:
    """Milliseconds per judged query (first page, relevance order), uncached: the median and
    the slowest over the queries, each the best of `rounds` runs."""
    from archive.search import SearchRequest

    times = {}
    for item in judgments:
        best = None
        for page in range(rounds):  # another page size each round: no cached result
            started = time.perf_counter()
            service.search(SearchRequest(q=item["q"], page_size=50 + page))
            elapsed = (time.perf_counter() - started) * 1000
            best = elapsed if best is None else min(best, elapsed)
        times[item["q"]] = best
    slowest = max(times, key=times.get)
    return {"median": statistics.median(times.values()), "max": times[slowest], "slowest": slowest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=Path, default=ROOT / "documents")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--show", action="store_true", help="print every query's result")
    parser.add_argument("--work", type=Path, default=None,
                        help="build the index here and keep it (an unchanged collection is not "
                             "built again); default: a temporary folder")
    parser.add_argument("--timing", action="store_true",
                        help="also time every judged query (median and slowest, ms)")
    args = parser.parse_args(argv)

    from archive.build import rebuild
    from archive.search import SearchService
    from archive.settings import load_config

    judgments = yaml.safe_load(args.judgments.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(args.documents),
                             ARCHIVE_INDEX_DIR=str((args.work or Path(folder)) / "index"))
        report = rebuild(config)
        if report.status not in ("built", "up-to-date"):
            print("\n".join(str(p) for p in report.problems), file=sys.stderr)
            return 1
        service = SearchService(config)
        try:
            numbers = evaluate(service, judgments)
            if args.timing:
                numbers["timing"] = timings(service, judgments)
        finally:
            service.close()
    if args.show:
        for row in numbers["rows"]:
            mark = "ok " if row["recall"] == 1 else "MISS"
            print(f"{mark} recall={row['recall']:.2f} rr={row['rr']:.2f} total={row['total']:3d} "
                  f"[{row['kind']}] {row['q']}" + (f"  missed: {row['missed']}" if row["missed"] else ""))
    print(f"queries: {numbers['queries']}")
    print(f"recall@{CUTOFF}: {numbers['recall']:.3f}")
    print(f"MRR: {numbers['mrr']:.3f}")
    print(f"zero-result rate: {numbers['zero']:.3f}")
    if "timing" in numbers:
        timing = numbers["timing"]
        print(f"ms per query: median {timing['median']:.1f}, slowest {timing['max']:.1f} "
              f"({timing['slowest']!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
