"""The numpy query engine (archive.engines.whoosh.postings) against Whoosh's own matching and scoring.

For a table of queries on the fixture collection, the engine must find exactly the documents
Whoosh finds, with the same BM25F scores, on a freshly built index and on one changed by an
incremental build (two segments, deleted documents still in the postings).
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from archive import analysis, query
from archive.build import rebuild
from archive.engines.whoosh import postings
from archive.search import SearchRequest, SearchService, _Toggles
from archive.snippets import Marker, highlight

QUERIES = [
    "Kim", "Vishinsky", "Вышинский", "Штыков", "Filippov", "Feng Xi", "Ким Ир Сен",
    "sender:Filippov", "recipient:Stalin", "via:Shtykov",
    "прикрытия", "Shtykova", "Штыкова", "Lüshun", "title:lushun", "division", "дивизия",
    "air cover", '"air cover"', '"cover air"', '"Soviet garrison at Lüshun"', '"Ким Ир Сен"',
    "air -cover", "troops NOT grave", "troops OR garrison", "(troops OR garrison) Lushun",
    "-Stalin", "NOT Kim", "Kim OR -Stalin", "unif*", "Штык*", "Kovalyov~", "gurantee~1", "Stalin~1",
    "title:volunteers", "text:volunteers", "text:prepar*", "title:prepar*", "type:note",
    "language:zh", "archive:AVP", "fond:558", "fond:059a", 'subject:"naval base"',
    "subject:intervention", "number:8600", "date:1950-05", "Kim date:1950-05", "Kim OR date:1949",
    "(Kim OR Mao) (troops OR garrison OR cover) -grave", "the", "nosuchword", '"nosuchword air"',
]


def node_of(state, q):
    return query.parse(q, state.people, state.archives).node


def compare(index, node):
    """(ours, Whoosh's) as plain lists: unscored docs, scored docs, scores to 9 places."""
    out = []
    for match in (index.match, index.search_whoosh):
        docs, _ = match(node, scored=False)
        scored_docs, scores = match(node, scored=True)
        out.append((sorted(int(d) for d in docs), [int(d) for d in scored_docs],
                    [round(float(s), 9) for s in scores]))
    return out


@pytest.fixture(scope="module")
def state(built_archive):
    service = SearchService(built_archive)
    yield service._state()
    service.close()


@pytest.mark.parametrize("q", QUERIES)
def test_same_matches_and_scores_as_whoosh(state, q):
    ours, whoosh = compare(state.index, node_of(state, q))
    assert ours == whoosh


def test_after_an_incremental_build_with_deletions(config):
    archive = config()
    rebuild(archive)
    docs = archive.documents_dir
    lushun = next(docs.glob("*lushun*.md"), None) or sorted(docs.glob("*.md"))[0]
    lushun.write_text(lushun.read_text().replace("garrison", "squadron"))
    victim = sorted(p for p in docs.glob("*.md") if p != lushun)[0]
    victim.unlink()
    copy = docs / "copy.md"
    shutil.copy(sorted(docs.glob("*.md"))[1], copy)
    assert rebuild(archive).status == "built"
    service = SearchService(archive)
    try:
        state = service._state()
        assert not state.index.live.all()  # the replaced and removed documents are still there
        for q in ("garrison", "squadron", "Kim", '"air cover"', "-Stalin", "unif*", "Stalin~1",
                  "troops OR garrison", "type:note"):
            ours, whoosh = compare(state.index, node_of(state, q))
            assert ours == whoosh, q
    finally:
        service.close()


def test_term_cache_is_bounded_by_bytes():
    def make(n):
        return postings.Postings(np.arange(n, dtype=np.int32), np.ones(n), n)

    cache = postings.TermCache(max_bytes=make(100).nbytes * 2 + 1)
    loads = []
    for key in ("a", "b", "a", "c", "a", "b"):
        cache.get(key, lambda key=key: loads.append(key) or make(100))
    # a stays (used last before c came); b was the least recently used when c arrived
    assert (loads, len(cache), cache.bytes) == (["a", "b", "c", "b"], 2, make(100).nbytes * 2)


@pytest.mark.parametrize(("occurrences", "candidates", "expected"), [
    # (docs, positions) of each term; the k-th term must follow at start + k
    ([([1, 1, 2], [0, 5, 3]), ([1, 2], [6, 9])], [1, 2], [1]),
    ([([1, 2], [0, 0]), ([1, 2], [1, 1]), ([1, 2], [2, 5])], [1, 2], [1]),
    ([([1, 2], [0, 0]), ([1, 2], [1, 1])], [2], [2]),  # only candidates count
    ([([3], [4]), ([3], [4])], [3], []),  # the same position is not a phrase
    ([([], []), ([3], [4])], [3], []),
])
def test_phrase_positions(occurrences, candidates, expected):
    found = [postings.Positions.of(np.array(d, dtype=np.int32), np.array(p, dtype=np.int32))
             for d, p in occurrences]
    result = postings.phrase_docs(found, np.array(candidates, dtype=np.int32))
    assert result.tolist() == expected


def reference_spans(text, terms, prefixes, fuzzy):
    """The marks as analysis.tokens finds them (the definition the snippets must keep)."""
    out = []
    for token in analysis.tokens(text):
        word = text[token.start:token.end]
        folded = analysis.fold(word)
        if set(token.terms) & terms or folded in fuzzy or any(folded.startswith(p) for p in prefixes):
            out.append((token.start, token.end, token.terms[0]))
    return out


@pytest.mark.parametrize(("text", "words", "prefixes"), [
    ("Kim's troops and Kim met Akim; ''Kim and Kim' _kim kim_ Kim’s 'Kim' x'Kim Kim''Kim", ["Kim"], []),
    ("—Kim «Kim» Kimura KimKim Kim—Kim Kim", ["Kim"], []),
    ("Il-sung's plan: Il Sung, il-sung.", ["sung"], []),
    ("Dying and lying men; skies, early only, TYING o'clock", ["die", "lie", "sky", "early", "tie",
                                                              "oclock"], []),
    ("Lüshun, Lushun and LUSHUN; Штыков и Shtykov; Штыкова", ["Lushun", "Штыков"], []),
    ("the unification of unified units; UNIFY", [], ["unif"]),
    ("1950-05-14: 1950s, 1950", ["1950"], []),
])
def test_snippet_marks_match_the_analyser(text, words, prefixes):

    terms = {t for w in words for t in analysis.word_terms(w)}
    assert Marker(terms, prefixes, set()).spans(text) == reference_spans(text, terms, prefixes, set())
    assert highlight(text, terms, prefixes, set()).count("<mark>") >= 1


def test_toggles_are_the_toggled_requests_parameters(state, built_archive):
    service = SearchService(built_archive)
    try:
        request = SearchRequest(q="Kim", filters=(("sender", ("stalin",)), ("year", ("1950",))),
                                date_from="1949", sort="date", page_size=7).normalized()
        result = service.search(request)
        toggle = _Toggles(request)
        pairs = [(name, bucket.value) for name, found in result.facets.items() for bucket in found]
        assert len(pairs) > 10
        assert [toggle(n, v) for n, v in pairs] == [request.toggled(n, v).to_params() for n, v in pairs]
    finally:
        service.close()


def test_facets_cut_to_the_limit_keep_the_order_and_the_selected_values(built_archive, monkeypatch):
    import archive.search as search_module

    request = SearchRequest(filters=(("subject", ("Port Arthur",)), ("year", ("1950",))))
    service = SearchService(built_archive, cache_size=0)
    try:
        monkeypatch.setattr(search_module, "FACET_LIMIT", 1000)
        everything = service.search(request).facets
        monkeypatch.setattr(search_module, "FACET_LIMIT", 2)
        cut = service.search(request).facets
    finally:
        service.close()
    expected = {name: found[:2] + [b for b in found[2:] if b.selected]
                for name, found in everything.items()}
    assert cut == expected
    assert any(len(found) > 2 for found in everything.values())


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
@pytest.mark.parametrize("q", ["Kim", "Kim OR Stalin OR troops", "-grave", ""])
def test_every_page_is_a_slice_of_the_whole_order(built_archive, q, sort):
    service = SearchService(built_archive, cache_size=0)
    try:
        whole = list(service.iter_ids(SearchRequest(q=q, sort=sort)))
        for size in (1, 2, 3):
            pages = [service.search(SearchRequest(q=q, sort=sort, page=p, page_size=size))
                     for p in range(1, len(whole) // size + 2)]
            assert [h.id for page in pages for h in page.hits] == whole, size
    finally:
        service.close()


def test_cold_caches_shared_between_threads(built_archive):
    import threading

    service = SearchService(built_archive, cache_size=0)
    try:
        state = service._state()
        nodes = [node_of(state, q) for q in QUERIES]
        expected = [state.index.search_whoosh(node, scored=True) for node in nodes]
        state.index._terms = postings.TermCache(max_bytes=4096)  # cold, and evicting all the time
        state.index._lengths.clear()
        errors = []

        def work(offset):
            try:
                for i in range(len(nodes)):
                    k = (i + offset) % len(nodes)
                    docs, scores = state.index.match(nodes[k], scored=True)
                    assert docs.tolist() == expected[k][0].tolist()
                    assert np.allclose(scores, expected[k][1], rtol=1e-12)
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(n * 7,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
    finally:
        service.close()
