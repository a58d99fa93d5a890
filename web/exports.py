"""Export routes: any result set (`/export?<search parameters>&format=`), a curated set
(`/sets/<id>/export?format=`), or the whole archive (`/export?format=` with no filters).

Responses stream as the records are read; nothing is capped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, request, stream_with_context

from archive import export
from archive.search import SearchError, SearchRequest

from . import public_config, services

bp = Blueprint("exports", __name__)
_NOT_SEARCH = ("format", "bom", "page", "page_size")


@bp.get("/export")
def export_results():
    fmt = _format()
    params = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in _NOT_SEARCH}
    browser = services().browser
    if not any(v for values in params.values() for v in values if v.strip()):
        chosen = export.whole_archive(browser.catalog, public_config())
        stem = "archive"
    else:
        search_request = SearchRequest.from_params(params)  # SearchError -> 400
        # Run the query once before streaming, so that a malformed one is a 400, not a broken file.
        services().search.search(replace(search_request, page=1, page_size=1))
        chosen = export.search_results(services().search, browser.catalog, search_request,
                                       public_config())
        stem = "archive-search"
    return _respond(chosen, fmt, stem)


@bp.get("/sets/<slug:set_id>/export")
def export_set(set_id: str):
    fmt = _format()
    browser = services().browser
    try:
        chosen = export.curated_set(browser.catalog, set_id, public_config())
    except KeyError:
        abort(404, description=f"no document set {set_id!r}")
    return _respond(chosen, fmt, set_id)


def _format() -> str:
    fmt = request.values.get("format", "").strip() or "zip"  # a selection's export may be a POST
    if fmt not in export.FORMATS:
        raise SearchError(f"unknown export format {fmt!r}; expected one of {', '.join(export.FORMATS)}")
    return fmt


def _bom() -> bool:
    value = request.values.get("bom", "").strip()
    if value not in ("", "0", "1"):
        raise SearchError(f'bom: expected 0 or 1, got "{value}"')
    return value == "1"


def _respond(chosen: export.ExportSet, fmt: str, stem: str) -> Response:
    browser = services().browser
    context = export.Context.load(public_config(), browser.catalog)
    bom = _bom()
    chunks = export.export(chosen, fmt, context, csv_bom=bom)
    name = export.filename(f"{stem}-{datetime.now(UTC):%Y-%m-%d}", fmt)
    # content_type, not mimetype: Flask would add a second "; charset=utf-8"
    return Response(stream_with_context(chunks), content_type=export.FORMATS[fmt][1],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
