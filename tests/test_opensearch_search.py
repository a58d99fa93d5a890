"""The OpenSearch engine's search side (#15) against a real OpenSearch node: the query language
translated to the DSL, and the PARITY with the Whoosh engine on the bundled collection
(`documents/`): for every query below, the same result set of ids (in the same order when
sorted by date), the same total, the same facet counts (whole dicts) and the same notes.

The node is started from tests/opensearch (build it with `mvn -q -f tests/opensearch/pom.xml
package`; Java 17), on free ports of 127.0.0.1; ARCHIVE_TEST_OPENSEARCH_URL uses a running one
instead. Without Java or the built launcher these tests skip, except under
ARCHIVE_REQUIRE_SERVICES=1. Until the engine's writing side lands, the index is loaded here
with the bulk helper from `documents.document` (the same documents the build will send).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from datetime import date
from pathlib import Path

import pytest

from archive import deadline, query
from archive.build import rebuild
from archive.documents import load_collection
from archive.engines import Plan
from archive.search import SearchRequest, SearchService
from archive.settings import load_config

opensearchpy = pytest.importorskip("opensearchpy")

from archive.engines.opensearch import documents, mapping  # noqa: E402
from archive.engines.opensearch.searching import OpenSearchIndex  # noqa: E402
from archive.engines.opensearch.translate import Translator  # noqa: E402
from archive.engines.query_terms import MAX_EXPANSIONS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "tests" / "opensearch" / "target"
STARTUP_SECONDS = 180


def _unavailable(reason: str):
    if os.environ.get("ARCHIVE_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def opensearch_url(tmp_path_factory):
    url = os.environ.get("ARCHIVE_TEST_OPENSEARCH_URL")
    if url:
        yield url
        return
    if shutil.which("java") is None:
        _unavailable("the OpenSearch tests need Java 17 (java is not on the PATH)")
    if not (NODE / "launcher.jar").exists():
        _unavailable("the OpenSearch test node is not built: mvn -q -f tests/opensearch/pom.xml package")
    home = tmp_path_factory.mktemp("opensearch-node")
    http, transport = _free_port(), _free_port()
    log = (home / "node.log").open("w")
    node = subprocess.Popen(
        ["java", "-Xms512m", "-Xmx512m", "-cp", f"{NODE / 'launcher.jar'}:{NODE / 'lib'}/*",
         "archive.testnode.Launcher", f"path.home={home}", "node.name=search-test",
         f"cluster.name=search-test-{uuid.uuid4().hex[:8]}", f"http.port={http}",
         f"transport.port={transport}", "network.host=127.0.0.1", "discovery.type=single-node"],
        stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        while "started" not in (home / "node.log").read_text(errors="replace"):
            if node.poll() is not None or time.monotonic() - started > STARTUP_SECONDS:
                pytest.fail("the OpenSearch test node did not start:\n"
                            + (home / "node.log").read_text(errors="replace")[-3000:])
            time.sleep(0.5)
        yield f"http://127.0.0.1:{http}"
    finally:
        node.stdin.close()  # the launcher stops when its stdin closes
        node.terminate()
        try:
            node.wait(60)
        except subprocess.TimeoutExpired:
            node.kill()
            node.wait()
        log.close()


@pytest.fixture(scope="module")
def engines_pair(opensearch_url, tmp_path_factory):
    """The bundled collection built by Whoosh (a SearchService over it) and loaded into an
    OpenSearch index of its own: (service, its current generation, the OpenSearch index)."""
    root = tmp_path_factory.mktemp("bundled")
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(ROOT / "documents"),
                         ARCHIVE_INDEX_DIR=str(root / "index"))
    assert rebuild(config).status == "built"
    collection = load_collection(config)
    client = opensearchpy.OpenSearch([opensearch_url])
    name = f"search-test-{uuid.uuid4().hex}"
    client.indices.create(index=name, body=mapping.index_body())
    opensearchpy.helpers.bulk(client, ({"_index": name, "_id": r.id,
                                        "_source": documents.document(r, collection.people,
                                                                      collection.places)}
                                       for r in collection.records.values()))
    client.indices.refresh(index=name)
    service = SearchService(config, refresh_seconds=3600)
    index = OpenSearchIndex(client, name)
    yield service, service._state(), index
    service.close()
    client.indices.delete(index=name)
    client.close()


# -- the translation ---------------------------------------------------------------------------

WORDS = {("spell", "negot"): ["negotiate", "negotiated", "negotiations"],
         ("spell", "kovalev"): ["kovalev"], ("title", "bas"): ["base", "basi"]}


def _expand(field, word, fuzzy, limit):
    """A word list in place of an index's (the index's own is tested against Whoosh below)."""
    return WORDS.get((field, word), [])[:limit]


def test_a_free_word_searches_the_default_fields_with_their_boosts():
    assert Translator(_expand).node(query.Term("Armies")) == {"bool": {"should": [
        {"term": {"title": {"value": "armi", "boost": 2.0}}}, {"term": {"text": "armi"}},
        {"term": {"names": {"value": "armi", "boost": 1.5}}},
        {"term": {"subject": {"value": "armi", "boost": 1.5}}}]}}


def test_a_cyrillic_word_searches_its_russian_stem_and_its_transliteration():
    assert Translator(_expand).node(query.Term("Штыков", "title")) == {"bool": {"should": [
        {"term": {"title": {"value": "штык", "boost": 2.0}}},
        {"term": {"title": {"value": "shtykov", "boost": 2.0}}}]}}


def test_phrases_are_pre_analysed_terms_at_consecutive_positions():
    assert Translator(_expand).node(query.Phrase(("air", "covers"), "subject")) == \
        {"match_phrase": {"subject": {"query": "air cover", "analyzer": "terms"}}}
    # Cyrillic: all Russian stems, or all transliterations (never a mix), as Whoosh
    assert Translator(_expand).node(query.Phrase(("воздушное", "прикрытие"), "text")) == \
        {"bool": {"should": [
            {"match_phrase": {"text": {"query": "воздушн прикрыт", "analyzer": "terms"}}},
            {"match_phrase": {"text": {"query": "vozdushno prikryti", "analyzer": "terms"}}}]}}


def test_prefix_and_fuzzy_terms_match_the_words_they_stand_for():
    translator = Translator(_expand)
    assert translator.node(query.Term("negot", prefix=True)) == \
        {"constant_score": {"filter": {"terms": {"spell": ["negotiate", "negotiated",
                                                           "negotiations"]}}}}
    assert translator.node(query.Term("Kovalev", fuzzy=1)) == {"term": {"spell": "kovalev"}}
    assert translator.node(query.Term("bas", "title", prefix=True)) == \
        {"constant_score": {"filter": {"terms": {"title": ["base", "basi"]}}}}
    assert translator.node(query.Term("zzz", prefix=True)) == {"match_none": {}}
    assert translator.expansions_left == MAX_EXPANSIONS - 6


def test_the_expansion_budget_is_the_whole_querys_with_whoosh_wording():
    node = query.And((query.Term("negot", prefix=True), query.Term("bas", "title", prefix=True)))
    with pytest.raises(query.SearchError) as alone:
        Translator(_expand, max_expansions=2).node(node)
    assert str(alone.value) == '"negot*" stands for more than 2 words of the index; use more letters'
    with pytest.raises(query.SearchError) as shared:
        Translator(_expand, max_expansions=4).node(node)
    assert str(shared.value) == ('"bas*" and the other prefix and fuzzy terms of the query stand '
                                 "for more than 4 words of the index; use fewer of them, or more "
                                 "letters")


def test_people_boolean_operators_fields_and_dates():
    node = query.And((
        query.Or((query.Person("stalin", "Filippov", ("sender",)),
                  query.Person("kim-il-sung", "Kim", (), ("Kim",)))),
        query.Exact("type", "telegram"), query.Not(query.Exact("language", "ru")),
        query.DateRange(date(1950, 5, 1), None)))
    assert Translator(_expand).node(node) == {"bool": {
        "must": [
            {"bool": {"should": [
                {"term": {"sender": "stalin"}},
                {"bool": {"should": [{"term": {"people": "kim-il-sung"}},
                                     {"term": {"title": "kim"}}, {"term": {"text": "kim"}},
                                     {"term": {"names": "kim"}}, {"term": {"subject": "kim"}}]}}]}},
            {"term": {"type": "telegram"}},
            {"range": {"date": {"gte": "1950-05-01", "relation": "intersects"}}}],
        "must_not": [{"term": {"language": "ru"}}]}}
    assert Translator(_expand).node(query.Not(query.All())) == \
        {"bool": {"must": [{"match_all": {}}], "must_not": [{"match_all": {}}]}}


# -- parity with Whoosh on the bundled collection ----------------------------------------------

QUERIES = [
    # words, stems, diacritics, every script
    "", "Kim", "Stalin", "Korean", "Koreans", "arsenal", "troops", "volunteers", "Lushun",
    "Lüshun", "Port Arthur", "Mukden", "Shenyang", "Pyongyang", "Beijing", "Peking", "Seoul",
    "Штыков", "Сталин", "Ким Ир Сен", "Вышинский", "прикрытия", "金日成", "毛泽东", "毛澤東",
    "周恩来", "김일성", "Kim Il Sung", "Kim Il", "Il-sung", "Mao Zedong", "Mao Tse-tung",
    "Zhou Enlai", "Chou En-lai", "Vyshinsky", "Vishinsky", "Roshchin", "Shtykov", "Terenty",
    # code names and pseudonyms
    "Filippov", "Fyn Si", "Feng Xi", "Chan Fu", "Fyn-Si",
    # phrases
    '"air cover"', '"cover air"', '"thirty-eighth parallel"', '"North Korean army"',
    '"Kim Il Sung"', '"volunteer army"', '"Soviet advisers"', '"воздушное прикрытие"',
    '"Фын Си"', '"Ким Ир"',  # Cyrillic phrases met by their transliterations
    # prefixes and fuzzy
    "negot*", "volunt*", "arm*", "Shtyk*", "ко*", "title:kim~", "number:86*", "Vishinky~",
    "Kovalyov~", "Stalin~1 Mao~", "Roshin~2", "divis* Chin*",
    # fields
    "sender:Filippov", "sender:Stalin", "recipient:Mao", "via:Roshchin", 'sender:"Feng Xi"',
    "type:telegram", "type:letter", "language:ru", "language:zh", "archive:APRF",
    "archive:AVPRF", "fond:45", "fond:059a", "title:arsenal", "text:arsenal",
    'subject:"air cover"', "number:8600", "subject:Ongjin", "title:Stalin",
    # operators
    "Kim OR Pak", "Kim AND Stalin", "Kim Stalin", "NOT Mao", "Mao -Stalin",
    "(Kim OR Mao) AND NOT (Stalin OR Zhou)", "-Stalin -Mao", "Kim AND (arsenal OR troops)",
    'Mao NOT "air cover"', "sender:Stalin OR sender:Filippov",
    # dates
    "date:1950-05", "date:1950-09..1950-10 Kim", "date:..1949-12", "date:1950-10..",
    "date:1950-10-13", "Kim date:1949", "date:1950-06..1950-06 OR troops",
    # places, bodies, terms, irregular forms (archive.expansion)
    "CCP", "North Korean army", "USSR", "United States", "sent", "fought",
    # relaxation: nothing has every word; a sentence-like query with few complete matches
    "Kim arsenal xyzzy", "Stalin Mao arsenal luncheon", "arsenal lead tungsten monazite",
    'Kim "air cover" xyzzy', "arms request Shtykov foo", "Stalin Mao Kim Zhou",
    "air cover Soviet pilots", "enemy cross the thirty-eighth parallel",
    "weapons stockpile arsenal Pyongyang", "type:telegram Kim Stalin xyzzy",
    "-Mao Kim Stalin Shtykov arsenal", "st* ma* ki* zh* ro* sh* pa* fi* va* gr*",
    "sender:Stalin Kim Mao troops volunteers", "Kim AND arsenal AND xyzzy", "xyzzy plugh",
    # errors (the same message from both)
    "sendr:Stalin", "s*", '"air cover', "recipient:Nobody",
]

FILTERS = [
    (),
    (("type", ("telegram",)),),
    (("sender", ("stalin", "mao-zedong")), ("year", ("1950",))),
    (("language", ("ru", "zh")), ("month", ("1950-10",))),
    (("subject", ("air cover",)), ("type", ("telegram", "letter"))),
    (("archive", ("APRF",)), ("recipient", ("stalin",))),
]


def _outcome(index, service, state, request: SearchRequest, offset=0, limit=None):
    """What one engine gives for a request: total, ids (a set when ranked by relevance), facet
    counts, notes, or the error's message."""
    try:
        plan = service._plan(state, request.normalized(), offset, limit)
        results = index.search(plan)
    except (query.SearchError, deadline.SearchTimeout) as error:
        return {"error": str(error)}
    ids = [found.id for found in results.found]
    return {"total": results.total, "sort": plan.sort,
            "ids": sorted(ids) if plan.sort == "relevance" else ids,
            "counts": results.counts, "notes": plan.parsed.notes}


