"""The search service on the fixture collection (tests/data/collection), built once per run."""

from __future__ import annotations

import json
import shutil
import threading

import pytest

from archive.build import rebuild
from archive.cli import main
from archive.search import FacetBucket, SearchError, SearchRequest, SearchService, SearchUnavailable

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

CONVERSATION = "1949-03-05-stalin-kim-conversation"
SHTYKOV_1949 = "1949-05-15-shtykov-to-vyshinsky"
REPORT_1949_11 = "1949-11-shtykov-report"
STALIN_JAN = "1950-01-30-stalin-to-shtykov"
TALKS = "1950-05-13-mao-kim-talks"
ROSHCHIN = "1950-05-13-roshchin-to-filippov"
NO_8600 = "1950-05-14-stalin-to-mao-no-8600"
LUSHUN = "1950-07-kovalev-lushun"
FENG_XI = "1950-08-31-shtykov-to-feng-xi"
DIRECTIVE = "1950-09-27-politburo-directive"
VOLUNTEERS = "1950-10-01-stalin-to-mao-volunteers"
MAO_OCT = "1950-10-02-mao-to-stalin"
LETTER = "1950-10-08-stalin-to-kim-via-shtykov"
MOLOTOV = "1950-molotov-note"
STALINS = [CONVERSATION, REPORT_1949_11, MOLOTOV, STALIN_JAN, TALKS, ROSHCHIN, NO_8600, LUSHUN,
           FENG_XI, VOLUNTEERS, MAO_OCT, LETTER]


@pytest.fixture(scope="module")
def service(built_archive):
    service = SearchService(built_archive)
    yield service
    service.close()


def ids(service, q="", sort="date", **kwargs):
    result = service.search(SearchRequest(q=q, sort=sort, page_size=100, **kwargs))
    return [hit.id for hit in result.hits]


def buckets(result, facet):
    return [(b.value, b.label, b.count, b.selected) for b in result.facets[facet]]


# -- names -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "expected", "note"), [
    ("Vishinsky", [CONVERSATION, SHTYKOV_1949, DIRECTIVE], 'Searched for "Vishinsky" as A. Ya. Vyshinsky.'),
    ("Вышинский", [CONVERSATION, SHTYKOV_1949, DIRECTIVE], 'Searched for "Вышинский" as A. Ya. Vyshinsky.'),
    ("Vyshinsky", [CONVERSATION, SHTYKOV_1949, DIRECTIVE], None),
    ("Штыков", [SHTYKOV_1949, REPORT_1949_11, STALIN_JAN, FENG_XI, DIRECTIVE, LETTER],
     'Searched for "Штыков" as T. F. Shtykov.'),
    ("Filippov", STALINS, 'Searched for "Filippov" as I. V. Stalin.'),
    ("Feng Xi", STALINS, 'Searched for "Feng Xi" as I. V. Stalin.'),
    ("sender:Filippov", [CONVERSATION, STALIN_JAN, NO_8600, VOLUNTEERS, LETTER],
     'Searched for "Filippov" as I. V. Stalin.'),
    ("recipient:Stalin", [REPORT_1949_11, MOLOTOV, TALKS, ROSHCHIN, LUSHUN, FENG_XI, MAO_OCT], None),
    ("via:Shtykov", [LETTER], None),
    ("Kim", [CONVERSATION, SHTYKOV_1949, STALIN_JAN, TALKS, ROSHCHIN, NO_8600, FENG_XI, LETTER], None),
    ("Ким Ир Сен", [CONVERSATION, SHTYKOV_1949, STALIN_JAN, TALKS, ROSHCHIN, NO_8600, FENG_XI, LETTER],
     'Searched for "Ким Ир Сен" as Kim Il Sung.'),
])
def test_names_across_spellings_scripts_and_pseudonyms(service, q, expected, note):
    result = service.search(SearchRequest(q=q, sort="date", page_size=100))
    assert ([h.id for h in result.hits], result.query_note) == (expected, note)


@pytest.mark.parametrize(("q", "expected"), [
    # Cyrillic text meets Latin queries and back, through transliteration
    ("прикрытия", [FENG_XI]),
    ("встревожен", [FENG_XI]),
    ("Shtykova", [LETTER]),  # the transliteration of Штыкова
    ("Штыкова", [LETTER]),  # the Russian stem (штыков) meets the Cyrillic text only
    # diacritics fold
    ("Lüshun", [LUSHUN]),
    ("Lushun", [LUSHUN]),
    ("title:lushun", [LUSHUN]),
    # English stemming: divisions ~ division; Russian stemming: дивизия ~ дивизии
    ("division", [SHTYKOV_1949, DIRECTIVE, VOLUNTEERS]),
    ("дивизия", [SHTYKOV_1949]),
    ("телеграмма", [SHTYKOV_1949]),
    ("preparing", [STALIN_JAN]),
])
def test_text_analysis(service, q, expected):
    assert ids(service, q) == expected


