"""Quick visual check of the boundary layers: render them with plotly and save PNGs.

Draws the context (grey), the 15 successor states (coloured) and the contested areas
(translucent red, outlined) with the projection settings meant for the app's map, plus two
close-ups (Eastern Europe / Black Sea and the South Caucasus). Images go to /tmp (or the
folder given), never into the repository.

Needs ``kaleido`` (v1) and a Chrome/Chromium; Debian's /usr/bin/chromium is used if present.

Usage::

    python scripts/preview_geodata.py [GEODATA_DIR] [OUT_DIR]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.core.config import GEODATA_DIR  # noqa: E402

# The view that shows Kaliningrad to Chukotka (recommended for the app's map).
REGION: dict[str, Any] = {
    "projection": {"type": "conic equal area", "rotation": {"lon": 100},
                   "parallels": [50, 70]},
    "lonaxis": {"range": [15, 185]},
    "lataxis": {"range": [37, 84]},
}


def _close_up(lon: tuple[float, float], lat: tuple[float, float]) -> dict[str, Any]:
    """A zoomed view; plotly needs the rotation at the view's centre longitude."""
    return {
        "projection": {"type": "conic equal area", "rotation": {"lon": sum(lon) / 2},
                       "parallels": [lat[0] + 2, lat[1] - 2]},
        "lonaxis": {"range": list(lon)},
        "lataxis": {"range": list(lat)},
    }


VIEWS: dict[str, tuple[dict[str, Any], int, int]] = {
    "region": (REGION, 1000, 600),
    "eastern_europe": (_close_up((20, 42), (43, 60)), 900, 800),
    "caucasus": (_close_up((38.5, 51), (38, 44.5)), 1000, 700),
    "central_asia": (_close_up((52, 81), (35, 46)), 1000, 600),
    "chukotka": (_close_up((150, 200), (55, 73)), 900, 600),
}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def figure(geodata: Path, view: dict[str, Any], title: str) -> go.Figure:
    states = _load(geodata / "successor_states.geojson")
    context = _load(geodata / "context.geojson")
    contested = _load(geodata / "contested.geojson")
    fig = go.Figure()
    ctx_ids = [f["id"] for f in context["features"]]
    fig.add_trace(go.Choropleth(
        geojson=context, featureidkey="id", locations=ctx_ids, z=[0] * len(ctx_ids),
        colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]], showscale=False,
        marker_line_color="white", marker_line_width=0.5, hoverinfo="location",
    ))
    st_ids = [f["id"] for f in states["features"]]
    fig.add_trace(go.Choropleth(
        geojson=states, featureidkey="id", locations=st_ids, z=list(range(len(st_ids))),
        colorscale="Viridis", showscale=False, marker_line_color="white",
        marker_line_width=0.8, text=st_ids, hoverinfo="text",
    ))
    cz_ids = [f["id"] for f in contested["features"]]
    fig.add_trace(go.Choropleth(
        geojson=contested, featureidkey="id", locations=cz_ids, z=[1] * len(cz_ids),
        colorscale=[[0, "rgba(220,30,30,0.35)"], [1, "rgba(220,30,30,0.35)"]],
        showscale=False, marker_line_color="#900", marker_line_width=1.0,
        hoverinfo="location",
    ))
    labels = [(f["properties"]["label_lon"], f["properties"]["label_lat"], f["id"])
              for f in states["features"]]
    fig.add_trace(go.Scattergeo(
        lon=[x for x, _, _ in labels], lat=[y for _, y, _ in labels],
        text=[t for _, _, t in labels], mode="text", textfont={"size": 10, "color": "black"},
    ))
    fig.update_geos(
        showcountries=False, showcoastlines=False, showland=False, showframe=False,
        showocean=False, showlakes=False, bgcolor="#eef4fa", **view,
    )
    fig.update_layout(title=title, margin={"l": 0, "r": 0, "t": 30, "b": 0}, showlegend=False)
    return fig


def _offline_base_map(folder: Path) -> str:
    """plotly.js always fetches a base-map topojson from its CDN; with no internet, point it
    at empty stand-ins (our own layers draw everything)."""
    names = ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits")
    empty = {
        "type": "Topology",
        "objects": {n: {"type": "GeometryCollection", "geometries": []} for n in names},
        "arcs": [],
    }
    for scale in ("110m", "50m"):
        (folder / f"world_{scale}.json").write_text(json.dumps(empty), encoding="utf-8")
    return folder.as_uri() + "/"


def main(argv: list[str]) -> None:
    geodata = Path(argv[1]) if len(argv) > 1 else GEODATA_DIR
    out_dir = Path(argv[2]) if len(argv) > 2 else Path("/tmp")
    if "BROWSER_PATH" not in os.environ and Path("/usr/bin/chromium").exists():
        os.environ["BROWSER_PATH"] = "/usr/bin/chromium"
    pio.defaults.topojson = _offline_base_map(Path(tempfile.mkdtemp(prefix="topojson-")))
    for name, (view, width, height) in VIEWS.items():
        fig = figure(geodata, view, f"geodata preview: {name}")
        out = out_dir / f"geodata_preview_{name}.png"
        fig.write_image(out, width=width, height=height)
        print(out)

if __name__ == "__main__":
    main(sys.argv)
