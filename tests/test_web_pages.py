"""The HTML pages: every route, the document page's parts, sanitising, headers, read-only, errors."""

from __future__ import annotations

import logging
import re
import shutil

import pytest
from web_support import HOSTILE, build_web_archive

from archive import citations
from archive.browse import Browser, render_body
from archive.build import rebuild
from web import create_app

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

DOC = "1950-05-14-stalin-to-mao-no-8600"
REPLIED = "1950-05-13-roshchin-to-filippov"


@pytest.fixture(scope="module")
def web_config(tmp_path_factory, engine_settings):
    return build_web_archive(tmp_path_factory.mktemp("web-pages"), engine_settings())


@pytest.fixture(scope="module")
def app(web_config):
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": web_config})


@pytest.fixture
def client(app):
    return app.test_client()


PAGES = [  # (url, text the page must show)
    ("/", "Documents per month"),
    ("/search", "documents"),
    ("/search?q=Filippov", "as I. V. Stalin"),
    ("/search?sender=stalin&year=1950", "Sender: I. V. Stalin"),
    (f"/documents/{DOC}", "Kim Il Sung&#39;s proposal"),
    ("/people", "People and bodies"),
    ("/people/stalin", "Filippov"),
    ("/archives", "APRF"),
    ("/archives/APRF", "f. 45"),
    ("/sets", "The May 1950 exchange"),
    ("/sets/may-1950", "in the order they were sent"),
    ("/help", "How to search"),
]


