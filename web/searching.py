"""The search page's view model: facets, chips, pages and forms from one SearchResult.

URLs come from the service's self-describing parameters (`FacetBucket.toggle`,
`SearchRequest.to_params`), so neither the templates nor this module parse query strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from . import services

SIDEBAR_FACETS = (  # (facet, heading): the order of the sidebar
    ("sender", "Sender"),
    ("recipient", "Recipient"),
    ("via", "Via"),
    ("year", "Year"),
    ("type", "Type"),
    ("archive", "Archive"),
    ("language", "Language"),
    ("subject", "Subject"),
    ("place_from", "Sent from"),
    ("place_to", "Sent to"),
)
FACET_LABELS = dict(SIDEBAR_FACETS, month="Month")
SORT_LABELS = {"relevance": "Relevance", "date": "Date, oldest first", "-date": "Date, newest first"}
PAGE_WINDOW = 2  # pages shown either side of the current one


@dataclass
class Chip:
    label: str
    remove: list[tuple[str, str]]  # the page's parameters without this filter


@dataclass
class PageLink:
    label: str
    params: list[tuple[str, str]] | None  # None: the current page, or a gap
    current: bool = False
    rel: str | None = None


@dataclass
class SearchPage:
    request: object  # archive.search.SearchRequest
    result: object  # archive.search.SearchResult
    params: list[tuple[str, str]]
    facets: list[tuple[str, str, list]] = field(default_factory=list)  # (facet, heading, buckets)
    chips: list[Chip] = field(default_factory=list)
    pages: list[PageLink] = field(default_factory=list)
    page_count: int = 1
    first: int = 0  # 1-based position of the first hit shown
    last: int = 0
    sorts: list[tuple[str, str, bool]] = field(default_factory=list)
    exports: list[tuple[str, str]] = field(default_factory=list)

    def keep(self, *drop: str) -> list[tuple[str, str]]:
        """The page's parameters without `drop` (and without page): hidden inputs for a form."""
        return [(k, v) for k, v in self.params if k not in drop and k != "page"]


def run_search(args: MultiDict):
    """(SearchRequest, SearchResult) for a query string; raises SearchError for a bad value."""
    from archive.search import SearchRequest

    search_request = SearchRequest.from_params(args.to_dict(flat=False))
    return search_request, services().search.search(search_request)


def search_page(search_request, result) -> SearchPage:
    params = list(search_request.to_params())
    page = SearchPage(search_request, result, params)
    page.facets = [(name, heading, result.facets.get(name, [])) for name, heading in SIDEBAR_FACETS]
    page.chips = _chips(search_request, result, params)
    page.page_count = max(1, ceil(result.total / result.page_size)) if result.page_size else 1
    page.pages = _pages(params, result.page, page.page_count)
    if result.hits:
        page.first = (result.page - 1) * result.page_size + 1
        page.last = page.first + len(result.hits) - 1
    page.exports = export_links("/export", [(k, v) for k, v in params if k not in ("page", "page_size")])
    page.sorts = [(value, label, value == result.sort) for value, label in SORT_LABELS.items()]
    return page


def _chips(search_request, result, params) -> list[Chip]:
    filtered = {name for name, _ in search_request.filters}
    labels = {(name, b.value): b.label for name, buckets in result.facets.items()
              if name in filtered for b in buckets}
    chips = []
    for name, values in search_request.filters:
        for value in values:
            label = labels.get((name, value), value)
            remove = [(k, v) for k, v in params if (k, v) != (name, value) and k != "page"]
            chips.append(Chip(f"{FACET_LABELS.get(name, name)}: {label}", remove))
    for name, heading in (("date_from", "From"), ("date_to", "To")):
        value = getattr(search_request, name)
        if value:
            chips.append(Chip(f"{heading}: {value}",
                              [(k, v) for k, v in params if k not in (name, "page")]))
    return chips


def _pages(params, current: int, count: int) -> list[PageLink]:
    def at(number: int) -> list[tuple[str, str]]:
        rest = [(k, v) for k, v in params if k != "page"]
        return rest + [("page", str(number))] if number > 1 else rest

    links = []
    if current > 1:
        links.append(PageLink("Previous", at(current - 1), rel="prev"))
    shown = sorted({1, count, *range(max(1, current - PAGE_WINDOW), min(count, current + PAGE_WINDOW) + 1)})
    previous = 0
    for number in shown:
        if number - previous > 1:
            links.append(PageLink("…", None))
        links.append(PageLink(str(number), None if number == current else at(number),
                              current=number == current))
        previous = number
    if current < count:
        links.append(PageLink("Next", at(current + 1), rel="next"))
    return links


EXPORT_FORMATS = (("zip", "ZIP"), ("csv", "CSV"), ("jsonl", "JSONL"), ("bibtex", "BibTeX"),
                  ("ris", "RIS"), ("csl-json", "CSL-JSON"))


def export_links(path: str, params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, url) for each export format of the result set `params` describes."""
    return [(label, f"{path}?{urlencode([*params, ('format', fmt)])}") for fmt, label in EXPORT_FORMATS]