# -- query forms -----------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "expected"), [
    ("air cover", [FENG_XI]),
    ('"air cover"', [FENG_XI]),
    ('"cover air"', []),
    ('"Soviet garrison at Lüshun"', [LUSHUN]),
    ("air -cover", []),
    ("troops NOT grave", [LETTER]),
    ("troops OR garrison", [LUSHUN, MAO_OCT, LETTER]),
    ("(troops OR garrison) Lushun", [LUSHUN]),
    ("-Stalin", [SHTYKOV_1949, DIRECTIVE]),
    ("unif*", [CONVERSATION, STALIN_JAN, TALKS, ROSHCHIN, NO_8600]),
    ("Штык*", [SHTYKOV_1949, REPORT_1949_11, STALIN_JAN, FENG_XI, DIRECTIVE, LETTER]),
    ("Kovalyov~", [LUSHUN]),
    ("gurantee~1", []),
    ("title:volunteers", [VOLUNTEERS]),
    ("text:volunteers", [VOLUNTEERS]),
    ("text:prepar*", [STALIN_JAN]),
    ("type:note", [MOLOTOV, LUSHUN]),
    ("type:record-of-conversation", [CONVERSATION]),
    ("language:zh", [TALKS, MAO_OCT]),
    ("archive:AVP", [SHTYKOV_1949, DIRECTIVE]),
    ('archive:"Presidential Archive" date:1949', [CONVERSATION]),
    ("fond:558", [NO_8600, LUSHUN]),
    ("fond:059a", [SHTYKOV_1949, DIRECTIVE]),
    ('subject:"naval base"', [LUSHUN]),
    ("subject:intervention", [VOLUNTEERS, MAO_OCT, LETTER]),
    ("number:8600", [NO_8600]),
    ("date:1950-05", [MOLOTOV, TALKS, ROSHCHIN, NO_8600]),
    ("date:1950-05-14..1950-05-20", [MOLOTOV, TALKS, NO_8600]),
    ("date:..1949-12", [CONVERSATION, SHTYKOV_1949, REPORT_1949_11]),
    ("Kim date:1950-05", [TALKS, ROSHCHIN, NO_8600]),
    ("Kim OR date:1949", [CONVERSATION, SHTYKOV_1949, REPORT_1949_11, STALIN_JAN, TALKS, ROSHCHIN,
                          NO_8600, FENG_XI, LETTER]),
])
def test_query_forms(service, q, expected):
    assert ids(service, q) == expected


# -- facets ----------------------------------------------------------------------------------

