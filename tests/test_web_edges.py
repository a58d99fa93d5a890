"""Web edges (#14 item 10): gunicorn's own error responses carry our security headers (a real
`archive serve` and raw sockets), no redirect built from the Host header, CSV cells that start
like a formula are made text, and one charset in the CSV content type."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import zipfile

import pytest
from web_support import build_web_archive, free_port, wait_until_serving

from archive.build import rebuild
from archive.export import spreadsheet_safe
from web import create_app
from web.security import HEADERS

ARCHIVE = [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main())"]
FORMULAS = """---
title: =HYPERLINK("http://evil.example/","Click")
type: telegram
date: 1950-01-30
date_note: +1 day, as the cover says
sender: Stalin
recipient: Shtykov
signed_as: -Filippov
place_from: "@Moscow"
subjects: ["=1+1", plain]
archive_refs:
  - APRF, f. 45, op. 1, d. 346, l. 71
---

## Summary

Cells that a spreadsheet would run as formulas.
"""


@pytest.fixture(scope="module")
def web_archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("edges")
    config = build_web_archive(root)
    (config.documents_dir / "1950-01-30-formulas.md").write_text(FORMULAS, encoding="utf-8")
    assert rebuild(config).status == "built"
    return config


@pytest.fixture
def client(web_archive):
    return create_app({"ARCHIVE_CONFIG": web_archive}).test_client()


@pytest.mark.parametrize("path", ["/static//archive.css", "/static//x", "/documents//x",
                                  "/api//search", "//evil.example/x"])
def test_a_doubled_slash_is_not_found_never_redirected_to_the_host_header(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    assert (response.status_code, response.headers.get("Location")) == (404, None)
    assert {k: response.headers[k] for k in HEADERS} == HEADERS


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=1", "a=1"), ("", ""), ("'quoted", "'quoted"),
    ("Stalin", "Stalin"),
])
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_csv_export_makes_formula_cells_text_and_says_its_charset_once(client):
    response = client.get("/export?q=spreadsheet&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [{k: row[k] for k in ("id", "title", "date_note", "signed_as", "place_from",
                                 "subjects")} for row in rows] == [{
        "id": "1950-01-30-formulas",
        "title": "'=HYPERLINK(\"http://evil.example/\",\"Click\")",
        "date_note": "'+1 day, as the cover says",
        "signed_as": "'-Filippov",
        "place_from": "'@Moscow",
        "subjects": "'=1+1; plain",
    }]


def test_zip_manifest_is_safe_but_jsonl_and_sources_keep_the_text(client, web_archive):
    response = client.get("/export?q=spreadsheet&format=zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert [(row["title"], row["signed_as"]) for row in manifest] == [
        ("'=HYPERLINK(\"http://evil.example/\",\"Click\")", "'-Filippov")]
    record = json.loads(archive.read("documents.jsonl"))
    assert (record["title"], record["signed_as"], record["subjects"]) == (
        '=HYPERLINK("http://evil.example/","Click")', "-Filippov", ["=1+1", "plain"])
    assert archive.read("documents/1950-01-30-formulas.md") == FORMULAS.encode("utf-8")


@pytest.mark.parametrize("fmt, content_type", [
    ("csv", "text/csv; charset=utf-8"),
    ("jsonl", "application/x-ndjson; charset=utf-8"),
    ("bibtex", "application/x-bibtex; charset=utf-8"),
    ("ris", "application/x-research-info-systems; charset=utf-8"),
    ("csl-json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
    ("zip", "application/zip"),
])
def test_every_export_content_type_is_given_once(client, fmt, content_type):
    response = client.get(f"/export?q=spreadsheet&format={fmt}")
    response.get_data()
    assert (response.status_code, response.headers["Content-Type"]) == (200, content_type)


# --- gunicorn's own error responses, from a real `archive serve` ----------------------------------

def _raw(port: int, request: bytes) -> tuple[str, dict[str, str]]:
    """Send raw bytes; the status line and the headers of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head = data.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in head[1:])
    return head[0], headers


@pytest.fixture(scope="module")
def server(web_archive, tmp_path_factory):
    env = {**os.environ, "ARCHIVE_DOCUMENTS_DIR": str(web_archive.documents_dir),
           "ARCHIVE_INDEX_DIR": str(web_archive.index_dir)}
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as err:
        process = subprocess.Popen([*ARCHIVE, "serve", "--port", str(port), "--workers", "1",
                                    "--threads", "2"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=err)
    try:
        wait_until_serving(port, process, log)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.parametrize("request_bytes, status", [
    (b"NOT HTTP AT ALL\r\n\r\n", "HTTP/1.1 400 Bad Request"),
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 414 URI Too Long"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200))
     + b"\r\n", "HTTP/1.1 431 Request Header Fields Too Large"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n",
     "HTTP/1.1 431 Request Header Fields Too Large"),
])
def test_gunicorn_error_responses_carry_the_security_headers(server, request_bytes, status):
    status_line, headers = _raw(server, request_bytes)
    length = headers.pop("Content-Length")
    assert (status_line, headers) == (status, {
        **HEADERS, "Connection": "close", "Content-Type": "text/html"})
    assert int(length) > 0


def test_flask_responses_through_gunicorn_keep_their_headers(server):
    status_line, headers = _raw(server, b"GET /static//x HTTP/1.1\r\nHost: evil.example\r\n"
                                        b"Connection: close\r\n\r\n")
    assert status_line == "HTTP/1.1 404 NOT FOUND"
    assert "Location" not in headers
    assert {k: headers[k] for k in HEADERS} == HEADERS
