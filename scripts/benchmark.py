"""Benchmark the archive at 10,000 and 100,000 documents against SQLite FTS5 (issue 7).

    python scripts/benchmark.py                    # 10k and 100k; writes BENCHMARKS.md
    python scripts/benchmark.py --quick            # 2k, few queries: a smoke test of the script
    python scripts/benchmark.py --sizes 10000 --work /tmp/bench --reuse

For each size: generate a synthetic collection (scripts/generate_collection.py), build it with
`archive build` (throughput, peak RSS), rebuild after one changed file, time `archive search`
as a fresh process, then time >= 200 warm queries of each kind through the search service's
public API and the same kinds on SQLite FTS5 built from the same records in the same run, load
the production server (`archive serve`) with 16 concurrent loopback clients, and export
everything as ZIP. Prints one table; writes it with the machine to BENCHMARKS.md.

Commands run as subprocesses; peak RSS is the child's own (os.wait4). `--reuse` keeps a
collection, index and build measurement already in the work folder.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

import generate_collection  # noqa: E402
import pictures_cost  # noqa: E402
import sqlite_fts  # noqa: E402

ARCHIVE = [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main())"]
KINDS = (
    "common term", "rare term", "two-term AND", "phrase", "name variant", "term + date range",
    "term + all facets", "empty query + all facets", "top-20 with snippets",
    "full search request (web page)",
)
NAME_FORMS = ("Vishinsky", "Вышинский", "Filippov", "Shtikov", "Штыков", "Fyn Si", "Petroff",
              "Vyshinskii", "Feng Xi", "Kovalev", "Соколов", "Vostok")
WEB_CLIENTS = 16
STEPS = ("generate", "build", "incremental", "cold_start", "search", "web", "export", "pictures")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    status: int
    stdout: str
    stderr: str


# Linux counts a process's peak RSS over its whole life, including the moments after fork() and
# before exec(), when it still maps all of its parent: a command forked straight from this
# (large) benchmark process would report the benchmark's own size. So a small launcher process
# forks and measures the command, and writes the command's peak RSS (KB) to a file.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(cmd: list[str], env: dict[str, str]) -> Run:
    """Run a command to completion; wall time and the command's own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _LAUNCHER, rss.name, *cmd], env=env,
                              stdout=out, stderr=err, cwd=REPO, check=False)
        seconds = time.perf_counter() - started
        peak_kb = float(rss.read() or 0)
        out.seek(0)
        err.seek(0)
        return Run(seconds, peak_kb / 1024, proc.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def checked(result: Run, what: str) -> Run:
    if result.status != 0:
        raise SystemExit(f"benchmark: {what} failed ({result.status}):\n{result.stderr[-3000:]}")
    return result


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds (nearest rank)."""
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))] * 1000
    return rank(0.50), rank(0.95), rank(0.99)


# -- one size ------------------------------------------------------------------------------------

class SizeBench:
    def __init__(self, n: int, work: Path, queries: int, web_requests: int, reuse: bool, log):
        self.n = n
        self.docs = work / f"c{n}"
        self.index = work / f"i{n}"
        self.work = work
        self.queries = queries
        self.web_requests = web_requests
        self.reuse = reuse
        self.log = log
        self.env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(self.docs),
                    "ARCHIVE_INDEX_DIR": str(self.index), "ARCHIVE_DATABASE_URL": "",
                    "PYTHONPATH": str(REPO)}
        self.results: dict = {"n": n}

    def config(self):
        from archive.settings import load_config

        return load_config({k: v for k, v in self.env.items() if k.startswith("ARCHIVE_")})

    def all(self, steps: list[str] | None = None) -> dict:
        """Every step (or only `steps`, keeping the other results saved by an earlier run); the
        results so far are saved after each (a long run may be cut short)."""
        saved = self.work / f"results{self.n}.json"
        if steps and saved.exists():
            self.results = {**json.loads(saved.read_text()), "n": self.n}
        for name in STEPS:
            if steps and name not in steps and name != "generate":
                continue
            getattr(self, name)()
            saved.write_text(json.dumps(self.results, indent=1))
        return self.results

    def generate(self) -> None:
        marker = self.docs / ".generated"
        wanted = f"{self.n} {generate_collection.SEED}"
        if self.reuse and marker.exists() and marker.read_text() == wanted:
            return
        self.log(f"[{self.n}] generating")
        started = time.perf_counter()
        generate_collection.generate(self.n, self.docs, jobs=os.cpu_count() or 1)
        marker.write_text(wanted)
        shutil.rmtree(self.index, ignore_errors=True)
        (self.work / f"build{self.n}.json").unlink(missing_ok=True)
        self.log(f"[{self.n}] generated in {time.perf_counter() - started:.0f} s")

    def build(self) -> None:
        saved = self.work / f"build{self.n}.json"
        if self.reuse and saved.exists() and (self.index / "catalog.sqlite3").exists():
            self.results["build"] = json.loads(saved.read_text())
            return
        shutil.rmtree(self.index, ignore_errors=True)
        self.log(f"[{self.n}] building")
        result = checked(run([*ARCHIVE, "build", "-q"], self.env), "archive build")
        self.results["build"] = {"seconds": result.seconds, "docs_per_s": self.n / result.seconds,
                                 "peak_mb": result.peak_mb}
        saved.write_text(json.dumps(self.results["build"]))
        self.log(f"[{self.n}] built in {result.seconds:.0f} s")

    def incremental(self) -> None:
        """One changed file, then the same file changed back; and a build with nothing changed."""
        from archive.documents import document_paths

        path = document_paths(self.docs)[self.n // 2]
        original = path.read_bytes()
        noop = checked(run([*ARCHIVE, "build", "-q"], self.env), "no-op build")
        try:
            path.write_bytes(original + b"\nA sentence added for the benchmark about air cover.\n")
            changed = checked(run([*ARCHIVE, "build", "-q"], self.env), "incremental build")
        finally:
            path.write_bytes(original)
        back = checked(run([*ARCHIVE, "build", "-q"], self.env), "incremental build")
        self.results["incremental"] = {"seconds": min(changed.seconds, back.seconds),
                                       "worst": max(changed.seconds, back.seconds),
                                       "noop": noop.seconds, "peak_mb": changed.peak_mb}
        self.log(f"[{self.n}] one changed file: {changed.seconds:.2f} s / {back.seconds:.2f} s, "
                 f"nothing changed: {noop.seconds:.2f} s")

    def cold_start(self) -> None:
        times = []
        for word in generate_collection.query_words()["common"][:5]:
            result = checked(run([*ARCHIVE, "search", word, "--limit", "20"], self.env),
                             "archive search")
            times.append(result.seconds)
        self.results["cold_start"] = {"median": statistics.median(times), "worst": max(times)}
        self.log(f"[{self.n}] cold start: {statistics.median(times):.2f} s")

    # -- warm queries ----------------------------------------------------------------------------

    def cases(self):
        """For each kind, `queries` pairs (our SearchRequest, SQLite call), varied per iteration."""
        from archive.search import SearchRequest

        words = generate_collection.query_words()
        rng = random.Random(7)
        top_senders = generate_collection.REAL_IDS[:6]
        out = {kind: [] for kind in KINDS}
        for i in range(self.queries):
            common = words["common"][i % len(words["common"])]
            other = words["common"][(i * 7 + 3) % len(words["common"])]
            if other == common:
                other = words["common"][(i + 1) % len(words["common"])]
            rare = words["rare"][i % len(words["rare"])]
            phrase = words["phrases"][i % len(words["phrases"])]
            form = NAME_FORMS[i % len(NAME_FORMS)]
            start = date(1949, 3, 1).toordinal() + rng.randrange(480)
            first = date.fromordinal(start)
            last = date.fromordinal(start + rng.randrange(30, 120))
            span = (first.toordinal(), last.toordinal())
            one = sqlite_fts.fts_terms([common])
            rare_m = sqlite_fts.fts_terms([rare])
            both = sqlite_fts.fts_terms([common, other])
            phrase_m = sqlite_fts.fts_phrase(phrase)
            form_m = sqlite_fts.fts_phrase(form)
            out["common term"].append((SearchRequest(q=common), lambda f, m=one: f.search(m)))
            out["rare term"].append((SearchRequest(q=rare), lambda f, m=rare_m: f.search(m)))
            out["two-term AND"].append((SearchRequest(q=f"{common} {other}"),
                                        lambda f, m=both: f.search(m)))
            out["phrase"].append((SearchRequest(q=f'"{phrase}"'), lambda f, m=phrase_m: f.search(m)))
            out["name variant"].append((SearchRequest(q=form), lambda f, m=form_m: f.search(m)))
            out["term + date range"].append((
                SearchRequest(q=common, date_from=first.isoformat(), date_to=last.isoformat()),
                lambda f, m=one, s=span: f.search(m, date_range=s)))
            out["term + all facets"].append((SearchRequest(q=common),
                                             lambda f, m=one: f.search(m, facets=True)))
            out["empty query + all facets"].append((SearchRequest(),
                                                    lambda f: f.search(None, facets=True)))
            out["top-20 with snippets"].append((SearchRequest(q=common),
                                                lambda f, m=one: f.search(m, snippets=True)))
            sender = top_senders[i % len(top_senders)]
            params = {"q": common, "sender": sender, "year": "1950", "date_from": "1949-06",
                      "date_to": "1950-09", "page": "1", "page_size": "20"}
            out["full search request (web page)"].append((
                SearchRequest.from_params(params),
                lambda f, m=one, s=sender: f.search(
                    m, date_range=(date(1949, 6, 1).toordinal(), date(1950, 9, 30).toordinal()),
                    filters={"sender": s, "year": "1950"}, facets=True, snippets=True)))
        return out

    def search(self) -> None:
        from archive.catalog import Catalog
        from archive.people import PeopleAuthority
        from archive.search import SearchService

        config = self.config()
        db_path = self.work / f"fts{self.n}.sqlite3"
        catalog = Catalog(config.database_url)
        try:
            people = PeopleAuthority(catalog.people())
            count, seconds = sqlite_fts.build(db_path, catalog.records(), people)
        finally:
            catalog.dispose()
        self.results["sqlite_build"] = {"seconds": seconds, "docs_per_s": count / seconds}
        self.log(f"[{self.n}] SQLite FTS5 built in {seconds:.0f} s")
        cases = self.cases()
        service = SearchService(config, cache_size=0)  # every query computed, none cached
        fts = sqlite_fts.FtsSearch(db_path)
        queries: dict = {}
        try:
            for kind in KINDS:
                ours, theirs = [], []
                for request, call in cases[kind][:10]:  # warm up both
                    service.search(request)
                    call(fts)
                for request, _ in cases[kind]:
                    started = time.perf_counter()
                    service.search(request)
                    ours.append(time.perf_counter() - started)
                for _, call in cases[kind]:
                    started = time.perf_counter()
                    call(fts)
                    theirs.append(time.perf_counter() - started)
                queries[kind] = {"ours": percentiles(ours), "sqlite": percentiles(theirs)}
                self.log(f"[{self.n}] {kind}: p95 {queries[kind]['ours'][1]:.1f} ms, "
                         f"SQLite {queries[kind]['sqlite'][1]:.1f} ms")
        finally:
            service.close()
            fts.close()
        self.results["queries"] = queries

    # -- web -------------------------------------------------------------------------------------

    def web(self) -> None:
        port = _free_port()
        log = open(self.work / f"serve{self.n}.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen([*ARCHIVE, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            _wait_for(port, server, timeout=900)
            words = generate_collection.query_words()["common"]
            senders = generate_collection.REAL_IDS[:6]
            # Warm, as a server that has run for a while is: each client first searches each
            # word once, unmeasured (each worker process has its own caches). Every measured
            # request is then a different search (word, sender, date window), so none is
            # answered from a result cache.
            paths = [
                "/search?" + urlencode({"q": words[i % len(words)], "sender": senders[i % 6],
                                        "year": "1950",
                                        "date_from": f"1949-{1 + (i // 150) % 12:02d}",
                                        "date_to": f"1950-{12 - (i // 1800) % 12:02d}"})
                for i in range(WEB_CLIENTS * self.web_requests)
            ]
            assert len(set(paths)) == len(paths), "web requests must all differ"
            warm_paths = ["/search?" + urlencode({"q": word}) for word in words]
            latencies: list[float] = []
            errors: list[str] = []
            clock: dict[str, float] = {}
            ready = threading.Barrier(WEB_CLIENTS,
                                      action=lambda: clock.setdefault("start", time.perf_counter()))

            def client(k: int) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                for path in warm_paths:
                    conn.request("GET", path)
                    conn.getresponse().read()
                ready.wait()
                deadline = time.monotonic() + 120
                for path in paths[k::WEB_CLIENTS]:
                    if time.monotonic() > deadline:
                        break
                    started = time.perf_counter()
                    try:
                        conn.request("GET", path)
                        response = conn.getresponse()
                        response.read()
                        if response.status != 200:
                            errors.append(f"{response.status} {path}")
                    except (OSError, http.client.HTTPException) as error:
                        errors.append(f"{type(error).__name__} {path}")
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    latencies.append(time.perf_counter() - started)
                conn.close()

            threads = [threading.Thread(target=client, args=(k,)) for k in range(WEB_CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - clock["start"]
        finally:
            server.terminate()
            server.wait(30)
            log.close()
        p50, p95, p99 = percentiles(latencies)
        self.results["web"] = {"requests": len(latencies), "errors": len(errors),
                               "per_s": len(latencies) / elapsed, "p50": p50, "p95": p95,
                               "p99": p99, "first_errors": errors[:5]}
        self.log(f"[{self.n}] web: {len(latencies) / elapsed:.0f} req/s, p95 {p95:.0f} ms, "
                 f"{len(errors)} errors")

    def export(self) -> None:
        target = self.work / f"export{self.n}.zip"
        result = checked(run([*ARCHIVE, "export", "--format", "zip", "-o", str(target)], self.env),
                         "archive export")
        self.results["export"] = {"seconds": result.seconds, "docs_per_s": self.n / result.seconds,
                                  "peak_mb": result.peak_mb, "bytes": target.stat().st_size}
        target.unlink()
        self.log(f"[{self.n}] export: {self.n / result.seconds:.0f} docs/s, "
                 f"{result.peak_mb:.0f} MB")


    def pictures(self) -> None:
        """The cost of the pictures of a search (issue 18): scripts/pictures_cost.py."""
        self.results["pictures"] = pictures_cost.measure(self.config())
        self.log(f"[{self.n}] pictures:\n{pictures_cost.table(self.results['pictures'])}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"benchmark: archive serve exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("benchmark: archive serve did not answer in time")


# -- the table -------------------------------------------------------------------------------------

def _ms(values) -> str:
    return " / ".join(f"{v:,.1f}" if v < 100 else f"{v:,.0f}" for v in values)


def table(results: list[dict]) -> str:
    head = ["measure"]
    for r in results:
        n = f"{r['n']:,}"
        head += [f"{n}: ours", f"{n}: SQLite FTS5", f"{n}: ratio"]
    rows = [head, ["---"] * len(head)]

    def row(label: str, cells) -> None:
        line = [label]
        for r in results:
            try:
                line += list(cells(r))
            except KeyError:  # a partial run (see --report-only)
                line += ["not measured", "", ""]
        rows.append(line)

    row("build, docs/s (peak RSS)", lambda r: (
        f"{r['build']['docs_per_s']:,.0f} ({r['build']['peak_mb']:,.0f} MB)",
        f"{r['sqlite_build']['docs_per_s']:,.0f}",
        f"{r['sqlite_build']['docs_per_s'] / r['build']['docs_per_s']:.1f}x slower"))
    row("one changed file rebuilt, s (nothing changed)", lambda r: (
        f"{r['incremental']['seconds']:.2f} ({r['incremental']['noop']:.2f})", "", ""))
    row("`archive search` as a fresh process, s", lambda r: (
        f"{r['cold_start']['median']:.2f}", "", ""))
    for kind in KINDS:
        row(f"{kind}: p50 / p95 / p99 ms", lambda r, k=kind: (
            _ms(r["queries"][k]["ours"]), _ms(r["queries"][k]["sqlite"]),
            f"{r['queries'][k]['ours'][1] / r['queries'][k]['sqlite'][1]:.2f}"))
    row("web, 16 clients: req/s, p95 ms (errors)", lambda r: (
        f"{r['web']['per_s']:,.0f}, {r['web']['p95']:,.0f} ({r['web']['errors']})", "", ""))
    row("export ZIP, docs/s (peak RSS)", lambda r: (
        f"{r['export']['docs_per_s']:,.0f} ({r['export']['peak_mb']:,.0f} MB)", "", ""))
    row("pictures of all documents (numbers + 3 SVGs), p50 / p95 ms", lambda r: (
        _ms([r["pictures"]["all documents"]["compute"][i] + r["pictures"]["all documents"]["svg"][i]
             for i in (0, 1)]), "", ""))
    return "\n".join("| " + " | ".join(cells) + " |" for cells in rows)


def verdicts(results: list[dict]) -> list[str]:
    """Each target of issue 7 at the size it names: met, or the gap."""
    by_n = {r["n"]: r for r in results}
    lines = []

    def check(label: str, n: int, value: float, limit: float, unit: str, higher: bool = False):
        if n not in by_n:
            return
        ok = value >= limit if higher else value <= limit
        sign = ">=" if higher else "<="
        lines.append(f"- {label} at {n:,}: {value:,.2f} {unit} (target {sign} {limit:,} {unit}): "
                     f"{'met' if ok else 'NOT met'}")

    for n, limit in ((10_000, 25), (100_000, 100)):
        if n in by_n and "queries" in by_n[n]:
            check("full search request p95", n,
                  by_n[n]["queries"]["full search request (web page)"]["ours"][1], limit, "ms")
    if 100_000 in by_n and "queries" in by_n[100_000]:
        r = by_n[100_000]
        worse = [k for k in KINDS if r["queries"][k]["ours"][1] >= r["queries"][k]["sqlite"][1]]
        lines.append("- ratio to SQLite FTS5 < 1.0 for every kind at 100,000: "
                     + ("met" if not worse else f"NOT met for {', '.join(worse)}"))
        check("phrase p95", 100_000, r["queries"]["phrase"]["ours"][1], 100, "ms")
        check("build throughput", 100_000, r["build"]["docs_per_s"], 1000, "docs/s", higher=True)
        check("one changed file", 100_000, r["incremental"]["seconds"], 2, "s")
        check("`archive search` fresh process", 100_000, r["cold_start"]["median"], 1, "s")
        check("web p95 (16 clients)", 100_000, r["web"]["p95"], 150, "ms")
        lines.append(f"- web errors at 100,000: {r['web']['errors']} (target 0): "
                     + ("met" if r["web"]["errors"] == 0 else "NOT met"))
        check("export throughput", 100_000, r["export"]["docs_per_s"], 5000, "docs/s", higher=True)
        check("export peak RSS", 100_000, r["export"]["peak_mb"], 250, "MB")
    return lines


def machine() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                            capture_output=True).stdout.strip() or "unknown"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; commit {commit}; "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def write_markdown(path: Path, results: list[dict], sizes_run: str, queries: int) -> None:
    text = f"""# Benchmarks

Written by `python scripts/benchmark.py` (issue 7). Machine: {machine()}.

Synthetic collections from `scripts/generate_collection.py` (150-600 words a document, 60
Zipf-distributed correspondents, dates skewed to 1949-1950, some Cyrillic originals), sizes
{sizes_run}. Query times are {queries} warm queries of each kind, varied (different words, date
windows, names), through `SearchService.search` with its result cache off, so every query is
computed; our service always returns all 9 facet counts and 20 highlighted snippets. SQLite FTS5
is an external-content FTS5 table (Porter stemming) with indexed facet and date columns, built
from the same records in the same run, answering each kind with what that kind asks for (total
and top 20; plus the 9 facet GROUP BYs and `snippet()` where the kind names them). Ratio is ours
/ SQLite at p95 (below 1.0: we are faster). Build, rebuild, cold start and export are whole
`archive` processes (wall time; peak RSS of the process). Web is `archive serve` (gunicorn,
one worker process per core, 8 threads each, one request per connection) under {WEB_CLIENTS}
concurrent clients on 127.0.0.1 asking for the search page with a query, a sender, a year and a
date range, every request a different search (none answered from the result cache), after each
client searched each query word once, unmeasured (a warm server).

{table(results)}

## Targets

{chr(10).join(verdicts(results))}
"""
    path.write_text(text + kept_sections(path), encoding="utf-8")


def kept_sections(path: Path) -> str:
    """The sections of an existing BENCHMARKS.md after the generated table and targets (the
    run's notes, the load test, search quality, hostile queries, pictures, ...: written by hand or
    by other scripts), kept as they are."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    targets = old.find("\n## Targets\n")
    following = old.find("\n## ", targets + 1) if targets >= 0 else -1
    return old[following:] if following >= 0 else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="collection sizes (default 10000 100000)")
    parser.add_argument("--quick", action="store_true",
                        help="2,000 documents, 20 queries a kind: a smoke test of the script")
    parser.add_argument("--queries", type=int, help="warm queries of each kind (default 200)")
    parser.add_argument("--web-requests", type=int,
                        help=f"requests per web client ({WEB_CLIENTS} clients; default 40)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/archive-bench"),
                        help="folder for collections, indexes and logs (default /tmp/archive-bench)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a collection, index and build measurement already in --work")
    parser.add_argument("--steps", nargs="+", choices=STEPS[1:], metavar="STEP",
                        help="run only these steps (" + ", ".join(STEPS[1:]) + "), keeping the "
                        "other results saved in --work; implies --reuse")
    parser.add_argument("--report-only", action="store_true",
                        help="only write the table from results saved in --work by earlier runs")
    parser.add_argument("--output", type=Path, help="Markdown file to write "
                        "(default BENCHMARKS.md in the repository; none with --quick)")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([2000] if args.quick else [10_000, 100_000])
    queries = args.queries or (20 if args.quick else 200)
    web_requests = args.web_requests or (5 if args.quick else 40)
    output = args.output or (None if args.quick else REPO / "BENCHMARKS.md")
    args.work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = []
    for n in sizes:
        if args.report_only:
            results.append(json.loads((args.work / f"results{n}.json").read_text()))
            continue
        bench = SizeBench(n, args.work, queries, web_requests, args.reuse or bool(args.steps), log)
        results.append(bench.all(args.steps))
    print(table(results))
    print()
    print("\n".join(verdicts(results)))
    if output:
        write_markdown(output, results, ", ".join(f"{n:,}" for n in sizes), queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
