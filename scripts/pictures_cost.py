"""What drawing the pictures of a search costs (issue 18), on a built archive.

    ARCHIVE_DOCUMENTS_DIR=/tmp/c10000 ARCHIVE_INDEX_DIR=/tmp/i10000 python scripts/pictures_cost.py

For a mix of searches (all documents; a common word; a sender; a sender with a date range), each
run warm through the search service with its result cache off: the search alone, the numbers of
the three pictures (archive.pictures.compute over every match), the three SVGs (web.drawing) and
one PNG (CairoSVG, what a download costs). Prints p50 / p95 in ms; `scripts/benchmark.py --steps
pictures` runs the same measurement and keeps it with its results.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SEARCHES = (  # (label, query parameters)
    ("all documents", {}),
    ("a common word", {"q": "telegram"}),
    ("a sender", {"sender": "stalin"}),
    ("a sender and dates", {"sender": "stalin", "date_from": "1950-04", "date_to": "1950-06"}),
)


def _p(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000)


def measure(config, repeats: int = 30, png_repeats: int = 5) -> dict:
    """{search label: {"matches", "search", "compute", "svg", "png"}}, times as (p50, p95) ms."""
    import cairosvg

    from archive import pictures
    from archive.search import SearchRequest, SearchService
    from web.drawing import DRAWERS

    service = SearchService(config, cache_size=0)  # every search computed
    out = {}
    try:
        for label, params in SEARCHES:
            request = SearchRequest.from_params(params)
            state = service._state()
            columns = state.index.columns
            times: dict[str, list[float]] = {"search": [], "compute": [], "svg": [], "png": []}
            for i in range(repeats + 3):  # three warm-ups
                started = time.perf_counter()
                final, *_ = state.index._run(service._plan(state, request), limit=20)
                searched = time.perf_counter()
                found = pictures.compute(columns, final, request, state.people, state.places)
                computed = time.perf_counter()
                svgs = [draw(getattr(found, kind), lambda p: "/search", standalone=True)
                        for kind, draw in DRAWERS.items()]
                drawn = time.perf_counter()
                if i >= 3:
                    times["search"].append(searched - started)
                    times["compute"].append(computed - searched)
                    times["svg"].append(drawn - computed)
            for _ in range(png_repeats):
                started = time.perf_counter()
                cairosvg.svg2png(bytestring=str(svgs[1]).encode(), scale=2)
                times["png"].append(time.perf_counter() - started)
            out[label] = {"matches": found.total, "nodes": len(found.network.nodes),
                          "edges": len(found.network.edges), "bars": len(found.timeline.bars),
                          **{k: _p(v) for k, v in times.items()}}
    finally:
        service.close()
    return out


def table(results: dict) -> str:
    rows = ["| search | matches | search alone, ms | pictures' numbers, ms | three SVGs, ms | "
            "pictures in all, ms | network PNG, ms |", "|---|---|---|---|---|---|---|"]
    for label, r in results.items():
        both = (r["compute"][0] + r["svg"][0], r["compute"][1] + r["svg"][1])
        rows.append(f"| {label} | {r['matches']:,} ({r['nodes']} nodes, {r['edges']} edges, "
                    f"{r['bars']} bars) | {r['search'][0]:.1f} / {r['search'][1]:.1f} | "
                    f"{r['compute'][0]:.1f} / {r['compute'][1]:.1f} | {r['svg'][0]:.1f} / "
                    f"{r['svg'][1]:.1f} | {both[0]:.1f} / {both[1]:.1f} | "
                    f"{r['png'][0]:.0f} / {r['png'][1]:.0f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed runs of each search")
    args = parser.parse_args(argv)
    from archive.settings import load_config

    print(table(measure(load_config(), repeats=args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
