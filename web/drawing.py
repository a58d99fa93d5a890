"""SVG for the pictures of a result set (archive.pictures), drawn on the server.

Colours, widths and fonts are SVG presentation attributes (allowed by the page's CSP, which
forbids inline styles), so that the same markup reads the same inline, downloaded as a file or
rendered to PNG; classes only add hover and focus styles in the page. Layouts are deterministic:
the same numbers give the same picture, byte for byte.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from markupsafe import Markup, escape

INK, MUTED, ACCENT, SOFT, LINK = "#1d1b18", "#5c574f", "#7b2d1a", "#e6c8bc", "#1f4e79"
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
Href = Callable[[list], str]  # query parameters -> the URL of the narrowed search


def _svg(kind: str, width: int, height: int, label: str, body: list[str], standalone: bool) -> Markup:
    size = f' width="{width}" height="{height}"' if standalone else ""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    background = f'<rect width="{width}" height="{height}" fill="#ffffff"/>' if standalone else ""
    return Markup(
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"{size} '
        f'class="picture-svg picture-{kind}" role="group" aria-label="{escape(label)}" '
        f'font-family="{FONT}" font-size="12">'
        f'<title>{escape(label)}</title>{background}{"".join(body)}</svg>')


def _link(href: Href, params, label: str, inner: str) -> str:
    title = f"<title>{escape(label)}</title>"
    if params is None:
        return f"<g>{title}{inner}</g>"
    return f'<a href="{escape(href(params))}" aria-label="{escape(label)}">{title}{inner}</a>'


def _documents(count: int) -> str:
    return f"{count} document{'' if count == 1 else 's'}"


# -- timeline --------------------------------------------------------------------------------

def timeline_svg(timeline, href: Href, standalone: bool = False) -> Markup:
    width, height, axis = 960, 206, 150
    bars = timeline.bars
    label = f"Documents per {timeline.unit}"
    if not bars:
        return _svg("timeline", width, 40, label, [_text(8, 24, "No documents to draw.")], standalone)
    step = width / len(bars)
    top = max(b.exact + b.spanning for b in bars) or 1
    scale = (axis - 18) / top
    body = [_HATCHES,
            f'<line x1="0" y1="{axis}" x2="{width}" y2="{axis}" stroke="#8d857a" stroke-width="1"/>']
    previous_year = None
    for i, bar in enumerate(bars):
        x = round(i * step, 2)
        inner = round(max(step - 2, 1), 2) if step < 8 else round(step - 4, 2)
        left = round(x + (step - inner) / 2, 2)
        total = bar.exact + bar.spanning
        parts = [f'<rect x="{x}" y="0" width="{round(step, 2)}" height="{axis}" fill="#ffffff" '
                 f'fill-opacity="0" class="hit"/>']
        if bar.spanning:
            h = round(total * scale, 1)
            parts.append(f'<rect x="{left}" y="{round(axis - h, 1)}" width="{inner}" height="{h}" '
                         f'fill="{SOFT}" class="spanning"/>')
        if bar.exact:
            h = round(bar.exact * scale, 1)
            parts.append(f'<rect x="{left}" y="{round(axis - h, 1)}" width="{inner}" height="{h}" '
                         f'fill="{ACCENT}" class="bar"/>')
        # the doubted share of each part hatched, at its top: of the exact part, then of the whole
        for doubted, below, hatch in ((bar.uncertain - bar.uncertain_spanning, bar.exact, "exact"),
                                      (bar.uncertain_spanning, total, "spanning")):
            if doubted:
                top, h = round(axis - below * scale, 1), round(doubted * scale, 1)
                parts.append(f'<rect x="{left}" y="{top}" width="{inner}" height="{h}" '
                             f'fill="url(#hatch-{hatch})" class="uncertain" data-count="{doubted}"/>')
        text = f"{bar.label}: {_documents(bar.exact)} dated in it"
        if bar.spanning:
            text += f", {bar.spanning} more with a wider date (a month, year or interval) overlapping it"
        if bar.uncertain:
            text += f"; {bar.uncertain} uncertain or approximate"
        body.append(_link(href, bar.params if total else None, text, "".join(parts)))
        if total and step >= 14:  # outside the link: its name says the numbers in words
            body.append(_text(x + step / 2, axis - total * scale - 4, str(total), size=9,
                              anchor="middle", fill=INK).replace("<text ", '<text aria-hidden="true" ', 1))
        body.append(_tick(timeline.unit, bar, i, x, step, axis, previous_year))
        previous_year = bar.start[:4]
    body.append(_legend(axis + 50, width))
    return _svg("timeline", width, height, label, body, standalone)


def _tick(unit: str, bar, i: int, x: float, step: float, axis: int, previous_year) -> str:
    out = []
    if unit == "month":
        if step >= 9:
            out.append(_text(x + step / 2, axis + 13, "JFMAMJJASOND"[int(bar.start[5:7]) - 1], size=10,
                             anchor="middle", fill=MUTED))
        if bar.start[:4] != previous_year and x < 960 - 30:  # no year cut off at the right edge
            out.append(_text(x + 1, axis + 27, bar.start[:4], size=10, fill=INK, weight="600"))
    elif unit == "day":
        day = int(bar.start[8:10])
        if day in (1, 8, 15, 22) or i == 0:
            out.append(_text(x + 1, axis + 13, str(day), size=10, fill=MUTED))
        if day == 1 or i == 0:
            out.append(_text(x + 1, axis + 27, bar.label.split(" ", 1)[1], size=10, fill=INK,
                             weight="600"))
    elif step >= 30 or i % max(1, math.ceil(30 / step)) == 0:
        out.append(_text(x + 1, axis + 13, bar.start[:4], size=10, fill=MUTED))
    return "".join(out)


# Hatching for the documents whose date is uncertain or approximate: light stripes over the dark
# part (dated in the period), dark stripes over the light part (a wider date). A pattern is a
# presentation attribute, so the hatching is in the SVG and PNG files too, not only in the page.
_HATCHES = (
    '<defs>'
    '<pattern id="hatch-exact" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#ffffff" stroke-width="2" '
    'stroke-opacity="0.8"/></pattern>'
    '<pattern id="hatch-spanning" width="6" height="6" patternUnits="userSpaceOnUse">'
    f'<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="{ACCENT}" stroke-width="1.2"/></pattern>'
    '</defs>')


def _legend(y: float, width: int) -> str:
    return (f'<rect x="0" y="{y - 9}" width="12" height="10" fill="{ACCENT}"/>'
            + _text(16, y, "dated in the period", size=10, fill=MUTED)
            + f'<rect x="150" y="{y - 9}" width="12" height="10" fill="{SOFT}"/>'
            + _text(166, y, "a wider date (month, year, interval) overlapping it", size=10, fill=MUTED)
            + f'<rect x="470" y="{y - 9}" width="12" height="10" fill="{ACCENT}"/>'
            + f'<rect x="470" y="{y - 9}" width="12" height="10" fill="url(#hatch-exact)"/>'
            + f'<rect x="484" y="{y - 9}" width="12" height="10" fill="{SOFT}"/>'
            + f'<rect x="484" y="{y - 9}" width="12" height="10" fill="url(#hatch-spanning)"/>'
            + _text(500, y, "hatched: the date is uncertain or approximate (?, ~, %)", size=10,
                    fill=MUTED))


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", fill: str = INK,
          weight: str | None = None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{round(x, 1)}" y="{round(y, 1)}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{bold}>{escape(text)}</text>')


# -- network ---------------------------------------------------------------------------------

def network_svg(network, href: Href, standalone: bool = False) -> Markup:
    width, height = 960, 700
    label = "Who wrote to whom"
    if not network.nodes:
        return _svg("network", width, 40, label, [_text(8, 24, "No correspondents to draw.")],
                    standalone)
    cx, cy, radius = width / 2, height / 2, 250
    most = max(n.documents for n in network.nodes) or 1
    places = {}
    for i, node in enumerate(network.nodes):  # by documents, then id: the same order every time
        angle = -math.pi / 2 + 2 * math.pi * i / len(network.nodes)
        size = 5 + 15 * math.sqrt(node.documents / most)
        places[node.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), size, angle)
    heaviest = max((e.count for e in network.edges), default=1)
    body = [_marker("arrow", ACCENT), _marker("arrow-via", MUTED)]
    for edge in reversed(network.edges):  # the heaviest drawn last, on top
        x1, y1, r1, _ = places[edge.source]
        x2, y2, r2, _ = places[edge.target]
        stroke = round(1 + 5 * edge.count / heaviest, 1)
        via = edge.kind == "via"
        path = _arc(x1, y1, x2, y2, r1, r2 + 3)
        dash = ' stroke-dasharray="6 4"' if via else ""
        colour = MUTED if via else ACCENT
        line = (f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}" '
                f'stroke-opacity="0.75"{dash} marker-end="url(#{"arrow-via" if via else "arrow"})" '
                f'class="edge"/>'
                f'<path d="{path}" fill="none" stroke="#ffffff" stroke-opacity="0" stroke-width="10" '
                f'class="hit"/>')
        relay = " (relayed)" if via else ""
        text = f"{edge.source_label} to {edge.target_label}{relay}: {_documents(edge.count)}"
        body.append(_link(href, edge.params, text, line))
    for number, node in enumerate(network.nodes):
        x, y, size, angle = places[node.id]
        outward = math.cos(angle)
        # near the top and bottom of the ring neighbours' labels would meet: every other one
        # stands further out
        away = size + 6 + (16 if abs(outward) < 0.45 and number % 2 else 0)
        lx, ly = x + away * outward, y + away * math.sin(angle) + 4
        anchor = "middle" if abs(outward) < 0.2 else ("start" if outward > 0 else "end")
        fill = "#b8b0a3" if node.params is None else LINK
        shape = (f'<circle cx="{round(x, 1)}" cy="{round(y, 1)}" r="{round(size, 1)}" fill="{fill}" '
                 f'stroke="#ffffff" stroke-width="1.5" class="node"/>'
                 + _text(lx, ly, f"{node.label} ({node.documents})", size=12, anchor=anchor))
        text = (f"{node.label}: {_documents(node.documents)} (sent {node.sent}, received "
                f"{node.received}, relayed {node.relayed})")
        body.append(_link(href, node.params, text, shape))
    return _svg("network", width, height, label, body, standalone)


def _marker(name: str, colour: str) -> str:
    return (f'<defs><marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" '
            f'markerHeight="11" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{colour}"/></marker></defs>')


def _arc(x1: float, y1: float, x2: float, y2: float, r1: float, r2: float, bend: float = 0.15) -> str:
    """A gentle curve from one circle's rim to another's, bent to its right (so A->B and B->A
    are two lines)."""
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1
    mx, my = (x1 + x2) / 2 - dy * bend, (y1 + y2) / 2 + dx * bend
    sx, sy = _toward(x1, y1, mx, my, r1)
    ex, ey = _toward(x2, y2, mx, my, r2)
    if length < r1 + r2:
        return f"M{round(x1, 1)},{round(y1, 1)}"
    return f"M{sx},{sy} Q{round(mx, 1)},{round(my, 1)} {ex},{ey}"


def _toward(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy) or 1
    return round(x + dx / length * distance, 1), round(y + dy / length * distance, 1)


# -- routes ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def outline() -> dict:
    """Country outlines of the region (Natural Earth, public domain; archive/data/outline.json)."""
    return json.loads(resources.files("archive").joinpath("data/outline.json").read_text("utf-8"))


MAP_WIDTH = 960


def _projection():
    west, south, east, north = outline()["frame"]
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = MAP_WIDTH / ((east - west) * squeeze)
    height = round((north - south) * scale)

    def project(lon: float, lat: float) -> tuple[float, float]:
        lon, lat = min(max(lon, west), east), min(max(lat, south), north)  # off the map: its edge
        return round((lon - west) * squeeze * scale, 1), round((north - lat) * scale, 1)

    return project, height


@lru_cache(maxsize=1)
def _countries() -> str:
    project, _ = _projection()
    paths = []
    for country in outline()["countries"]:
        d = " ".join("M" + " L".join("{},{}".format(*project(lon, lat)) for lon, lat in ring) + " Z"
                     for ring in country["rings"])
        paths.append(f'<path d="{d}" fill="#efe9dd" stroke="#b9ae9b" stroke-width="0.8">'
                     f'<title>{escape(country["name"])}</title></path>')
    return "".join(paths)


def routes_svg(routes, href: Href, standalone: bool = False) -> Markup:
    project, height = _projection()
    label = "Routes: where the documents were sent from and to"
    body = [f'<rect width="{MAP_WIDTH}" height="{height}" fill="#f5f9fb"/>', _countries(),
            _marker("route-arrow", ACCENT)]
    located = {p.id: project(p.lon, p.lat) for p in routes.places if p.lat is not None}
    heaviest = max((r.count for r in routes.routes), default=1)
    for route in reversed(routes.routes):
        if route.source not in located or route.target not in located or route.source == route.target:
            continue
        (x1, y1), (x2, y2) = located[route.source], located[route.target]
        stroke = round(1.2 + 6 * route.count / heaviest, 1)
        path = _arc(x1, y1, x2, y2, 4, 6, bend=0.12)
        line = (f'<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="{stroke}" '
                f'stroke-opacity="0.8" marker-end="url(#route-arrow)" class="edge"/>'
                f'<path d="{path}" fill="none" stroke="#ffffff" stroke-opacity="0" stroke-width="10" '
                f'class="hit"/>')
        text = f"{route.source_label} to {route.target_label}: {_documents(route.count)}"
        body.append(_link(href, route.params, text, line))
    for place in routes.places:
        if place.id not in located:
            continue
        x, y = located[place.id]
        text = f"{place.label}: sent from {place.sent_from}, sent to {place.sent_to}"
        body.append(f'<g><title>{escape(text)}</title><circle cx="{x}" cy="{y}" r="4" fill="{INK}"/>'
                    + _text(x + 6, y - 6, place.label, size=12) + "</g>")
    return _svg("routes", MAP_WIDTH, height, label, body, standalone)


DRAWERS = {"timeline": timeline_svg, "network": network_svg, "routes": routes_svg}
