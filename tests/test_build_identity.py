"""Build identity (#14): every build writes a new build id, and every cache is keyed by it.

Deleting index/ (catalog included) and building again starts the generations at 1 again; a
running search service or web app must notice that the build changed even though the number did
not: new titles in results, pages and citations, more-like-this on the new index. Two apps in one
process keep their own caches.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from support import make_archive

from archive import citations, engines, generations
from archive.browse import Browser
from archive.build import rebuild
from archive.catalog import Catalog
from archive.search import SearchRequest, SearchService, SearchUnavailable
from web import create_app
from web.pages import CITE_STYLES

COLLECTION = Path(__file__).parent / "data" / "collection"
DOC = "1950-05-14-stalin-to-mao-no-8600"
GONE = "1950-molotov-note"  # left out of the rebuilt collection
REQUESTS = (SearchRequest(q="Stalin"), SearchRequest(q="Mao", sort="date"),
            SearchRequest(filters=(("sender", ("stalin",)),)))
PAGES = (f"/api/documents/{DOC}", "/api/search?q=Stalin", "/api/search?q=Mao&sort=date",
         "/api/people", "/api/sets", f"/documents/{DOC}", "/search?q=Stalin", "/")


def retitle(documents: Path, prefix: str) -> None:
    for path in documents.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^title: ", f"title: {prefix}", text, count=1, flags=re.M),
                        encoding="utf-8")


def rebuild_from_scratch(config) -> generations.BuildState:
    """Delete index/ (the catalog is inside it), change every title, build again."""
    before = generations.sqlite_state(config.database_url)
    shutil.rmtree(config.index_dir)
    retitle(config.documents_dir, "Rebuilt ")
    (config.documents_dir / f"{GONE}.md").unlink()
    report = rebuild(config)
    after = generations.sqlite_state(config.database_url)
    assert (report.status, report.generation, after.generation) == ("built", 1, 1)
    assert before.generation == 1 and after.build_id != before.build_id
    assert report.build_id == after.build_id
    assert generations.load_build_id(engines.index_path(config, 1)) == after.build_id
    return after


def test_every_build_writes_a_new_build_id(tmp_path):
    config = make_archive(tmp_path, COLLECTION)
    ids = []
    for change in ("", "\nOne more line.\n"):
        path = config.documents_dir / f"{DOC}.md"
        path.write_text(path.read_text(encoding="utf-8") + change, encoding="utf-8")
        report = rebuild(config)
        state = generations.sqlite_state(config.database_url)
        assert re.fullmatch("[0-9a-f]{32}", state.build_id) and report.build_id == state.build_id
        assert generations.load_build_id(engines.index_path(config, state.generation)) \
            == state.build_id
        ids.append(state.build_id)
    up_to_date = rebuild(config)
    assert (up_to_date.status, up_to_date.build_id) == ("up-to-date", ids[-1])
    assert len(set(ids)) == 2


def test_search_service_sees_a_rebuild_from_scratch(tmp_path):
    config = make_archive(tmp_path, COLLECTION)
    assert rebuild(config).status == "built"
    running = SearchService(config, refresh_seconds=0)
    try:
        old = [running.search(r) for r in REQUESTS]
        assert all(h.title and not h.title.startswith("Rebuilt") for r in old for h in r.hits)
        assert GONE in {h.id for r in old for h in r.hits}
        assert running.more_like_this(DOC)

        rebuild_from_scratch(config)

        fresh = SearchService(config)
        try:
            for request in REQUESTS:
                seen, expected = running.search(request), fresh.search(request)
                assert seen.to_dict() == expected.to_dict()
                assert seen.hits and all(h.title.startswith("Rebuilt ") for h in seen.hits)
                assert GONE not in {h.id for h in seen.hits}
            similar = running.more_like_this(DOC)
            assert similar == fresh.more_like_this(DOC)
            assert similar and all(h.title.startswith("Rebuilt ") for h in similar)
        finally:
            fresh.close()
    finally:
        running.close()


def test_web_app_sees_a_rebuild_from_scratch(tmp_path, caplog):
    config = make_archive(tmp_path, COLLECTION)
    assert rebuild(config).status == "built"
    client = create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()
    old = {url: client.get(url) for url in PAGES}
    assert all(r.status_code == 200 for r in old.values())
    assert old[f"/api/documents/{DOC}"].get_json()["title"].startswith("Stalin to Mao")

    rebuild_from_scratch(config)
    time.sleep(1.1)  # the search service looks for a new build at most once a second

    fresh = create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()
    with caplog.at_level(logging.ERROR):
        for url in PAGES:
            seen, expected = client.get(url), fresh.get(url)
            assert (seen.status_code, seen.get_data(as_text=True)) == \
                (200, expected.get_data(as_text=True)), url
    assert caplog.records == []  # more-like-this did not fail (it would be logged, not raised)
    document = client.get(f"/api/documents/{DOC}").get_json()
    assert document["title"] == "Rebuilt Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950"
    page = client.get(f"/documents/{DOC}").get_data(as_text=True)
    assert "More like this" in page and "Rebuilt " in page.split("More like this")[1]
    assert client.get(f"/api/documents/{GONE}").status_code == 404


def cites_on_page(page: str) -> list[str]:
    return re.findall(r'<blockquote class="citation-text">(.*?)</blockquote>', page, flags=re.S)


def expected_cites(config) -> list[str]:
    browser = Browser(config)
    try:
        record = browser.catalog.get(DOC)
        return [citations.format_citation(record, browser.people_map(), browser.archive_authority(),
                                          "http://localhost", style, form, output="html")
                for _key, _label, style, form in CITE_STYLES]  # the test client's address
    finally:
        browser.close()


def test_two_apps_in_one_process_cite_their_own_documents(tmp_path):
    first = make_archive(tmp_path / "first", COLLECTION)
    second_root = tmp_path / "second"
    shutil.copytree(COLLECTION, second_root / "documents")
    retitle(second_root / "documents", "Second archive ")
    second = make_archive(second_root)
    second = replace(second, base_url="https://second.example.org")
    for config in (first, second):
        report = rebuild(config)
        assert (report.status, report.generation) == ("built", 1)  # the same number in both
    apps = [create_app({"TESTING": True, "ARCHIVE_CONFIG": c}).test_client() for c in (first, second)]
    for _ in range(2):  # each app's page, then each again from its cache
        for client, config in zip(apps, (first, second), strict=True):
            page = client.get(f"/documents/{DOC}").get_data(as_text=True)
            assert cites_on_page(page) == expected_cites(config)
    second_cites = cites_on_page(apps[1].get(f"/documents/{DOC}").get_data(as_text=True))
    assert second_cites and all("second archive" in c.lower() for c in second_cites)


@pytest.mark.parametrize("written_by", ["another build", "a build before build ids"])
def test_a_generation_folder_of_another_build_is_not_served(tmp_path, written_by):
    """The catalog names build B but the folder of that number holds another build's index (it
    was deleted and is being written again): searching answers "unavailable", never mixes."""
    config = make_archive(tmp_path, COLLECTION)
    assert rebuild(config).status == "built"
    folder = engines.index_path(config, 1)
    build_file = folder / generations.BUILD_FILE
    if written_by == "another build":
        build_file.write_text('{"build_id": "another", "generation": 1}')
        service = SearchService(config)
        try:
            with pytest.raises(SearchUnavailable, match="the index is being rebuilt: try again in a moment"):
                service.search(SearchRequest(q="Stalin"))
        finally:
            service.close()
    else:  # a generation written before builds had ids is still served
        build_file.unlink()
        service = SearchService(config)
        try:
            assert service.search(SearchRequest(q="Stalin")).hits
        finally:
            service.close()


def test_pooled_catalog_connections_follow_a_replaced_file(tmp_path):
    config = make_archive(tmp_path, COLLECTION)
    assert rebuild(config).status == "built"
    reader = Catalog(config.database_url)
    try:
        first = generations.current_state(reader)
        assert reader.get(DOC).title.startswith("Stalin to Mao")
        rebuilt = rebuild_from_scratch(config)
        assert generations.current_state(reader) == rebuilt != first
        assert reader.get(DOC).title.startswith("Rebuilt Stalin to Mao")
        assert reader.get(GONE) is None
    finally:
        reader.dispose()
