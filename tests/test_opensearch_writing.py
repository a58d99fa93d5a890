"""The OpenSearch engine's writing side (#15), against a real OpenSearch node started by this
module (the test launcher of tests/opensearch, on free loopback ports): full and incremental
builds, the alias switch, old index cleanup, builds killed at every stage and the next build's
reconciliation, and a second server fetching the generation's files.

Every check compares the index with the catalog as whole structures: {id: content hash} of every
document in the index the committed generation names, against the catalog's.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from archive.build import rebuild
from archive.catalog import Catalog
from archive.cli.common import build_if_missing
from archive.engines import engine
from archive.generations import BuildState, current_state, load_build_id
from archive.settings import load_config

ROOT = Path(__file__).resolve().parent.parent
COLLECTION = Path(__file__).parent / "data" / "collection"
REQUIRED = os.environ.get("ARCHIVE_REQUIRE_SERVICES") == "1"


def _bench():
    spec = importlib.util.spec_from_file_location("opensearch_build",
                                                  ROOT / "scripts" / "opensearch_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    bench = _bench()
    try:
        started = bench.Node(tmp_path_factory.mktemp("opensearch-node"), heap="512m")
    except RuntimeError as error:
        if REQUIRED:
            pytest.fail(f"ARCHIVE_REQUIRE_SERVICES=1 but no OpenSearch node: {error}")
        pytest.skip(f"no OpenSearch node: {error}")
    yield started
    started.stop()


@pytest.fixture
def archive(tmp_path, node):
    """A copy of the test collection, its own index folder and its own prefix on the node."""
    return _config(tmp_path / "archive", node, f"t{uuid.uuid4().hex[:12]}")


def _config(root: Path, node, prefix: str, **env):
    if not (root / "documents").exists():
        shutil.copytree(COLLECTION, root / "documents")
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(root / "documents"),
                       ARCHIVE_INDEX_DIR=str(root / "index"),
                       ARCHIVE_SEARCH_URL=f"{node.url}/{prefix}", **env)


def catalogued(config) -> dict[str, str]:
    catalog = Catalog(config.database_url)
    try:
        return {doc_id: sha for sha, doc_id in catalog.file_hashes().values()}
    finally:
        catalog.dispose()


def committed(config) -> BuildState:
    catalog = Catalog(config.database_url)
    try:
        return current_state(catalog)
    finally:
        catalog.dispose()


def served_index(config) -> str:
    """The index a reader searches: the one the committed generation's folder names."""
    chosen = engine(config)
    return chosen.index_name(chosen.generation_path(committed(config).generation))


def indexed(config, name: str | None = None) -> dict[str, str]:
    """{id: content hash} of every document of an index (by default the one readers search)."""
    from archive.engines.opensearch import writing

    chosen = engine(config)
    name = name or served_index(config)
    chosen.client.indices.refresh(index=name)  # what readers see a second later
    return writing.all_hashes(chosen.client, name)


def ours(config) -> set[str]:
    """This archive's document indexes on the cluster."""
    chosen = engine(config)
    return {name for name in chosen.client.indices.get(index=f"{chosen.prefix}-*")
            if name != f"{chosen.prefix}-generations"}


def aliases(config) -> dict:
    chosen = engine(config)
    return chosen.client.indices.get_alias(name=chosen.prefix)


def registered(config) -> dict[str, dict]:
    """build id -> (committed, reconciled, index) of the registry's generation records."""
    from archive.engines.opensearch import registry

    chosen = engine(config)
    return {r["build_id"]: (r["committed"], r["reconciled"], r["index"])
            for r in registry.generations(chosen.client, chosen.prefix)}


def folder_files(path: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in path.iterdir() if p.is_file()}


def versions(config, ids) -> dict[str, int]:
    chosen = engine(config)
    found = chosen.client.mget(index=served_index(config), body={"ids": sorted(ids)},
                               _source=False)
    return {d["_id"]: d["_version"] for d in found["docs"]}


# -- full and incremental builds -----------------------------------------------------------------