@pytest.mark.parametrize(("url", "text"), PAGES)
def test_page(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    page = response.get_data(as_text=True)
    assert text.lower() in page.lower()
    # landmarks and the skip link on every page
    for part in ('<a class="skip-link" href="#main">', '<main id="main"', '<nav aria-label="Main">',
                 "<footer", '<html lang="en">'):
        assert part in page


@pytest.mark.parametrize(("url", "_text"), PAGES)
def test_head_answers_like_get(client, url, _text):
    assert client.head(url).status_code == 200


def test_document_page_parts(client, web_config):
    page = client.get(f"/documents/{DOC}").get_data(as_text=True)
    assert "1950-05-14" in page and "Filippov" in page
    assert '<a href="/people/stalin">I. V. Stalin</a>' in page
    assert '<a href="/people/mao-zedong">Mao Zedong</a>' in page
    # archive reference in English short and Russian forms
    assert "RGASPI</a>, f. 558, op. 11, d. 334, l. 0055" in page
    assert '<p class="ref-ru" lang="ru">РГАСПИ. Ф. 558. Оп. 11. Д. 334. Л. 0055.</p>' in page
    # previous/next and the reply thread both ways
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert "In reply to" in page and f'href="/documents/{REPLIED}"' in page
    assert "Replies" in page and f'href="/documents/{HOSTILE}"' in page
    # its sets; downloads
    assert 'href="/sets/may-1950"' in page
    for link in (f"/documents/{DOC}/cite.ris", f"/documents/{DOC}/cite.bib",
                 f"/documents/{DOC}/cite.json", f"/documents/{DOC}.md"):
        assert f'href="{link}"' in page


def test_reply_thread_seen_from_the_other_side(client):
    page = client.get(f"/documents/{REPLIED}").get_data(as_text=True)
    assert "Replies" in page and f'href="/documents/{DOC}"' in page


def test_cite_panel_has_every_style(client, web_config):
    page = client.get(f"/documents/{DOC}").get_data(as_text=True)
    browser = Browser(web_config)
    record = browser.catalog.get(DOC)
    labels = re.findall(r"<figcaption>([^<]*)</figcaption>", page)
    assert labels == ["Chicago 18th edition, note", "Chicago 18th edition, short note",
                      "Chicago 18th edition, bibliography", "MLA 9th edition", "APA 7th edition"]
    note = citations.format_citation(record, browser.people_map(), browser.archive_authority(),
                                     web_config.base_url, "chicago", "note", output="html")
    assert note in page
    browser.close()


def test_zotero_meta_tags_and_canonical_link(client, web_config):
    page = client.get(f"/documents/{DOC}").get_data(as_text=True)
    head = page.split("</head>")[0]
    found = re.findall(r'<meta name="([^"]+)" content="([^"]*)">', head)
    browser = Browser(web_config)
    expected = citations.zotero_meta_tags(browser.catalog.get(DOC), browser.people_map(),
                                          browser.archive_authority(), web_config.base_url)
    browser.close()
    escaped = [(n, c.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;")
                .replace("<", "&lt;").replace(">", "&gt;")) for n, c in expected]
    assert [t for t in found if t[0] != "viewport"] == escaped
    assert ("z.itemType", "letter") in found
    assert f'<link rel="canonical" href="https://archive.example.org/documents/{DOC}">' in head
    assert "citation_author" not in head and "Z3988" not in page


def test_markdown_source_is_byte_for_byte(client, web_config):
    response = client.get(f"/documents/{DOC}.md")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.data == (web_config.documents_dir / f"{DOC}.md").read_bytes()


@pytest.mark.parametrize(("ext", "fmt", "media_type"), [
    ("ris", "ris", "application/x-research-info-systems; charset=utf-8"),
    ("bib", "bibtex", "application/x-bibtex; charset=utf-8"),
    ("json", "csl-json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
])
def test_citation_downloads(client, web_config, ext, fmt, media_type):
    response = client.get(f"/documents/{DOC}/cite.{ext}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="{DOC}.{ext}"'
    browser = Browser(web_config)
    expected = citations.cite(browser.catalog.get(DOC), browser.people_map(),
                              browser.archive_authority(), web_config.base_url, fmt)
    browser.close()
    assert response.get_data(as_text=True) == expected


SANITISED = (
    '<h2>Summary</h2>\n'
    '<p>Text with  inline &amp; an ampersand.</p>\n'
    '<p><img src="x.png"></p>\n'
    '<p><a rel="noopener noreferrer nofollow">a javascript link</a> and '
    '<a href="https://example.org/" rel="noopener noreferrer nofollow">a safe link</a>.</p>\n'
    '<div><b>bold</b></div>'
)


def test_body_is_sanitised(client, web_config):
    source = (web_config.documents_dir / f"{HOSTILE}.md").read_text(encoding="utf-8")
    assert "<script>" in source and "onerror=" in source and "javascript:" in source
    assert render_body(source.split("---", 2)[2]) == SANITISED
    page = client.get(f"/documents/{HOSTILE}").get_data(as_text=True)
    assert SANITISED in page
    body = page.split('<section class="body"')[1].split("</section>")[0]
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style="):
        assert bad not in body


@pytest.mark.parametrize("url", ["/", "/search?q=Kim", f"/documents/{DOC}", f"/documents/{DOC}.md",
                                 "/api/search", "/api/people", "/nothing-here", "/api/nothing",
                                 "/static/archive.css"])
def test_security_headers(client, url):
    with client.get(url) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_inline_scripts_or_styles(client):
    for url in ("/", "/search?q=Kim", f"/documents/{DOC}", "/people/stalin", "/archives/APRF"):
        page = client.get(url).get_data(as_text=True)
        assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
        assert " style=" not in page and "<style" not in page and " on" + "click=" not in page


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("url", ["/", "/search", f"/documents/{DOC}", "/api/search",
                                 f"/api/documents/{DOC}"])
def test_read_only(client, method, url):
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
    if url.startswith("/api"):
        assert response.get_json()["status"] == 405


TRAVERSAL = [
    "/documents/../../etc/passwd",
    "/documents/..%2F..%2Fetc%2Fpasswd",
    "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/documents/%252e%252e%252fetc%252fpasswd",
    "/documents/..%5c..%5cetc%5cpasswd",
    "/documents//etc/passwd",
    "/documents/%2Fetc%2Fpasswd",
    "/documents/..%2Fauthority%2Fpeople.yaml",
    "/documents/authority.md",
    "/documents/..%2FREADME.md",
    f"/documents/..%2F{DOC}.md",
    "/documents/%2e%2e.md",
    "/documents/..md",
    f"/documents/{DOC}/cite.exe",
    f"/documents/{DOC}/..%2F..%2Fcite.ris",
    "/people/..%2F..%2Fetc%2Fpasswd",
    "/people/%2Fetc%2Fpasswd",
    "/sets/..%2Fsets%2Fmay-1950",
    "/archives/..%2F..%2Fetc%2Fpasswd",
    "/archives/%2Fetc%2Fpasswd",
    "/static/..%2F..%2Farchive%2Fsettings.py",
    "/static/%2e%2e/__init__.py",
]


@pytest.mark.parametrize("url", TRAVERSAL)
def test_path_traversal_is_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"root:" not in response.data and b"- id:" not in response.data


@pytest.mark.parametrize("url", ["/documents/no-such-document", "/documents/no-such-document.md",
                                 "/documents/no-such-document/cite.ris", "/people/nobody",
                                 "/sets/no-such-set", "/archives/NOPE", "/nothing-here"])
def test_not_found_is_a_friendly_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.content_type == "text/html; charset=utf-8"
    page = response.get_data(as_text=True)
    assert "<h1>Not found</h1>" in page and 'href="/search"' in page


@pytest.mark.parametrize(("query", "message"), [
    ("page=abc", 'page: expected a whole number from 1, got "abc"'),
    ("sort=sideways", "sort: expected one of relevance, date, -date"),
    ("date_from=1950-13", "From: expected a date"),  # the form's label
    ("q=%22open", "unbalanced quotes"),
])
def test_bad_search_is_a_400_page(client, query, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ">The search needs a correction" in page  # the search page, filled in (test_web_reader.py)
    assert message.replace('"', "&#34;") in page


def test_unexpected_error_is_logged_and_answered_500(web_config, caplog):
    app = create_app({"TESTING": False, "ARCHIVE_CONFIG": web_config})

    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", view_func=broken)
    app.add_url_rule("/api/broken", endpoint="api_broken", view_func=broken)
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="web.errors"):
        page = client.get("/broken")
        api = client.get("/api/broken")
    assert page.status_code == 500 and "Something went wrong" in page.get_data(as_text=True)
    assert api.status_code == 500
    assert api.get_json() == {"ok": False, "error": "internal error: the problem was logged",
                              "status": 500}
    assert "boom" in caplog.text


# -- the search page -------------------------------------------------------------------------


def test_search_page_facets_chips_and_exports(client):
    page = client.get("/search?q=Stalin&sender=stalin&date_from=1950").get_data(as_text=True)
    for heading in ("Sender", "Recipient", "Via", "Year", "Type", "Archive", "Language", "Subject"):
        assert f">{heading}</h3>" in page
    # the selected sender is a chip that removes it, and a ticked facet
    assert re.search(r'<a href="/search\?q=Stalin&amp;date_from=1950" class="chip">Sender: I. V. Stalin',
                     page)
    assert re.search(r'<a href="/search\?q=Stalin&amp;date_from=1950" class="toggle selected"', page)
    assert '<a href="/search?q=Stalin&amp;sender=stalin" class="chip">From: 1950' in page
    assert 'href="/export?q=Stalin&amp;sender=stalin&amp;date_from=1950&amp;format=zip"' in page
    assert 'href="/export?q=Stalin&amp;sender=stalin&amp;date_from=1950&amp;format=csl-json"' in page
    # the forms keep the page's other parameters
    assert '<input type="hidden" name="sender" value="stalin">' in page
    assert 'value="1950"' in page


def test_search_page_pagination(client):
    first = client.get("/search?page_size=5").get_data(as_text=True)
    assert "1–5 of 15 documents" in first
    assert '<a href="/search?page_size=5&amp;page=2" rel="next">Next</a>' in first
    assert '<span aria-current="page">1</span>' in first
    third = client.get("/search?page_size=5&page=3").get_data(as_text=True)
    assert "11–15 of 15 documents" in third
    assert '<a href="/search?page_size=5&amp;page=2" rel="prev">Previous</a>' in third
    assert "Next</a>" not in third


def test_search_page_snippet_is_the_only_raw_html(client):
    page = client.get("/search?q=%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in page.split("</head>")[1].replace('<script src=', "")


def test_home_timeline_bars_link_to_month_searches(client):
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/search?date_from=1950-10&amp;date_to=1950-10" aria-label="October 1950:' in page
    assert "<svg" in page and 'role="group"' in page


def test_rebuilt_index_is_picked_up_without_restart(tmp_path, engine_settings):
    config = build_web_archive(tmp_path, engine_settings())
    client = create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()
    assert client.get("/api/").get_json()["documents"] == 15
    assert client.get("/documents/1950-06-02-a-new-note").status_code == 404
    source = config.documents_dir / f"{HOSTILE}.md"
    shutil.copy(source, config.documents_dir / "1950-06-02-a-new-note.md")
    assert rebuild(config).status == "built"
    assert client.get("/api/").get_json()["documents"] == 16
    assert client.get("/documents/1950-06-02-a-new-note").status_code == 200
    assert client.get("/api/search").get_json()["total"] == 16


def test_query_url_encodes_as_urlencode_does(app):
    """query_url encodes each pair once per process and resolves each endpoint once per request;
    the URLs must be exactly url_for + urlencode, for any value a facet or query can hold."""
    from urllib.parse import urlencode

    from flask import url_for

    from web.pages import query_url

    cases = [
        [],
        [("q", "Vyshinsky AND Stalin")],
        [("q", '"air cover" OR Вышинский'), ("sender", "stalin"), ("sender", "mao-zedong")],
        [("subject", "Chinese intervention & Soviet air cover"), ("archive", "AVP RF"),
         ("q", "a=b+c/d?e#f%20"), ("date_from", "1950-05"), ("page", "2")],
        [("q", "毛泽东 Lüshun ~1950 100%"), ("year", "1950"), ("q", "")],
    ]
    with app.test_request_context("/search"):
        for params in cases:
            for endpoint in ("pages.search", "api.search"):
                expected = url_for(endpoint) + (f"?{urlencode(params)}" if params else "")
                assert query_url(params, endpoint) == expected
                assert query_url(params, endpoint) == expected  # the cached pairs and endpoint
