"""The search-engine seam (#15): only the Whoosh engine package imports Whoosh, search and build
get their engine from `archive.engines.engine` alone, and ARCHIVE_SEARCH_URL picks it."""

from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from archive import engines
from archive.catalog import Catalog
from archive.engines import Engine, SearchIndex, index_path
from archive.engines.opensearch import OpenSearchEngine
from archive.engines.whoosh import WhooshEngine
from archive.generations import sqlite_state
from archive.settings import SettingError, load_config
from web import create_app

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("archive", "web", "scripts")  # the shipped code (tests may compare with Whoosh)
WHOOSH_ENGINE = ROOT / "archive" / "engines" / "whoosh"


def _imported_modules(path: Path) -> set[str]:
    """Absolute dotted names of every module `path` imports, at the top or inside functions."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = list(parts[:-1])  # a module's package; an __init__'s own package
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _source_files() -> list[Path]:
    return sorted(p for folder in SOURCES for p in (ROOT / folder).rglob("*.py"))


def test_the_module_scan_sees_absolute_and_relative_imports():
    found = _imported_modules(WHOOSH_ENGINE / "index.py")
    assert {"whoosh.index", "whoosh.query", "archive.engines.whoosh.postings",
            "archive.engines.whoosh.schema",
            "archive.query", "archive.facets"} <= found


@pytest.mark.parametrize("library, package", [("whoosh", "whoosh"), ("opensearchpy", "opensearch")])
def test_only_an_engine_package_imports_its_library(library, package):
    owner = ROOT / "archive" / "engines" / package
    offenders = {str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path)
                                                     if m.split(".")[0] == library)
                 for path in _source_files() if owner not in path.parents}
    assert {path: found for path, found in offenders.items() if found} == {}
    inside = [p for p in owner.rglob("*.py")
              if any(m.split(".")[0] == library for m in _imported_modules(p))]
    assert inside, f"the {package} engine no longer imports {library}: is the scan still looking?"


OPENSEARCH_ENGINE = ROOT / "archive" / "engines" / "opensearch"


def test_only_the_opensearch_engine_imports_the_opensearch_client():
    offenders = {str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path)
                                                     if m.split(".")[0] == "opensearchpy")
                 for path in _source_files() if OPENSEARCH_ENGINE not in path.parents}
    assert {path: found for path, found in offenders.items() if found} == {}
    inside = [p for p in OPENSEARCH_ENGINE.rglob("*.py")
              if any(m.split(".")[0] == "opensearchpy" for m in _imported_modules(p))]
    assert inside, "the OpenSearch engine no longer imports its client: is the scan still looking?"


ENGINE_MODULES = {p.stem for p in (ROOT / "archive" / "engines").iterdir()
                  if p.name != "__init__.py" and (p.suffix == ".py" or p.is_dir())}


def test_nothing_outside_the_engines_reaches_into_an_engine_package():
    """Search, build and everything else get an engine from `archive.engines.engine` only."""
    reaching = {}
    for path in _source_files():
        if (ROOT / "archive" / "engines") in path.parents:
            continue
        found = sorted(m for m in _imported_modules(path)
                       if m.startswith("archive.engines.") and m.split(".")[2] in ENGINE_MODULES)
        if found:
            reaching[str(path.relative_to(ROOT))] = found
    assert reaching == {}


@pytest.mark.parametrize("module", ["search", "build"])
def test_search_and_build_choose_the_engine_through_the_one_function(module):
    tree = ast.parse((ROOT / "archive" / f"{module}.py").read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and (getattr(node.func, "id", None) == "engine"
                  or (getattr(node.func, "attr", None) == "engine"
                      and getattr(node.func.value, "id", None) == "engines"))]
    assert len(calls) == 1, f"archive/{module}.py should call archive.engines.engine once"
    names = {getattr(n, "id", None) for n in ast.walk(tree)} | \
        {getattr(n, "attr", None) for n in ast.walk(tree)}
    assert not names & {"Index", "whoosh_backend", "create_index", "update_index"}
    text = (ROOT / "archive" / f"{module}.py").read_text(encoding="utf-8")
    assert '"whoosh"' not in text and "'whoosh'" not in text


def test_the_engine_is_picked_by_one_if_on_the_search_url():
    tree = ast.parse((ROOT / "archive" / "engines" / "__init__.py").read_text(encoding="utf-8"))
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "engine")
    branches = [n for n in ast.walk(function) if isinstance(n, ast.If | ast.IfExp | ast.Match)]
    assert [ast.unparse(b.test) for b in branches] == ["config.search_url"]


def test_unset_search_url_is_whoosh_under_the_index_folder(tmp_path):
    config = load_config(env={}, ARCHIVE_INDEX_DIR=str(tmp_path / "ix"))
    chosen = engines.engine(config)
    assert isinstance(chosen, WhooshEngine) and isinstance(chosen, Engine)
    assert chosen.generations_dir() == tmp_path / "ix" / "whoosh"
    assert chosen.generation_path(12) == tmp_path / "ix" / "whoosh" / "000012"
    assert index_path(config, 12) == chosen.generation_path(12)


@pytest.mark.parametrize("url, hosts, prefix", [
    ("http://127.0.0.1:9200", [{"host": "127.0.0.1", "port": 9200}], "archive"),
    ("https://search.example.org/national", [{"host": "search.example.org", "port": 443}],
     "national"),
    ("http://h1:9201,h2:9202/archive-test_2/", [{"host": "h1", "port": 9201},
                                                {"host": "h2", "port": 9202}], "archive-test_2"),
])
def test_an_http_search_url_is_opensearch_under_its_own_folder(tmp_path, url, hosts, prefix):
    config = load_config(env={"ARCHIVE_SEARCH_URL": url}, ARCHIVE_INDEX_DIR=str(tmp_path / "ix"))
    chosen = engines.engine(config)  # no request is made
    assert isinstance(chosen, OpenSearchEngine) and isinstance(chosen, Engine)
    assert (list(chosen.address.hosts), chosen.prefix, chosen.address.use_ssl) == \
        (hosts, prefix, url.startswith("https"))
    assert chosen.generation_path(12) == tmp_path / "ix" / "opensearch" / "000012"
    assert index_path(config, 12) == chosen.generation_path(12)


@pytest.mark.parametrize("url, message", [
    ("localhost:9200", 'ARCHIVE_SEARCH_URL: "localhost:9200" is not a search address; expected '
     "http(s)://host:port[/prefix] for OpenSearch, or nothing for Whoosh"),
    ("http://127.0.0.1:9200/Archive", 'ARCHIVE_SEARCH_URL: "http://127.0.0.1:9200/Archive": the '
     'prefix "Archive" cannot name OpenSearch indexes; use lower-case letters, digits, - and _ '
     "(e.g. http://localhost:9200/archive)"),
    ("http://h1:92x0/archive", 'ARCHIVE_SEARCH_URL: "http://h1:92x0/archive": "h1:92x0" is not a '
     "host[:port]; expected http(s)://host:port[/prefix] for OpenSearch, or nothing for Whoosh"),
    ("https://user:secret@h1:9200,:9200", 'ARCHIVE_SEARCH_URL: "https://***@h1:9200,:9200": ":9200" '
     "is not a host[:port]; expected http(s)://host:port[/prefix] for OpenSearch, or nothing for "
     "Whoosh"),
])
def test_a_search_url_that_cannot_be_used_is_refused_with_a_clear_error(tmp_path, url, message):
    config = load_config(env={"ARCHIVE_SEARCH_URL": url}, ARCHIVE_INDEX_DIR=str(tmp_path))
    with pytest.raises(SettingError) as error:
        engines.engine(config)
    assert str(error.value) == message
    with pytest.raises(SettingError):
        create_app({"ARCHIVE_CONFIG": config})


def test_the_whoosh_index_is_a_search_index(built_archive):
    chosen = engines.engine(built_archive)
    generation = sqlite_state(built_archive.database_url).generation
    index = chosen.open(chosen.generation_path(generation))
    try:
        assert isinstance(index, SearchIndex)
        assert chosen.document_count(chosen.generation_path(generation)) == index.columns.live.sum()
    finally:
        index.close()


@pytest.mark.parametrize("command", [["build"], ["serve", "--help"]])
def test_cli_with_an_unreachable_cluster_says_so_in_one_line(config, command):
    archive = config()
    closed = _closed_port()
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(archive.documents_dir),
           "ARCHIVE_INDEX_DIR": str(archive.index_dir),
           "ARCHIVE_SEARCH_URL": f"http://127.0.0.1:{closed}/unreachable"}
    env.pop("ARCHIVE_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "archive.cli", *command], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    if command[-1] == "--help":  # help needs no engine
        assert done.returncode == 0, done.stderr
        return
    assert (done.returncode, done.stderr.strip().splitlines()[-1:]) == (2, [
        f"archive: ARCHIVE_SEARCH_URL: cannot reach OpenSearch at http://127.0.0.1:{closed}/"
        "unreachable (connection refused)"]), done.stderr
    assert "Traceback" not in done.stderr
    catalog = Catalog(f"sqlite:///{archive.index_dir / 'catalog.sqlite3'}")
    try:
        assert catalog.state() == {}  # the catalog committed nothing
    finally:
        catalog.dispose()


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_finding_a_generation_loads_no_engine_library(built_archive):
    """A cold `archive search` imports the seam; Whoosh loads only when an index is opened."""
    code = ("import sys; from archive import search, build, generations; "
            "from archive.engines import engine; from archive.settings import load_config; "
            "engine(load_config({})).generation_path(1); print('whoosh' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={k: v for k, v in os.environ.items()
                                          if k != "ARCHIVE_SEARCH_URL"}).stdout
    assert out.strip() == "False"