def test_a_full_build_indexes_the_catalog_and_points_the_alias(archive, monkeypatch):
    from archive.engines.opensearch import writing

    # documents made by the worker processes, in several bulk requests: the large-build path
    monkeypatch.setattr(writing, "PARALLEL_THRESHOLD", 4)
    monkeypatch.setattr(writing, "CHUNK", 3)
    report = rebuild(archive)
    assert (report.status, report.generation, len(report.added)) == ("built", 1, 14)
    chosen = engine(archive)
    path = chosen.generation_path(1)
    name = chosen.index_name(path)
    assert name.startswith(f"{chosen.prefix}-") and len(name) == len(chosen.prefix) + 33
    assert indexed(archive) == catalogued(archive) and len(catalogued(archive)) == 14
    assert aliases(archive) == {name: {"aliases": {chosen.prefix: {}}}}
    assert registered(archive) == {report.build_id: (True, True, name)}
    assert ours(archive) == {name}
    assert chosen.document_count(path) == 14
    settings = chosen.client.indices.get_settings(index=name)[name]["settings"]["index"]
    assert (settings["number_of_replicas"], settings["translog"], settings.get("refresh_interval")
            ) == ("0", {"durability": "request"}, None)  # the bulk load's settings undone


def test_shards_and_replicas_come_from_the_settings(tmp_path, node):
    config = _config(tmp_path, node, f"t{uuid.uuid4().hex[:12]}", ARCHIVE_SEARCH_SHARDS="2",
                     ARCHIVE_SEARCH_REPLICAS="1")
    rebuild(config)
    name = served_index(config)
    settings = engine(config).client.indices.get_settings(index=name)[name]["settings"]["index"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("2", "1")
    assert indexed(config) == catalogued(config)


def test_an_incremental_build_changes_the_same_index_by_content_hash(archive):
    rebuild(archive)
    name = served_index(archive)
    before = versions(archive, catalogued(archive))
    docs = archive.documents_dir
    edited = docs / "1950-05-13-mao-kim-talks.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    (docs / "1949-11-shtykov-report.md").unlink()
    shutil.copy(docs / "1950-07-kovalev-lushun.md", docs / "1950-07-kovalev-lushun-copy.md")
    report = rebuild(archive)
    assert (report.status, report.added, report.updated, report.removed) == (
        "built", ["1950-07-kovalev-lushun-copy"], ["1950-05-13-mao-kim-talks"],
        ["1949-11-shtykov-report"])
    assert served_index(archive) == name  # changed in place
    assert indexed(archive) == catalogued(archive) and len(catalogued(archive)) == 14
    after = versions(archive, catalogued(archive))
    untouched = set(before) - {"1950-05-13-mao-kim-talks", "1949-11-shtykov-report"}
    assert {i: after[i] for i in untouched} == {i: before[i] for i in untouched}
    assert after["1950-05-13-mao-kim-talks"] == before["1950-05-13-mao-kim-talks"] + 1
    assert aliases(archive) == {name: {"aliases": {engine(archive).prefix: {}}}}


def test_a_record_whose_stored_hash_is_equal_is_not_written_again(archive):
    from archive.generations import load_authorities, load_vocabularies
    from archive.people import PeopleAuthority

    rebuild(archive)
    chosen = engine(archive)
    path = chosen.generation_path(1)
    catalog = Catalog(archive.database_url)
    try:
        records = list(catalog.records())
    finally:
        catalog.dispose()
    before = versions(archive, [r.id for r in records])
    people = PeopleAuthority(load_authorities(path)[0])
    chosen.update(path, records, [], people, load_vocabularies(path)[0])
    assert versions(archive, [r.id for r in records]) == before
    changed = records[0]
    changed.sha256 = "0" * 64
    chosen.update(path, [changed], [], people, load_vocabularies(path)[0])
    assert versions(archive, [r.id for r in records]) == {
        **before, changed.id: before[changed.id] + 1}


def test_full_builds_switch_the_alias_and_keep_only_the_previous_index(archive, tmp_path, node):
    neighbour = _config(tmp_path / "neighbour", node, f"{engine(archive).prefix}-x")
    rebuild(neighbour)  # another archive on the cluster whose prefix starts with this one's
    names, builds = [], []
    for _ in range(3):
        report = rebuild(archive, full=True)
        names.append(served_index(archive))
        builds.append(report.build_id)
        assert indexed(archive) == catalogued(archive)
    assert len(set(names)) == 3
    assert aliases(archive) == {names[2]: {"aliases": {engine(archive).prefix: {}}}}
    prefix = engine(archive).prefix
    assert set(engine(archive).client.indices.get(index=f"{prefix}*")) == {
        names[1], names[2], f"{prefix}-generations",  # the first index deleted
        served_index(neighbour), f"{prefix}-x-generations"}  # the neighbour's, kept
    assert registered(archive) == {builds[1]: (True, True, names[1]),
                                   builds[2]: (True, True, names[2])}
    assert indexed(neighbour) == catalogued(neighbour)  # untouched


# -- builds killed at any moment -----------------------------------------------------------------

KILLED_BUILD = r"""
import os, signal, sys
from pathlib import Path
import archive.engines.opensearch as package
from archive.engines.opensearch import writing

point, full = sys.argv[1], sys.argv[2] == "full"
writing.CHUNK = 5  # documents per bulk request: several requests for the test collection
writing.PARALLEL_THRESHOLD = 4  # documents made by worker processes, as in a large build


def die():
    os.kill(os.getpid(), signal.SIGKILL)


if point.startswith("bulk:"):  # after that many bulk requests
    after, send, sent = int(point[5:]), writing._send_chunk, []

    def counting(*args, **kwargs):
        if len(sent) == after:
            die()
        sent.append(1)
        return send(*args, **kwargs)

    writing._send_chunk = counting
elif point == "publish":  # the catalog committed, the alias not switched
    package.OpenSearchEngine.publish = lambda self, path, catalog: die()
elif point == "reconcile":  # the alias switched, the index not reconciled
    writing.reconcile = lambda *args: die()
from archive.cli import main
sys.exit(main(["build", "--quiet"] + (["--full"] if full else [])))
"""


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def killed_build(config, point: str, full: bool) -> None:
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(config.documents_dir),
           "ARCHIVE_INDEX_DIR": str(config.index_dir), "ARCHIVE_SEARCH_URL": config.search_url}
    env.pop("ARCHIVE_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", KILLED_BUILD, point, "full" if full else "inc"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_a_full_build_killed_mid_bulk_leaves_readers_their_index(archive):
    rebuild(archive)
    state, name, expected = committed(archive), served_index(archive), catalogued(archive)
    killed_build(archive, "bulk:2", full=True)
    lock = (archive.index_dir / "build.lock").read_text().splitlines()
    workers = [int(line.split()[1]) for line in lock if line.startswith("worker ")]
    deadline = time.monotonic() + 10
    while [pid for pid in workers if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not [pid for pid in workers if _running(pid)]  # died with the build
    assert (committed(archive), served_index(archive)) == (state, name)
    assert indexed(archive) == expected
    orphans = ours(archive) - {name}
    assert len(orphans) == 1
    assert len(indexed(archive, orphans.pop())) == 10  # two bulk requests of 5
    report = rebuild(archive)  # nothing changed: the up-to-date build cleans up
    assert report.status == "up-to-date"
    assert (ours(archive), indexed(archive)) == ({name}, expected)


def test_an_incremental_build_killed_mid_bulk_is_reconciled_by_the_next_build(archive):
    rebuild(archive)
    name, expected = served_index(archive), catalogued(archive)
    originals = {p: p.read_text(encoding="utf-8") for p in archive.documents_dir.glob("*.md")}
    for path, text in originals.items():
        path.write_text(text + "\nA line added.\n", encoding="utf-8")
    killed_build(archive, "bulk:1", full=False)  # 5 documents changed in the served index
    assert served_index(archive) == name and catalogued(archive) == expected
    dirty = indexed(archive)
    assert len({i for i in expected if dirty[i] != expected[i]}) == 5
    for path, text in originals.items():  # the edits undone: the catalog is right again
        path.write_text(text, encoding="utf-8")
    report = rebuild(archive)
    assert report.status == "up-to-date"
    assert indexed(archive) == expected


@pytest.mark.parametrize("point", ["publish", "reconcile"])
def test_a_build_killed_after_its_commit_is_finished_by_the_next(archive, tmp_path, point):
    first = rebuild(archive)
    old_name = served_index(archive)
    killed_build(archive, point, full=True)
    state = committed(archive)
    assert state.generation == 2  # the catalog committed the build
    new_name = served_index(archive)
    assert indexed(archive) == catalogued(archive)  # readers of the new generation: complete
    switched = point == "reconcile"
    assert aliases(archive) == {new_name if switched else old_name:
                                {"aliases": {engine(archive).prefix: {}}}}
    assert registered(archive) == {first.build_id: (True, True, old_name),
                                   state.build_id: (switched, False, new_name)}
    # a server on another machine finds the generation already (staged before the commit)
    fetched = engine(elsewhere(archive, tmp_path)).local_generation(state)
    assert fetched is not None and load_build_id(fetched) == state.build_id
    report = rebuild(archive)
    assert report.status == "up-to-date"
    assert aliases(archive) == {new_name: {"aliases": {engine(archive).prefix: {}}}}
    assert registered(archive) == {first.build_id: (True, True, old_name),
                                   state.build_id: (True, True, new_name)}
    assert ours(archive) == {old_name, new_name}
    assert indexed(archive) == catalogued(archive)


def elsewhere(config, root: Path):
    """The settings of a server on another machine: the same catalog and cluster, its own
    empty index folder."""
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(root / "none"),
                       ARCHIVE_INDEX_DIR=str(root / "elsewhere"),
                       ARCHIVE_DATABASE_URL=config.database_url,
                       ARCHIVE_SEARCH_URL=config.search_url)


def test_an_up_to_date_build_restores_documents_lost_from_the_index(archive):
    rebuild(archive)
    expected = catalogued(archive)
    client, name = engine(archive).client, served_index(archive)
    client.delete(index=name, id="1950-05-13-mao-kim-talks", refresh=True)
    client.index(index=name, id="not-catalogued", refresh=True,
                 body={"id": "not-catalogued", "hash": "0" * 64})
    client.delete(index=name, id="1950-07-kovalev-lushun", refresh=True)
    assert indexed(archive) == {**{i: h for i, h in expected.items() if i not in (
        "1950-05-13-mao-kim-talks", "1950-07-kovalev-lushun")}, "not-catalogued": "0" * 64}
    assert rebuild(archive).status == "up-to-date"
    assert indexed(archive) == expected


# -- another server, sharing the catalog and the cluster -----------------------------------------

def test_a_server_with_an_empty_index_folder_fetches_the_current_generation(archive, tmp_path):
    rebuild(archive)
    other = elsewhere(archive, tmp_path)
    there = engine(other)
    assert there.local_generation(BuildState(1, "not-a-build")) is None
    assert there.local_generation(BuildState()) is None
    state = committed(archive)
    build_if_missing(other)  # `archive serve` there: no build (it has no documents to build)
    fetched = there.local_generation(state)
    built = engine(archive).generation_path(state.generation)
    assert fetched == tmp_path / "elsewhere" / "opensearch" / "000001"
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["opensearch"]
    assert folder_files(fetched) == folder_files(built)
    assert there.local_generation(state) == fetched  # found locally now
    edited = archive.documents_dir / "1950-05-13-mao-kim-talks.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    for _ in range(2):
        rebuild(archive, full=True)
    state = committed(archive)
    fetched = there.local_generation(state)
    assert folder_files(fetched) == folder_files(engine(archive).generation_path(3))
    assert sorted(p.name for p in fetched.parent.iterdir()) == ["000003"]  # older ones gone
    assert there.index_name(fetched) == served_index(archive)


def test_a_server_that_cannot_reach_the_cluster_answers_503_in_one_sentence(archive, tmp_path):
    from web import create_app

    rebuild(archive)
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(tmp_path / "none"),
                         ARCHIVE_INDEX_DIR=str(tmp_path / "elsewhere"),
                         ARCHIVE_DATABASE_URL=archive.database_url,
                         ARCHIVE_SEARCH_URL=f"http://127.0.0.1:{closed}/unreachable")
    app = create_app({"TESTING": True, "ARCHIVE_CONFIG": config})
    response = app.test_client().get("/api/search?q=Stalin")
    assert (response.status_code, response.get_json()) == (503, {
        "ok": False, "status": 503,
        "error": f"ARCHIVE_SEARCH_URL: cannot reach OpenSearch at http://127.0.0.1:{closed}/"
                 "unreachable (connection refused)"})