@pytest.mark.parametrize("q", QUERIES)
def test_every_query_finds_what_whoosh_finds(engines_pair, q):
    service, state, index = engines_pair
    for sort in ("relevance", "date", "-date"):
        request = SearchRequest(q=q, sort=sort)
        assert _outcome(index, service, state, request) == \
            _outcome(state.index, service, state, request)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "+".join(n for n, _ in f) or "none")
@pytest.mark.parametrize("q", ["", "Kim", "Stalin Mao arsenal luncheon", "troops OR volunteers",
                               "date:1950 NOT Zhou"])
def test_facet_and_date_filters_count_as_whoosh_counts(engines_pair, q, filters):
    service, state, index = engines_pair
    for date_from, date_to in ((None, None), ("1950-01", "1950-06"), ("1950-10-08", None)):
        request = SearchRequest(q=q, filters=filters, date_from=date_from, date_to=date_to,
                                sort="date")
        assert _outcome(index, service, state, request) == \
            _outcome(state.index, service, state, request)


@pytest.mark.parametrize("offset,limit", [(0, 10), (10, 10), (55, 10), (60, 5), (0, 1)])
def test_windows_of_the_date_order_are_whoosh_windows(engines_pair, offset, limit):
    service, state, index = engines_pair
    for sort in ("date", "-date"):
        request = SearchRequest(q="Kim OR Stalin OR Mao", sort=sort)
        assert _outcome(index, service, state, request, offset, limit) == \
            _outcome(state.index, service, state, request, offset, limit)