def test_facets_of_the_whole_collection(service):
    result = service.search(SearchRequest())
    assert result.total == 14
    assert {name: buckets(result, name) for name in result.facets} == {
        "sender": [("stalin", "I. V. Stalin", 5, False), ("shtykov", "T. F. Shtykov", 3, False),
                   ("mao-zedong", "Mao Zedong", 2, False), ("vyshinsky", "A. Ya. Vyshinsky", 1, False),
                   ("kovalev", "I. V. Kovalev", 1, False), ("kim-il-sung", "Kim Il Sung", 1, False),
                   ("roshchin", "N. V. Roshchin", 1, False), ("molotov", "V. M. Molotov", 1, False),
                   ("politburo", "VKP(b) CC Politburo", 1, False)],
        "recipient": [("stalin", "I. V. Stalin", 7, False), ("kim-il-sung", "Kim Il Sung", 2, False),
                      ("mao-zedong", "Mao Zedong", 2, False), ("shtykov", "T. F. Shtykov", 2, False),
                      ("vyshinsky", "A. Ya. Vyshinsky", 1, False), ("zhou-enlai", "Zhou Enlai", 1, False)],
        "via": [("roshchin", "N. V. Roshchin", 3, False), ("shtykov", "T. F. Shtykov", 1, False),
                ("zhou-enlai", "Zhou Enlai", 1, False)],
        "year": [("1950", "1950", 11, False), ("1949", "1949", 3, False)],
        # a year-only date (1950) has no month; an interval counts in each month it touches
        "month": [("1950-05", "May 1950", 3, False), ("1950-10", "October 1950", 3, False),
                  ("1950-08", "August 1950", 1, False), ("1950-01", "January 1950", 1, False),
                  ("1950-07", "July 1950", 1, False), ("1949-03", "March 1949", 1, False),
                  ("1949-05", "May 1949", 1, False), ("1949-11", "November 1949", 1, False),
                  ("1950-09", "September 1950", 1, False)],
        "type": [("telegram", "Telegram", 7, False), ("note", "Note", 2, False),
                 ("directive", "Directive", 1, False), ("letter", "Letter", 1, False),
                 ("memorandum", "Memorandum", 1, False),
                 ("record-of-conversation", "Record of conversation", 1, False),
                 ("report", "Report", 1, False)],
        "archive": [("APRF", "APRF", 8, False), ("AVP RF", "AVP RF", 2, False),
                    ("RGASPI", "RGASPI", 2, False)],
        "language": [("ru", "Russian", 11, False), ("zh", "Chinese", 2, False), ("en", "English", 1, False)],
        "subject": [("Korean unification", "Korean unification", 5, False),
                    ("Chinese intervention", "Chinese intervention", 3, False),
                    ("military situation", "military situation", 2, False),
                    ("Sino-Soviet consultation", "Sino-Soviet consultation", 2, False),
                    ("38th parallel", "38th parallel", 1, False),
                    ("border incidents", "border incidents", 1, False),
                    ("economic aid", "economic aid", 1, False), ("naval base", "naval base", 1, False),
                    ("Port Arthur", "Port Arthur", 1, False),
                    ("Sino-Korean relations", "Sino-Korean relations", 1, False)],
        # the ids of the places named in place_from / place_to (tests/data/collection/authority)
        "place_from": [("moscow", "Moscow", 4, False), ("pyongyang", "Pyongyang", 2, False),
                       ("beijing", "Beijing", 1, False)],
        "place_to": [("moscow", "Moscow", 3, False), ("beijing", "Beijing", 2, False),
                     ("pyongyang", "Pyongyang", 1, False)],
    }


def test_facets_multi_select_counts_under_the_other_filters(service):
    request = SearchRequest(filters=(("sender", ("stalin", "mao-zedong")), ("year", ("1950",))))
    result = service.search(request)
    # OR within sender, AND with year; the talks have two senders (Mao and Kim)
    assert [h.id for h in result.hits] == [STALIN_JAN, TALKS, NO_8600, VOLUNTEERS, MAO_OCT, LETTER]
    # sender counts ignore the sender filter but keep year=1950
    assert buckets(result, "sender") == [
        ("stalin", "I. V. Stalin", 4, True), ("mao-zedong", "Mao Zedong", 2, True),
        ("kovalev", "I. V. Kovalev", 1, False), ("kim-il-sung", "Kim Il Sung", 1, False),
        ("roshchin", "N. V. Roshchin", 1, False), ("shtykov", "T. F. Shtykov", 1, False),
        ("molotov", "V. M. Molotov", 1, False), ("politburo", "VKP(b) CC Politburo", 1, False)]
    # year counts ignore the year filter but keep the senders
    assert buckets(result, "year") == [("1950", "1950", 6, True), ("1949", "1949", 1, False)]
    # every other facet counts the final matches
    assert buckets(result, "type") == [("telegram", "Telegram", 4, False), ("letter", "Letter", 1, False),
                                       ("memorandum", "Memorandum", 1, False)]
    assert result.facets["sender"][0] == FacetBucket(
        "stalin", "I. V. Stalin", 4, True, [("sender", "mao-zedong"), ("year", "1950")])
    assert result.facets["sender"][2] == FacetBucket(
        "kovalev", "I. V. Kovalev", 1, False,
        [("sender", "kovalev"), ("sender", "mao-zedong"), ("sender", "stalin"), ("year", "1950")])


def test_selected_value_without_matches_still_shows(service):
    request = SearchRequest(q="Lushun", filters=(("language", ("zh",)),), page=1)
    result = service.search(request)
    assert result.total == 0
    assert buckets(result, "language") == [("ru", "Russian", 1, False), ("zh", "Chinese", 0, True)]
    assert result.facets["language"][1].toggle == [("q", "Lushun")]


