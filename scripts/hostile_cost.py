"""The CPU cost of hostile searches (#14): each one measured through the search service.

    ARCHIVE_DOCUMENTS_DIR=/tmp/docs10k ARCHIVE_INDEX_DIR=/tmp/index10k python scripts/hostile_cost.py

Each query runs on a freshly opened index generation (after one ordinary warm-up search, not
measured), so it pays for every posting list and vocabulary letter it reads, then once more warm.
CPU time is the thread's own (time.thread_time), so other processes on the machine do not count;
wall time is shown beside it. The deadline is switched off here, so the numbers are the work
itself, not where the deadline would stop it. Prints one table; `--json` for the raw numbers;
exits 1 if any query costs more than --budget-ms of CPU (default 100).
"""

from __future__ import annotations

import argparse
import json
import string
import sys
import time
from dataclasses import replace

from archive.search import SearchError, SearchRequest, SearchService, SearchTimeout
from archive.settings import load_config

LETTERS = string.ascii_lowercase
COMMON = ["the", "and", "that", "was", "for", "with", "this", "from", "which", "his"]


def hostile_queries() -> list[tuple[str, str]]:
    """(name, query): what a stranger can send, each at the limits the query language allows."""
    return [
        ("999-letter word", "ж" * 999),
        ("64-letter word (the longest)", "ж" * 64),
        ("64-letter Latin word", "q" * 64),
        ("64-letter fuzzy word", "ж" * 64 + "~2"),
        ("63-letter prefix", "q" * 63 + "*"),
        ("10 two-letter prefixes", " ".join(f"{a}{b}*" for a, b in zip("scpdmrtbfa", "taroeiurla",
                                                                          strict=True))),
        ("10 short fuzzy words ~2", " ".join(f"{a}{b}{c}~2" for a, b, c in zip(
            "scpdmrtbfa", "taroeiurla", "nmsltvkgpe", strict=True))),
        ("10 fuzzy words ~2, OR", " OR ".join(f"{c}ommunist~2" for c in "scpdmrtbfa")),
        ("40 typos (did you mean)", " ".join(f"{c}{d}rmistice" for c in LETTERS[:20] for d in "ao")),
        ("40 unknown words", " ".join(f"{c}xqzvk{d}" for c in LETTERS[:20] for d in "ab")),
        ("60-word phrase, common words", '"' + " ".join(COMMON * 6) + '"'),
        ("10-word phrase, common words", '"' + " ".join(COMMON) + '"'),
        ("40 name-like typos", " ".join(f"{n}{c}" for n in ("Stalni", "Shtykof", "Vishinky", "Molotof")
                                        for c in "abcdefghij")),
        ("1,000-character query", " ".join(c * 24 for c in (LETTERS + LETTERS)[:40])),
        ("41 terms", " ".join(f"w{n}" for n in range(41))),
        ("11 prefixes", " ".join(f"{a}{b}*" for a, b in zip("scpdmrtbfae", "taroeiurlan", strict=True))),
    ]


def measure(config, query: str) -> dict:
    service = SearchService(config, cache_size=0)
    try:
        service.search(SearchRequest(q="Stalin"))  # open the generation: not measured
        runs = []
        for _ in range(2):  # cold, then warm
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                result = service.search(SearchRequest(q=query))
                outcome = f"200: {result.total} hits" + (", a suggestion" if result.suggestions else "")
            except SearchError as error:
                outcome = f"400: {error}"
            except SearchTimeout as error:
                outcome = f"503: {error}"
            runs.append((time.thread_time() - cpu, time.perf_counter() - wall))
    finally:
        service.close()
    return {"outcome": outcome, "cold_cpu_ms": round(runs[0][0] * 1000, 1),
            "cold_wall_ms": round(runs[0][1] * 1000, 1), "warm_cpu_ms": round(runs[1][0] * 1000, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget-ms", type=float, default=100.0,
                        help="CPU milliseconds a hostile query may cost (default: 100)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    config = replace(load_config(), search_deadline=0.0)
    rows = [{"name": name, **measure(config, query)} for name, query in hostile_queries()]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print(f"{'query':<30} {'cold CPU ms':>11} {'wall ms':>8} {'warm CPU ms':>11}  outcome")
        for row in rows:
            print(f"{row['name']:<30} {row['cold_cpu_ms']:>11} {row['cold_wall_ms']:>8} "
                  f"{row['warm_cpu_ms']:>11}  {row['outcome'][:70]}")
        worst = max(rows, key=lambda r: r["cold_cpu_ms"])
        print(f"worst: {worst['name']}, {worst['cold_cpu_ms']} ms of CPU")
    return 1 if any(r["cold_cpu_ms"] > args.budget_ms for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
