"""Bounded request cost (#14): hostile queries answer at once with a clear error, prefix and fuzzy
terms expand to a bounded number of index words, and a search past its deadline stops.

The time bounds here are generous on purpose (the fixture collection is tiny): the measured
costs at 10,000 documents are in BENCHMARKS.md (scripts/hostile_cost.py).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from markupsafe import escape
from whoosh.support.levenshtein import damerau_levenshtein

from archive import deadline, query
from archive.cli import main
from archive.engines.whoosh import postings
from archive.search import SearchError, SearchRequest, SearchService, SearchTimeout
from web import create_app

GENEROUS_SECONDS = 2.0
TOO_LONG_WORD = (f'the word "{"ж" * 30}..." is too long (999 characters; a search word has at most '
                 f"{query.MAX_WORD_LENGTH})")
TOO_MANY_EXPANDING = ("the query has too many prefix (word*) and fuzzy (word~) terms "
                      f"(at most {query.MAX_EXPANDING})")
HOSTILE = [  # (query, the error it gets)
    ("ж" * 999, TOO_LONG_WORD),
    ("Stalin " + "ж" * 990, TOO_LONG_WORD.replace("999", "990")),
    ('"' + "ж" * 990 + '"', TOO_LONG_WORD.replace("999", "990")),
    ("a" * 200 + "~2", f'the word "{"a" * 30}..." is too long (200 characters; a search word has '
                       f"at most {query.MAX_WORD_LENGTH})"),
    ("negotiat" * 20 + "*", f'the word "{("negotiat" * 4)[:30]}..." is too long (160 characters; '
                            f"a search word has at most {query.MAX_WORD_LENGTH})"),
    (" ".join(f"{a}{b}*" for a in "stp" for b in "aeiou"), TOO_MANY_EXPANDING),
    (" ".join(f"Stalin{c}~2" for c in "abcdefghijklmnop"), TOO_MANY_EXPANDING),
    (" ".join(f"word{n}" for n in range(41)), f"the query has too many terms (at most {query.MAX_CLAUSES})"),
    ('"' + " ".join(["cover"] * 61) + '"', "the query has too many words (at most 60, counting each "
                                            "word of a phrase)"),
    (" ".join(["Stalin"] * 200), "the query is too long (1399 characters; at most 1000)"),
]


@pytest.fixture(scope="module")
def service(built_archive):
    service = SearchService(built_archive)
    yield service
    service.close()


@pytest.fixture(scope="module")
def client(built_archive):
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": built_archive}).test_client()


def _spend_cpu() -> None:
    started = time.thread_time()
    while time.thread_time() == started:
        sum(range(1000))


def timed(call):
    started = time.perf_counter()
    try:
        return call()
    finally:
        assert time.perf_counter() - started < GENEROUS_SECONDS


# -- hostile queries -------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "message"), HOSTILE)
def test_hostile_queries_are_refused_with_a_sentence(service, q, message):
    with pytest.raises(SearchError) as error:
        timed(lambda: service.search(SearchRequest(q=q)))
    assert str(error.value) == message


@pytest.mark.parametrize(("q", "message"), HOSTILE)
def test_hostile_queries_over_http(client, q, message):
    response = timed(lambda: client.get("/api/search", query_string={"q": q}))
    assert (response.status_code, response.get_json()) == (
        400, {"ok": False, "error": message, "status": 400})
    page = timed(lambda: client.get("/search", query_string={"q": q}))
    assert page.status_code == 400
    assert page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert ">The search needs a correction" in body  # the search page, filled in as typed
    assert f'<p id="q-error" class="field-error">{escape(message)} ' in body  # beside the field


def test_hostile_query_in_the_cli(built_archive, monkeypatch, capsys):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(built_archive.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(built_archive.index_dir))
    assert main(["search", "ж" * 999]) == 2
    assert capsys.readouterr().err == f"archive: {TOO_LONG_WORD}\n"


def test_the_longest_allowed_words_answer_normally(service):
    longest = "ж" * query.MAX_WORD_LENGTH
    for q in (longest, longest + "~2", longest + "*", f'"{longest} {longest}"'):
        result = timed(lambda q=q: service.search(SearchRequest(q=q)))
        assert (result.total, result.hits, result.suggestions) == (0, [], [])


@pytest.mark.parametrize(("q", "suggestions"), [
    ("garison", ["garrison"]),
    ("karrison", []),  # the first letter is kept: only words starting with k are compared
    ("Ztalin", ["Stalin"]),  # names: the whole name authority
    (" ".join(f"zq{c}xv" for c in "abcdefgh") + " garison", []),  # only the first 8 rare words
    (" ".join(f"zq{c}xv" for c in "abcdefg") + " garison",
     [" ".join(f"zq{c}xv" for c in "abcdefg") + " garrison"]),
])
def test_did_you_mean_is_bounded(service, q, suggestions):
    assert service.search(SearchRequest(q=q)).suggestions == suggestions


# -- expansions ------------------------------------------------------------------------------

def test_prefix_expansions_are_capped(service):
    index = service._state().index
    words = index.expand("spell", "re", 0, 1000)
    assert len(words) > 2
    node = query.parse("re*").node
    with pytest.raises(SearchError) as error:
        postings.match(index, node, scored=True, max_expansions=len(words) - 1)
    assert str(error.value) == (f'"re*" stands for more than {len(words) - 1} words of the index; '
                                "use more letters")
    # exactly at the cap it matches, and as Whoosh itself does
    docs, _ = postings.match(index, node, scored=False, max_expansions=len(words))
    assert docs.tolist() == index.search_whoosh(node, scored=False)[0].tolist()


def test_the_cap_counts_every_expanding_term_of_a_query(service):
    index = service._state().index
    first = len(index.expand("spell", "re", 0, 1000))
    node = query.parse("re* OR Kovalyov~2").node
    with pytest.raises(SearchError) as error:
        postings.match(index, node, scored=True, max_expansions=first)
    assert str(error.value) == (f'"Kovalyov~2" and the other prefix and fuzzy terms of the query stand '
                                f"for more than {first} words of the index; use fewer of them, or more "
                                "letters")


def test_ten_expanding_terms_match_as_whoosh_does(service):
    index = service._state().index
    node = query.parse(" OR ".join(["st*", "ko*", "mi*", "ar*", "gar*", "Kovalyov~", "Stalin~1",
                                    "tropos~2", "vol*", "ch*"])).node
    ours, _ = postings.match(index, node, scored=False)
    assert ours.tolist() == index.search_whoosh(node, scored=False)[0].tolist()


@pytest.mark.parametrize("distance", [1, 2])
def test_fuzzy_words_are_whooshs_edit_distance(service, distance):
    """Every index word with the same first letter within the distance, by Whoosh's own
    Damerau-Levenshtein (optimal string alignment) function, and nothing else."""
    index = service._state().index
    reader = index._searcher.reader()
    vocabulary = [w.decode() for w in reader.lexicon("spell")]
    for word in ["stalni", "kovalyov", "garison", "tropos", "volunters", "chinese", "mao", "zzz"]:
        expected = sorted(w for w in vocabulary
                          if w[0] == word[0] and damerau_levenshtein(w, word) <= distance)
        assert index.expand("spell", word, distance, 1000) == expected, word


# -- the deadline ----------------------------------------------------------------------------

def test_deadline_is_checked_while_matching(service):
    index = service._state().index
    node = query.parse("Stalin Mao").node
    with deadline.within(1e-9):
        _spend_cpu()
        with pytest.raises(SearchTimeout) as error:
            postings.match(index, node, scored=True)
    assert str(error.value) == ("the search took more than 1e-09 s of processing and was stopped; "
                                "try fewer or more specific terms")
    postings.match(index, node, scored=True)  # outside the deadline: no limit


def test_an_inner_deadline_never_extends_the_outer_one():
    with deadline.within(1e-9):
        _spend_cpu()
        with deadline.within(60), pytest.raises(SearchTimeout):
            deadline.check()
    with deadline.within(0):
        deadline.check()  # 0: no deadline


@pytest.fixture(scope="module")
def late(built_archive):
    """The fixture archive with a deadline every search misses."""
    return replace(built_archive, search_deadline=1e-9)


LATE = "the search took more than 1e-09 s of processing and was stopped; try fewer or more specific terms"


def test_a_late_search_stops_with_a_timeout(late, built_archive):
    service = SearchService(late)
    try:
        with pytest.raises(SearchTimeout) as error:
            service.search(SearchRequest(q="Stalin"))
        assert str(error.value) == LATE
        with pytest.raises(SearchTimeout):
            list(service.iter_ids(SearchRequest(q="Stalin")))
    finally:
        service.close()
    on_time = SearchService(built_archive)  # the same search within the default deadline
    try:
        assert on_time.search(SearchRequest(q="Stalin")).total > 0
    finally:
        on_time.close()


def test_a_late_search_over_http(late):
    client = create_app({"TESTING": True, "ARCHIVE_CONFIG": late}).test_client()
    response = client.get("/api/search?q=Stalin")
    assert (response.status_code, response.get_json()) == (503, {"ok": False, "error": LATE, "status": 503})
    page = client.get("/search?q=Stalin")
    assert page.status_code == 503
    assert "<h1>Search took too long</h1>" in page.get_data(as_text=True)
    assert LATE in page.get_data(as_text=True)
    export = client.get("/export?q=Stalin&format=csv")  # refused before any byte is streamed
    assert (export.status_code, export.mimetype) == (503, "text/html")
    assert LATE in export.get_data(as_text=True)


@pytest.mark.parametrize("command", [["search", "Stalin"],
                                     ["export", "Stalin", "--format", "csv", "-o", "-"]])
def test_a_late_search_in_the_cli(built_archive, monkeypatch, capsys, command):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(built_archive.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(built_archive.index_dir))
    monkeypatch.setenv("ARCHIVE_SEARCH_DEADLINE", "1e-9")
    assert main(command) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"archive: {LATE}\n")


@pytest.mark.parametrize("value", ["-1", "soon", "inf", "nan"])
def test_the_deadline_setting_is_checked(value, monkeypatch, capsys):
    from archive.settings import load_config

    message = f'ARCHIVE_SEARCH_DEADLINE: expected a number of seconds (0 for none), got "{value}"'
    with pytest.raises(ValueError) as error:
        load_config(env={"ARCHIVE_SEARCH_DEADLINE": value})
    assert str(error.value) == message
    monkeypatch.setenv("ARCHIVE_SEARCH_DEADLINE", value)
    assert main(["search", "Stalin"]) == 2
    assert capsys.readouterr().err == f"archive: {message}\n"


# -- phrases ---------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase", ['"the garrison"', '"of the Soviet"', '"air cover"', '"the Chinese"',
                                    '"to the"', '"Kim Il Sung"', '"in the naval base"'])
def test_phrases_read_common_words_only_where_the_rare_ones_are(built_archive, phrase):
    """A fresh generation: a common word's positions are read only in the candidate documents,
    and the matches are Whoosh's own."""
    from archive.engines.whoosh.index import Index

    service = SearchService(built_archive)
    index = Index(service._state().index.path)
    try:
        node = query.parse(phrase).node
        ours, _ = postings.match(index, node, scored=False)
        assert ours.tolist() == index.search_whoosh(node, scored=False)[0].tolist()
    finally:
        index.close()
        service.close()


def test_positions_of_candidates_are_the_positions_in_those_documents(service):
    from archive.engines.whoosh.index import Index

    index = Index(service._state().index.path)
    try:
        everything = index.positions("text", "the")  # read in full, and kept
        docs = np.unique(everything.keys >> 32)
        candidates = docs[::5].astype(np.int32)
        fresh = Index(index.path)
        try:
            some = fresh.positions("text", "the", candidates)
            assert not fresh._terms.has(("positions", "text", "the"))  # read for these only
        finally:
            fresh.close()
        expected = everything.keys[np.isin(everything.keys >> 32, candidates)]
        assert some.keys.tolist() == expected.tolist()
        assert len(some.keys) < len(everything.keys)
    finally:
        index.close()