def test_relevance_ranks_ties_by_id_and_the_window_is_the_top_of_it(engines_pair):
    service, state, index = engines_pair
    plan = service._plan(state, SearchRequest(q="Kim").normalized(), 0, None)
    ranked = index.search(plan).found
    keys = [(-f.score, f.id) for f in ranked]
    assert keys == sorted(keys)
    plan = service._plan(state, SearchRequest(q="Kim").normalized(), 5, 10)
    assert [f.id for f in index.search(plan).found] == [f.id for f in ranked[5:15]]


def test_found_documents_carry_whooshs_stored_values_and_dates(engines_pair):
    service, state, index = engines_pair
    plan = service._plan(state, SearchRequest(q="arsenal", sort="date").normalized(), 0, None)
    mine, theirs = index.search(plan).found, state.index.search(plan).found
    assert [(f.id, f.date_start, f.date_end, f.score) for f in mine] == \
        [(f.id, f.date_start, f.date_end, f.score) for f in theirs]
    assert [f.stored for f in mine] == \
        [{k: v for k, v in f.stored.items() if k not in ("date_start", "date_end")} for f in theirs]


@pytest.mark.parametrize("q", ["", "Kim", "Stalin Mao Kim Zhou", "-Mao", "xyzzy"])
def test_ids_are_every_match_in_order(engines_pair, q):
    service, state, index = engines_pair
    for sort in ("date", "-date", "relevance"):
        plan = service._plan(state, SearchRequest(q=q, sort=sort).normalized())
        mine = list(index.ids(plan))
        theirs = list(state.index.ids(plan))
        assert (mine if sort != "relevance" else sorted(mine)) == \
            (theirs if sort != "relevance" else sorted(theirs))
        assert mine == [f.id for f in index.search(plan).found]