def test_facet_filters_with_a_query_and_dates(service):
    request = SearchRequest(q="Kim", filters=(("type", ("telegram",)),), date_from="1950-01",
                            date_to="1950-06")
    result = service.search(request)
    assert sorted(h.id for h in result.hits) == [STALIN_JAN, ROSHCHIN, NO_8600]
    assert buckets(result, "type") == [("telegram", "Telegram", 3, True),
                                       ("memorandum", "Memorandum", 1, False)]


# -- dates and sorting -----------------------------------------------------------------------

@pytest.mark.parametrize(("date_from", "date_to", "expected"), [
    # a month-only date (1949-11) overlaps any range touching November 1949
    ("1949-11-30", "1949-12", [REPORT_1949_11]),
    ("1949-10", "1949-11-01", [REPORT_1949_11]),
    # an interval (13-15 May 1950) overlaps a range that touches any of its days
    ("1950-05-15", "1950-05-15", [MOLOTOV, TALKS]),
    ("1950-05-14", "1950-05-14", [MOLOTOV, TALKS, NO_8600]),
    # a year-only date overlaps every range inside its year
    ("1950-06", "1950-06", [MOLOTOV]),
    ("1951", None, []),
    (None, "1949-03-05", [CONVERSATION]),
    ("1950-10-02", None, [MOLOTOV, MAO_OCT, LETTER]),
])
def test_date_overlap(service, date_from, date_to, expected):
    assert ids(service, date_from=date_from, date_to=date_to) == expected


def test_sort_orders_and_ties(service):
    may = {"date_from": "1950-05-13", "date_to": "1950-05-14"}
    # the talks (from 13 May) and Roshchin (13 May) tie on date: broken by id, in both directions
    assert ids(service, sort="date", **may) == [MOLOTOV, TALKS, ROSHCHIN, NO_8600]
    assert ids(service, sort="-date", **may) == [NO_8600, TALKS, ROSHCHIN, MOLOTOV]
    assert service.search(SearchRequest()).sort == "date"
    assert service.search(SearchRequest(q="Kim")).sort == "relevance"
    assert service.search(SearchRequest(sort="relevance")).sort == "date"  # nothing to rank by


def test_relevance_ranks_and_breaks_ties_by_id(service):
    result = service.search(SearchRequest(q="Korean", page_size=100))
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for a, b in zip(result.hits, result.hits[1:], strict=False):
        assert a.score > b.score or a.id < b.id


def test_paging(service):
    first = service.search(SearchRequest(page_size=5))
    third = service.search(SearchRequest(page_size=5, page=3))
    assert (first.total, first.pages, len(first.hits), len(third.hits)) == (14, 3, 5, 4)
    assert [h.id for h in first.hits] == ids(service)[:5]
    assert list(service.iter_ids(SearchRequest(page_size=5, page=2))) == ids(service)


# -- hits and snippets -----------------------------------------------------------------------

def test_hit_structure(service):
    hit = service.search(SearchRequest(q="number:8600")).hits[0]
    data = service.search(SearchRequest(q="number:8600")).to_dict()["hits"][0]
    assert data == {
        "id": NO_8600, "title": "Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950",
        "date": "1950-05-14", "date_earliest": "1950-05-14", "date_latest": "1950-05-14",
        "type": "telegram", "sender": [{"id": "stalin", "name": "I. V. Stalin"}],
        "recipient": [{"id": "mao-zedong", "name": "Mao Zedong"}],
        "via": [{"id": "roshchin", "name": "N. V. Roshchin"}],
        "snippet": hit.snippet, "score": hit.score,
    }


@pytest.mark.parametrize(("q", "doc", "snippet"), [
    ("urgent", LUSHUN, "Kovalev notes that the Soviet garrison at Lüshun (Port Arthur) cannot be "
                       "withdrawn before the treaty's term. The cable bears the marking "
                       "&lt;b&gt;<mark>urgent</mark>&lt;/b&gt; &amp; \"secret\"."),
    ('"air cover"', FENG_XI, "Shtykov reports to Feng Xi that Kim Il Sung is anxious about the American "
                             "landing and asks for <mark>air cover</mark>. Ким Ир Сен встревожен. Он "
                             "просит прикрытия с воздуха."),
    ("Shtykov прикрытие", FENG_XI, "<mark>Shtykov</mark> reports to Feng Xi that Kim Il Sung is anxious "
                                   "about the American landing and asks for air cover. Ким Ир Сен "
                                   "встревожен. Он просит <mark>прикрытия</mark> с воздуха."),
    # a place is searched as all its names (tests/data/collection/authority/places.yaml)
    ("Lushun", LUSHUN, "Kovalev notes that the Soviet garrison at <mark>Lüshun</mark> (<mark>Port "
                       "Arthur</mark>) "
                       "cannot be withdrawn before the treaty's term. The cable bears the marking "
                       "&lt;b&gt;urgent&lt;/b&gt; &amp; \"secret\"."),
    # matched by metadata only: the opening of the summary, escaped
    ("type:note language:ru", LUSHUN, "Kovalev notes that the Soviet garrison at Lüshun (Port Arthur) "
                                      "cannot be withdrawn before the treaty's term. The cable bears the "
                                      "marking &lt;b&gt;urgent&lt;/b&gt; &amp; \"secret\"."),
])
def test_snippets(service, q, doc, snippet):
    hits = {h.id: h for h in service.search(SearchRequest(q=q)).hits}
    assert hits[doc].snippet == snippet


