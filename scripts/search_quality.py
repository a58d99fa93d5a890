"""Search quality on the bundled collection: recall@10, MRR and the zero-result rate of the
judged queries in tests/data/relevance.yaml.

    python scripts/search_quality.py                  # builds documents/ into a temporary folder
    python scripts/search_quality.py --documents DIR  # another collection (same judgments)
    python scripts/search_quality.py --show           # every query's rank of each relevant record

Needs only the public API (rebuild, SearchService), so it runs on older checkouts too, for
before/after numbers (PYTHONPATH=that-checkout python scripts/search_quality.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=Path, default=ROOT / "documents")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--show", action="store_true", help="print every query's result")
    args = parser.parse_args(argv)

    from archive.build import rebuild
    from archive.search import SearchService
    from archive.settings import load_config

    judgments = yaml.safe_load(args.judgments.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(args.documents),
                             ARCHIVE_INDEX_DIR=str(Path(folder) / "index"))
        report = rebuild(config)
        if report.status != "built":
            print("\n".join(str(p) for p in report.problems), file=sys.stderr)
            return 1
        service = SearchService(config)
        try:
            numbers = evaluate(service, judgments)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