def test_the_whole_envelope_of_a_date_sorted_search_is_whooshs(engines_pair):
    """The service over OpenSearch: hits (snippets highlighted from highlight_terms), facets,
    notes and "did you mean" suggestions (frequency, similar_words) as over Whoosh."""
    service, state, index = engines_pair
    twin = SearchService(service.config, refresh_seconds=3600)
    twin._state().index = index
    try:
        for q in ("Kim arsenal", "Vishinky~ troops", "negot* OR volunt*", "Stalln Moa",
                  "arsenl", '"air cover" Kovalyov~', "Filippov Roshchin", "Ким Ир Сен"):
            request = SearchRequest(q=q, sort="date", page_size=100)
            assert twin.search(request).to_dict() == service.search(request).to_dict(), q
    finally:
        twin._current = None  # the index belongs to the fixture


@pytest.mark.parametrize("word", ["Kim", "arsenal", "Stalln", "Shtykov", "Kovalyov", "troop",
                                  "Мао", "xyzzy", "Lushun"])
def test_word_frequencies_and_similar_words_are_whooshs(engines_pair, word):
    _, state, index = engines_pair
    assert index.frequency(word) == state.index.frequency(word)
    assert index.similar_words(word, 5) == state.index.similar_words(word, 5)


def test_highlight_terms_are_whooshs(engines_pair):
    service, state, index = engines_pair
    parsed = state.parse('Kim "air cover" negot* Kovalyov~ -Mao Ким sender:Filippov')
    assert index.highlight_terms(parsed.node) == state.index.highlight_terms(parsed.node)


