"""Hostile and broken requests: every query parameter of /api/search, /search and /export fuzzed
with hypothesis, and every operation in web/openapi.json fuzzed with schemathesis, in process.

The promise: never a 500. A bad value is a 400 (JSON `{"ok": false, "error": ..., "status": 400}`
under /api, a friendly page elsewhere); anything else is a 200 whose body is read to the end (an
export streams, so a failure half-way would only show there). Runs are bounded and derandomised,
so CI sees the same examples every time.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from web_support import build_web_archive

from archive.search import FACETS
from web import create_app

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SEARCH_PARAMS = ("q", *FACETS, "date_from", "date_to", "sort", "page", "page_size")
EXPORT_PARAMS = ("q", *FACETS, "date_from", "date_to", "sort", "format", "bom")
ROUTES = ("/api/search", "/search", "/export")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app({"ARCHIVE_CONFIG": build_web_archive(tmp_path_factory.mktemp("fuzz"))})


def check_response(response, path: str) -> None:
    """Never a 500: a 200 read to its end, or a 400 in the route's error shape."""
    body = response.get_data()  # drains a streamed export
    assert response.status_code in (200, 400), (path, response.status_code, body[:500])
    if response.status_code == 400:
        if path.startswith("/api/"):
            assert response.content_type == "application/json"
            data = response.get_json()
            assert set(data) <= {"ok", "error", "status", "errors"}
            assert data["ok"] is False and data["status"] == 400
            assert isinstance(data["error"], str) and data["error"]
        elif path == "/search":  # the search page, filled in as typed, with the message
            assert b">The search needs a correction" in body
        else:
            assert b"<h1>Bad request</h1>" in body


# -- hypothesis: values built to hurt -------------------------------------------------------

TOKENS = ('"', "(", ")", " ", "AND", "OR", "NOT", "-", "*", "~", "~2", ":", "..", "date:", "sender:",
          "title:", "1950", "1950-05", "1950-13", "Stalin", "Вышинский", "菲利波夫", "\x00", "\\", "[",
          "]", "{", "}", "^", "?", "/", "TO", "-1", "0", "1e5", "9" * 40, "½", "𝟙", "١٢", "\u0301",
          "\ufeff", "\u202e", "\u200b", "ǅ", "ß", "İ", "ﬁ", "\ud7ff", "\U0010ffff", "%00", "&", "=", "#")
hostile_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(TOKENS), max_size=16).map("".join),
    st.integers().map(str),
    st.sampled_from(["a" * 10_000, "9" * 5_000, "(" * 400 + "Stalin" + ")" * 400,
                     " AND ".join(["(Stalin OR (Mao AND NOT Kim))"] * 30),
                     "NOT " * 200 + "Stalin", '"' * 999, "x\x00y", "date:1950-10..1950-05"]),
)


@st.composite
def parameters(draw, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """A query string: known names (repeated, in any order) with hostile values, sometimes an
    unknown name."""
    names_st = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=8))
    return draw(st.lists(st.tuples(names_st, hostile_text), max_size=6))


@FUZZ
@given(pairs=parameters(SEARCH_PARAMS), path=st.sampled_from(("/api/search", "/search")))
def test_search_parameters_never_fail(app, pairs, path):
    check_response(app.test_client().get(path, query_string=pairs), path)


@FUZZ
@given(pairs=parameters(EXPORT_PARAMS), fmt=st.sampled_from(["csv", "jsonl", "ris", "bibtex"]))
def test_export_parameters_never_fail(app, pairs, fmt):
    # Most examples name a light format; the fuzzed `format` values still come through `pairs`.
    check_response(app.test_client().get("/export", query_string=[("format", fmt), *pairs]), "/export")


@settings(FUZZ, max_examples=60)
@given(page=st.one_of(st.integers(), st.integers(min_value=10**6).map(lambda n: n**8)),
       page_size=st.one_of(st.integers(min_value=-5, max_value=200), st.just(10**20)))
def test_any_whole_number_page(app, page, page_size):
    response = app.test_client().get("/api/search", query_string={"page": page, "page_size": page_size})
    check_response(response, "/api/search")
    valid = page >= 1 and 1 <= page_size <= 100
    assert response.status_code == (200 if valid else 400)
    if valid:
        data = response.get_json()
        assert (data["page"], data["page_size"]) == (page, page_size)


