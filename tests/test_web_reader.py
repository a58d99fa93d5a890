"""The reader's pages as a keyboard and screen-reader user meets them (the HTML; the browser tests
check the same in Chromium): error pages that keep the user's work, a page past the end, the
headings' order, skip links, facet counts read with their unit, the phone's Filters control."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from web_support import build_web_archive

from web import create_app

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

DOC = "1950-05-14-stalin-to-mao-no-8600"


@pytest.fixture(scope="module")
def client(tmp_path_factory, engine_settings):
    config = build_web_archive(tmp_path_factory.mktemp("web-reader"), engine_settings())
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()


class Page(HTMLParser):
    """What a test reads off a page: headings in order, form fields, chips, links, error texts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self.fields: dict[str, dict[str, str]] = {}  # id or name -> attributes
        self.hidden: dict[str, list[tuple[str, str]]] = {}  # form class -> hidden (name, value)
        self.links: list[tuple[str, str]] = []  # (text, href)
        self.texts: dict[str, str] = {}  # element id -> text
        self.classes: dict[str, list[str]] = {}  # class -> texts of elements with it
        self._open: list[tuple[str, dict, list[str]]] = []
        self._form = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = attrs.get("class", "")
        if tag == "input":
            if attrs.get("type") == "hidden":
                self.hidden.setdefault(self._form, []).append((attrs["name"], attrs["value"]))
            else:
                self.fields[attrs.get("id") or attrs["name"]] = attrs
            return
        if tag in ("br", "img", "link", "meta", "rect", "line"):
            return
        self._open.append((tag, attrs, []))

    def handle_endtag(self, tag):
        while self._open:
            name, attrs, text = self._open.pop()
            joined = " ".join("".join(text).split())
            if self._open:
                self._open[-1][2].append("".join(text))
            if name in ("h1", "h2", "h3", "h4"):
                self.headings.append((name, joined))
            if name == "a":
                self.links.append((joined, attrs.get("href", "")))
            if "id" in attrs:
                self.texts[attrs["id"]] = joined
            for cls in attrs.get("class", "").split():
                self.classes.setdefault(cls, []).append(joined)
            if name == tag:
                return

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def get(client, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, url
    return Page(response.get_data(as_text=True))


# -- error pages keep the user's work -----------------------------------------------------------

def test_a_bad_query_keeps_the_query_and_the_filters(client):
    page = get(client, "/search?q=Stalin+AND&sender=stalin&type=telegram&date_from=1950-01", 400)
    assert page.fields["q"]["value"] == "Stalin AND"
    assert page.fields["q"]["aria-invalid"] == "true"
    assert page.fields["q"]["aria-describedby"] == "q-error"
    assert page.texts["q-error"] == "AND needs a term on both sides How to search"
    assert page.hidden["search-form"] == [("sender", "stalin"), ("type", "telegram"),
                                          ("date_from", "1950-01")]
    assert page.fields["date_from"]["value"] == "1950-01"
    assert page.classes["chip"] == ["Sender: I. V. Stalin ×, remove this filter",
                                    "Type: Telegram ×, remove this filter",
                                    "From: 1950-01 ×, remove this filter"]
    assert page.headings[0] == ("h1", "The search needs a correction for “Stalin AND”")
    assert "aria-invalid" not in page.fields["date_from"]


def test_reversed_dates_keep_the_filters_and_mark_the_date(client):
    page = get(client, "/search?q=Kim&year=1950&date_from=1950-06&date_to=1950-01", 400)
    assert (page.fields["date_from"]["value"], page.fields["date_to"]["value"]) == ("1950-06", "1950-01")
    assert page.fields["date_to"]["aria-invalid"] == "true"
    assert page.fields["date_to"]["aria-describedby"] == "date-error date-hint"
    assert page.texts["date-error"] == "To: 1950-01 is before From 1950-06"
    assert page.fields["q"]["value"] == "Kim" and "aria-invalid" not in page.fields["q"]
    assert page.hidden["dates"] == [("q", "Kim"), ("year", "1950")]
    assert page.classes["chip"] == ["Year: 1950 ×, remove this filter",
                                    "From: 1950-06 ×, remove this filter",
                                    "To: 1950-01 ×, remove this filter"]
    assert ("correct the date range", "#date_to") in page.links


def test_a_malformed_date_is_marked_on_its_field(client):
    page = get(client, "/search?date_from=May", 400)
    assert page.fields["date_from"]["aria-invalid"] == "true"
    assert page.texts["date-error"] == ('From: expected a date such as 1950, 1950-05 or '
                                        '1950-05-14, got "May"')


def test_an_error_in_another_parameter_is_shown_with_the_results(client):
    page = get(client, "/search?q=Kim&sort=sideways", 400)
    assert page.classes["field-error"] == ['sort: expected one of relevance, date, -date, got "sideways"']
    assert page.fields["q"]["value"] == "Kim"


# -- a page past the end -----------------------------------------------------------------------

def test_a_page_past_the_end_says_so(client):
    total = client.get("/api/search?page_size=5").get_json()["total"]
    pages = -(-total // 5)
    page = get(client, "/search?page_size=5&page=99")
    assert page.headings[0] == ("h1", f"Page 99 of {pages}: past the last page")
    assert page.classes["past-end"] == [f"There are {total} documents, 5 a page. "
                                        f"Go to the last page ({pages})."]
    assert (f"Go to the last page ({pages})", f"/search?page_size=5&page={pages}") in page.links
    assert ("Previous", f"/search?page_size=5&page={pages}") in page.links


# -- headings, skip links, facet counts, the Filters control --------------------------------------

def test_search_headings_start_with_the_h1_and_refine_follows(client):
    headings = get(client, "/search?q=Stalin").headings
    assert headings[0][0] == "h1"
    refine = headings.index(("h2", "Refine"))
    assert [h for h, _ in headings[refine + 1:]] == ["h3"] * (len(headings) - refine - 1)
    assert [t for _, t in headings[refine + 1:]][:2] == ["Sender", "Recipient"]


def test_document_page_has_no_hidden_text_heading(client):
    headings = get(client, f"/documents/{DOC}").headings
    assert headings[0][0] == "h1"
    assert ("h2", "Text") not in headings
    assert headings[1] == ("h2", "Summary")


def test_skip_links(client):
    search = get(client, "/search?q=Stalin")
    assert search.links[:2] == [("Skip to main content", "#main"), ("Skip to results", "#results")]
    document = get(client, f"/documents/{DOC}")
    assert document.links[:2] == [("Skip to main content", "#main"), ("Telegrams 1949–1950", "/")]


def test_facet_counts_are_read_as_documents(client):
    html = client.get("/search?q=Stalin").get_data(as_text=True)
    facets = client.get("/api/search?q=Stalin").get_json()["facets"]
    for bucket in facets["sender"]:
        count = bucket["count"]
        assert (f'<span class="count" aria-hidden="true">{count}</span><span class="visually-hidden">'
                f"({count} document{'' if count == 1 else 's'})</span>") in html


@pytest.mark.parametrize(("url", "label"), [
    ("/search?q=Stalin", "Filters"),
    ("/search?q=Stalin&sender=stalin&date_from=1950", "Filters (2 active)"),
])
def test_filters_control_leads_to_the_filters(client, url, label):
    page = get(client, url)
    assert (label, "#refine") in page.links
    assert page.texts["refine"].startswith("Refine Back to the results")


def test_csv_export_offers_the_spreadsheet_variant_by_name(client):
    page = get(client, "/search?q=Stalin")
    exports = [link for link in page.links if link[1].startswith("/export?")]
    assert exports == [
        ("ZIP", "/export?q=Stalin&format=zip"),
        ("CSV", "/export?q=Stalin&format=csv"),
        ("CSV for Excel", "/export?q=Stalin&format=csv&bom=1"),
        ("JSONL", "/export?q=Stalin&format=jsonl"),
        ("BibTeX", "/export?q=Stalin&format=bibtex"),
        ("RIS", "/export?q=Stalin&format=ris"),
        ("CSL-JSON", "/export?q=Stalin&format=csl-json"),
    ]
    body = client.get("/export?q=Stalin&format=csv&bom=1").get_data()
    assert body.startswith(b"\xef\xbb\xbf")


def test_person_timeline_has_a_phone_layout(client):
    html = client.get("/people/stalin").get_data(as_text=True)
    assert 'class="timeline-svg wide"' in html and 'class="timeline-svg narrow"' in html
