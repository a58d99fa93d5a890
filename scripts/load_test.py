"""Load test: concurrent readers against the production server, on loopback only.

Starts `archive serve` (gunicorn) on a free 127.0.0.1 port over the archive the environment names
(ARCHIVE_DOCUMENTS_DIR, ARCHIVE_INDEX_DIR, ...), or drives a server already running on loopback
(--url). Each of --clients threads keeps one HTTP connection and sends a mix of searches, facet
clicks (a facet bucket's `toggle` parameters, on the page or its JSON twin), document pages
(reader, JSON, source, citation) and exports, after one warm-up request of each, until
--seconds pass or --max-requests are sent. Prints throughput, p50/p95/p99 latency (to the last
byte of the body) overall and per kind, and every error; exits 1 if any request failed or answered
other than 200.

The hostile mix (--hostile-clients N, #14): N more clients send, back to back, what a stranger
could to stall the server: 999-letter words, 64-letter fuzzy and prefix words, storms of short
prefixes and fuzzy words, 40 unknown words (each a "did you mean"), long phrases of common words,
each made of fresh random letters so that no cache answers them. They count as kind "hostile",
whose expected answers are 200, 400 (refused) and 503 (stopped by the deadline); they are not
part of "all", so the normal traffic's numbers compare directly with a run without them.

    ARCHIVE_INDEX_DIR=/tmp/load-index python scripts/load_test.py --seconds 60 --clients 16
    ARCHIVE_INDEX_DIR=/tmp/load-index python scripts/load_test.py --seconds 60 --hostile-clients 4
    python scripts/load_test.py --url http://127.0.0.1:8000 --seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
QUERIES = ["Stalin", "Mao", "Filippov", "Vishinsky", "Вышинский", "Shtykov", "Kim Il Sung",
           '"air cover"', "troops", "Chinese intervention", "Soviet advisers", "Pyongyang",
           "Lushun", "Feng Xi", "sender:Stalin recipient:Mao", "date:1950-05..1950-07", "offens*",
           "armistice OR ceasefire", "Roshchin -Mao", "weapons~1", "volunteers", "Zhou Enlai"]
MIX = (("search", 35), ("facet", 25), ("document", 30), ("export", 10))  # kind, weight
HOSTILE_STATUSES = (200, 400, 503)  # answered, refused with a sentence, stopped by the deadline
LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"
COMMON = ("the", "and", "that", "was", "for", "with", "this", "from", "which", "his", "not", "are")
EXPORT_FORMATS = ("csv", "jsonl", "bibtex", "ris", "csl-json", "zip")


@dataclass
class Targets:
    """What the clients ask for, discovered from the server before the clock starts."""

    documents: list[str]
    sets: list[str]
    facet_clicks: list[list[tuple[str, str]]] = field(default_factory=list)


@dataclass
class Result:
    kind: str
    seconds: float
    ok: bool
    detail: str = ""
    status: int = 0  # 0: no answer


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.url:
        _require_loopback(args.url)
        return run(args.url, args)
    port = _free_port()
    command = [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main())",
               "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(args.threads)]
    # The server's log goes to a file, never a pipe: a pipe nobody reads fills up and stops the
    # server mid-run.
    with tempfile.TemporaryFile() as log, subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, env=os.environ.copy()) as server:
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, server, log, timeout=args.startup_timeout)
            return run(url, args)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on loopback (default: start `archive serve`)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run (default: 60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default: 16)")
    parser.add_argument("--max-requests", type=int, default=200_000,
                        help="stop after this many requests in all (default: 200000)")
    parser.add_argument("--threads", type=int, default=8,
                        help="threads per worker process of the started server (default: 8)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the request mix")
    parser.add_argument("--startup-timeout", type=float, default=300.0,
                        help="seconds to wait for the started server (it builds first if needed)")
    parser.add_argument("--hostile-clients", type=int, default=0,
                        help="more clients sending only hostile searches (default: 0)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser


def _require_loopback(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise SystemExit(f"load_test: refusing {url}: only http on loopback (127.0.0.1) is allowed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"load_test: archive serve exited:\n{log.read().decode()[-4000:]}")
        try:
            status, _ = _get(_connection(url), "/api/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"load_test: archive serve did not answer within {timeout:.0f} s")


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def discover(url: str) -> Targets:
    connection = _connection(url)
    documents: list[str] = []
    page = 1
    while len(documents) < 2000:  # enough variety; bounded on a large archive
        status, body = _get(connection, f"/api/search?sort=date&page_size=100&page={page}")
        if status != 200:
            raise SystemExit(f"load_test: /api/search answered {status}")
        data = json.loads(body)
        documents += [hit["id"] for hit in data["hits"]]
        if page >= data["pages"]:
            break
        page += 1
    if not documents:
        raise SystemExit("load_test: the archive is empty")
    _, body = _get(connection, "/api/sets")
    sets = [s["id"] for s in json.loads(body)["sets"]]
    targets = Targets(documents, sets)
    for query in ["", *QUERIES[:8]]:
        _, body = _get(connection, "/api/search?" + urllib.parse.urlencode({"q": query}))
        for buckets in json.loads(body).get("facets", {}).values():
            targets.facet_clicks += [[tuple(p) for p in b["toggle"]] for b in buckets[:6]]
    # Warm up what loads on first use (the citation engine, caches): not what is measured.
    for path in (f"/documents/{documents[0]}", f"/documents/{documents[0]}/cite.ris", "/search?q=Stalin",
                 "/export?q=Stalin&format=zip"):
        _get(connection, path)
    connection.close()
    return targets


def next_request(rng: random.Random, targets: Targets) -> tuple[str, str]:
    """(kind, path) of one request of the mix."""
    kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    api = rng.random() < 0.4
    if kind == "search":
        params = {"q": rng.choice(QUERIES)}
        if rng.random() < 0.3:
            params["sort"] = rng.choice(["date", "-date"])
        if rng.random() < 0.2:
            params["page"] = "2"
        return kind, ("/api/search?" if api else "/search?") + urllib.parse.urlencode(params)
    if kind == "facet" and targets.facet_clicks:
        params = rng.choice(targets.facet_clicks)
        return kind, ("/api/search?" if api else "/search?") + urllib.parse.urlencode(params)
    if kind == "export":
        fmt = rng.choice(EXPORT_FORMATS)
        if targets.sets and rng.random() < 0.3:
            return kind, f"/sets/{rng.choice(targets.sets)}/export?format={fmt}"
        query = urllib.parse.urlencode({"q": rng.choice(QUERIES), "format": fmt})
        return kind, f"/export?{query}"
    doc = rng.choice(targets.documents)
    return "document", rng.choice([f"/documents/{doc}", f"/documents/{doc}", f"/api/documents/{doc}",
                                   f"/documents/{doc}.md", f"/documents/{doc}/cite.ris"])


def hostile_query(rng: random.Random) -> str:
    """One query of the hostile mix, of fresh random letters (never answered from a cache)."""
    def word(size: int, letters: str = LATIN) -> str:
        return "".join(rng.choice(letters) for _ in range(size))

    return rng.choice([
        lambda: word(999, CYRILLIC),  # refused: longer than a search word can be
        lambda: word(64, CYRILLIC) + "~2",
        lambda: word(64) + "~2",
        lambda: word(63) + "*",
        lambda: " ".join(word(2) + "*" for _ in range(10)),  # prefix storm
        lambda: " ".join(word(rng.randint(3, 6)) + "~2" for _ in range(10)),  # fuzzy storm
        lambda: " OR ".join(word(rng.randint(3, 6)) + "~2" for _ in range(10)),
        lambda: " ".join(word(7) for _ in range(40)),  # 40 unknown words: "did you mean" for each
        lambda: '"' + " ".join(rng.choice(COMMON) for _ in range(60)) + '"',
        lambda: " ".join(word(2) + "*" for _ in range(11)),  # refused: too many prefixes
    ])()


def next_hostile(rng: random.Random, targets: Targets) -> tuple[str, str]:
    query = urllib.parse.urlencode({"q": hostile_query(rng)})
    return "hostile", ("/api/search?" if rng.random() < 0.5 else "/search?") + query


def client(url: str, targets: Targets, seed: int, stop_at: float, budget: threading.Semaphore,
           results: list[Result], hostile: bool = False) -> None:
    rng = random.Random(seed)
    connection = _connection(url)
    expected = HOSTILE_STATUSES if hostile else (200,)
    try:
        while time.monotonic() < stop_at and budget.acquire(blocking=False):
            kind, path = (next_hostile if hostile else next_request)(rng, targets)
            started = time.perf_counter()
            try:
                status, body = _get(connection, path)
                ok, detail = status in expected, f"{status} {path}"  # an empty export is fine
            except (OSError, http.client.HTTPException) as error:
                status, ok, detail = 0, False, f"{type(error).__name__}: {error} {path}"
                connection.close()
                connection = _connection(url)
            results.append(Result(kind, time.perf_counter() - started, ok, "" if ok else detail,
                                  status))
    finally:
        connection.close()


def run(url: str, args) -> int:
    targets = discover(url)
    results: list[Result] = []
    budget = threading.Semaphore(args.max_requests)
    started = time.monotonic()
    stop_at = started + args.seconds
    threads = [threading.Thread(target=client, args=(url, targets, args.seed * 1000 + n, stop_at,
                                                     budget, results), daemon=True)
               for n in range(args.clients)]
    threads += [threading.Thread(target=client, args=(url, targets, args.seed * 1000 + 500 + n, stop_at,
                                                      budget, results, True), daemon=True)
                for n in range(args.hostile_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    elapsed = time.monotonic() - started
    report = summarise(results, elapsed, args.clients, len(targets.documents), args.hostile_clients)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report))
    return 1 if report["errors"] or not results else 0


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def _stats(seconds: list[float]) -> dict:
    values = sorted(seconds)
    return {"requests": len(values),
            **{f"p{p}_ms": round(percentile(values, p / 100) * 1000, 1) for p in (50, 95, 99)},
            "max_ms": round((values[-1] if values else 0) * 1000, 1)}


def summarise(results: list[Result], elapsed: float, clients: int, documents: int,
              hostile_clients: int = 0) -> dict:
    by_kind = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result.seconds)
    failures = [r.detail for r in results if not r.ok]
    normal = [r for r in results if r.kind != "hostile"]
    report = {
        "clients": clients,
        "documents_seen": documents,
        "seconds": round(elapsed, 1),
        "throughput_rps": round(len(normal) / elapsed, 1) if elapsed else 0.0,
        "errors": len(failures),
        "error_samples": [f"{n} x {d}" for d, n in Counter(failures).most_common(10)],
        "overall": _stats([r.seconds for r in normal]),
        "by_kind": {kind: _stats(by_kind[kind]) for kind, _ in (*MIX, ("hostile", 0)) if by_kind[kind]},
    }
    if hostile_clients:
        report["hostile_clients"] = hostile_clients
        report["hostile_statuses"] = {str(status): n for status, n in sorted(
            Counter(r.status for r in results if r.kind == "hostile").items())}
    return report


def format_report(report: dict) -> str:
    hostile = (f" (+ {report['hostile_clients']} hostile clients: statuses "
               f"{report['hostile_statuses']})" if report.get("hostile_clients") else "")
    lines = [f"{report['clients']} clients{hostile}, {report['seconds']} s: "
             f"{report['overall']['requests']} requests, {report['throughput_rps']} requests/s, "
             f"{report['errors']} errors",
             f"{'kind':<10} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    for kind, stats in [("all", report["overall"]), *report["by_kind"].items()]:
        lines.append(f"{kind:<10} {stats['requests']:>9} {stats['p50_ms']:>8} {stats['p95_ms']:>8} "
                     f"{stats['p99_ms']:>8} {stats['max_ms']:>8}")
    lines += [f"error: {sample}" for sample in report["error_samples"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
