"""The numbers behind the pictures (archive.pictures), checked by hand against the front matter
of tests/data/collection (14 documents; names resolved through its people.yaml: Filippov and Feng
Xi are Stalin, Shtikov is Shtykov)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from support import qualified_dates_archive

from archive.build import rebuild
from archive.search import SearchRequest, SearchService

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)


@pytest.fixture(scope="module")
def service(built_archive):
    service = SearchService(built_archive)
    yield service
    service.close()


def pictures(service, top=None, **params):
    request = SearchRequest.from_params(params)
    if top is None:
        return service.search(request, pictures=True).pictures
    from archive import pictures as drawing

    saved = drawing.TOP_CORRESPONDENTS  # read when drawn, by either engine
    drawing.TOP_CORRESPONDENTS = top
    try:
        service._pictures_cache.clear()
        service._cache.clear()
        return service.search(request, pictures=True).pictures
    finally:
        drawing.TOP_CORRESPONDENTS = saved
        service._pictures_cache.clear()
        service._cache.clear()


def test_timeline_per_month_marks_months_and_intervals_as_spanning(service):
    timeline = pictures(service).timeline
    assert timeline.unit == "month"
    # exact: dated within the month; spanning: 1949-11 is a month (exact), "1950" spans the year
    # and 1950-05-13/1950-05-15 lies within May
    # uncertain: the one date the collection doubts, "1950-10-02?"
    assert [(b.label, b.exact, b.spanning, b.uncertain) for b in timeline.bars] == [
        ("Mar 1949", 1, 0, 0), ("Apr 1949", 0, 0, 0), ("May 1949", 1, 0, 0), ("Jun 1949", 0, 0, 0),
        ("Jul 1949", 0, 0, 0), ("Aug 1949", 0, 0, 0), ("Sep 1949", 0, 0, 0), ("Oct 1949", 0, 0, 0),
        ("Nov 1949", 1, 0, 0), ("Dec 1949", 0, 0, 0), ("Jan 1950", 1, 1, 0), ("Feb 1950", 0, 1, 0),
        ("Mar 1950", 0, 1, 0), ("Apr 1950", 0, 1, 0), ("May 1950", 3, 1, 0), ("Jun 1950", 0, 1, 0),
        ("Jul 1950", 1, 1, 0), ("Aug 1950", 1, 1, 0), ("Sep 1950", 1, 1, 0), ("Oct 1950", 3, 1, 1),
        ("Nov 1950", 0, 1, 0), ("Dec 1950", 0, 1, 0)]
    feb = timeline.bars[11]
    assert (feb.start, feb.end, feb.params) == ("1950-02-01", "1950-02-28",
                                               [("date_from", "1950-02-01"), ("date_to", "1950-02-28")])


def test_timeline_per_day_under_three_months_bounded_by_the_dates_asked(service):
    timeline = pictures(service, q="Stalin", date_from="1950-05", date_to="1950-06").timeline
    assert timeline.unit == "day"
    assert len(timeline.bars) == 61  # 1 May to 30 June, not the whole of 1950
    counted = [(b.start, b.exact, b.spanning) for b in timeline.bars if b.exact or b.spanning > 1]
    # the talks are dated 1950-05-13/1950-05-15; the Molotov note "1950" spans every day
    assert counted == [("1950-05-13", 1, 2), ("1950-05-14", 1, 2), ("1950-05-15", 0, 2)]
    assert all(b.spanning >= 1 for b in timeline.bars)
    assert timeline.bars[13].params == [("q", "Stalin"), ("date_from", "1950-05-14"),
                                        ("date_to", "1950-05-14")]


@pytest.fixture(scope="module")
def doubted(tmp_path_factory):
    """A search service over the QUALIFIED_DATES test documents (tests/support.py)."""
    config = qualified_dates_archive(tmp_path_factory.mktemp("qualified"))
    assert rebuild(config).status == "built"
    service = SearchService(config)
    yield service
    service.close()


def month(start: str, end: str, label: str, exact: int = 0, spanning: int = 0, uncertain: int = 0,
          uncertain_spanning: int = 0) -> dict:
    return {"start": start, "end": end, "label": label, "exact": exact, "spanning": spanning,
            "params": [["date_from", start], ["date_to", end]], "uncertain": uncertain,
            "uncertain_spanning": uncertain_spanning}


def test_timeline_counts_the_documents_with_uncertain_or_approximate_dates(doubted):
    """October 1950 holds a sure day, "1950-10-02?", "~1950-10-15" and the interval
    1950-10-05/1950-10-09 (all four dated within the month), and "1950-09-28?/1950-10-03"
    overlapping September too: three of its five documents have a date the archive doubts."""
    timeline = pictures(doubted).to_dict()["timeline"]
    assert timeline == {"unit": "month", "bars": [
        month("1950-01-01", "1950-01-31", "Jan 1950", exact=1),
        month("1950-02-01", "1950-02-28", "Feb 1950"),
        month("1950-03-01", "1950-03-31", "Mar 1950"),
        month("1950-04-01", "1950-04-30", "Apr 1950"),
        month("1950-05-01", "1950-05-31", "May 1950"),
        month("1950-06-01", "1950-06-30", "Jun 1950"),
        month("1950-07-01", "1950-07-31", "Jul 1950"),
        month("1950-08-01", "1950-08-31", "Aug 1950"),
        month("1950-09-01", "1950-09-30", "Sep 1950", spanning=1, uncertain=1, uncertain_spanning=1),
        month("1950-10-01", "1950-10-31", "Oct 1950", exact=4, spanning=1, uncertain=3,
              uncertain_spanning=1),
    ]}


def test_timeline_per_day_counts_uncertain_days_and_intervals(doubted):
    bars = pictures(doubted, date_from="1950-10", date_to="1950-10").to_dict()["timeline"]["bars"]
    # 1 to 15 October: from the first day dated to the last
    assert [b["start"] for b in bars] == [f"1950-10-{d:02d}" for d in range(1, 16)]
    assert all(b["params"] == [["date_from", b["start"]], ["date_to", b["start"]]] for b in bars)
    counted = [{k: v for k, v in b.items() if k not in ("params", "end")} for b in bars
               if b["exact"] or b["spanning"]]
    assert counted == [
        # 1950-09-28?/1950-10-03, bounded by the month asked for
        {"start": "1950-10-01", "label": "1 Oct 1950", "exact": 0, "spanning": 1, "uncertain": 1,
         "uncertain_spanning": 1},
        {"start": "1950-10-02", "label": "2 Oct 1950", "exact": 1, "spanning": 1, "uncertain": 2,
         "uncertain_spanning": 1},  # and 1950-10-02?
        {"start": "1950-10-03", "label": "3 Oct 1950", "exact": 0, "spanning": 1, "uncertain": 1,
         "uncertain_spanning": 1},
        *({"start": f"1950-10-0{d}", "label": f"{d} Oct 1950", "exact": 0, "spanning": 1,
           "uncertain": 0, "uncertain_spanning": 0} for d in (5, 6, 7)),  # 1950-10-05/1950-10-09
        {"start": "1950-10-08", "label": "8 Oct 1950", "exact": 1, "spanning": 1, "uncertain": 0,
         "uncertain_spanning": 0},
        {"start": "1950-10-09", "label": "9 Oct 1950", "exact": 0, "spanning": 1, "uncertain": 0,
         "uncertain_spanning": 0},
        {"start": "1950-10-15", "label": "15 Oct 1950", "exact": 1, "spanning": 0, "uncertain": 1,
         "uncertain_spanning": 0},  # ~1950-10-15
    ]


def test_network_nodes_and_edges(service):
    network = pictures(service).network
    assert [(n.id, n.label, n.documents, n.sent, n.received, n.relayed) for n in network.nodes] == [
        ("stalin", "I. V. Stalin", 12, 5, 7, 0),
        ("shtykov", "T. F. Shtykov", 6, 3, 2, 1),
        ("mao-zedong", "Mao Zedong", 4, 2, 2, 0),
        ("roshchin", "N. V. Roshchin", 4, 1, 0, 3),
        ("kim-il-sung", "Kim Il Sung", 3, 1, 2, 0),
        ("vyshinsky", "A. Ya. Vyshinsky", 2, 1, 1, 0),
        ("kovalev", "I. V. Kovalev", 1, 1, 0, 0),
        ("molotov", "V. M. Molotov", 1, 1, 0, 0),
        ("politburo", "VKP(b) CC Politburo", 1, 1, 0, 0),
        ("zhou-enlai", "Zhou Enlai", 1, 0, 1, 1),
    ]
    assert network.others == 0
    assert [(e.source, e.target, e.count, e.kind) for e in network.edges] == [
        ("mao-zedong", "stalin", 2, "direct"), ("shtykov", "stalin", 2, "direct"),
        ("stalin", "kim-il-sung", 2, "direct"), ("stalin", "mao-zedong", 2, "direct"),
        ("roshchin", "mao-zedong", 2, "via"), ("stalin", "roshchin", 2, "via"),
        ("kim-il-sung", "stalin", 1, "direct"), ("kovalev", "stalin", 1, "direct"),
        ("molotov", "stalin", 1, "direct"), ("politburo", "shtykov", 1, "direct"),
        ("roshchin", "stalin", 1, "direct"), ("shtykov", "vyshinsky", 1, "direct"),
        ("stalin", "shtykov", 1, "direct"), ("stalin", "zhou-enlai", 1, "direct"),
        ("vyshinsky", "kim-il-sung", 1, "direct"),
        ("mao-zedong", "roshchin", 1, "via"), ("roshchin", "stalin", 1, "via"),
        ("roshchin", "zhou-enlai", 1, "via"), ("shtykov", "kim-il-sung", 1, "via"),
        ("stalin", "shtykov", 1, "via"), ("stalin", "zhou-enlai", 1, "via"),
        ("zhou-enlai", "mao-zedong", 1, "via"),
    ]
    by_pair = {(e.source, e.target, e.kind): e.params for e in network.edges}
    assert by_pair["shtykov", "kim-il-sung", "via"] == [("recipient", "kim-il-sung"), ("via", "shtykov")]
    assert network.nodes[0].params == [
        ("q", '(sender:"I. V. Stalin" OR recipient:"I. V. Stalin" OR via:"I. V. Stalin")')]


def test_network_keeps_the_top_correspondents_and_sums_the_rest(service):
    network = pictures(service, top=3).network
    assert [(n.id, n.label, n.documents, n.sent, n.received, n.relayed) for n in network.nodes] == [
        ("stalin", "I. V. Stalin", 12, 5, 7, 0),
        ("shtykov", "T. F. Shtykov", 6, 3, 2, 1),
        ("mao-zedong", "Mao Zedong", 4, 2, 2, 0),
        # Roshchin, Kim, Vyshinsky, Kovalev, Molotov, Politburo, Zhou: the 11 documents any of
        # them sent (6), received (Kim twice, Vyshinsky, Zhou) or relayed (Roshchin 3, Zhou)
        ("others", "7 others", 11, 6, 4, 4),
    ]
    assert (network.others, network.edges_left_out) == (7, 0)
    assert [(e.source, e.target, e.count, e.kind, e.params is None) for e in network.edges] == [
        # Kim, Roshchin, Kovalev, Molotov to Stalin; Stalin to Kim twice and to Zhou; Vyshinsky
        # to Kim is within "others" and not drawn
        ("others", "stalin", 4, "direct", True), ("stalin", "others", 3, "direct", True),
        ("mao-zedong", "stalin", 2, "direct", False), ("shtykov", "stalin", 2, "direct", False),
        ("stalin", "mao-zedong", 2, "direct", False), ("others", "mao-zedong", 2, "via", True),
        ("stalin", "others", 2, "via", True), ("others", "shtykov", 1, "direct", True),
        ("shtykov", "others", 1, "direct", True), ("stalin", "shtykov", 1, "direct", False),
        ("mao-zedong", "others", 1, "via", True), ("others", "stalin", 1, "via", True),
        ("shtykov", "others", 1, "via", True), ("stalin", "shtykov", 1, "via", False),
    ]


def test_routes_with_coordinates_from_the_place_authority(service):
    routes = pictures(service).routes
    assert [(p.id, p.label, p.lat, p.lon, p.sent_from, p.sent_to) for p in routes.places] == [
        ("moscow", "Moscow", 55.76, 37.62, 4, 3),
        ("beijing", "Beijing", 39.9, 116.41, 1, 2),  # ties by id
        ("pyongyang", "Pyongyang", 39.04, 125.76, 2, 1),
    ]
    assert [(r.source, r.target, r.count, r.params) for r in routes.routes] == [
        ("moscow", "beijing", 2, [("place_from", "moscow"), ("place_to", "beijing")]),
        ("pyongyang", "moscow", 2, [("place_from", "pyongyang"), ("place_to", "moscow")]),
        ("beijing", "moscow", 1, [("place_from", "beijing"), ("place_to", "moscow")]),
        ("moscow", "pyongyang", 1, [("place_from", "moscow"), ("place_to", "pyongyang")]),
    ]
    assert routes.unplaced == 7  # documents naming neither place


def test_links_narrow_the_search_to_the_same_numbers(service):
    """Each link, followed, finds as many documents as its bar, node, edge or route counts."""
    def total(params):
        grouped = {}
        for key, value in params:
            grouped.setdefault(key, []).append(value)
        return service.search(SearchRequest.from_params(grouped)).total

    found = pictures(service, q="Stalin")
    for bar in found.timeline.bars:
        assert total(bar.params) == bar.exact + bar.spanning, bar
    for node in found.network.nodes:
        assert total(node.params) == node.documents, node
    for edge in found.network.edges:
        if edge.params is not None:
            assert total(edge.params) == edge.count, edge
    for route in found.routes.routes:
        assert total(route.params) == route.count, route


def test_no_matches_gives_empty_pictures(service):
    found = pictures(service, sender="molotov", recipient="mao-zedong")
    assert found.to_dict() == {
        "total": 0, "timeline": {"unit": "month", "bars": []},
        "network": {"nodes": [], "edges": [], "others": 0, "edges_left_out": 0},
        "routes": {"places": [], "routes": [], "unplaced": 0}}


def test_network_keeps_only_the_heaviest_edges(service, monkeypatch):
    from archive import pictures as drawing

    everything = pictures(service, top=30).network.edges
    monkeypatch.setattr(drawing, "TOP_EDGES", 5)
    network = pictures(service, top=30).network
    assert (network.edges, network.edges_left_out) == (everything[:5], len(everything) - 5)


def _columns(*people_rows):
    from datetime import date

    from archive import facets

    day = date(1950, 5, 14).toordinal()
    return facets.build([{"id": f"d{i}", "date_start": day, "date_end": day, "qualified": False, **row}
                         for i, row in enumerate(people_rows)])


def test_network_counts_a_person_once_per_document_whatever_the_roles():
    import numpy as np

    from archive import pictures as drawing
    from archive.people import PeopleAuthority

    columns = _columns({"sender": ["a"], "recipient": ["a", "b"], "via": ["a"]},
                       {"sender": ["b"], "recipient": ["a"]}, {})
    network = drawing.network(columns, np.arange(3), SearchRequest(), PeopleAuthority([]))
    assert [(n.id, n.documents, n.sent, n.received, n.relayed) for n in network.nodes] == [
        ("a", 2, 1, 2, 1), ("b", 2, 1, 1, 0)]
    assert [(e.source, e.target, e.count, e.kind) for e in network.edges] == [
        ("a", "b", 1, "direct"), ("b", "a", 1, "direct"), ("a", "b", 1, "via")]


def test_network_of_documents_without_correspondents_is_empty():
    import numpy as np

    from archive import pictures as drawing
    from archive.people import PeopleAuthority

    network = drawing.network(_columns({}, {}), np.arange(2), SearchRequest(), PeopleAuthority([]))
    assert (network.nodes, network.edges, network.others) == ([], [], 0)


def test_every_page_of_a_search_has_the_pictures_of_the_whole_set_drawn_once(service):
    first = service.search(SearchRequest(q="Stalin", page_size=5), pictures=True)
    second = service.search(SearchRequest(q="Stalin", page_size=5, page=2), pictures=True)
    assert second.hits != first.hits and first.pictures.total == first.total
    assert second.pictures is first.pictures  # kept by the search, not by its page
    by_date = service.search(SearchRequest(q="Stalin", page_size=5, sort="date"), pictures=True)
    assert without_links(by_date.pictures) == without_links(first.pictures)
    assert by_date.pictures != first.pictures  # its links keep the order asked for


def without_links(pictures) -> dict:
    def numbers(value):
        if isinstance(value, dict):
            return {k: numbers(v) for k, v in value.items() if k != "params"}
        if isinstance(value, list | tuple):
            return [numbers(v) for v in value]
        return value

    return numbers(asdict(pictures))
