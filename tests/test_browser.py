"""The reader in headless Chromium: what a user does, with the mouse and with the keyboard only.

Needs Debian's chromium (/usr/bin/chromium) and the `playwright` package; Playwright never
downloads a browser here. Screenshots go to tests/artifacts/ (gitignored) for review.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, MARKS, SIZES, serving
from web_support import build_web_archive

DOC = "1950-05-14-stalin-to-mao-no-8600"

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(build_web_archive(tmp_path_factory.mktemp("browser"))) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    yield tab
    context.close()
    assert problems == []  # no script errors, no CSP violations, no missing resources


def chips(page) -> list[str]:
    return [c.strip() for c in page.locator(".chips .chip").all_inner_texts()]


def test_search_refine_page_and_read(page, server):
    page.goto(server + "/")
    page.get_by_label("Search the documents").fill("Stalin")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=Stalin")
    assert "documents" in page.locator("#results-title").inner_text()

    # tick two facets, then remove one
    page.locator("#facet-sender + ul a.toggle").first.click()
    page.wait_for_url("**sender=*")
    page.locator('section[aria-labelledby="facet-type"] a.toggle', has_text="Telegram").click()
    page.wait_for_url("**type=telegram*")
    assert len(chips(page)) == 2
    assert page.locator("a.toggle.selected").count() == 2
    page.locator(".chips .chip", has_text="Type").click()
    page.wait_for_url(lambda url: "type=" not in url)  # not load state: the old page is loaded
    assert len(chips(page)) == 1

    # change the date range
    page.get_by_label("From", exact=True).fill("1950-05")
    page.get_by_label("To", exact=True).fill("1950-10")
    page.get_by_role("button", name="Apply dates").click()
    page.wait_for_url("**date_to=1950-10*")
    assert "From: 1950-05" in " ".join(chips(page)) and "To: 1950-10" in " ".join(chips(page))
    for date in page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)"):
        assert "1950-05" <= date[:7] <= "1950-10"

    # sort (the menu applies itself when scripts run)
    page.get_by_label("Sort by").select_option("-date")
    page.wait_for_url("**sort=-date*")
    dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates, reverse=True)

    # page through everything
    page.goto(server + "/search?page_size=5")
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**page=2*")
    assert page.locator("#results-title").inner_text().startswith("6–10 of")

    # open a document from the results
    first = page.locator(".hit .doc-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text() == title


def test_follow_reply_person_and_archive_tree(page, server):
    page.goto(f"{server}/documents/{DOC}")
    page.locator('section[aria-labelledby="thread-title"] .doc-title a').first.click()
    page.wait_for_url("**/documents/1950-05-13-roshchin-to-filippov")
    assert "Replies" in page.locator('section[aria-labelledby="thread-title"]').inner_text()

    page.locator(".doc-route.big a").first.click()
    page.wait_for_url("**/people/roshchin")
    assert page.locator("h1").inner_text() == "N. V. Roshchin"
    assert page.locator(".doc-list .doc-item").count() >= 1

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Archives").click()
    page.wait_for_url("**/archives")
    page.locator(".tree.top > li > a.node").first.click()
    page.wait_for_url("**/archives/*")
    delo = page.locator("details:not([open]) > summary").first
    delo.click()
    link = page.locator("details[open] .doc-list a").first
    link.wait_for(state="visible")
    link.click()
    page.wait_for_url("**/documents/*")


def test_a_historic_place_name_from_the_help_page_finds_the_modern_one(page, server):
    page.goto(server + "/help")
    section = page.locator('section:has(h2:text-is("Places, bodies and acronyms"))')
    section.get_by_role("link", name="Port Arthur").click()
    page.wait_for_url("**/search?q=Port+Arthur")
    assert page.locator(".note").inner_text().startswith(
        'Searched for "Port Arthur" as the place Lüshun, also as')
    assert page.locator(".hit .doc-title").all_inner_texts() == [
        "Kovalev on the naval base at Lüshun, July 1950"]
    assert "Port Arthur" in page.locator(".hit .snippet mark").all_inner_texts()


def test_keyboard_only(page, server):
    page.goto(server + "/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "home-q":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("Mao")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=Mao")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit .doc-title') !== null"):
            break
    else:
        pytest.fail("no result can be reached with Tab")
    # focus is visible: the focused link has an outline
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/*")


def test_skip_link_moves_focus_to_main(page, server):
    page.goto(server + "/search")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_url("**/search#main")  # the fragment navigation is reported asynchronously
    assert page.evaluate("location.hash") == "#main"


def test_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/search?q=Stalin")
    page.get_by_label("Sort by").select_option("date")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url("**sort=date*")
    page.locator("#facet-sender + ul a.toggle").first.click()
    page.wait_for_url("**sender=*")
    assert len(chips(page)) == 1
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_screenshots(browser, server, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for name, url in (("home", "/"), ("results", "/search?q=Stalin&year=1950"),
                      ("document", f"/documents/{DOC}")):
        page.goto(server + url)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        # nothing wider than the screen (no sideways scrolling on a phone)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


# -- phone, keyboard and screen reader (#17) ---------------------------------------------------

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = {  # name -> url: every kind of page the reader serves
    "home": "/",
    "results": "/search?q=Stalin&year=1950",
    "results-empty": "/search?q=zzzzqx",
    "results-past-end": "/search?page=99",
    "search-error": "/search?q=Stalin+AND&sender=stalin&date_from=1950",
    "date-error": "/search?q=Kim&date_from=1950-06&date_to=1950-01",
    "document": f"/documents/{DOC}",
    "people": "/people",
    "person": "/people/stalin",
    "archives": "/archives",
    "archive": "/archives/APRF",
    "sets": "/sets",
    "set": "/sets/may-1950",
    "help": "/help",
    "selection": f"/selection?ids={DOC},1950-10-01-stalin-to-mao-volunteers&style=chicago",
    "not-found": "/nothing-here",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("ARCHIVE_REQUIRE_SERVICES"):
            pytest.fail(f"ARCHIVE_REQUIRE_SERVICES is set but {AXE} is missing (npm ci in tests/js)")
        pytest.skip("axe-core missing: run `npm ci` in tests/js")
    return AXE.read_text(encoding="utf-8")


def sized_page(browser, size: str, **options):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    return context, context.new_page()


@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_no_serious_violation_on_any_page(browser, server, axe_source, size):
    """axe-core, evaluated in the page (the page's CSP forbids injected inline scripts, and the
    DevTools protocol's evaluation is not subject to it), on every page type at both widths."""
    context, page = sized_page(browser, size)
    ARTIFACTS.mkdir(exist_ok=True)
    found = {}
    for name, url in PAGE_TYPES.items():
        page.goto(server + url)
        page.evaluate(axe_source)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found[name] = sorted(f"{v['id']} ({v['impact']}): {len(v['nodes'])} x "
                             f"{v['nodes'][0]['target']}" for v in result["violations"]
                             if v["impact"] in ("serious", "critical"))
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        # nothing wider than the screen, and no part that scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0], name
        wide = page.evaluate("""[...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.visually-hidden') && e.scrollWidth > e.clientWidth + 1
                         && getComputedStyle(e).overflowX !== 'visible')
            .map(e => e.className || e.tagName)""")
        assert wide == [], (name, wide)
    context.close()
    assert found == {name: [] for name in PAGE_TYPES}


def headings(page) -> list[tuple[int, str]]:
    return [tuple(h) for h in page.evaluate("""[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .map(h => [Number(h.tagName[1]), h.textContent.trim()])""")]


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_heading_order(browser, server, name):
    context, page = sized_page(browser, "desktop")  # error pages log their status: no `page`
    page.goto(server + PAGE_TYPES[name])
    found = headings(page)
    context.close()
    assert found[0][0] == 1, found
    assert [level for level, _ in found].count(1) == 1, found
    jumps = [(a, b) for a, b in zip(found, found[1:], strict=False) if b[0] > a[0] + 1]
    assert jumps == []
    if name == "document":
        assert (2, "Text") not in found and found[1] == (2, "Summary")
    if name.startswith("results"):
        refine = found.index((2, "Refine"))
        assert {level for level, _ in found[refine + 1:]} <= {3}


@pytest.mark.parametrize("scripts", [True, False])
def test_phone_filters_control_opens_the_filters(browser, server, scripts):
    context, page = sized_page(browser, "phone", java_script_enabled=scripts)
    page.goto(server + "/search?q=Stalin&sender=stalin&date_from=1950")
    control = page.get_by_role("link", name="Filters (2 active)")
    box = control.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SIZES["phone"][1]  # on the first screen
    refine = page.locator("#refine")
    assert refine.bounding_box()["y"] > 2 * SIZES["phone"][1]  # the filters are far below
    control.click()
    page.wait_for_function("location.hash === '#refine'")
    top = page.evaluate("document.getElementById('refine').getBoundingClientRect().top")
    assert -1 <= top < 50  # scrolled to the filters
    assert page.get_by_label("From", exact=True).input_value() == "1950"
    page.get_by_role("link", name="Back to the results").click()
    page.wait_for_function("location.hash === '#results'")
    context.close()


def test_filters_control_is_only_on_narrow_screens(page, server):
    page.goto(server + "/search?q=Stalin")
    assert not page.get_by_role("link", name="Filters").is_visible()


def test_skip_to_results_reaches_the_first_result_in_three_tabs(page, server):
    page.goto(server + "/search?q=Mao")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#results'")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit .doc-title') !== null"):
            break
    else:
        pytest.fail("the first result is not reached within three Tabs after Skip to results")
    first = page.locator(".hit .doc-title a").first.inner_text()
    assert page.evaluate("document.activeElement.textContent") == first


def test_facet_counts_are_read_as_documents(page, server):
    page.goto(server + "/search?q=Stalin")
    link = page.locator("#facet-sender + ul a.toggle").first
    label = link.locator(".label").inner_text()
    count = int(link.locator(".count").inner_text())
    snapshot = page.locator("#facet-sender + ul").aria_snapshot()
    unit = "document" if count == 1 else "documents"
    assert f'link "{label} ({count} {unit})"' in snapshot


def test_error_page_keeps_the_search_in_the_browser(browser, server):
    context, page = sized_page(browser, "desktop")  # the 400 is logged: not the `page` fixture
    response = page.goto(server + "/search?q=Stalin+AND&sender=stalin")
    assert response.status == 400
    assert page.get_by_label("Search the documents").input_value() == "Stalin AND"
    assert page.get_by_role("searchbox", name="Search the documents").get_attribute("aria-invalid") == "true"
    assert page.locator(".chips .chip").evaluate_all("cs => cs.map(c => c.textContent)") == [
        "Sender: I. V. Stalin ×, remove this filter"]
    page.get_by_label("Search the documents").fill("Stalin AND Mao")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**q=Stalin+AND+Mao*")
    assert "sender=stalin" in page.url and page.locator(".hit").count() > 0
    context.close()
