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
FORM_LABELS = {"date_from": "From", "date_to": "To"}  # error messages name the fields by label


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
    error: str | None = None  # a search that could not run: the message ...
    error_field: str | None = None  # ... and the parameter at fault ("q", "date_from", ...)
    past_end: bool = False  # a page after the last one ("page 99 of 3")
    last_page: list[tuple[str, str]] = field(default_factory=list)  # its parameters, then

    def keep(self, *drop: str) -> list[tuple[str, str]]:
        """The page's parameters without `drop` (and without page): hidden inputs for a form."""
        return [(k, v) for k, v in self.params if k not in drop and k != "page"]


def run_search(args: MultiDict, pictures: bool = False):
    """(SearchRequest, SearchResult) for a query string; raises SearchError for a bad value.
    `pictures`: the result carries the timeline, network and routes of all its documents."""
    from archive.search import SearchRequest

    search_request = SearchRequest.from_params(args.to_dict(flat=False))
    return search_request, services().search.search(search_request, pictures=pictures)


def search_error_page(args: MultiDict, error, people) -> SearchPage:
    """The search page for a request that could not run: the form as the user filled it, the
    active filters kept, the message for the field at fault (`people`: id -> Person, for labels)."""
    from archive.search import (
        FACETS,
        SORTS,
        SearchRequest,
        SearchResult,
        facet_label,
        parameter_at_fault,
        renamed,
    )

    def single(name: str) -> str | None:
        return next((v.strip() for v in args.getlist(name) if v.strip()), None)

    field_name = parameter_at_fault(error)
    sort = single("sort")
    filters = tuple((name, tuple(v.strip() for v in args.getlist(name) if v.strip()))
                    for name in FACETS if any(v.strip() for v in args.getlist(name)))
    typed = SearchRequest(q=single("q") or "", filters=filters, date_from=single("date_from"),
                          date_to=single("date_to"), sort=sort if sort in SORTS else None)
    empty = SearchResult(hits=[], total=0, page=1, page_size=typed.page_size, facets={},
                         sort=typed.sort or ("relevance" if typed.q else "date"))
    page = search_page(typed, empty, labels=lambda name, value: facet_label(name, value, people))
    page.error, page.error_field = renamed(str(error), FORM_LABELS), field_name
    page.exports = []
    return page


def search_page(search_request, result, labels=None) -> SearchPage:
    params = list(search_request.to_params())
    page = SearchPage(search_request, result, params)
    page.facets = [(name, heading, result.facets.get(name, [])) for name, heading in SIDEBAR_FACETS]
    page.chips = _chips(search_request, result, params, labels)
    page.page_count = max(1, ceil(result.total / result.page_size)) if result.page_size else 1
    page.pages = _pages(params, result.page, page.page_count)
    if result.hits:
        page.first = (result.page - 1) * result.page_size + 1
        page.last = page.first + len(result.hits) - 1
    elif result.total:
        page.past_end = True
        page.last_page = _page_params(params, page.page_count)
    page.exports = export_links("/export", [(k, v) for k, v in params if k not in ("page", "page_size")])
    page.sorts = [(value, label, value == result.sort) for value, label in SORT_LABELS.items()]
    return page


def _chips(search_request, result, params, fallback=None) -> list[Chip]:
    filtered = {name for name, _ in search_request.filters}
    labels = {(name, b.value): b.label for name, buckets in result.facets.items()
              if name in filtered for b in buckets}
    chips = []
    for name, values in search_request.filters:
        for value in values:
            label = labels.get((name, value)) or (fallback(name, value) if fallback else value)
            remove = [(k, v) for k, v in params if (k, v) != (name, value) and k != "page"]
            chips.append(Chip(f"{FACET_LABELS.get(name, name)}: {label}", remove))
    for name, heading in (("date_from", "From"), ("date_to", "To")):
        value = getattr(search_request, name)
        if value:
            chips.append(Chip(f"{heading}: {value}",
                              [(k, v) for k, v in params if k not in (name, "page")]))
    return chips


def _page_params(params, number: int) -> list[tuple[str, str]]:
    rest = [(k, v) for k, v in params if k != "page"]
    return rest + [("page", str(number))] if number > 1 else rest


def _pages(params, current: int, count: int) -> list[PageLink]:
    def at(number: int) -> list[tuple[str, str]]:
        return _page_params(params, number)

    links = []
    if current > 1:
        links.append(PageLink("Previous", at(min(current - 1, count)), rel="prev"))
    near = min(current, count)
    shown = sorted({1, count, *range(max(1, near - PAGE_WINDOW), min(count, near + PAGE_WINDOW) + 1)})
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


EXPORT_FORMATS = (  # (parameters, label)
    ((("format", "zip"),), "ZIP"),
    ((("format", "csv"),), "CSV"),
    ((("format", "csv"), ("bom", "1")), "CSV for Excel"),  # UTF-8 with a BOM: Excel reads Cyrillic
    ((("format", "jsonl"),), "JSONL"),
    ((("format", "bibtex"),), "BibTeX"),
    ((("format", "ris"),), "RIS"),
    ((("format", "csl-json"),), "CSL-JSON"),
)


def export_links(path: str, params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, url) for each export format of the result set `params` describes."""
    return [(label, f"{path}?{urlencode([*params, *extra])}") for extra, label in EXPORT_FORMATS]
