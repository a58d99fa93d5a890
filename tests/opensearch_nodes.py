"""Real OpenSearch nodes for the tests: the launcher of tests/opensearch (OpenSearch 2.19 from
Maven Central, its module plugins on the classpath) started as subprocesses on loopback.

- `require_launcher()` builds tests/opensearch/target/launcher.jar when it is missing or older
  than its sources (`mvn -q -B package`, offline first when the jars are in ~/.m2); without
  `java`/`mvn`, or when the build fails, the test skips with the reason, and fails instead under
  ARCHIVE_REQUIRE_SERVICES=1 (CI).
- `start_cluster(n)` starts n nodes (free ports, a temporary `path.home` each, 512 MB heap, a
  cluster name of its own; one node: `discovery.type=single-node`; more: seed hosts and initial
  cluster managers) and waits for "started" and a yellow or green health; `Cluster.stop()` ends
  them (SIGTERM, then SIGKILL). Every node is also stopped at exit, and dies with this process
  anyway: the launcher exits when its standard input (a pipe from us) closes.
- `Node.kill()` (SIGKILL) and `Node.start()` again restart a node on the same data path.
- `opensearch_engine_missing()` says why archive itself cannot search with OpenSearch yet.

Each node's output goes to `node.log` in its home; a node that fails to start or a cluster that
does not become healthy raises NodeError with the logs' tails.
"""

from __future__ import annotations

import atexit
import fcntl
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

import archive
from archive import engines
from archive.settings import SettingError, load_config

# the repository of the archive package under test (not this file's folder: a test runs a copy of
# this module from a temporary folder)
ROOT = Path(archive.__file__).resolve().parent.parent
PROJECT = ROOT / "tests" / "opensearch"
TARGET = PROJECT / "target"
LAUNCHER = TARGET / "launcher.jar"
SOURCES = [PROJECT / "pom.xml", *sorted((PROJECT / "src").rglob("*.java"))]
OPENSEARCH_JARS = Path.home() / ".m2" / "repository" / "org" / "opensearch" / "opensearch"
HEAP = "512m"
START_TIMEOUT = 120.0  # seconds for "started" (10-20 s alone; longer on a busy 2-core machine)
HEALTH_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0  # seconds after SIGTERM before SIGKILL
LOG_TAIL = 60  # lines of a node's log shown when it fails
BIND_ATTEMPTS = 3
PORT_TAKEN = "Address already in use"  # in a node's log when its port was taken meanwhile

_live: set[Node] = set()
_build_result: str | None | bool = False  # False: not tried yet; None: built; str: why not


class NodeError(RuntimeError):
    """A node that did not start, answer or stop in time (the message holds its log's tail)."""


def services_required() -> bool:
    return os.environ.get("ARCHIVE_REQUIRE_SERVICES") == "1"


def launcher_problem() -> str | None:
    """Why no node can be started here, or None once the launcher is built (built at most once
    per process; a concurrent build by another test run waits on a lock)."""
    global _build_result
    if _build_result is False:
        _build_result = _build()
    return _build_result


def require_launcher() -> None:
    """Skip the calling test when nodes cannot run here (fail under ARCHIVE_REQUIRE_SERVICES=1)."""
    reason = launcher_problem()
    if reason is None:
        return
    if services_required():
        pytest.fail(f"ARCHIVE_REQUIRE_SERVICES=1 but OpenSearch cannot run: {reason}")
    pytest.skip(f"OpenSearch tests: {reason}")


def opensearch_engine_missing() -> str | None:
    """Why archive cannot search with OpenSearch yet (the engine refuses http URLs), or None."""
    probe = load_config(env={}, ARCHIVE_SEARCH_URL="http://127.0.0.1:9/probe")
    try:
        engines.engine(probe)
    except SettingError as error:
        if "not built yet" in str(error):
            return "the OpenSearch engine is not built yet (archive.engines.engine refuses " \
                "an ARCHIVE_SEARCH_URL)"
    except Exception:  # an engine that exists may have tried the probe's dead address
        pass
    return None


