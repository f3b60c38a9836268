"""The map as a static SVG picture, drawn on the server from the same figure plotly.js draws.

The page shows this picture the moment its layout is on screen, and plotly.js, which needs
about a second to load and draw on a modest machine, takes over when ready (``assets/atlas.js``
hides the picture once the interactive map is painted). Both draw the same figure with the same
projection, so the hand-over does not move anything on screen.

Projection: plotly.js (``src/plots/geo/geo.js``, ``updateProjection``) builds a d3-geo projection,
rotates it by ``-rotation.lon``, centres it on ``geo.center``, fits the lon/lat range box into
the plot area, multiplies the scale by ``projection.scale`` and clips to the fitted box. The same
steps are done here in the projection's own units (``k = 1``), and the SVG's ``viewBox`` with
``preserveAspectRatio="xMidYMid meet"`` does the fitting for any size of the map's box.
Only conic equal-area (the atlas's projection, d3 ``geoConicEqualArea``) is implemented.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Point = tuple[float, float]
Raw = Callable[[float, float], Point]

CLIP_PAD = 1e-3  # plotly.js geo constants.clipPad (degrees)
UNITS = 4000.0   # SVG units per projection unit (integer coordinates, about ¼ px on a large screen)


def conic_equal_area(phi0: float, phi1: float) -> Raw:
    """d3's conicEqualAreaRaw for standard parallels phi0, phi1 (radians)."""
    sy0 = math.sin(phi0)
    n = (sy0 + math.sin(phi1)) / 2
    c = 1 + sy0 * (2 * n - sy0)
    r0 = math.sqrt(c) / n

    def project(lam: float, phi: float) -> Point:
        r = math.sqrt(max(c - 2 * n * math.sin(phi), 0.0)) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    return project


class Projection:
    """lon/lat in degrees → SVG coordinates (x right, y down) for one figure's ``layout.geo``."""

    def __init__(self, geo: dict[str, Any]) -> None:
        proj = geo.get("projection", {})
        if proj.get("type") != "conic equal area":
            raise ValueError(f"poster: unsupported projection {proj.get('type')!r}")
        rotation = proj.get("rotation", {})
        self.rot_lon = float(rotation.get("lon", 0.0))
        if rotation.get("lat", 0) or rotation.get("roll", 0):
            raise ValueError("poster: only a longitude rotation is supported")
        p0, p1 = (math.radians(float(p)) for p in proj.get("parallels", [0, 60]))
        self.raw = conic_equal_area(p0, p1)
        center = geo.get("center", {})
        self.cx, self.cy = self.raw(*self._rotate(float(center.get("lon", self.rot_lon)),
                                                  float(center.get("lat", 0.0))))
        lon = geo["lonaxis"]["range"]
        lat = geo["lataxis"]["range"]
        x0, y0, x1, y1 = self._bounds(_range_box(lon, lat))
        # plotly puts the centre in the middle of the fitted range box and zooms about it
        zoom = float(proj.get("scale", 1.0))
        w, h = (x1 - x0) / zoom, (y1 - y0) / zoom
        self.view_box = (-w / 2, -h / 2, w, h)

    def _rotate(self, lon: float, lat: float) -> Point:
        lam = math.radians(lon - self.rot_lon)
        if lam > math.pi:
            lam -= 2 * math.pi
        elif lam < -math.pi:
            lam += 2 * math.pi
        return lam, math.radians(lat)

    def unscaled(self, lon: float, lat: float) -> Point:
        x, y = self.raw(*self._rotate(lon, lat))
        return x - self.cx, self.cy - y

    def __call__(self, lon: float, lat: float) -> Point:
        x, y = self.unscaled(lon, lat)
        return x * UNITS, y * UNITS

    def _bounds(self, ring: Sequence[Point]) -> tuple[float, float, float, float]:
        """Bounds of a ring whose edges are great-circle arcs (as d3-geo draws polygon edges)."""
        xs: list[float] = []
        ys: list[float] = []
        for a, b in pairwise(ring):
            for lon, lat in _great_circle(a, b, 64):
                x, y = self.unscaled(lon, lat)
                xs.append(x)
                ys.append(y)
        return min(xs), min(ys), max(xs), max(ys)

    def svg_view_box(self) -> str:
        return " ".join(f"{v * UNITS:.0f}" for v in self.view_box)


