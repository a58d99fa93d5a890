"""The web app keeps answering while rebuilds swap the index and catalog underneath it, then
serves the new content."""

from __future__ import annotations

import threading
import time

import pytest
from web_support import build_web_archive

from archive.build import rebuild
from web import create_app

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

DOC = "1950-05-14-stalin-to-mao-no-8600"
TEMPLATE_ID = "1950-10-02-mao-to-stalin"  # copied, with a marker word in the title, as new documents
READERS = 6
REBUILDS = 5
URLS = [  # stable content: every one must answer 200 at every moment
    "/",
    "/api/",
    "/search?q=Stalin&sender=stalin",
    "/api/search?q=Filippov&sort=date",
    "/api/search?year=1950&type=telegram&page_size=5",
    f"/documents/{DOC}",
    f"/api/documents/{DOC}",
    f"/documents/{DOC}.md",
    f"/documents/{DOC}/cite.ris",
    "/people",
    "/api/people/stalin",
    "/archives",
    "/sets/may-1950",
    "/export?q=Stalin&format=csv",
    "/sets/may-1950/export?format=jsonl",
]


def marker(n: int) -> str:
    return f"zanzibarite{n}"


def write_marker_doc(config, n: int) -> str:
    """A new document whose title holds a word found nowhere else; returns its id."""
    doc_id = f"1950-10-03-rebuild-marker-{n}"
    text = (config.documents_dir / f"{TEMPLATE_ID}.md").read_text(encoding="utf-8")
    head, rest = text.split("\ntitle: ", 1)
    rest = rest.split("\n", 1)[1]
    text = f"{head}\ntitle: Rebuild marker {marker(n)}\n{rest}"
    (config.documents_dir / f"{doc_id}.md").write_text(text, encoding="utf-8")
    return doc_id


def test_serving_while_rebuilds_swap_the_index(tmp_path, engine_settings):
    config = build_web_archive(tmp_path, engine_settings())
    app = create_app({"ARCHIVE_CONFIG": config})
    warm = app.test_client()  # first calls load caches and the citation engine: not the point here
    assert [warm.get(url).status_code for url in URLS] == [200] * len(URLS)
    stop = threading.Event()
    failures: list[str] = []
    served = [0] * READERS
    generations: set[int] = set()  # the index generations that answered the readers' searches

    def read(slot: int) -> None:
        client = app.test_client()
        i = slot
        while not stop.is_set():
            url = URLS[i % len(URLS)]
            i += 1
            try:
                response = client.get(url)
                body = response.get_data()  # exports stream: read to the end
                if response.status_code != 200 or not body:
                    failures.append(f"{url}: {response.status_code} {body[:200]!r}")
                elif url.startswith("/api/search"):
                    generations.add(response.get_json()["generation"])
            except Exception as error:  # noqa: BLE001 - every failure is counted, not raised here
                failures.append(f"{url}: {error!r}")
            served[slot] += 1

    threads = [threading.Thread(target=read, args=(slot,), daemon=True) for slot in range(READERS)]
    for thread in threads:
        thread.start()
    try:
        previous = None
        for n in range(REBUILDS):
            write_marker_doc(config, n)
            if previous is not None:
                (config.documents_dir / f"{previous}.md").unlink()
            previous = f"1950-10-03-rebuild-marker-{n}"
            report = rebuild(config)
            assert report.status == "built", [str(p) for p in report.problems]
            time.sleep(0.5)  # some rebuilds land while the service still holds an older generation
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []
    assert all(count >= 3 for count in served), served
    assert len(generations) >= 3, generations  # the readers were served across the swaps

    # The last rebuild's content is served (the search service looks for a new generation at
    # most once a second).
    client = app.test_client()
    last = REBUILDS - 1
    deadline = time.monotonic() + 5
    while True:
        hits = client.get(f"/api/search?q={marker(last)}").get_json()["hits"]
        if hits or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert [h["id"] for h in hits] == [previous]
    assert client.get(f"/api/search?q={marker(last - 1)}").get_json()["total"] == 0
    assert client.get(f"/documents/{previous}").status_code == 200
    assert client.get(f"/documents/1950-10-03-rebuild-marker-{last - 1}").status_code == 404
    assert client.get("/api/").get_json()["documents"] == 16
    assert client.get("/api/search").get_json()["total"] == 16
