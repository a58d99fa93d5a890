"""The JSON API: every route, every error case, the one error shape, and OpenAPI vs the routes."""

from __future__ import annotations

import re

import pytest
from web_support import HOSTILE, build_web_archive

from web import create_app
from web.security import READ_ONLY_POSTS

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

DOC = "1950-05-14-stalin-to-mao-no-8600"


@pytest.fixture(scope="module")
def app(tmp_path_factory, engine_settings):
    config = build_web_archive(tmp_path_factory.mktemp("web-api"), engine_settings())
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": config})


@pytest.fixture
def client(app):
    return app.test_client()


def link(doc_id, title, doc_type, date, sender, recipient, number=None):
    return {"id": doc_id, "title": title, "type": doc_type, "date": date, "date_earliest": date,
            "number": number, "sender": sender, "recipient": recipient,
            "url": f"/documents/{doc_id}"}


STALIN = {"id": "stalin", "name": "I. V. Stalin"}
MAO = {"id": "mao-zedong", "name": "Mao Zedong"}
ROSHCHIN = {"id": "roshchin", "name": "N. V. Roshchin"}
MAY_13 = link("1950-05-13-roshchin-to-filippov",
              "Roshchin to Filippov on Kim Il Sung's arrival in Beijing, 13 May 1950", "telegram",
              "1950-05-13", [ROSHCHIN], [STALIN])
MAY_14 = link(DOC, "Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950", "telegram",
              "1950-05-14", [STALIN], [MAO], number="No. 8600")
JUNE_1 = link(HOSTILE, "A note with hostile markup, 1 June 1950", "note", "1950-06-01", [STALIN], [MAO])
SET = {"id": "may-1950", "title": "The May 1950 exchange",
       "description": "Roshchin's report of Mao's question and Stalin's answer, in the order they "
                      "were sent."}


def test_sets(client):
    assert client.get("/api/sets").get_json() == {"sets": [
        {**SET, "documents": [MAY_13["id"], MAY_14["id"], JUNE_1["id"]], "url": "/sets/may-1950"}]}


def test_set(client):
    assert client.get("/api/sets/may-1950").get_json() == {**SET, "documents": [MAY_13, MAY_14, JUNE_1]}


def test_document(client):
    data = client.get(f"/api/documents/{DOC}").get_json()
    assert data["id"] == DOC and data["title"] == MAY_14["title"]
    assert data["date"] == {"text": "1950-05-14", "earliest": "1950-05-14", "latest": "1950-05-14",
                            "uncertain": False, "approximate": False}
    assert data["archive_refs"] == [{
        "archive": "RGASPI",
        "archive_name": "Russian State Archive of Socio-Political History",
        "cited": "RGASPI, f. 558, op. 11, d. 334, ll. 0055",
        "short": "f. 558, op. 11, d. 334, l. 0055",
        "long": "Russian State Archive of Socio-Political History (RGASPI), fond 558, opis 11, "
                "delo 334, list 0055",
        "russian": "РГАСПИ. Ф. 558. Оп. 11. Д. 334. Л. 0055.",
    }]
    assert data["names"] == {"sender": [STALIN], "recipient": [MAO], "via": [ROSHCHIN],
                             "copies_to": []}
    assert data["thread"] == {"replies_to": [MAY_13], "replied_by": [JUNE_1]}
    assert data["previous"] == MAY_13 and data["next"] == JUNE_1
    assert data["sets"] == [{"id": "may-1950", "title": SET["title"], "url": "/sets/may-1950"}]
    assert data["links"] == {"html": f"/documents/{DOC}", "source": f"/documents/{DOC}.md",
                             "ris": f"/documents/{DOC}/cite.ris", "bibtex": f"/documents/{DOC}/cite.bib",
                             "csl-json": f"/documents/{DOC}/cite.json"}
    assert data["body_html"].startswith("<h2>Summary</h2>")


def test_people(client):
    people = client.get("/api/people").get_json()["people"]
    stalin = next(p for p in people if p["id"] == "stalin")
    assert stalin["url"] == "/people/stalin" and stalin["kind"] == "person"
    assert stalin["sent"] > 0 and stalin["received"] > 0
    assert [p["name"].casefold() for p in people] == sorted(p["name"].casefold() for p in people)


def test_person(client):
    data = client.get("/api/people/stalin").get_json()
    assert "Filippov" in [p["name"] for p in data["pseudonyms"]]
    mao = next(c for c in data["correspondents"] if c["id"] == "mao-zedong")
    assert mao["to"] >= 2 and mao["total"] == mao["to"] + mao["from"]
    mine = {d["id"]: d["roles"] for d in data["documents"]}
    assert mine[DOC] == ["sender"] and mine[MAY_13["id"]] == ["recipient"]
    assert sum(m["count"] for m in data["months"]) == len(data["documents"])


def test_archives(client):
    archives = client.get("/api/archives").get_json()["archives"]
    rgaspi = next(a for a in archives if a["value"] == "RGASPI")
    assert rgaspi["level"] == "archive" and rgaspi["count"] >= 1
    fond = rgaspi["children"][0]
    assert fond["level"] == "fond" and fond["label"].startswith("f. ")
    assert client.get("/api/archives/RGASPI").get_json() == rgaspi