def _range_box(lon: Sequence[float], lat: Sequence[float]) -> list[Point]:
    """plotly.js makeRangeBox: the lon/lat range as a ring with the long edges cut in four."""
    lon0, lon1 = lon[0] + CLIP_PAD, lon[1] - CLIP_PAD
    lat0, lat1 = lat[0] + CLIP_PAD, lat[1] - CLIP_PAD
    d = (lon1 - lon0) / 4
    return [(lon0, lat0), (lon0, lat1), (lon0 + d, lat1), (lon0 + 2 * d, lat1), (lon0 + 3 * d, lat1),
            (lon1, lat1), (lon1, lat0), (lon1 - d, lat0), (lon1 - 2 * d, lat0), (lon1 - 3 * d, lat0),
            (lon0, lat0)]


def _great_circle(a: Point, b: Point, n: int) -> Iterable[Point]:
    """n + 1 points along the great circle from a to b (lon/lat degrees)."""
    def vec(p: Point) -> tuple[float, float, float]:
        lam, phi = math.radians(p[0]), math.radians(p[1])
        return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)

    va, vb = vec(a), vec(b)
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb, strict=True))))
    omega = math.acos(dot)
    lon_a = a[0]
    for i in range(n + 1):
        t = i / n
        if omega < 1e-12:
            v = va
        else:
            s = math.sin(omega)
            fa, fb = math.sin((1 - t) * omega) / s, math.sin(t * omega) / s
            v = tuple(fa * x + fb * y for x, y in zip(va, vb, strict=True))  # type: ignore[assignment]
        lon = math.degrees(math.atan2(v[1], v[0]))
        lon += 360 * round((lon_a - lon) / 360)  # stay on a's side of the antimeridian
        yield lon, math.degrees(math.asin(max(-1.0, min(1.0, v[2]))))


# ------------------------------------------------------------------------------------ colours
def _parse_colour(c: str) -> tuple[float, float, float, float]:
    c = c.strip()
    if c.startswith("#") and len(c) == 7:
        return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16), 1.0
    if c.startswith("rgb"):
        parts = [float(p) for p in c[c.index("(") + 1:c.index(")")].split(",")]
        return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0
    raise ValueError(f"poster: colour {c!r} not understood")


def colour_at(colorscale: Sequence[Sequence[Any]], z: float, zmin: float, zmax: float) -> str:
    """The colour plotly gives z on a colorscale (linear between stops; stepped scales repeat a
    stop's position, and the upper colour of such a step wins, as in plotly)."""
    t = 0.0 if zmax == zmin else min(1.0, max(0.0, (z - zmin) / (zmax - zmin)))
    stops = [(float(p), _parse_colour(str(c))) for p, c in colorscale]
    i = max((k for k, stop in enumerate(stops) if stop[0] <= t), default=0)  # the last stop at or below t
    lo, hi = stops[i], stops[min(i + 1, len(stops) - 1)]
    if hi[0] == lo[0]:
        r, g, b, a = lo[1]
    else:
        f = (t - lo[0]) / (hi[0] - lo[0])
        r, g, b, a = (x + f * (y - x) for x, y in zip(lo[1], hi[1], strict=True))
    if a >= 1:
        return f"#{round(r):02x}{round(g):02x}{round(b):02x}"
    return f"rgba({round(r)},{round(g)},{round(b)},{a:g})"


