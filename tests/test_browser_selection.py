"""The selection in headless Chromium: add documents from two searches, open the shared URL in a
fresh browser context and export it; the same without scripts; a 1,000-document selection shared
by its URL. Needs Debian's chromium (/usr/bin/chromium) and the `playwright` package."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import MARKS, serving
from web_support import build_web_archive

from archive.build import rebuild
from archive.catalog import Catalog
from archive.settings import load_config

ROOT = Path(__file__).parent.parent
NO_8600 = "1950-05-14-stalin-to-mao-no-8600"

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(build_web_archive(tmp_path_factory.mktemp("browser-selection"))) as url:
        yield url


def new_page(browser, problems: list[str], **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  **options)
    tab = context.new_page()
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    return context, tab


def listed(tab) -> list[str]:
    return tab.locator(".selection-list li").evaluate_all("items => items.map(i => i.dataset.doc)")


def add_first(tab, server: str, query: str, count: int) -> list[str]:
    """Add the first `count` hits of a search; their ids."""
    tab.goto(f"{server}/search?q={query}")
    forms = tab.locator(".hits form.select-doc")
    ids = []
    for i in range(count):
        form = forms.nth(i)
        ids.append(form.get_attribute("data-doc"))
        form.get_by_role("button", name="Add to selection").click()
        assert form.get_by_role("button").inner_text() == "Remove from selection"
    return ids


def download(tab, button: str) -> bytes:
    with tab.expect_download() as info:
        tab.locator(".selection-exports").get_by_role("button", name=button, exact=True).click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("scripts", [True, False], ids=["with-scripts", "without-scripts"])
def test_two_searches_shared_url_fresh_context_export(browser, server, scripts):
    problems: list[str] = []
    context, tab = new_page(browser, problems, java_script_enabled=scripts)
    chosen = add_first(tab, server, "Filippov", 2) + add_first(tab, server, "Kim", 2)
    chosen = list(dict.fromkeys(chosen))
    assert tab.locator("#selection-link").inner_text() == f"Selection ({len(chosen)})"
    tab.locator("#selection-link").click()
    tab.wait_for_selector(".selection-list")
    shown = listed(tab)
    assert sorted(shown) == sorted(chosen)
    dates = tab.locator(".selection-list time").evaluate_all(
        "items => items.map(i => i.getAttribute('datetime'))")
    assert dates == sorted(dates)
    share = tab.locator("#share-link").get_attribute("href")
    assert share == "/selection?ids=" + ",".join(shown)
    context.close()

    fresh, other = new_page(browser, problems, java_script_enabled=scripts)  # a colleague
    other.goto(server + share)
    assert listed(other) == shown
    assert other.locator("h1").inner_text() == "A selection of documents"
    rows = list(csv.DictReader(io.StringIO(download(other, "CSV").decode("utf-8"))))
    assert [r["id"] for r in rows] == shown
    ris = download(other, "RIS").decode("utf-8")
    assert ris.count("TY  - ") == len(shown)
    other.get_by_label("Citation style").select_option("chicago")
    other.get_by_role("button", name="Show bibliography").click()
    assert other.locator("#bibliography .csl-entry").count() == len(shown)
    fresh.close()
    assert problems == []


def test_removing_on_the_selection_page(browser, server):
    problems: list[str] = []
    context, tab = new_page(browser, problems)
    tab.goto(f"{server}/documents/{NO_8600}")
    tab.get_by_role("button", name="Add to selection").click()
    add_first(tab, server, "Mao", 1)
    tab.goto(server + "/selection")
    tab.wait_for_selector(".selection-list")
    before = listed(tab)
    assert NO_8600 in before and len(before) == 2
    tab.locator(f'.selection-list li[data-doc="{NO_8600}"]').get_by_role(
        "button", name="Remove from selection").click()
    tab.wait_for_function("document.querySelectorAll('.selection-list li').length === 1")
    assert listed(tab) == [i for i in before if i != NO_8600]
    assert tab.locator("#selection-link").inner_text() == "Selection (1)"
    context.close()
    assert problems == []


def test_a_thousand_documents_share_by_url(browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("thousand")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_collection.py"), "1000",
                    str(root / "documents"), "--jobs", "1"], check=True, capture_output=True)
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(root / "documents"),
                         ARCHIVE_INDEX_DIR=str(root / "index"))
    assert rebuild(config).status == "built"
    catalog = Catalog(config.database_url)
    try:
        ids = [r.id for r in catalog.records()][:1000]
    finally:
        catalog.dispose()
    assert len(ids) == 1000
    problems: list[str] = []
    try:
        with serving(config) as server:
            context, tab = new_page(browser, problems)
            tab.goto(server + "/selection?ids=" + ",".join(ids[:3]))
            assert listed(tab) == ids[:3]
            tab.goto(server + "/selection#ids=" + ",".join(ids))  # the link a long selection shares
            tab.wait_for_selector(".selection-list li >> nth=999")
            assert listed(tab) == ids
            share = tab.locator("#share-link").get_attribute("href")
            assert share == "/selection#ids=" + ",".join(ids)
            jsonl = download(tab, "JSONL").decode("utf-8").splitlines()
            assert len(jsonl) == 1000
            context.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert problems == []
