"""The pictures on the search page, their files (SVG, PNG) and their JSON twin."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from support import qualified_dates_archive
from web_support import build_web_archive

from archive.build import rebuild
from archive.search import SearchRequest
from web import create_app

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def app(tmp_path_factory, engine_settings):
    config = build_web_archive(tmp_path_factory.mktemp("web-pictures"), engine_settings())
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": config})


@pytest.fixture
def client(app):
    return app.test_client()


def service_pictures(app, **params):
    with app.app_context():
        return app.extensions["archive"].search.search(SearchRequest.from_params(params),
                                                       pictures=True).pictures


class _Tables(HTMLParser):
    """The rows of every table with an id: {id: [[cell text, ...], ...]}."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def test_search_page_draws_three_pictures_with_tables_of_their_numbers(app, client):
    html = client.get("/search?q=Stalin").get_data(as_text=True)
    pictures = service_pictures(app, q="Stalin")
    for kind in ("timeline", "network", "routes"):
        assert f'class="picture-svg picture-{kind}"' in html
    found = tables(html)
    assert found["timeline-table"][1:] == [[b.label, str(b.exact), str(b.spanning), str(b.uncertain)]
                                           for b in pictures.timeline.bars if b.exact or b.spanning]
    assert found["network-nodes-table"][1:] == [
        [n.label, str(n.documents), str(n.sent), str(n.received), str(n.relayed)]
        for n in pictures.network.nodes]
    assert found["network-edges-table"][1:] == [
        [e.source_label, e.target_label, str(e.count), "relayed (via)" if e.kind == "via" else "direct"]
        for e in pictures.network.edges]
    assert found["routes-table"][1:] == [[r.source_label, r.target_label, str(r.count)]
                                         for r in pictures.routes.routes]
    assert found["places-table"][1:] == [[p.label, str(p.sent_from), str(p.sent_to), str(p.lat), str(p.lon)]
                                         for p in pictures.routes.places]
    assert len(found["routes-table"]) > 2 and len(found["network-edges-table"]) > 10


def test_pictures_obey_the_csp_no_inline_styles_or_scripts(client):
    html = client.get("/search?q=Stalin").get_data(as_text=True)
    drawn = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(drawn) == 3
    for svg in drawn:
        assert "style=" not in svg and "<script" not in svg and "javascript:" not in svg
        ET.fromstring(svg)  # well-formed XML: an SVG file as well as markup in the page


def test_every_link_in_a_picture_narrows_the_search(client):
    """Followed, each link finds the number of documents its title says (never more than the
    search it came from)."""
    html = client.get("/search?q=Stalin").get_data(as_text=True)
    total = client.get("/api/search?q=Stalin").get_json()["total"]
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"><title>', html)
    assert len(links) > 20
    for href, label in links:
        params = dict.fromkeys(k for k, _ in parse_qsl(urlsplit(href.replace("&amp;", "&")).query))
        pairs = parse_qsl(urlsplit(href.replace("&amp;", "&")).query)
        query = {k: [v for key, v in pairs if key == k] for k in params}
        found = client.get("/api/search", query_string=query).get_json()["total"]
        numbers = [int(n) for n in re.findall(r"(\d+) (?:document|more)", label)]
        assert found == sum(numbers) and found <= total, (href, label)


def test_layout_is_stable_between_requests(client):
    first = client.get("/pictures/network.svg?q=Stalin").data
    assert client.get("/pictures/network.svg?q=Stalin").data == first


@pytest.mark.parametrize("kind", ["timeline", "network", "routes"])
def test_svg_and_png_files(client, kind):
    svg = client.get(f"/pictures/{kind}.svg?q=Stalin")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.headers["Content-Disposition"] == f'attachment; filename="archive-{kind}.svg"'
    root = ET.fromstring(svg.data)
    assert root.tag == f"{SVG}svg" and root.get("width") == "960"
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links and all(h.startswith("https://archive.example.org/search?") for h in links)
    png = client.get(f"/pictures/{kind}.png?q=Stalin")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.data[16:24])  # the IHDR chunk
    assert (width, height) == (1920, 2 * int(root.get("height")))


def test_json_twin_has_the_same_numbers_and_the_file_links(app, client):
    data = client.get("/api/pictures?q=Stalin&sender=stalin&page=2").get_json()
    pictures = service_pictures(app, q="Stalin", sender=["stalin"])
    expected = pictures.to_dict()
    assert {k: v for k, v in data.items() if k != "links"} == expected
    assert data["links"] == {
        "search": "/search?q=Stalin&sender=stalin",
        "files": {kind: {ext: f"/pictures/{kind}.{ext}?q=Stalin&sender=stalin" for ext in ("svg", "png")}
                  for kind in ("timeline", "network", "routes")}}