def test_every_hit_has_a_snippet(service):
    assert all(h.snippet for h in service.search(SearchRequest(page_size=100)).hits)


# -- suggestions and more like this ----------------------------------------------------------

@pytest.mark.parametrize(("q", "suggestions"), [
    ("Vishinky", ["Vyshinsky"]),
    ("Kovalyov", ["Kovalev"]),
    ("garison Lushun", ["garrison Lushun"]),
    ("Kovalyov~", []),  # already fuzzy
    ("garrison", []),
])
def test_did_you_mean(service, q, suggestions):
    assert service.search(SearchRequest(q=q)).suggestions == suggestions


def test_more_like_this(service):
    similar = service.more_like_this(VOLUNTEERS, limit=3)
    assert 0 < len(similar) <= 3
    assert VOLUNTEERS not in [h.id for h in similar]
    assert all(h.snippet for h in similar)
    assert service.more_like_this("no-such-document") == []


# -- requests --------------------------------------------------------------------------------

def test_from_params_and_back():
    params = {"q": "Kim", "sender": ["stalin", "mao-zedong", ""], "year": "1950", "date_from": "1950-01",
              "sort": "-date", "page": "2", "page_size": "50", "utm_source": "x"}
    request = SearchRequest.from_params(params)
    assert request == SearchRequest(q="Kim", filters=(("sender", ("mao-zedong", "stalin")),
                                                      ("year", ("1950",))),
                                    date_from="1950-01", sort="-date", page=2, page_size=50)
    assert request.to_params() == [("q", "Kim"), ("sender", "mao-zedong"), ("sender", "stalin"),
                                   ("year", "1950"), ("date_from", "1950-01"), ("sort", "-date"),
                                   ("page", "2"), ("page_size", "50")]
    assert SearchRequest.from_params({}).to_params() == []


@pytest.mark.parametrize(("params", "message"), [
    ({"page": "abc"}, 'page: expected a whole number from 1, got "abc"'),
    ({"page": "-1"}, 'page: expected a whole number from 1, got "-1"'),
    ({"page": "0"}, 'page: expected a whole number from 1, got "0"'),
    ({"page_size": "0"}, 'page_size: expected a whole number from 1 to 100, got "0"'),
    ({"page_size": "101"}, 'page_size: expected a whole number from 1 to 100, got "101"'),
    ({"sort": "title"}, 'sort: expected one of relevance, date, -date, got "title"'),
    ({"date_from": "14 May"}, 'date_from: expected a date such as 1950, 1950-05 or 1950-05-14, got "14 May"'),
    ({"date_to": "1950-13"}, 'date_to: expected a date such as 1950, 1950-05 or 1950-05-14, got "1950-13"'),
    ({"date_from": "1950-06", "date_to": "1950-01"}, "date_to: 1950-01 is before date_from 1950-06"),
    ({"year": "fifty"}, 'year: expected a year such as 1950, got "fifty"'),
    ({"month": "1950-13"}, 'month: expected a month such as 1950-05, got "1950-13"'),
])
def test_from_params_errors(params, message):
    with pytest.raises(SearchError) as error:
        SearchRequest.from_params(params)
    assert str(error.value) == message


def test_query_errors_reach_the_caller_as_search_errors(service):
    with pytest.raises(SearchError, match='unknown field "sendr:"; did you mean "sender:"?'):
        service.search(SearchRequest(q="sendr:Stalin"))


# -- the command line ------------------------------------------------------------------------

@pytest.fixture
def cli_env(built_archive, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(built_archive.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(built_archive.index_dir))
    monkeypatch.setenv("ARCHIVE_SEARCH_URL", built_archive.search_url)
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)