def _build() -> str | None:
    for program, package in (("java", "default-jdk-headless"), ("mvn", "maven")):
        if shutil.which(program) is None:
            return f"`{program}` is not installed (apt-get install {package})"
    TARGET.mkdir(exist_ok=True)
    with open(TARGET / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _up_to_date():
            return None
        attempts = [["-o"], []] if OPENSEARCH_JARS.is_dir() else [[]]
        output = ""
        for extra in attempts:
            try:
                done = subprocess.run(["mvn", "-q", "-B", *extra, "-f", str(PROJECT / "pom.xml"),
                                       "package"], capture_output=True, text=True, timeout=900)
            except subprocess.TimeoutExpired:
                output = "(still running after 900 s)"
                continue
            if done.returncode == 0 and LAUNCHER.exists():
                LAUNCHER.touch()  # Maven leaves an unchanged jar as it was: now newer than its sources
                return None
            output = (done.stdout + done.stderr).strip()
        tail = "\n".join(output.splitlines()[-20:])
        return f"`mvn -q -B -f tests/opensearch/pom.xml package` failed:\n{tail}"


def _up_to_date() -> bool:
    if not LAUNCHER.exists() or not (TARGET / "lib").is_dir():
        return False
    built = LAUNCHER.stat().st_mtime
    return all(source.stat().st_mtime <= built for source in SOURCES)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Node:
    """One OpenSearch node process; `start()` after `kill()` or `stop()` restarts it on the same
    home, data path and ports."""

    def __init__(self, name: str, cluster_name: str, home: Path, settings: dict[str, str]):
        self.name = name
        self.cluster_name = cluster_name
        self.home = home
        self.http_port = free_port()
        self.transport_port = free_port()
        self.settings = settings  # discovery settings, filled in by start_cluster
        self.process: subprocess.Popen | None = None
        self.started_in: float | None = None  # seconds from spawn to "started", last start

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log(self) -> Path:
        return self.home / "node.log"

    def command(self) -> list[str]:
        settings = {"path.home": str(self.home), "node.name": self.name,
                    "cluster.name": self.cluster_name, "network.host": "127.0.0.1",
                    "http.port": str(self.http_port), "transport.port": str(self.transport_port),
                    # the tests' disks may be fuller than OpenSearch's watermarks allow
                    "cluster.routing.allocation.disk.threshold_enabled": "false",
                    "logger.org.opensearch": "INFO",  # the launcher's default shows errors only
                    **self.settings}
        classpath = f"{LAUNCHER}:{TARGET / 'lib'}/*"
        return ["java", f"-Xms{HEAP}", f"-Xmx{HEAP}", "-XX:+UseSerialGC",
                "-Dlog4j2.disable.jmx=true", "-cp", classpath, "archive.testnode.Launcher",
                *(f"{key}={value}" for key, value in settings.items())]

    def spawn(self) -> None:
        """Start the process without waiting for it (see wait_started)."""
        assert self.process is None or self.process.poll() is not None, f"{self.name} runs"
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%H:%M:%S')} {' '.join(self.command())}\n")
            log.flush()
            self._log_offset = log.tell()
            self._spawned_at = time.monotonic()
            # stdin stays a pipe from us: when this process dies, the node sees EOF and exits.
            self.process = subprocess.Popen(self.command(), stdin=subprocess.PIPE,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        _live.add(self)

    def wait_started(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not self._said_started():
            if self.process.poll() is not None:
                raise NodeError(f"{self.name} exited with {self.process.returncode} before "
                                f"starting\n{self.tail()}")
            if time.monotonic() > deadline:
                raise NodeError(f"{self.name} did not start within {timeout:.0f} s\n{self.tail()}")
            time.sleep(0.1)
        self.started_in = time.monotonic() - self._spawned_at

    def start(self, timeout: float = START_TIMEOUT) -> None:
        self.spawn()
        self.wait_started(timeout)

    def _said_started(self) -> bool:
        with open(self.log, "rb") as log:
            log.seek(self._log_offset)
            return any(line.strip() == b"started" for line in log)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: the node dies at once, as on a crash; its data path stays."""
        if self.running():
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)
        self._release()

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM (the node closes cleanly), then SIGKILL when it is still there after
        `timeout` seconds."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        self._release()

    def _release(self) -> None:
        if self.process is not None and self.process.stdin:
            self.process.stdin.close()
        _live.discard(self)

    def tail(self, lines: int = LOG_TAIL) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return f"(no log at {self.log})"
        return f"--- last {lines} lines of {self.log}:\n" + "\n".join(text.splitlines()[-lines:])

    def __repr__(self) -> str:
        state = f"pid {self.process.pid}" if self.running() else "stopped"
        return f"<Node {self.name} {self.url} {state}>"


class Cluster:
    """Nodes of one cluster on loopback, under one temporary folder."""

    def __init__(self, nodes: list[Node], root: Path):
        self.nodes = nodes
        self.root = root
        self.name = nodes[0].cluster_name

    @property
    def url(self) -> str:
        """The first node's address (a single-node cluster's only one)."""
        return self.nodes[0].url

    @property
    def hosts(self) -> str:
        """Every node as ARCHIVE_SEARCH_URL lists them: `http://h1:p1,h2:p2,...`."""
        return "http://" + ",".join(f"127.0.0.1:{n.http_port}" for n in self.nodes)

    def live(self) -> list[Node]:
        return [node for node in self.nodes if node.running()]

    def request(self, path: str, method: str = "GET", body: dict | None = None,
                timeout: float = 30.0) -> dict:
        """One REST call to the first live node that answers (JSON in, JSON out)."""
        errors = []
        data = None if body is None else json.dumps(body).encode()
        for node in self.live():
            request = urllib.request.Request(node.url + path, data=data, method=method,
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return json.load(response)
            except urllib.error.HTTPError as error:
                body = error.read()
                if error.code == 408:  # a health wait that timed out: the health is the body
                    return json.loads(body)
                errors.append(f"{node.name}: HTTP {error.code} {body[:300]!r}")
            except OSError as error:
                errors.append(f"{node.name}: {error}")
        raise NodeError(f"no node answered {path}: {'; '.join(errors)}")

    def health(self) -> dict:
        return self.request("/_cluster/health")

    def wait_for(self, status: str = "yellow", nodes: int | None = None,
                 timeout: float = HEALTH_TIMEOUT) -> dict:
        """Wait until the cluster's health is `status` or better with `nodes` nodes (default:
        the running ones); returns the health; NodeError with the logs' tails on timeout."""
        nodes = len(self.live()) if nodes is None else nodes
        deadline = time.monotonic() + timeout
        health: dict | str = "no answer"
        while time.monotonic() < deadline:
            try:
                health = self.request(f"/_cluster/health?wait_for_status={status}"
                                      f"&wait_for_nodes={nodes}&timeout=5s", timeout=15)
                if not health.get("timed_out") and health.get("number_of_nodes") == nodes:
                    return health
            except NodeError as error:
                health = str(error)
                time.sleep(0.5)
            for node in self.nodes:
                if node.process is not None and node.process.poll() is not None \
                        and node in _live:
                    raise NodeError(f"{node.name} exited with {node.process.returncode}\n"
                                    f"{node.tail()}")
        raise NodeError(f"cluster {self.name} not {status} with {nodes} nodes within "
                        f"{timeout:.0f} s: {health}\n" + "\n".join(n.tail() for n in self.nodes))

    def cluster_manager(self) -> Node:
        """The elected cluster manager."""
        state = self.request("/_cluster/state/cluster_manager_node,nodes")
        name = state["nodes"][state["cluster_manager_node"]]["name"]
        return next(node for node in self.nodes if node.name == name)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.root, ignore_errors=True)


