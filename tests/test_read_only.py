"""Nothing writes where it should not: no command modifies the source files, and no route of the
public reader writes anything (documents, catalog or index)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from flask import url_for
from web_support import build_web_archive, free_port, wait_until_serving

from archive.cli import main
from web import create_app

DOC = "1950-05-14-stalin-to-mao-no-8600"
SAMPLE_ARGS = {"doc_id": DOC, "person_id": "stalin", "set_id": "may-1950", "archive_id": "APRF",
               "filename": "archive.css", "kind": "network"}
SELECTED = "1950-05-14-stalin-to-mao-no-8600,1949-03-05-stalin-kim-conversation"
SAMPLE_EXTS = {"pictures.file": ("svg", "png")}  # other routes with an ext: the citation files
QUERIES = {  # extra query strings per route: searches, facets, paging, every export format
    "pages.search": ["", "q=Stalin&sender=stalin&year=1950&sort=-date&page=2&page_size=5",
                     "q=%22unbalanced"],
    "api.search": ["", "q=Filippov&type=telegram&date_from=1950-05&date_to=1950-10", "page=abc"],
    "exports.export_results": ["format=" + f for f in ("zip", "csv", "jsonl", "bibtex", "ris",
                                                       "csl-json")] + ["q=Stalin&format=csv&bom=1"],
    "exports.export_set": ["format=zip", "format=csv"],
    "selection.show": ["", f"ids={SELECTED}&style=chicago", f"ids={SELECTED}&style=mla"],
    "selection.export": [f"ids={SELECTED}&format={f}" for f in ("zip", "csv", "ris")],
}


def state(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file's bytes, modification time and mode: a rewrite with the same bytes shows too."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            out[str(path.relative_to(folder))] = (path.read_bytes(), info.st_mtime_ns, info.st_mode)
    return out


def index_state(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """The index folder, without SQLite's shared-memory file and write-ahead log, which any
    reader of a WAL database may create; the log must stay empty (nothing was written)."""
    out = state(folder)
    for name in [n for n in out if n.endswith(("-shm", "-wal"))]:
        data, _mtime, _mode = out.pop(name)
        assert not (name.endswith("-wal") and data), f"{name}: a reader wrote to the catalog"
    return out


# -- commands ---------------------------------------------------------------------------------


def serve_briefly(env: dict[str, str], urls: list[str], tmp_path: Path) -> None:
    """Start `archive serve` on a free loopback port, GET each URL, stop it."""
    port = free_port()
    argv = [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main())",
            "serve", "--port", str(port)]
    log = tmp_path / "serve.log"  # a file, not a pipe: a full pipe would stop the server
    with log.open("wb") as err, subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                                 stderr=err) as process:
        try:
            wait_until_serving(port, process, log)
            for url in urls:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30) as response:
                    assert response.status == 200 and response.read()
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_no_command_modifies_the_sources(tmp_path, monkeypatch, capsys):
    documents = tmp_path / "documents"
    config = build_web_archive(tmp_path)  # the collection, a curated set and a hostile document
    (documents / "1950-13-01-broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    env = {"ARCHIVE_DOCUMENTS_DIR": str(documents), "ARCHIVE_INDEX_DIR": str(config.index_dir)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = state(documents)
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        (["check"], 1),
        (["check", str(documents / f"{DOC}.md")], 0),
        (["build"], 1),  # refused: a document is invalid
        (["build", "--allow-invalid", "-q"], 0),
        (["build", "--allow-invalid", "--full", "-q"], 0),
        (["show", DOC], 0),
        (["show", DOC, "--json"], 0),
        (["ref", "APRF, f. 45, op. 1, d. 331, l. 55", "--json"], 0),
        (["search", "Stalin", "--sender", "Stalin", "--date-from", "1950", "--json"], 0),
        (["search", '"unbalanced'], 2),
        *[(["cite", DOC, "--format", fmt], 0) for fmt in (
            "chicago-note", "chicago-short-note", "chicago-bibliography", "mla", "apa", "csl-json",
            "ris", "bibtex")],
        *[(["export", "--format", fmt, "-o", str(out / f"all.{fmt}")], 0) for fmt in (
            "zip", "csv", "jsonl", "bibtex", "ris", "csl-json")],
        (["export", "Stalin", "--format", "csv", "--bom", "-o", str(out / "stalin.csv")], 0),
        (["export", "--set", "may-1950", "--format", "zip", "-o", str(out / "set.zip")], 0),
        (["export", "--ids", DOC, "--format", "ris", "-o", str(out / "ids.ris")], 0),
    ]
    for argv, status in commands:
        assert (main(argv), argv) == (status, argv), capsys.readouterr()
        capsys.readouterr()
    serve_briefly({**os.environ, **env}, ["/", "/search?q=Stalin", f"/documents/{DOC}",
                                          "/export?format=zip"], tmp_path)
    assert state(documents) == before


# -- the public reader -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_web_archive(tmp_path_factory.mktemp("read-only"))


def every_url(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        values = {name: SAMPLE_ARGS.get(name) for name in rule.arguments}
        if "ext" in rule.arguments:
            expanded = [{**values, "ext": ext}
                        for ext in SAMPLE_EXTS.get(rule.endpoint, ("ris", "bib", "json"))]
        else:
            expanded = [values]
        for args in expanded:
            missing = [name for name, value in args.items() if value is None]
            assert not missing, f"{rule.rule}: add sample values for {missing} to SAMPLE_ARGS"
            with app.test_request_context():
                path = url_for(rule.endpoint, **args)
            urls += [path + (f"?{query}" if query else "") for query in QUERIES.get(rule.endpoint, [""])]
    return urls


def test_no_route_writes_anything(archive):
    documents, index = archive.documents_dir, archive.index_dir
    assert Path(archive.database_url.removeprefix("sqlite:///")).parent == index  # catalog inside
    before = (state(documents), index_state(index))
    app = create_app({"ARCHIVE_CONFIG": archive})
    client = app.test_client()
    urls = every_url(app)
    assert len(urls) >= 35
    statuses = {}
    for url in urls:
        for method in (client.get, client.head):
            with method(url) as response:  # closed: a static file's HEAD leaves it open otherwise
                response.get_data()
                statuses[url] = response.status_code
    assert {url: status for url, status in statuses.items() if status != 200} == {
        "/search?q=%22unbalanced": 400, "/api/search?page=abc": 400,
        "/selection/add": 405, "/selection/remove": 405}  # these two are forms: POST only
    # The selection's POSTs only read (add/remove answer the browser's own cookie).
    for url, data in (("/selection", {"ids": SELECTED, "style": "apa"}),
                      ("/selection/export", {"ids": SELECTED, "format": "zip"}),
                      ("/selection/add", {"id": SELECTED.split(",")[0], "next": "/search"}),
                      ("/selection/remove", {"id": SELECTED.split(",")[0]})):
        with client.post(url, data=data) as response:
            response.get_data()
            assert response.status_code in (200, 303), url
    for method in (client.put, client.delete, client.patch):
        assert method("/selection", data={"ids": SELECTED}).status_code == 405
    # The services opened the catalog and the index; close them, as a stopped server would.
    services = app.extensions["archive"]
    services.search.close()
    services.browser.close()
    assert (state(documents), index_state(index)) == before