def test_home_twin(client):
    data = client.get("/api/").get_json()
    assert data["documents"] == 15 and data["archives"] >= 1
    assert sum(m["count"] for m in data["months"]) == 15
    assert client.get("/api").status_code == 200


SEARCH_KEYS = ["hits", "total", "page", "page_size", "facets", "sort", "query_note", "suggestions"]


def test_search(client):
    data = client.get("/api/search?q=Filippov&page_size=2").get_json()
    assert set(SEARCH_KEYS) <= set(data)
    assert data["page_size"] == 2 and len(data["hits"]) == 2 and data["total"] >= 2
    assert "I. V. Stalin" in data["query_note"]
    for bucket in data["facets"]["sender"]:
        assert set(bucket) == {"value", "label", "count", "selected", "toggle"}


def test_search_twin_matches_the_page(client):
    data = client.get("/api/search?sender=stalin").get_json()
    page = client.get("/search?sender=stalin").get_data(as_text=True)
    assert f"of {data['total']} document" in page


def error(status, message):
    return {"ok": False, "error": message, "status": status}


BAD_PARAMETERS = [
    ("page=abc", 'page: expected a whole number from 1, got "abc"'),
    ("page=-1", 'page: expected a whole number from 1, got "-1"'),
    ("page=0", None),
    ("page=1.5", None),
    ("page_size=0", None),
    ("page_size=101", None),
    ("page_size=x", None),
    ("sort=sideways", 'sort: expected one of relevance, date, -date, got "sideways"'),
    ("date_from=1950-13", 'date_from: expected a date such as 1950, 1950-05 or 1950-05-14, got "1950-13"'),
    ("date_to=14%20May", None),
    ("date_from=1950-10&date_to=1950-05", None),
    ("q=%22open", None),
    ("q=(Kim", None),
    ("q=date:1950-99", None),
    ("q=" + "x" * 10000, None),
]


@pytest.mark.parametrize(("query", "message"), BAD_PARAMETERS)
def test_bad_parameters_are_400_json(client, query, message):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/json"
    data = response.get_json()
    assert set(data) <= {"ok", "error", "status", "errors"}
    assert data["ok"] is False and data["status"] == 400 and data["error"]
    if message is not None:
        assert data == error(400, message)


UNKNOWN = [
    "/api/documents/no-such-document",
    "/api/people/nobody",
    "/api/sets/no-such-set",
    "/api/archives/NOPE",
    "/api/nothing-here",
    "/api/documents/..%2F..%2Fetc%2Fpasswd",
    "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/documents/..%252f..%252fetc%252fpasswd",
    "/api/documents//etc/passwd",
    "/api/documents/%2Fetc%2Fpasswd",
    "/api/documents/../../etc/passwd",
    f"/api/documents/{DOC}.md",
    "/api/people/..%2F..%2Fetc%2Fpasswd",
    "/api/sets/..%2Fsets%2Fmay-1950",
    "/api/archives/..%2F..%2Fetc%2Fpasswd",
    "/api/archives/%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("url", UNKNOWN)
def test_unknown_ids_are_404_json(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.content_type == "application/json"
    data = response.get_json()
    assert data["ok"] is False and data["status"] == 404 and data["error"]


def test_not_found_messages(client):
    assert client.get("/api/documents/no-such-document").get_json() == error(
        404, "no document with id 'no-such-document'")
    assert client.get("/api/people/nobody").get_json() == error(404, "no person with id 'nobody'")
    assert client.get("/api/nothing").get_json() == error(404, "nothing at /api/nothing")


def test_method_not_allowed_is_json(client):
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json() == error(
        405, "method POST not allowed: the archive is read-only (GET and HEAD only)")


# -- OpenAPI -----------------------------------------------------------------------------------


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_openapi_describes_every_route(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        routes[_openapi_path(rule.rule)] = rule
    assert set(spec["paths"]) == set(routes)
    for path, rule in routes.items():
        operation = spec["paths"][path]
        if rule.endpoint in READ_ONLY_POSTS:  # a selection too long for a URL; only reads
            assert set(operation) == {m.lower() for m in rule.methods} - {"head", "options"}, path
            continue
        assert set(operation) == {"get"}, path  # read-only: GET (and HEAD) only
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}
        declared = {p["name"] for p in operation["get"]["parameters"] if p["in"] == "path"}
        assert declared == set(rule.arguments), path


def test_openapi_search_parameters_match_the_service(client):
    from archive.search import FACETS, SORTS

    spec = client.get("/api/openapi.json").get_json()
    for path in ("/api/search", "/search"):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert set(params) == {"q", *FACETS, "date_from", "date_to", "sort", "page", "page_size"}
        assert params["sort"]["schema"]["enum"] == list(SORTS)


def test_openapi_references_resolve(client):
    spec = client.get("/api/openapi.json").get_json()
    text = str(spec)
    for ref in set(re.findall(r"'\$ref': '#/components/(\w+)/(\w+)'", text)):
        assert ref[1] in spec["components"][ref[0]], ref