_clusters = itertools.count(1)


def start_cluster(count: int = 1, status: str = "yellow",
                  settings: dict[str, str] | None = None) -> Cluster:
    """`count` nodes of a new cluster, started (in parallel) and `status` or better; `settings`:
    more node settings for each.

    Raises NodeError (with the logs' tails) when one does not start in time; the nodes already
    started are stopped first. A port taken by someone else between our choosing it and the
    node binding it means new ports and another try."""
    problem = launcher_problem()
    if problem is not None:
        raise NodeError(problem)
    for attempt in range(1, BIND_ATTEMPTS + 1):
        try:
            return _start_cluster(count, status, settings or {})
        except NodeError as error:
            if PORT_TAKEN not in str(error) or attempt == BIND_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _start_cluster(count: int, status: str, settings: dict[str, str]) -> Cluster:
    root = Path(tempfile.mkdtemp(prefix="archive-opensearch-"))
    cluster_name = f"archive-test-{os.getpid()}-{next(_clusters)}-{uuid.uuid4().hex[:8]}"
    nodes = [Node(f"n{i}", cluster_name, root / f"n{i}", {}) for i in range(1, count + 1)]
    for node in nodes:
        if count == 1:
            node.settings = {"discovery.type": "single-node"}
        else:
            node.settings = {
                "discovery.seed_hosts": ",".join(f"127.0.0.1:{n.transport_port}" for n in nodes),
                "cluster.initial_cluster_manager_nodes": ",".join(n.name for n in nodes)}
        node.settings.update(settings)
    cluster = Cluster(nodes, root)
    try:
        for node in nodes:
            node.spawn()
        for node in nodes:
            node.wait_started()
        cluster.wait_for(status, nodes=count)
    except BaseException:  # the error holds the logs' tails: nothing is kept
        for node in nodes:
            node.stop(timeout=5)
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


@atexit.register
def _stop_every_node() -> None:
    for node in list(_live):
        node.stop(timeout=10)