HOSTILE = [  # (parameters, expected status): the cases the issue names, on every route
    ({"page": "9" * 30}, 200),  # far past the last page: no hits, not an error
    ({"page": "9" * 5_000}, 400),  # more digits than int() reads
    ({"page": "-1"}, 400),
    ({"page": "two"}, 400),
    ({"page": "١٢"}, 400),  # other scripts' digits
    ({"page": "1_000"}, 400),
    ({"page_size": "1e2"}, 400),
    ({"q": "a" * 10_000}, 400),
    ({"q": "Stalin\x00Mao"}, 200),
    ({"q": "\x00"}, 400),
    ({"sender": "\x00"}, 200),
    ({"q": '"air cover'}, 400),
    ({"q": "(Stalin OR Mao"}, 400),
    ({"q": "Stalin)"}, 400),
    ({"q": "(" * 300 + "Stalin" + ")" * 300}, 400),
    ({"q": "NOT (" * 150 + "Stalin" + ")" * 150}, 400),
    ({"q": " OR ".join(["Stalin"] * 100)}, 400),
    ({"sender": "nobody-at-all", "type": "poem", "archive": "NOPE", "year": "1066"}, 200),
    ({"date_from": "1950-10", "date_to": "1950-05"}, 400),
    ({"q": "date:1950-10..1950-05"}, 400),
    ({"date_from": "1950-02-30"}, 400),
    ({"date_from": "0000"}, 400),
    ({"q": "\u202e\ufeff\u0301ǅİß𝟙 ＳＴＡＬＩＮ ﬁlippov"}, 200),
    ({"q": "\ud7ff\U0010ffff"}, 400),  # nothing to search for
    ({"q": "", "sender": "", "page": "", "date_from": "  "}, 200),  # empty counts as absent
]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize(("params", "status"), HOSTILE)
def test_hostile_values(app, path, params, status):
    query = {**params, "format": "csv"} if path == "/export" else params
    response = app.test_client().get(path, query_string=query)
    check_response(response, path)
    if path == "/export" and set(params) <= {"page", "page_size"}:
        status = 200  # paging does not apply to exports
    assert response.status_code == status


def test_export_bom_is_0_or_1(app):
    client = app.test_client()
    assert client.get("/export?format=csv&bom=1").get_data().startswith(b"\xef\xbb\xbf")
    assert not client.get("/export?format=csv&bom=0").get_data().startswith(b"\xef\xbb\xbf")
    response = client.get("/export?format=csv&bom=maybe")
    assert response.status_code == 400
    assert "bom: expected 0 or 1, got &#34;maybe&#34;" in response.get_data(as_text=True)


def test_export_empty_format_is_the_default(app):
    assert app.test_client().get("/export?format=&q=Stalin").mimetype == "application/zip"


# -- schemathesis: every operation in web/openapi.json ------------------------------------

# Not `negative_data_rejection` or `positive_data_acceptance`: on the wire every query value is a
# string, and a facet takes any string (an unknown value matches nothing), so schemathesis's
# "schema-violating" type mutations are valid requests; and a schema-valid date such as
# 1950-02-30, or a query with an unbalanced quote, is rightly refused with a 400.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


@pytest.fixture(scope="module")
def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    return [op.ok() for op in schema.get_all_operations() if isinstance(op, Ok)]


def test_openapi_file_loads_with_every_route(app, operations):
    paths = app.test_client().get("/api/openapi.json").get_json()["paths"]
    # schemathesis leaves out the route that serves the schema itself
    assert {op.path for op in operations} == set(paths) - {"/api/openapi.json"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_openapi_operations_never_fail(app, operations, mode):
    """Each operation, with parameters valid (positive) or not (negative) against the schema."""
    fuzzed = set()
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
            continue  # nothing to make invalid

        @settings(FUZZ, max_examples=25 if mode is GenerationMode.POSITIVE else 15)
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            response = case.call(app=app)
            case.validate_response(response, checks=CHECKS)
            if case.path.startswith("/api/") and response.status_code >= 400:
                data = response.json()
                assert set(data) <= {"ok", "error", "status", "errors"}
                assert data["ok"] is False and data["status"] == response.status_code and data["error"]
            fuzzed.add(case.operation.label)

        try:
            run()
        except Unsatisfiable:  # e.g. no string is "invalid" for a path parameter without a pattern
            assert mode is GenerationMode.NEGATIVE
    assert len(fuzzed) >= (20 if mode is GenerationMode.POSITIVE else 10), sorted(fuzzed)