def test_a_cluster_gone_after_the_index_was_opened_is_one_sentence_not_a_500(archive, capsys):
    """The index folder is here (opening it asks nothing of the cluster), then every host
    refuses: searches, pages, exports and the CLI said "internal error" or printed a traceback."""
    from archive.cli import main
    from web import create_app

    rebuild(archive)
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    gone = f"http://127.0.0.1:{closed}/{engine(archive).prefix}"
    config = replace(archive, search_url=gone)
    sentence = (f"ARCHIVE_SEARCH_URL: cannot reach OpenSearch at http://127.0.0.1:{closed}/"
                f"{engine(archive).prefix} (connection refused)")
    client = create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()
    for url in ("/api/search?q=Stalin", "/api/search?q=Stalin&sort=date", "/api/pictures?q=Mao"):
        response = client.get(url)
        assert (response.status_code, response.get_json()) == (
            503, {"ok": False, "status": 503, "error": sentence}), url
    environment = {"ARCHIVE_DOCUMENTS_DIR": str(archive.documents_dir),
                   "ARCHIVE_INDEX_DIR": str(archive.index_dir),
                   "ARCHIVE_DATABASE_URL": archive.database_url, "ARCHIVE_SEARCH_URL": gone}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in environment.items():
            patch.setenv(key, value)
        capsys.readouterr()
        assert main(["search", "Stalin"]) == 2
    out, err = capsys.readouterr()
    assert (out, err.strip()) == ("", f"archive: {sentence}")