# ------------------------------------------------------------------------------------ paths
def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def feature_path(project: Projection, geometry: dict[str, Any]) -> str:
    """An SVG path (integer coordinates, relative moves) for a (Multi)Polygon."""
    out: list[str] = []
    for ring in _rings(geometry):
        pts = [project(p[0], p[1]) for p in ring]
        last: tuple[int, int] | None = None
        cmds: list[str] = []
        for x, y in pts:
            q = (round(x), round(y))
            if last is None:
                cmds.append(f"M{q[0]} {q[1]}")
            elif q != last:
                cmds.append(f"l{q[0] - last[0]} {q[1] - last[1]}")
            else:
                continue
            last = q
        if len(cmds) > 2:
            out.append("".join(cmds) + "z")
    return "".join(out)


class PathCache:
    """Projected feature paths, computed once per geometry collection and projection."""

    def __init__(self) -> None:
        # (collection's id, feature key, projection's box) → (the collection itself, paths); the
        # collection is kept so that its id cannot be reused by another object
        self._cache: dict[tuple[int, str, tuple[float, ...]], tuple[Any, dict[str, str]]] = {}

    def paths(self, project: Projection, geojson: dict[str, Any], key: str) -> dict[str, str]:
        k = (id(geojson), key, (*project.view_box, project.rot_lon))
        hit = self._cache.get(k)
        if hit is None or hit[0] is not geojson:
            prop = key.split(".", 1)[1] if key.startswith("properties.") else None
            hit = (geojson, {(f["properties"][prop] if prop else f[key]): feature_path(project, f["geometry"])
                             for f in geojson["features"]})
            self._cache[k] = hit
        return hit[1]


_PATHS = PathCache()


def _trace_paths(project: Projection, trace: dict[str, Any], view: str) -> list[str]:
    key = trace.get("featureidkey", "id")
    paths = _PATHS.paths(project, trace["geojson"], key)
    locs = trace.get("locations") or []
    zs = trace.get("z") or []
    line = trace.get("marker", {}).get("line", {})
    lcol, lwid = line.get("color", "#444"), line.get("width", 1)
    zmin = trace.get("zmin", min(zs) if zs else 0)
    zmax = trace.get("zmax", max(zs) if zs else 1)
    out = []
    for i, (loc, z) in enumerate(zip(locs, zs, strict=False)):
        d = paths.get(loc)
        if not d:
            continue
        fill = colour_at(trace["colorscale"], z, zmin, zmax)
        col = lcol[i] if isinstance(lcol, list) else lcol
        wid = lwid[i] if isinstance(lwid, list) else lwid
        out.append((float(wid), f'<path d="{d}" fill="{fill}" stroke="{col}" stroke-width="{wid:g}"/>'))
    # plotly draws the features in order; thicker outlines (selected, highlighted) last, so that
    # their borders are not covered by a neighbour's
    return [p for _, p in sorted(out, key=lambda t: t[0])] if view == "states" else [p for _, p in out]


def _geo_group(figure: dict[str, Any], subplot: str) -> tuple[Projection, list[str]]:
    """One geo subplot's choropleth layers, clipped to its fitted box and on its background."""
    geo = figure["layout"][subplot]
    project = Projection(geo)
    x, y, w, h = (float(v) * UNITS for v in project.view_box)
    parts = [
        # plotly clips the map to the fitted range box and fills it with geo.bgcolor
        f'<clipPath id="box-{subplot}"><rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}"/></clipPath>',
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" fill="{geo.get("bgcolor", "#fff")}"/>',
        f'<g clip-path="url(#box-{subplot})">',
    ]
    for trace in figure["data"]:
        if trace.get("type") != "choropleth" or trace.get("geo", "geo") != subplot:
            continue
        name = str(trace.get("name", ""))
        parts.append(f'<g class="{escape(name)}">')
        parts.extend(_trace_paths(project, trace, name.removeprefix("inset-")))
        parts.append("</g>")
    parts.append("</g>")
    if geo.get("showframe"):
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" fill="none" '
                     f'stroke="{geo.get("framecolor", "#444")}" stroke-width="{geo.get("framewidth", 1)}"/>')
    return project, parts