@pytest.mark.parametrize("url, status", [
    ("/api/pictures?date_from=1950-13", 400),
    ("/pictures/network.svg?date_from=May", 400),
    ("/pictures/chart.svg", 404),
    ("/pictures/network.gif", 404),
])
def test_bad_requests(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    if url.startswith("/api/"):
        assert response.get_json()["ok"] is False


def test_no_pictures_for_no_results(client):
    html = client.get("/search?q=zzzzqqqq").get_data(as_text=True)
    assert 'id="pictures"' not in html
    empty = client.get("/api/pictures?sender=molotov&recipient=mao-zedong").get_json()
    assert (empty["total"], empty["timeline"]["bars"], empty["network"]["nodes"]) == (0, [], [])


def test_help_explains_each_picture_on_the_web_and_the_command_line(client, capsys):
    from archive.cli import main
    from archive.help import PICTURE_SECTIONS

    html = client.get("/help").get_data(as_text=True)
    assert main(["help", "pictures"]) == 0
    printed = capsys.readouterr().out
    for heading, text in PICTURE_SECTIONS:
        assert f"<h3>{heading}</h3>" in html and f"\n{heading}\n" in "\n" + printed
        assert text.replace("“", "&#8220;")[:40] in html or text[:40] in html


def test_person_page_links_to_the_pictures_of_their_correspondence(app, client):
    html = client.get("/people/roshchin").get_data(as_text=True)
    href = re.search(r'<a href="([^"]+)" class="person-pictures">', html)[1].replace("&amp;", "&")
    assert href.endswith("#pictures")
    page = client.get(href.split("#")[0]).get_data(as_text=True)
    assert 'id="pictures"' in page
    q = dict(parse_qsl(urlsplit(href).query))["q"]
    roshchin = next(n for n in service_pictures(app, q=q).network.nodes if n.id == "roshchin")
    # every document of the search involves him: sent 1, relayed 3 (tests/data/collection)
    assert (roshchin.documents, roshchin.sent, roshchin.received, roshchin.relayed) == (4, 1, 0, 3)
    assert service_pictures(app, q=q).total == 4


# -- dates the archive doubts (the QUALIFIED_DATES documents of tests/support.py) ------------

@pytest.fixture(scope="module")
def doubted(tmp_path_factory):
    config = qualified_dates_archive(tmp_path_factory.mktemp("web-doubted"))
    assert rebuild(config).status == "built"
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()


def test_timeline_table_says_how_many_dates_are_uncertain_or_approximate(doubted):
    html = doubted.get("/search?sender=stalin").get_data(as_text=True)
    assert tables(html)["timeline-table"] == [
        ["Period", "Dated in it", "Wider date overlapping it", "Of which uncertain or approximate"],
        ["Jan 1950", "1", "0", "0"],
        ["Sep 1950", "0", "1", "1"],  # 1950-09-28?/1950-10-03
        ["Oct 1950", "4", "1", "3"],  # 1950-10-02?, ~1950-10-15 and the same interval
    ]


def test_json_twin_counts_the_uncertain_and_approximate_dates(doubted):
    def bar(start, end, label, exact=0, spanning=0, uncertain=0, uncertain_spanning=0):
        return {"start": start, "end": end, "label": label, "exact": exact, "spanning": spanning,
                "uncertain": uncertain, "uncertain_spanning": uncertain_spanning,
                "params": [["sender", "stalin"], ["date_from", start], ["date_to", end]]}

    body = doubted.get("/api/pictures?sender=stalin").get_json()
    assert body == {
        "total": 6,
        "timeline": {"unit": "month", "bars": [
            bar("1950-01-01", "1950-01-31", "Jan 1950", exact=1),
            bar("1950-02-01", "1950-02-28", "Feb 1950"), bar("1950-03-01", "1950-03-31", "Mar 1950"),
            bar("1950-04-01", "1950-04-30", "Apr 1950"), bar("1950-05-01", "1950-05-31", "May 1950"),
            bar("1950-06-01", "1950-06-30", "Jun 1950"), bar("1950-07-01", "1950-07-31", "Jul 1950"),
            bar("1950-08-01", "1950-08-31", "Aug 1950"),
            bar("1950-09-01", "1950-09-30", "Sep 1950", spanning=1, uncertain=1, uncertain_spanning=1),
            bar("1950-10-01", "1950-10-31", "Oct 1950", exact=4, spanning=1, uncertain=3,
                uncertain_spanning=1)]},
        "network": {
            "nodes": [
                # as many documents each: by id
                {"id": "mao-zedong", "label": "Mao Zedong", "documents": 6, "sent": 0, "received": 6,
                 "relayed": 0, "params": [["q", '(sender:"Mao Zedong" OR recipient:"Mao Zedong" '
                                               'OR via:"Mao Zedong")'], ["sender", "stalin"]]},
                {"id": "stalin", "label": "I. V. Stalin", "documents": 6, "sent": 6, "received": 0,
                 "relayed": 0, "params": [["q", '(sender:"I. V. Stalin" OR recipient:"I. V. Stalin" '
                                               'OR via:"I. V. Stalin")'], ["sender", "stalin"]]}],
            "edges": [{"source": "stalin", "target": "mao-zedong", "count": 6, "kind": "direct",
                       "params": [["sender", "stalin"], ["recipient", "mao-zedong"]],
                       "source_label": "I. V. Stalin", "target_label": "Mao Zedong"}],
            "others": 0, "edges_left_out": 0},
        "routes": {"places": [], "routes": [], "unplaced": 6},
        "links": {"search": "/search?sender=stalin", "files": {
            kind: {ext: f"/pictures/{kind}.{ext}?sender=stalin" for ext in ("svg", "png")}
            for kind in ("timeline", "network", "routes")}},
    }


def hatched(svg: bytes) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each bar's link label and its hatched rectangles (fill, count)."""
    return [(a.get("aria-label"), [(r.get("fill"), r.get("data-count"))
                                   for r in a.iter(f"{SVG}rect") if r.get("class") == "uncertain"])
            for a in ET.fromstring(svg).iter(f"{SVG}a")]


def test_the_svg_hatches_the_doubted_share_of_each_bar_and_says_so(doubted):
    svg = doubted.get("/pictures/timeline.svg?sender=stalin").data
    wider = "more with a wider date (a month, year or interval) overlapping it"
    assert hatched(svg) == [
        ("Jan 1950: 1 document dated in it", []),
        (f"Sep 1950: 0 documents dated in it, 1 {wider}; 1 uncertain or approximate",
         [("url(#hatch-spanning)", "1")]),
        (f"Oct 1950: 4 documents dated in it, 1 {wider}; 3 uncertain or approximate",
         [("url(#hatch-exact)", "2"), ("url(#hatch-spanning)", "1")]),
    ]
    root = ET.fromstring(svg)
    assert [p.get("id") for p in root.iter(f"{SVG}pattern")] == ["hatch-exact", "hatch-spanning"]
    legend = [t.text for t in root if t.tag == f"{SVG}text"]
    assert "hatched: the date is uncertain or approximate (?, ~, %)" in legend


def test_the_png_shows_the_hatching(doubted):
    """CairoSVG's rendering: the hatched share of October's dark part has light stripes across
    it; the rest of the dark part is plain."""
    import io

    from PIL import Image

    svg = ET.fromstring(doubted.get("/pictures/timeline.svg?sender=stalin").data)
    png = Image.open(io.BytesIO(doubted.get("/pictures/timeline.png?sender=stalin").data)).convert("RGB")
    october = list(svg.iter(f"{SVG}a"))[-1]
    rects = {r.get("class"): r for r in october.iter(f"{SVG}rect") if r.get("fill") != "url(#hatch-spanning)"}
    x, width = float(rects["bar"].get("x")), float(rects["bar"].get("width"))
    bottom = float(rects["bar"].get("y")) + float(rects["bar"].get("height"))
    top_hatch = float(rects["uncertain"].get("y"))
    end_hatch = top_hatch + float(rects["uncertain"].get("height"))

    def colours(y0: float, y1: float) -> set[tuple[int, int, int]]:
        box = (round(2 * x) + 2, round(2 * y0) + 2, round(2 * (x + width)) - 2, round(2 * y1) - 2)
        return {colour for _, colour in png.crop(box).getcolors(maxcolors=1 << 16)}

    plain, striped = colours(end_hatch, bottom), colours(top_hatch, end_hatch)
    accent = (0x7b, 0x2d, 0x1a)
    assert plain == {accent}
    # dark between light stripes (white at 80 %; their edges blended by antialiasing)
    assert any(max(c) < 150 for c in striped) and any(min(c) > 180 for c in striped)
