"""The pictures of a search as files (SVG and PNG) and as JSON: the same numbers the search page
draws (archive.pictures), from the same search call."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, jsonify, request, url_for
from werkzeug.exceptions import ServiceUnavailable

from . import public_config
from .drawing import DRAWERS
from .pages import query_url
from .searching import run_search

bp = Blueprint("pictures", __name__)
KINDS = tuple(DRAWERS)
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
PNG_SCALE = 2  # pixels per SVG unit: 1920 px wide, sharp on a slide


def picture_svg(kind: str, pictures, standalone: bool = False, base: str = ""):
    """The SVG markup of one picture; links narrow the search (absolute with `base`)."""
    return DRAWERS[kind](getattr(pictures, kind), lambda params: base + query_url(params),
                         standalone=standalone)


def _search_params() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "page_size", "sort")]


def picture_links(params) -> dict[str, dict[str, str]]:
    """kind -> {"svg": url, "png": url} for the search `params`."""
    query = urlencode(params)
    return {kind: {ext: url_for("pictures.file", kind=kind, ext=ext) + (f"?{query}" if query else "")
                   for ext in FORMATS} for kind in KINDS}


@bp.get("/api/pictures")
def api():
    search_request, result = run_search(request.args, pictures=True)
    params = [(k, v) for k, v in search_request.to_params() if k not in ("page", "page_size", "sort")]
    return jsonify({**result.pictures.to_dict(), "links": {
        "search": query_url(params), "files": picture_links(params)}})


@bp.get("/pictures/<any(timeline,network,routes):kind>.<any(svg,png):ext>")
def file(kind: str, ext: str):
    _, result = run_search(request.args, pictures=True)
    base = public_config().base_url.rstrip("/")
    svg = str(picture_svg(kind, result.pictures, standalone=True, base=base)).encode("utf-8")
    if ext == "png":
        svg = _png(svg)
    return Response(svg, mimetype=FORMATS[ext], headers={
        "Content-Disposition": f'attachment; filename="archive-{kind}.{ext}"'})


@lru_cache(maxsize=32)
def _png(svg: bytes) -> bytes:
    """The PNG of an SVG (~0.1 s for a full network: the last few are kept)."""
    try:
        import cairosvg  # imported on first use: pages that draw only SVG never load Cairo
    except OSError:  # the system's libcairo2 is missing: the SVG downloads still work
        raise ServiceUnavailable("PNG pictures need the system library libcairo2 on the server; "
                                 "the SVG download has the same picture") from None
    return cairosvg.svg2png(bytestring=svg, scale=PNG_SCALE)


def init_app(app: Flask) -> None:
    app.add_template_global(picture_svg)
    app.add_template_global(picture_links)
    app.register_blueprint(bp)
