"""The test suite's OpenSearch nodes (tests/opensearch_nodes.py): a node starts with the module
plugins the engine needs, stops cleanly, survives SIGKILL on its data path, tells why it did not
start, and never outlives the test process."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import opensearch_nodes
import pytest
from opensearch_nodes import NodeError, require_launcher, start_cluster

pytestmark = pytest.mark.opensearch


def test_the_session_node_is_a_green_one_node_cluster_with_the_analysis_modules(opensearch_node):
    with urllib.request.urlopen(opensearch_node.url, timeout=10) as response:
        info = json.load(response)
    health = opensearch_node.health()
    assert (info["version"]["distribution"], info["version"]["number"], info["cluster_name"],
            health["status"], health["number_of_nodes"]) == (
        "opensearch", "2.19.6", opensearch_node.name, "green", 1)
    analysed = opensearch_node.request("/_analyze", "POST", {
        "tokenizer": "standard", "filter": ["lowercase", "cjk_bigram"], "text": "毛泽东 Shtykov"})
    russian = opensearch_node.request("/_analyze", "POST", {
        "tokenizer": "standard", "filter": [{"type": "stemmer", "language": "russian"}],
        "text": "телеграммы"})
    assert ([t["token"] for t in analysed["tokens"]], [t["token"] for t in russian["tokens"]]) == (
        ["毛泽", "泽东", "shtykov"], ["телеграмм"])


def test_the_session_url_names_the_node_and_a_prefix_of_its_own(opensearch_node, opensearch_url):
    assert re.fullmatch(re.escape(opensearch_node.url) + r"/archive-test-[0-9a-f]{10}",
                        opensearch_url), opensearch_url


def test_a_killed_node_restarts_on_its_data_path_with_its_documents():
    require_launcher()
    cluster = start_cluster(1)
    node = cluster.nodes[0]
    try:
        cluster.request("/kept", "PUT", {"settings": {"number_of_replicas": 0}})
        cluster.request("/kept/_doc/1?refresh=true", "PUT", {"word": "kept"})
        first = node.process
        node.kill()
        assert (first.returncode, node.running()) == (-9, False)
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(node.url, timeout=5)
        node.start()
        cluster.wait_for("green")
        assert node.process.pid != first.pid
        assert cluster.request("/kept/_doc/1")["_source"] == {"word": "kept"}
    finally:
        cluster.stop()
    # SIGTERM is enough: the JVM closes the node and exits 128 + 15 (a SIGKILL would be -9)
    assert (node.process.returncode, cluster.root.exists()) == (143, False)


def test_a_node_that_cannot_start_says_why_with_its_log():
    require_launcher()
    started = time.monotonic()
    with pytest.raises(NodeError) as error:
        start_cluster(1, settings={"no.such.setting": "1"})
    message = str(error.value)
    assert message.startswith("n1 exited with 1 before starting\n--- last 60 lines of "), message
    assert "unknown setting [no.such.setting]" in message
    assert time.monotonic() - started < 60


def test_nodes_die_with_the_test_process(tmp_path):
    """The launcher reads its standard input, a pipe from the test process: when that process
    is killed (no atexit, no finalizer), the pipe closes and the node exits."""
    require_launcher()
    script = tmp_path / "owner.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from opensearch_nodes import start_cluster
        cluster = start_cluster(1)
        print(cluster.nodes[0].process.pid, cluster.root, flush=True)
        time.sleep(600)
    """), encoding="utf-8")
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                          text=True) as owner:
        try:
            pid, root = owner.stdout.readline().split()
        finally:
            owner.kill()
    deadline = time.monotonic() + 60
    while _alive(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        assert not _alive(int(pid)), f"node {pid} outlived its owner"
    finally:
        subprocess.run(["rm", "-rf", root], check=True)


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_without_java_the_tests_skip_with_the_reason_or_fail_in_ci(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without java or mvn
    monkeypatch.setattr(opensearch_nodes, "_build_result", False)
    monkeypatch.delenv("ARCHIVE_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_launcher()
    monkeypatch.setenv("ARCHIVE_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        require_launcher()
    assert (str(skipped.value), str(failed.value)) == (
        "OpenSearch tests: `java` is not installed (apt-get install default-jdk-headless)",
        "ARCHIVE_REQUIRE_SERVICES=1 but OpenSearch cannot run: `java` is not installed "
        "(apt-get install default-jdk-headless)")
    assert "ARCHIVE_REQUIRE_SERVICES" in os.environ


def test_a_port_taken_before_the_node_binds_it_means_new_ports(monkeypatch):
    require_launcher()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        chosen = iter([port])  # the first port chosen is one another process holds
        free_port = opensearch_nodes.free_port
        monkeypatch.setattr(opensearch_nodes, "free_port", lambda: next(chosen, None) or free_port())
        cluster = start_cluster(1)
    try:
        assert (cluster.nodes[0].http_port != port, cluster.health()["status"]) == (True, "green")
    finally:
        cluster.stop()
