"""Export routes: a result set, a curated set and the whole archive, streamed as downloads."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from web_support import build_web_archive

from web import create_app

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)


@pytest.fixture(scope="module")
def app(tmp_path_factory, engine_settings):
    config = build_web_archive(tmp_path_factory.mktemp("web-export"), engine_settings())
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": config})


@pytest.fixture
def client(app):
    return app.test_client()


def search_ids(client, query: str) -> list[str]:
    body = client.get(f"/api/search?{query}&page_size=100&sort=date").get_json()
    return [hit["id"] for hit in body["hits"]], body["total"]


def test_result_set_as_csv_has_one_row_per_hit_in_order(client):
    ids, total = search_ids(client, "q=Stalin")
    response = client.get("/export?q=Stalin&sort=date&format=csv&bom=1")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="archive-search-')
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["id"] for r in rows] == ids and len(rows) == total > 1


def test_result_set_with_filters_as_jsonl_equals_the_search_total(client):
    ids, total = search_ids(client, "sender=stalin&date_from=1950")
    response = client.get("/export?sender=stalin&date_from=1950&sort=date&format=jsonl")
    lines = [json.loads(line) for line in response.get_data().decode().splitlines()]
    assert [line["id"] for line in lines] == ids and len(lines) == total


def test_whole_archive_as_zip(client, app):
    config = app.extensions["archive"].config
    response = client.get("/export?format=zip")
    assert (response.status_code, response.mimetype) == (200, "application/zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    sources = sorted(p.relative_to(config.documents_dir).as_posix()
                     for p in config.documents_dir.rglob("*.md") if p.name != "README.md"
                     and p.relative_to(config.documents_dir).parts[0] not in ("authority", "sets"))
    assert sorted(n.removeprefix("documents/") for n in archive.namelist()
                  if n.startswith("documents/")) == sources
    for name in sources:
        assert archive.read(f"documents/{name}") == (config.documents_dir / name).read_bytes()
    assert "What:     the whole archive" in archive.read("README.txt").decode()


def test_curated_set_export(client):
    body = client.get("/api/sets/may-1950").get_json()
    response = client.get("/sets/may-1950/export?format=csl-json")
    assert response.status_code == 200
    assert [item["id"] for item in json.loads(response.get_data())] == [
        d["id"] for d in body["documents"]]


@pytest.mark.parametrize("url, status", [
    ("/export?format=pdf", 400),
    ("/export?q=%22unbalanced&format=csv", 400),
    ("/export?page=abc&q=Stalin&format=csv", 200),  # paging does not apply to exports
    ("/sets/no-such-set/export?format=csv", 404),
    ("/sets/../export?format=csv", 404),
])
def test_bad_export_requests(client, url, status):
    assert client.get(url).status_code == status


def test_export_links_on_pages_lead_to_working_exports(client):
    page = client.get("/search?q=Stalin").get_data(as_text=True)
    assert 'href="/export?q=Stalin&amp;format=csv"' in page
    page = client.get("/sets/may-1950").get_data(as_text=True)
    assert 'href="/sets/may-1950/export?format=zip"' in page
