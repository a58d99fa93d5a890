"""Write archive/data/outline.json: the country outlines of the routes map, from Natural Earth.

Natural Earth (public domain, naturalearthdata.com) 1:110m countries, as shipped in the wheel of
pyogrio on PyPI (`pyogrio/tests/fixtures/naturalearth_lowres/`, "copied from GeoPandas. License:
public domain"). Clipped to the map's frame and simplified; run once, the output is vendored:

    pip download --no-deps pyogrio && unzip pyogrio-*.whl 'pyogrio/tests/fixtures/*'
    pip install pyshp shapely   # for this script only, not for the archive
    python scripts/make_outline.py pyogrio/tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import shapefile  # pyshp
from shapely.geometry import shape
from shapely.ops import unary_union

FRAME = (26.0, 18.0, 152.0, 64.0)  # lon min, lat min, lon max, lat max: Moscow to Tokyo
TOLERANCE = 0.25  # degrees
OUT = Path(__file__).resolve().parent.parent / "archive" / "data" / "outline.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shapefile", type=Path)
    args = parser.parse_args()
    reader = shapefile.Reader(str(args.shapefile))
    names = [f[0] for f in reader.fields[1:]]
    frame = shape({"type": "Polygon", "coordinates": [[
        (FRAME[0], FRAME[1]), (FRAME[2], FRAME[1]), (FRAME[2], FRAME[3]), (FRAME[0], FRAME[3]),
        (FRAME[0], FRAME[1])]]})
    countries = []
    for record in reader.iterShapeRecords():
        row = dict(zip(names, record.record, strict=True))
        geometry = shape(record.shape.__geo_interface__).intersection(frame)
        if geometry.is_empty:
            continue
        geometry = unary_union(geometry).simplify(TOLERANCE, preserve_topology=True)
        polygons = getattr(geometry, "geoms", [geometry])
        rings = [[[round(x, 2), round(y, 2)] for x, y in p.exterior.coords]
                 for p in polygons if p.geom_type == "Polygon" and p.area > 0.05]
        if rings:
            countries.append({"name": row["name"], "rings": rings})
    countries.sort(key=lambda c: c["name"])
    OUT.write_text(json.dumps({
        "source": "Natural Earth 1:110m Admin 0 countries (naturalearth_lowres), public domain",
        "frame": FRAME, "tolerance_degrees": TOLERANCE, "countries": countries,
    }, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {sum(len(c['rings']) for c in countries)} rings")


if __name__ == "__main__":
    main()
