"""What building with the OpenSearch engine costs (issue 15): full build, incremental one-file
update, up-to-date build, the node's memory.

    python scripts/generate_collection.py 10000 /tmp/c10000/documents
    python scripts/opensearch_build.py /tmp/c10000/documents            # starts its own node
    python scripts/opensearch_build.py /tmp/c10000/documents --url http://127.0.0.1:9200/bench \\
        --node-pid 1234                                                  # or uses a running one

Without --url it starts one node of the test launcher (tests/opensearch: `mvn -q -f
tests/opensearch/pom.xml package` first) on free loopback ports, with --heap, and stops it at the
end. Works on a copy of the documents under --work (the incremental step edits one file).
Prints documents/s of the full build (end to end, and of writing the index alone), the seconds
of publishing (alias switch and reconciliation with the catalog), of a one-file incremental build
and of an up-to-date build, and the node's resident memory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
LAUNCHER = REPO / "tests" / "opensearch" / "target"


class Node:
    """One OpenSearch node of the test launcher on free loopback ports (stopped by `stop`, and
    with this process: the launcher stops when its standard input closes)."""

    def __init__(self, home: Path, heap: str = "512m", start_seconds: float = 180):
        if shutil.which("java") is None:
            raise RuntimeError("java is not installed")
        if not (LAUNCHER / "launcher.jar").exists():
            raise RuntimeError("the test launcher is not built: run "
                               "`mvn -q -f tests/opensearch/pom.xml package`")
        self.home = home
        self.port, transport = _free_port(), _free_port()
        home.mkdir(parents=True, exist_ok=True)
        self.log = open(home / "node.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["java", f"-Xms{heap}", f"-Xmx{heap}", "-cp",
             f"{LAUNCHER / 'launcher.jar'}:{LAUNCHER / 'lib'}/*", "archive.testnode.Launcher",
             f"path.home={home}", "node.name=n1", f"cluster.name=c-{uuid.uuid4().hex[:12]}",
             f"http.port={self.port}", f"transport.port={transport}", "network.host=127.0.0.1",
             "discovery.type=single-node"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + start_seconds
        for line in self.process.stdout:
            if line.strip() == b"started":
                break
            if time.monotonic() > deadline:
                break
        if self.process.poll() is not None or time.monotonic() > deadline:
            self.stop()
            raise RuntimeError(f"the OpenSearch node did not start; see {home / 'node.log'}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                stream.close()
        self.log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process (the node), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU time of this process and its finished children (the document workers)."""
    import resource

    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def measure(documents: Path, url: str, work: Path, node_pid: int | None = None) -> dict:
    from archive import build
    from archive.build import rebuild
    from archive.settings import load_config

    copy = work / "documents"
    shutil.copytree(documents, copy)
    config = load_config(env={"ARCHIVE_DOCUMENTS_DIR": str(copy),
                              "ARCHIVE_INDEX_DIR": str(work / "index"),
                              "ARCHIVE_SEARCH_URL": f"{url.rstrip('/')}"})
    timings: dict[str, float] = {}

    def timed(name, method):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                timings[name] = time.perf_counter() - started
        return wrapper

    def timed_engine(config):  # the engine a build picks, its create and publish timed
        chosen = choose(config)
        chosen.create = timed("create", chosen.create)
        chosen.publish = timed("publish", chosen.publish)
        return chosen

    choose, build.engine = build.engine, timed_engine
    try:
        python_cpu, node_cpu = own_cpu_seconds(), cpu_seconds(node_pid)
        report = rebuild(config, full=True)
        python_cpu = own_cpu_seconds() - python_cpu
        node_cpu = cpu_seconds(node_pid) - node_cpu if node_cpu is not None else None
        out = {"python_cpu": python_cpu, "node_cpu": node_cpu, "load": os.getloadavg()[0],
               "documents": report.documents, "full_seconds": report.seconds,
               "full_docs_per_s": report.documents / report.seconds,
               "create_seconds": timings["create"],
               "create_docs_per_s": report.documents / timings["create"],
               "full_publish_seconds": timings["publish"]}
        edited = sorted(copy.glob("[0-9]*/*.md"))[len(report.added) // 2]
        edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n",
                          encoding="utf-8")
        report = rebuild(config)
        assert report.updated, "the edited document was not rebuilt"
        out.update(one_file_seconds=report.seconds, one_file_publish_seconds=timings["publish"])
        report = rebuild(config)
        assert report.status == "up-to-date", report.status
        out.update(up_to_date_seconds=report.seconds)
    finally:
        build.engine = choose
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", type=Path, help="folder of documents (generate_collection.py)")
    parser.add_argument("--url", help="an OpenSearch address (default: start a node)")
    parser.add_argument("--node-pid", type=int, help="the running node's pid, for its memory")
    parser.add_argument("--heap", default="1g", help="heap of the node started (default 1g)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="opensearch-build-"))
    node = None
    try:
        if args.url:
            url, pid = args.url, args.node_pid
        else:
            node = Node(work / "node", heap=args.heap)
            url, pid = node.url, node.pid
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        url = url.rstrip("/") if url.count("/") > 2 else f"{url.rstrip('/')}/{prefix}"
        out = measure(args.documents, url, work / "archive", pid)
        out["node_rss_mb"] = rss_mb(pid) if pid else None
    finally:
        if node is not None:
            node.stop()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"documents                  {out['documents']}")
    print(f"cores                      {os.cpu_count()}")
    print(f"full build                 {out['full_seconds']:.1f} s  "
          f"({out['full_docs_per_s']:.0f} docs/s end to end)")
    print(f"  writing the index        {out['create_seconds']:.1f} s  "
          f"({out['create_docs_per_s']:.0f} docs/s)")
    print(f"  publish + reconcile      {out['full_publish_seconds']:.2f} s")
    node_cpu = f"{out['node_cpu']:.1f} s" if out["node_cpu"] is not None else "unknown"
    print(f"  CPU: python {out['python_cpu']:.1f} s, node {node_cpu} "
          f"(load average {out['load']:.1f} on {os.cpu_count()} cores)")
    if out["node_cpu"] is not None:  # what the wall time would be on idle cores
        per_doc = (out["python_cpu"] + out["node_cpu"]) / out["documents"]
        print(f"  CPU per document         {per_doc * 1000:.2f} ms (python + node): at most "
              f"{(os.cpu_count() or 1) / per_doc:.0f} docs/s on {os.cpu_count()} idle cores")
    print(f"one-file incremental build {out['one_file_seconds']:.2f} s  "
          f"(publish + reconcile {out['one_file_publish_seconds']:.2f} s)")
    print(f"up-to-date build           {out['up_to_date_seconds']:.2f} s")
    rss = out["node_rss_mb"]
    print(f"node RSS                   {f'{rss:.0f} MB' if rss else 'unknown (give --node-pid)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