def test_a_document_the_cluster_refuses_stops_the_build_in_one_sentence(archive):
    from archive.engines import SearchEngineUnavailable
    from archive.engines.opensearch import writing

    rebuild(archive)
    name = served_index(archive)
    refused = ("odd", '{"index": {"_id": "odd"}}\n{"unmapped_field": 1}\n')
    gone = ("gone", '{"delete": {"_id": "gone"}}\n')  # deleting a missing document is fine
    with pytest.raises(SearchEngineUnavailable) as error:
        writing.send(engine(archive).client, name, iter([gone, refused]))
    assert str(error.value).startswith(f"OpenSearch refused document odd (index in {name}): ")
    assert "strict_dynamic_mapping_exception" in str(error.value)


def test_the_build_benchmark_runs_and_prints_its_numbers(tmp_path, node):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_collection.py"), "40",
                    str(tmp_path / "documents"), "--jobs", "1"], check=True, capture_output=True)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "opensearch_build.py"),
                           str(tmp_path / "documents"), "--url",
                           f"{node.url}/t{uuid.uuid4().hex[:12]}", "--node-pid", str(node.pid)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    labels = [re.split(r"  | \d", line.strip())[0].strip() for line in done.stdout.splitlines()]
    assert labels == ["documents", "cores", "full build", "writing the index",
                      "publish + reconcile", "CPU: python", "CPU per document",
                      "one-file incremental build", "up-to-date build", "node RSS"]
    assert done.stdout.splitlines()[0].split() == ["documents", "40"]
    assert done.stdout.splitlines()[-1].endswith(" MB")
