"""The selection in the web reader without scripts: add/remove forms keep it in a cookie, the
selection page lists it in date order with references, shares it as a URL, exports it like a
search and prints its bibliography exactly as citeproc-js renders each entry."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from web_support import build_web_archive

from archive import citations, csl, export
from archive.selection import MAX_IDS
from web import create_app
from web.selection import WEB_MAX_IDS

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

CONVERSATION = "1949-03-05-stalin-kim-conversation"
NO_8600 = "1950-05-14-stalin-to-mao-no-8600"
VOLUNTEERS = "1950-10-01-stalin-to-mao-volunteers"


@pytest.fixture(scope="module")
def app(tmp_path_factory, engine_settings):
    config = build_web_archive(tmp_path_factory.mktemp("selection"), engine_settings())
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": config})


@pytest.fixture
def client(app):
    return app.test_client()


def listed(html: str) -> list[str]:
    return re.findall(r'<li class="doc-item" data-doc="([^"]+)"', html)


def test_adding_from_two_searches_without_scripts(client):
    response = client.get("/search?q=Filippov")
    assert f'action="/selection/add" data-doc="{NO_8600}"' in response.text
    added = client.post("/selection/add", data={"id": NO_8600, "next": "/search?q=Filippov"})
    assert (added.status_code, added.headers["Location"]) == (303, "/search?q=Filippov")
    page = client.get("/search?q=Filippov").text
    assert f'action="/selection/remove" data-doc="{NO_8600}"' in page
    assert ">Selection (1)</a>" in page
    client.post("/selection/add", data={"id": VOLUNTEERS, "next": "/search?q=volunteers"})
    client.post("/selection/add", data={"id": CONVERSATION, "next": f"/documents/{CONVERSATION}"})
    page = client.get("/selection").text
    assert listed(page) == [CONVERSATION, NO_8600, VOLUNTEERS]  # date order, not order added
    assert f'href="/selection?ids={CONVERSATION},{NO_8600},{VOLUNTEERS}"' in page
    client.post("/selection/remove", data={"id": NO_8600, "next": "/selection"})
    assert listed(client.get("/selection").text) == [CONVERSATION, VOLUNTEERS]


def test_a_shared_selection_lists_references_and_missing_ids(app):
    fresh = app.test_client()  # another reader: no cookie
    page = fresh.get(f"/selection?ids={VOLUNTEERS},no-such-doc,{NO_8600}").text
    assert listed(page) == [NO_8600, VOLUNTEERS]
    assert "A selection of documents" in page
    assert "Not in this archive (left out): no-such-doc" in page
    refs = re.findall(r'<div class="doc-refs">([^<]+)</div>', page)
    browser = app.extensions["archive"].browser
    from archive.ref_formats import format_short
    expected = ["; ".join(f"{r.archive}, {format_short(r)}" for r in browser.catalog.get(i).archive_refs)
                for i in (NO_8600, VOLUNTEERS)]
    assert refs == [e for e in expected if e]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "bibtex", "ris", "csl-json"])
def test_exports_match_the_export_of_those_ids(app, client, fmt):
    ids = f"{VOLUNTEERS},{CONVERSATION}"
    by_get = client.get(f"/selection/export?ids={ids}&format={fmt}")
    got = by_get.data
    by_post = client.post("/selection/export", data={"ids": ids, "format": fmt})
    browser = app.extensions["archive"].browser
    context = export.Context.load(browser.config, browser.catalog)
    chosen = export.selection(browser.catalog, ids.split(","), browser.config)
    expected = b"".join(export.export(chosen, fmt, context))
    assert by_get.status_code == by_post.status_code == 200
    assert got == by_post.data == expected
    assert by_get.headers["Content-Disposition"].startswith('attachment; filename="archive-selection-')


def test_csv_for_excel_and_zip(client):
    excel = client.post("/selection/export?bom=1", data={"ids": NO_8600, "format": "csv"})
    excel.get_data()
    rows = list(csv.DictReader(io.StringIO(excel.data.decode("utf-8-sig"))))
    assert excel.data.startswith(b"\xef\xbb\xbf") and [r["id"] for r in rows] == [NO_8600]
    zipped = client.post("/selection/export", data={"ids": NO_8600, "format": "zip"})
    assert (zipped.status_code, zipped.data[:2]) == (200, b"PK")


def test_bad_selections_are_400s_that_name_the_problem(client):
    unknown = client.get("/selection/export?ids=nope-1,nope-2&format=csv")
    assert unknown.status_code == 400 and "no document with ids nope-1, nope-2" in unknown.text
    too_many = ",".join(f"doc-{i}" for i in range(WEB_MAX_IDS + 1))
    response = client.post("/selection", data={"ids": too_many})
    assert response.status_code == 400
    assert (f"a selection here holds at most {WEB_MAX_IDS} documents, got {WEB_MAX_IDS + 1}; "
            f"`archive export --ids-from FILE` takes up to {MAX_IDS}") in response.text
    beyond = ",".join(f"doc-{i}" for i in range(MAX_IDS + 1))
    assert f"a selection holds at most {MAX_IDS} documents" in \
        client.post("/selection/export", data={"ids": beyond}).text
    assert client.get(f"/selection?ids={NO_8600}&style=harvard").status_code == 400
    assert client.post("/selection/add", data={"id": "nope"}).status_code == 400
    assert client.post("/selection/add", data={"id": NO_8600, "next": "https://evil.example/"}) \
        .headers["Location"] == "/selection"


@pytest.mark.parametrize("style", ["chicago", "mla", "apa"])
def test_bibliography_is_citeproc_js_entry_by_entry(app, client, style):
    ids = [NO_8600, "1949-05-15-shtykov-to-vyshinsky", "1950-10-02-mao-to-stalin"]  # 3 authors
    page = client.post("/selection", data={"ids": ",".join(ids), "style": style}).text
    shown = re.findall(r'<p class="csl-entry">(.*?)</p>', page)
    browser = app.extensions["archive"].browser
    context = export.Context.load(browser.config, browser.catalog)
    one_by_one = [csl.render(citations.csl_json(browser.catalog.get(i), context.people,
                                                context.archives, context.base_url),
                             style, "bibliography", "html") for i in ids]
    assert shown == [one_by_one[2], one_by_one[1], one_by_one[0]]  # by author: Mao, Shtykov, Stalin


def test_pages_carry_the_buttons_and_the_nav_link(client):
    document = client.get(f"/documents/{NO_8600}").text
    assert f'<form class="select-doc" method="post" action="/selection/add" data-doc="{NO_8600}">' in document
    assert '<a id="selection-link" href="/selection">Selection</a>' in document
    assert json.loads(client.get("/api/").data)  # the API is untouched by the selection


def test_the_selection_has_a_json_twin(client):
    body = client.get(f"/api/selection?ids={VOLUNTEERS},nope,{NO_8600}").get_json()
    page = client.get(f"/selection?ids={VOLUNTEERS},nope,{NO_8600}").text
    assert [d["id"] for d in body["documents"]] == listed(page) == [NO_8600, VOLUNTEERS]
    assert body["documents"][0] == {
        "id": NO_8600, "title": body["documents"][0]["title"], "type": "telegram",
        "number": body["documents"][0]["number"], "date": "1950-05-14", "sender": ["I. V. Stalin"],
        "recipient": ["Mao Zedong"],
        "archive_refs": re.findall(r'<div class="doc-refs">([^<]+)</div>', page)[0].split("; "),
        "url": f"/documents/{NO_8600}"}
    assert (body["total"], body["missing"]) == (2, ["nope"])
    assert body["links"] == {"html": f"/selection?ids={NO_8600},{VOLUNTEERS}",
                             "export": f"/selection/export?ids={NO_8600},{VOLUNTEERS}"}
    error = client.get("/api/selection?ids=" + ",".join(f"d-{i}" for i in range(WEB_MAX_IDS + 1)))
    assert error.status_code == 400 and error.get_json()["ok"] is False
