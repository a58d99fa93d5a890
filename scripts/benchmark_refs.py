"""Time the archive-reference parser (issue 13): every reference string of a generated collection,
the published footnotes of tests/test_refs_footnotes.py, and hostile strings at the 4,000-character
limit. Prints one table; nothing is written.

    python scripts/benchmark_refs.py /tmp/refs-10k          # generates 10,000 documents there first
    python scripts/benchmark_refs.py /tmp/refs-10k --reuse  # the collection is already there
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from archive.archives import load_archives  # noqa: E402
from archive.refs import RefError, parse_refs  # noqa: E402

HOSTILE = {
    "400 archives not in the authority": "AB, f. 1; " * 399,
    "labels without numbers": "f. " * 1300,
    "dotted numbers": "RGASPI " + "1." * 1990,
    "capitalised words, then a call number": ("A B C D E F G " * 280)[:3980] + "FO 371/1",
    "a file continued after prose": ("APRF, f. 3, op. 1, d. 1, l. 1: x), 2 (d. 2, l. 1" * 90)[:3999],
}


def reference_strings(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        front = path.read_text(encoding="utf-8").split("---")[1]
        found += [r for r in yaml.safe_load(front).get("archive_refs") or [] if isinstance(r, str)]
    return found


def best_of(strings: list[str], archives, rounds: int = 3) -> tuple[float, int, int]:
    """(best seconds, references read, strings refused) over `rounds` passes."""
    best, refs, refused = float("inf"), 0, 0
    for _ in range(rounds):
        refs = refused = 0
        started = time.perf_counter()
        for text in strings:
            try:
                refs += len(parse_refs(text, archives))
            except RefError:
                refused += 1
        best = min(best, time.perf_counter() - started)
    return best, refs, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("work", type=Path, help="folder for the generated collection")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--reuse", action="store_true", help="keep a collection already there")
    args = parser.parse_args()
    if not args.reuse:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_collection.py"),
                        str(args.size), str(args.work)], check=True, stdout=subprocess.DEVNULL)
    archives = load_archives(ROOT / "documents" / "authority" / "archives.yaml")
    import test_refs_footnotes

    rows = [("generated collection", reference_strings(args.work)),
            ("published footnotes", [text for text, _ in test_refs_footnotes.FOOTNOTES])]
    rows += [(f"hostile: {name}", [text]) for name, text in HOSTILE.items()]
    print(f"{'strings':<42} {'n':>7} {'refs':>7} {'refused':>7} {'seconds':>8} {'µs/string':>10}")
    for name, strings in rows:
        seconds, refs, refused = best_of(strings, archives)
        print(f"{name:<42} {len(strings):>7} {refs:>7} {refused:>7} {seconds:>8.3f} "
              f"{seconds / len(strings) * 1e6:>10.1f}")


if __name__ == "__main__":
    main()