def test_cli_json(cli_env, service, capsys):
    assert main(["search", "Kim", "--date-from", "1950-01", "--date-to", "1950-06", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = service.search(SearchRequest(q="Kim", date_from="1950-01", date_to="1950-06",
                                            page_size=10)).to_dict()
    assert printed == json.loads(json.dumps(expected))
    assert sorted(h["id"] for h in printed["hits"]) == [STALIN_JAN, TALKS, ROSHCHIN, NO_8600]
    assert list(printed) == ["hits", "total", "page", "page_size", "facets", "sort", "query_note",
                             "suggestions", "generation", "pages"]


def test_cli_human_output(cli_env, capsys):
    assert main(["search", "Filippov", "--sender", "Сталин", "--recipient", "Mao Tse-tung",
                 "--sort", "date", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:6] == [
        'Searched for "Filippov" as I. V. Stalin.',
        "1-1 of 2 document(s), sorted by date",
        "",
        "1950-05-14  I. V. Stalin -> Mao Zedong",
        "  Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950",
        f"  [{NO_8600}]",
    ]
    assert "**Filippov**" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["search", "(Kim"], 'archive: unbalanced parentheses: a "(" is never closed\n'),
    (["search", "Kim", "--sender", "Nobody"],
     'archive: --sender: no person or body called "Nobody" in the name authority\n'),
    (["search", "Kim", "--date-from", "May"],
     'archive: --date-from: expected a date such as 1950, 1950-05 or 1950-05-14, got "May"\n'),
    (["search", "Kim", "--limit", "0"],
     'archive: --limit: expected a whole number from 1 to 100, got "0"\n'),
])
def test_cli_errors(cli_env, capsys, argv, message):
    assert main(argv) == 2
    assert capsys.readouterr().err == message


def test_without_an_index(config):
    empty = config()
    with pytest.raises(SearchUnavailable):
        SearchService(empty).search(SearchRequest())


# -- generations, incremental builds, threads ------------------------------------------------

def test_new_generation_is_picked_up_and_incremental_build_stays_correct(config):
    archive = config()
    rebuild(archive)
    service = SearchService(archive, refresh_seconds=0)
    try:
        assert ids(service, "garrison") == [LUSHUN]
        first = service.generation()
        lushun = archive.documents_dir / f"{LUSHUN}.md"
        lushun.write_text(lushun.read_text().replace("garrison", "squadron").replace("type: note",
                                                                                      "type: report"))
        (archive.documents_dir / f"{MOLOTOV}.md").unlink()
        shutil.copy(archive.documents_dir / f"{FENG_XI}.md", archive.documents_dir / "copy.md")
        text = (archive.documents_dir / "copy.md").read_text()
        (archive.documents_dir / "copy.md").write_text(text.replace("type: telegram", "type: cable"))
        assert rebuild(archive).status == "built"
        assert service.generation() == first + 1
        assert ids(service, "garrison") == []
        assert ids(service, "squadron") == [LUSHUN]
        assert ids(service, '"air cover"') == [FENG_XI, "copy"]
        result = service.search(SearchRequest())
        assert result.total == 14
        assert dict((v, c) for v, _, c, _ in buckets(result, "type")) == {
            "telegram": 7, "report": 2, "cable": 1, "directive": 1, "letter": 1, "memorandum": 1,
            "record-of-conversation": 1}
    finally:
        service.close()


def test_shared_between_threads(service):
    expected = {q: ids(service, q) for q in ("Kim", "Filippov", '"air cover"', "divisions")}
    errors = []

    def work(q):
        try:
            for page_size in range(1, 30):
                request = SearchRequest(q=q, sort="date", page_size=100 - page_size)
                assert [h.id for h in service.search(request).hits] == expected[q]
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(q,)) for q in expected for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_highlight_window_in_a_long_text():
    from archive.snippets import highlight

    text = "Opening words. " * 30 + "The <ambassador> met Kim about air cover. " + "Closing words. " * 30
    terms = {"air", "cover", "kim"}
    assert highlight(text, terms, [], set()) == (
        "…words. Opening words. Opening words. The &lt;ambassador&gt; met <mark>Kim</mark> "
        "about <mark>air cover</mark>. Closing words. Closing words. Closing words. Closing words. Closing "
        "words. Closing words. Closing words. Closing words. Closing words. Closing words. Closing…")
    assert highlight(text, {"absent"}, [], set()) == ""
