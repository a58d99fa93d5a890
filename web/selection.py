"""The reader's selection: documents gathered from many searches, kept in the browser.

Nothing is stored on the server. With scripts, the selection lives in the browser's
localStorage (web/static/archive.js); without them, in a cookie that the add/remove forms set.
A selection is shared as `/selection?ids=a,b,c` (or, past what a request line carries,
`/selection#ids=...`, which the script posts). POST is accepted where a URL would be too long;
it only reads (the cookie answer of add/remove is the browser's own state, not a server write).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, Response, g, redirect, render_template, request, url_for

from archive import csl, export
from archive.citations import csl_json
from archive.ref_formats import format_short
from archive.search import SearchError
from archive.selection import MAX_IDS, SelectionError, UnknownIds, parse_ids

from . import services
from .exports import _format, _respond
from .searching import EXPORT_FORMATS

bp = Blueprint("selection", __name__)
COOKIE = "selection"
COOKIE_BYTES = 3800  # browsers keep 4,096 bytes a cookie; scripts keep any number in localStorage
URL_IDS = 3000  # characters of ids a share link carries in its query (servers cap a request line)
MAX_BIBLIOGRAPHY = 50  # citeproc-js takes ~10 ms an entry (more on a busy machine)
WEB_MAX_IDS = 2000  # the page renders ~0.7 ms a document: a bounded page per request
STYLES = {"chicago": "Chicago (bibliography)", "mla": "MLA", "apa": "APA"}


def _given_ids() -> list[str] | None:
    """The ids the request names (query or form), None when it names none."""
    values = request.values.getlist("ids") + request.values.getlist("id")
    if not values:
        return None
    try:
        ids = parse_ids(",".join(values))
    except SelectionError as error:
        raise SearchError(f"ids: {error}") from None
    if len(ids) > WEB_MAX_IDS:
        raise SearchError(f"ids: a selection here holds at most {WEB_MAX_IDS} documents, got "
                          f"{len(ids)}; `archive export --ids-from FILE` takes up to {MAX_IDS}")
    return ids


@bp.app_template_global()
def selected_ids() -> set[str]:
    """The ids in the no-script selection (the cookie): which button a page shows."""
    if "selected_ids" not in g:
        g.selected_ids = set(_cookie_ids())
    return g.selected_ids


def _cookie_ids() -> list[str]:
    try:
        return parse_ids(request.cookies.get(COOKIE, ""))
    except SelectionError:
        return []


@bp.route("/selection", methods=["GET", "POST"], endpoint="show")
def show():
    given = _given_ids()
    ids = given if given is not None else _cookie_ids()
    mine = given is None or request.values.get("mine") == "1"  # the reader's own, not shared
    browser = services().browser
    context, records, missing, rows = chosen_documents(ids)
    style = request.values.get("style", "").strip()
    if style and style not in STYLES:
        raise SearchError(f"style: expected one of {', '.join(STYLES)}, got {style!r}")
    bibliography = None
    if style and records:
        if len(records) > MAX_BIBLIOGRAPHY:
            raise SearchError(f"style: a bibliography here covers at most {MAX_BIBLIOGRAPHY} "
                              f"documents, the selection has {len(records)}; download CSL-JSON, "
                              "RIS or BibTeX for a reference manager instead")
        items = [csl_json(r, context.people, context.archives, context.base_url) for r in records]
        bibliography = csl.bibliography(items, style, "html")
    joined = ",".join(r.id for r in records)
    share = share_url(joined)
    return render_template(
        "selection.html", rows=rows, missing=missing, ids=joined, given=",".join(ids), mine=mine, share=share,
        base_url=browser.config.base_url.rstrip("/"), exports=EXPORT_FORMATS, styles=STYLES,
        style=style, bibliography=bibliography, max_bibliography=MAX_BIBLIOGRAPHY,
        short_url=len(joined) <= URL_IDS)


@bp.route("/selection/export", methods=["GET", "POST"], endpoint="export")
def export_selection():
    fmt = _format()
    given = _given_ids()
    ids = given if given is not None else _cookie_ids()
    if not ids:
        raise SearchError("ids: the selection is empty: nothing to export")
    browser = services().browser
    try:
        chosen = export.selection(browser.catalog, ids, browser.config)
    except UnknownIds as error:
        raise SearchError(f"ids: {error}") from None
    return _respond(chosen, fmt, "archive-selection")


@bp.post("/selection/add", endpoint="add")
def add() -> Response:
    return _change(lambda ids, new: ids + [i for i in new if i not in ids])


@bp.post("/selection/remove", endpoint="remove")
def remove() -> Response:
    return _change(lambda ids, gone: [i for i in ids if i not in gone])


def _change(how) -> Response:
    """The no-script add/remove forms: the new selection goes back in the cookie."""
    given = _given_ids() or []
    known = {r["id"] for r in _summaries(given)}
    unknown = [i for i in given if i not in known]
    if unknown:
        raise SearchError(f"ids: {UnknownIds(unknown)}")
    ids = how(_cookie_ids(), given)
    value = ",".join(ids)
    if len(value) > COOKIE_BYTES:
        raise SearchError("ids: the selection is full for a browser without scripts "
                          f"({len(ids) - len(given)} documents); turn scripts on to keep up to "
                          f"{MAX_IDS}, or save it with `archive set new`")
    target = request.values.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("selection.show")
    response = redirect(target, 303)
    response.set_cookie(COOKIE, value, max_age=365 * 24 * 3600, samesite="Lax", httponly=False)
    return response


def chosen_documents(ids: list[str]):
    """(export context, records in date order, ids not in the archive, rows for display)."""
    browser = services().browser
    context = export.Context.load(browser.config, browser.catalog)
    records = list(browser.catalog.records(_date_order(ids)))
    found = {r.id for r in records}
    missing = [i for i in ids if i not in found]
    rows = [{
        "record": r,
        "sender": [context.people[p].name if p in context.people else p for p in r.sender],
        "recipient": [context.people[p].name if p in context.people else p for p in r.recipient],
        "refs": [f"{ref.archive}, {format_short(ref)}".strip(", ") for ref in r.archive_refs],
    } for r in records]
    return context, records, missing, rows


def share_url(joined: str) -> str:
    """The link that opens a selection: its ids in the query, or after # when too long."""
    if len(joined) <= URL_IDS:
        return url_for("selection.show", ids=joined)
    return url_for("selection.show") + "#ids=" + quote(joined, safe=",")


def given_ids() -> list[str]:
    """The ids a request names ([] for none); SearchError for too many."""
    return _given_ids() or []


def _summaries(ids: list[str]) -> list[dict]:
    from archive.catalog import document_summaries

    return document_summaries(services().browser.catalog, ids) if ids else []


def _date_order(ids: list[str]) -> list[str]:
    return [r["id"] for r in _summaries(ids)]


def export_urls(ids: str) -> list[tuple[str, str]]:
    """(label, url) of each export of a selection short enough for a link."""
    return [(label, f"{url_for('selection.export')}?{urlencode([('ids', ids), *extra])}")
            for extra, label in EXPORT_FORMATS]