def map_svg(figure: dict[str, Any], title: str = "") -> str:
    """The choropleth layers of a map figure (``dashboard.core.figures.map_figure``) as an SVG document.

    Country name labels, the year and the inset's title are left to plotly (their size is in
    screen pixels). A figure with an inset (``layout.geo2``, placed by its ``domain``) nests one
    ``<svg>`` per subplot, each fitted into its part of the picture as plotly fits a subplot into
    its domain; the inset is left out of pictures narrower than ``INSET_MIN_WIDTH``, as the page
    leaves it out of such maps."""
    layout = figure["layout"]
    project, parts = _geo_group(figure, "geo")
    vb = project.svg_view_box()
    head = f"<title>{escape(title)}</title>" if title else ""
    style = "path{vector-effect:non-scaling-stroke;stroke-linejoin:round}"
    if "geo2" not in layout:
        return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox=' + quoteattr(vb)
                + ' preserveAspectRatio="xMidYMid meet" overflow="hidden">' + head
                + f"<style>{style}</style>" + "".join(parts) + "</svg>")
    from dashboard.core.figures import INSET_MIN_WIDTH

    inset, inset_parts = _geo_group(figure, "geo2")
    dom = layout["geo2"]["domain"]
    x0, x1 = dom["x"]
    y0, y1 = dom["y"]
    style += (f"rect{{vector-effect:non-scaling-stroke}}"
              f"@media (max-width:{INSET_MIN_WIDTH - 1}px){{.inset{{display:none}}}}")
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%" overflow="hidden">' + head
            + f"<style>{style}</style>"
            + '<svg class="main" width="100%" height="100%" viewBox=' + quoteattr(vb)
            + ' preserveAspectRatio="xMidYMid meet">' + "".join(parts) + "</svg>"
            + f'<svg class="inset" x="{x0 * 100:g}%" y="{(1 - y1) * 100:g}%" width="{(x1 - x0) * 100:g}%" '
            + f'height="{(y1 - y0) * 100:g}%" viewBox=' + quoteattr(inset.svg_view_box())
            + ' preserveAspectRatio="xMidYMid meet">' + "".join(inset_parts) + "</svg></svg>")


# ------------------------------------------------------------------------------------ the view
def view_of_query(query: str, data: Any,
                  stories: dict[str, dict[str, Any]]) -> tuple[str, int, str | None, list[str], str]:
    """(layer, year, country, highlighted countries, region) that a page address opens with, by the same
    rules as the page (``dashboard.core.viewstate``; a story step decides layer, year and highlight)."""
    from dashboard.core.viewstate import address_context, parse_query

    state = parse_query(query, address_context(data, stories))
    highlight = list(stories[state.story]["steps"][state.step]["countries"]) if state.story else []
    return state.layer, state.year, state.country, highlight, state.region


class PosterCache:
    """SVG documents by view; small (a view's SVG is ≈ 60 kB before compression)."""

    def __init__(self, data: Any, stories: dict[str, dict[str, Any]], size: int = 256) -> None:
        self.data, self.stories, self.size = data, stories, size
        self._svgs: dict[tuple[str, int, str | None, tuple[str, ...], str], str] = {}

    def svg(self, query: str) -> str:
        from dashboard.core.figures import map_figure

        layer, year, country, highlight, region = view_of_query(query, self.data, self.stories)
        key = (layer, year, country, tuple(highlight), region)
        hit = self._svgs.get(key)
        if hit is None:
            title = f"{self.data.indicators[layer]['label']}, {year} (static picture while the map loads)"
            hit = map_svg(map_figure(self.data, layer, year, country, highlight, region), title)
            if len(self._svgs) >= self.size:
                self._svgs.pop(next(iter(self._svgs)))
            self._svgs[key] = hit
        return hit