def test_more_like_a_document_never_gives_itself(engines_pair):
    _, state, index = engines_pair
    doc_id = "1950-09-21-vasilevsky-to-stalin-air-cover"
    found = index.more_like(doc_id, 5)
    ids = [f.id for f in found]
    assert len(ids) == 5 and doc_id not in ids and len(set(ids)) == 5
    assert index.more_like("no-such-document", 5) == []


def test_similar_documents_are_mostly_whooshs(engines_pair):
    """More-like-this reads OpenSearch's own analysis of the text (plain_en, plain_ru,
    plain_cjk), not Whoosh's terms: the same documents need not come back, but most do
    (2.9 of 5 in common on average when measured)."""
    service, state, index = engines_pair
    every = list(state.index.ids(service._plan(state, SearchRequest().normalized())))
    shared = [len({f.id for f in index.more_like(d, 5)} & {f.id for f in state.index.more_like(d, 5)})
              for d in every]
    assert sum(shared) / len(shared) >= 2.5


def test_a_search_stops_at_the_deadline(engines_pair):
    service, state, index = engines_pair
    plan = service._plan(state, SearchRequest(q="Kim Stalin").normalized(), 0, 10)
    with deadline.within(1e-6), pytest.raises(deadline.SearchTimeout):
        index.search(plan)
    with deadline.within(1e-6), pytest.raises(deadline.SearchTimeout):
        index.frequency("Kim")


def test_a_plan_without_a_query_is_every_document(engines_pair):
    _, state, index = engines_pair
    plan = Plan(query.Parsed(query.All()), None, None, {}, "date", 0, 3)
    assert [f.id for f in index.search(plan).found] == \
        [f.id for f in state.index.search(plan).found]


@pytest.mark.parametrize("params", [
    {}, {"q": "Kim"}, {"q": "Stalin Mao Kim Zhou"}, {"q": "xyzzy"},
    {"q": "troops", "filters": (("type", ("telegram",)),)},
    {"date_from": "1950-05", "date_to": "1950-07"},
    {"q": "Filippov", "filters": (("place_to", ("beijing",)), ("year", ("1950",)))},
])
def test_pictures_are_whooshs(engines_pair, params):
    """Timeline, network and routes (archive.pictures) from OpenSearch's aggregations equal
    pictures.compute over Whoosh's columns for the same result set: whole structures."""
    service, state, index = engines_pair
    drawn = []
    for engine in (index, state.index):
        plan = service._plan(state, SearchRequest(**params).normalized(), 0, 20)
        plan.pictures = (state.people, state.places)
        drawn.append(engine.search(plan).pictures.to_dict())
    assert drawn[0] == drawn[1]
    assert drawn[0]["network"]["nodes"] or params.get("q") == "xyzzy"


def test_windows_past_what_one_request_may_ask_are_read_in_order(engines_pair, monkeypatch):
    """A window ending past OpenSearch's max_result_window (10,000) is read through a point in
    time, BATCH at a time: here both made small, so the bundled collection goes that way."""
    from archive.engines.opensearch import searching

    monkeypatch.setattr(searching, "WINDOW", 7)
    monkeypatch.setattr(searching, "BATCH", 4)
    service, state, index = engines_pair
    for q, sort, offset, limit in (("", "date", 3, 10), ("Kim OR Mao", "-date", 9, 20),
                                   ("Stalin Mao Kim Zhou", "date", 0, None)):
        request = SearchRequest(q=q, sort=sort)
        assert _outcome(index, service, state, request, offset, limit) == \
            _outcome(state.index, service, state, request, offset, limit)
