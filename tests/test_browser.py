"""The reader in headless Chromium: what a user does, with the mouse and with the keyboard only.

Needs Debian's chromium (/usr/bin/chromium) and the `playwright` package; Playwright never
downloads a browser here. Screenshots go to tests/artifacts/ (gitignored) for review.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from web_support import build_web_archive

from web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
DOC = "1950-05-14-stalin-to-mao-no-8600"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need /usr/bin/chromium "
                       "(apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served on a free loopback port (a threaded WSGI server in this process, so that
    the tests share the app's state), over a built fixture archive."""
    from werkzeug.serving import make_server

    app = create_app({"ARCHIVE_CONFIG": build_web_archive(tmp_path_factory.mktemp("browser"))})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="browser tests need the playwright package")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


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
