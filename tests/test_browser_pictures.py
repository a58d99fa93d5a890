"""The pictures of a search in headless Chromium at 1280 and 390 px: each picture renders, its
links narrow the search (mouse and keyboard), its table holds the picture's numbers, and all of
it works without JavaScript. Screenshots in tests/artifacts/pictures-*.png."""

from __future__ import annotations

import re

import pytest
from browser_support import ARTIFACTS, MARKS, SIZES
from test_browser import server  # noqa: F401 (fixture)

pytestmark = MARKS
QUERY = "/search?q=Stalin"


@pytest.fixture(params=list(SIZES))
def page(request, browser):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.size = request.param
    yield tab
    context.close()
    assert problems == []  # no CSP violation, no script error


def results_total(page) -> int:
    title = page.locator("#results-title").inner_text()
    return int(re.search(r"of (\d+) document", title)[1]) if " of " in title else \
        int(re.match(r"1–(\d+)", title)[1])


def labels(page, kind: str) -> list[str]:
    return page.locator(f"svg.picture-{kind} a").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))")


def table(page, table_id: str) -> list[list[str]]:
    return page.locator(f"#{table_id} tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")


def test_each_picture_renders_and_matches_its_table(page, server):  # noqa: F811
    page.goto(server + QUERY)
    width = SIZES[page.size][0]
    for kind in ("timeline", "network", "routes"):
        box = page.locator(f"svg.picture-{kind}").bounding_box()
        # the full width of the column; the timeline (960 x 206) is only ~70 px tall on a phone
        assert box["width"] > 300 and box["height"] > 60, (kind, box)
        figure = page.locator(f"#picture-{kind}")
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(ARTIFACTS / f"pictures-{kind}-{page.size}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page
    for details in page.locator(".picture-table summary").all():
        details.click()  # open every table (the <details> works without scripts)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the tables fit too

    # timeline: one linked bar per period with documents; its label holds the row's numbers,
    # and the hatched share of the bar the row's documents with uncertain or approximate dates
    rows = table(page, "timeline-table")
    bars = labels(page, "timeline")
    assert len(bars) == len(rows) > 5
    hatched = page.locator("svg.picture-timeline a").evaluate_all(
        "links => links.map(a => [...a.querySelectorAll('rect.uncertain')].map(r => "
        "[Number(r.dataset.count), r.getBoundingClientRect().height]))")
    for (period, exact, spanning, doubted), label, parts in zip(rows, bars, hatched, strict=True):
        assert label.startswith(f"{period}: {exact} document")
        assert (f", {spanning} more" in label) == (spanning != "0")
        assert label.endswith(f"; {doubted} uncertain or approximate") == (doubted != "0")
        assert sum(count for count, _ in parts) == int(doubted), (period, parts)
        assert all(height > 0.5 for _, height in parts), (period, parts)  # drawn, not collapsed
    # the collection dates one document "1950-10-02?": October's bar is hatched for it
    assert [row for row in rows if row[3] != "0"] == [["Oct 1950", "3", "1", "1"]]
    fill = page.locator("svg.picture-timeline rect.uncertain").first.evaluate(
        "r => getComputedStyle(r).fill")
    assert fill == 'url("#hatch-exact")'
    # network: one circle per correspondent, sized and labelled from the same numbers
    nodes = table(page, "network-nodes-table")
    assert page.locator("svg.picture-network circle").count() == len(nodes)
    assert labels(page, "network")[-len(nodes):] == [
        f"{name}: {docs} document{'' if docs == '1' else 's'} (sent {sent}, received {got}, "
        f"relayed {relayed})" for name, docs, sent, got, relayed in nodes]
    edges = table(page, "network-edges-table")
    assert sorted(labels(page, "network")[:-len(nodes)]) == sorted(
        f"{a} to {b}{' (relayed)' if how != 'direct' else ''}: {n} document{'' if n == '1' else 's'}"
        for a, b, n, how in edges)
    # routes: one arrow per route between two different places
    routes = table(page, "routes-table")
    assert sorted(labels(page, "routes")) == sorted(
        f"{a} to {b}: {n} document{'' if n == '1' else 's'}" for a, b, n in routes if a != b)
    page.screenshot(path=str(ARTIFACTS / f"pictures-{page.size}.png"), full_page=True)


def test_a_bar_clicked_narrows_to_its_period(page, server):  # noqa: F811
    page.goto(server + QUERY)
    total = results_total(page)
    bar = page.locator("svg.picture-timeline a").nth(0)
    label = bar.get_attribute("aria-label")
    expected = sum(int(n) for n in re.findall(r"(\d+) (?:document|more)", label))
    bar.scroll_into_view_if_needed()
    bar.click()
    page.wait_for_url("**date_from=*")
    assert "q=Stalin" in page.url and results_total(page) == expected < total


@pytest.mark.parametrize("kind, which", [("network", "circle"), ("network", "path"),
                                         ("routes", "path")])
def test_node_edge_and_route_links_narrow_from_the_keyboard(page, server, kind, which):  # noqa: F811
    page.goto(server + QUERY)
    total = results_total(page)
    link = page.locator(f"svg.picture-{kind} a:has({which})").first
    label = link.get_attribute("aria-label")
    expected = int(re.search(r"(\d+) documents?", label)[1])
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != server + QUERY)
    assert results_total(page) == expected <= total, label


def test_pictures_work_without_javascript(browser, server):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + QUERY)
    for kind in ("timeline", "network", "routes"):
        assert page.locator(f"svg.picture-{kind}").is_visible()
    page.locator(".picture-table summary").first.click()
    assert page.locator("#timeline-table").is_visible()
    page.locator("svg.picture-timeline a").first.click()
    page.wait_for_url("**date_from=*")
    context.close()
