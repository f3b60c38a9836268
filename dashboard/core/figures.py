"""Pure figure builders: (data, state) → plotly figure dicts and view models.

Nothing here touches Dash or the browser, so every function is unit-tested directly. The map's
per-year content is precomputed as "frames" that the browser swaps in without a server call.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

import pandas as pd

from dashboard.core import palettes
from dashboard.core.config import ISO3, YEARS
from dashboard.core.data import AtlasData
from dashboard.core.formatting import fmt_value, unit_in_label

# The map's view: a conic projection centred on the region, with explicit ranges, so that the
# whole space from Kaliningrad to Chukotka fills the frame (fitbounds would zoom out to the whole
# world because Chukotka crosses ±180°).
GEO_VIEW: dict[str, Any] = {
    "projection": {"type": "conic equal area", "rotation": {"lon": 105, "lat": 0},
                   "parallels": [40, 68], "scale": 1.15},
    "lonaxis": {"range": [18, 192]},
    "lataxis": {"range": [28, 82]},
    "center": {"lon": 87, "lat": 57},
    "visible": False,
    "showframe": False,
    "showland": False,
    "showocean": False,
    "showlakes": False,
    "showcountries": False,
    "showcoastlines": False,
    "bgcolor": palettes.OCEAN,
}
NO_DATA_CLASS = -1
NO_DATA_LABEL = "No data"


def _regional(lon: tuple[float, float], lat: tuple[float, float]) -> dict[str, Any]:
    mid_lon, mid_lat = (lon[0] + lon[1]) / 2, (lat[0] + lat[1]) / 2
    return {**GEO_VIEW,
            "projection": {"type": "conic equal area", "rotation": {"lon": mid_lon, "lat": 0},
                           "parallels": [lat[0] + (lat[1] - lat[0]) / 4, lat[1] - (lat[1] - lat[0]) / 4], "scale": 1},
            "lonaxis": {"range": list(lon)}, "lataxis": {"range": list(lat)},
            "center": {"lon": mid_lon, "lat": mid_lat}}


# The map's regions (address ``region=``): the whole space, and three close-ups in which the
# small states and the contested areas are legible.
REGIONS: dict[str, dict[str, Any]] = {
    "all": {"label": "Whole space", "short": "Whole space", "geo": GEO_VIEW},
    "west": {"label": "Western states (Baltics, Belarus, Ukraine, Moldova)", "short": "West",
             "geo": _regional((19.5, 41.5), (44, 60))},
    "caucasus": {"label": "South Caucasus", "short": "South Caucasus", "geo": _regional((39.5, 51), (38.2, 44))},
    "central_asia": {"label": "Central Asia", "short": "Central Asia", "geo": _regional((46, 88), (35, 56))},
}


# The whole space's inset: Moldova and the South Caucasus enlarged (at the whole space's scale
# Armenia is a few pixels wide), in the lower left corner of the map, over the Middle East, which
# is only context there. Drawn when the map's box is wide enough for it (INSET_MIN_WIDTH px: the
# page, assets/atlas/map.js; the server's picture, a media query in dashboard/views/poster.py);
# narrower maps have the region close-ups, one click away.
INSET_WINDOW = {"lon": (26.0, 51.0), "lat": (38.3, 48.7)}
INSET_STATES = ("MDA", "GEO", "ARM", "AZE")
INSET_DOMAIN = {"x": [0.0, 0.25], "y": [0.0, 0.31]}
INSET_MIN_WIDTH = 720  # (below it the inset would be under 180 px wide: Armenia under 24 px)
INSET_GEO: dict[str, Any] = {**_regional(INSET_WINDOW["lon"], INSET_WINDOW["lat"]), "domain": INSET_DOMAIN,
                             "showframe": True, "framecolor": "#3c3c3c", "framewidth": 1}
INSET_TITLE = "Moldova and the South Caucasus, enlarged"
# where the inset names its states (lon, lat): apart enough that the four names fit side by side
INSET_LABEL_AT = {"MDA": (29.9, 47.2), "GEO": (42.6, 43.1), "ARM": (44.6, 39.2), "AZE": (47.6, 40.95)}


# ------------------------------------------------------------------------------------ values
def class_index(layer: dict[str, Any], value: float | None, category: str | None) -> int:
    """The legend class of a value, or NO_DATA_CLASS."""
    if layer["kind"] == "categorical":
        ids = [c["id"] for c in layer["classes"]]
        return ids.index(category) if category in ids else NO_DATA_CLASS
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA_CLASS
    return bisect.bisect_right(layer["breaks"], value)


def _layer_values(data: AtlasData, layer_id: str) -> dict[tuple[str, int], dict[str, Any]]:
    """(iso3, year) → {value, category, label, source, note, basis} for one layer; built once per
    layer and kept in ``data.cache`` (the map's frames and every country panel read it: a panel
    reads 14 layers, BENCHMARKS.md "Country panel")."""
    key = ("values", layer_id)
    if key not in data.cache:
        data.cache[key] = _build_layer_values(data, layer_id)
    return data.cache[key]


def _build_layer_values(data: AtlasData, layer_id: str) -> dict[tuple[str, int], dict[str, Any]]:
    layer = data.indicators[layer_id]
    out: dict[tuple[str, int], dict[str, Any]] = {}
    if data.is_membership(layer_id):
        labels = {c["id"]: c["label"] for c in layer["classes"]}
        fallback = data.source_short["atlas_memberships"]  # (a dict built per access: read once)
        rows = data.status[data.status["org"] == layer_id]
        for r in rows.itertuples(index=False):
            out[(r.iso3, int(r.year))] = {
                "value": None, "category": r.status, "label": labels[r.status],
                "source": r.source or fallback,
                "note": "", "basis": r.basis,
            }
        return out
    short = data.source_short
    labels = {c["id"]: c["label"] for c in layer["classes"]}
    rows = data.observations[data.observations["indicator"] == layer_id]
    for r in rows.itertuples(index=False):
        value = None if pd.isna(r.value) else float(r.value)
        if layer["kind"] == "categorical":
            label = labels.get(r.category, r.category)
        else:
            label = fmt_value(value, layer["unit"])
        out[(r.iso3, int(r.year))] = {
            "value": value, "category": r.category, "label": label,
            "source": short.get(r.source_id, r.source_id), "note": r.note, "basis": "",
        }
    return out


def hover_text(data: AtlasData, layer: dict[str, Any], iso3: str, year: int,
               rec: dict[str, Any] | None) -> str:
    name = data.names_en[iso3]
    head = f"<b>{name}</b> · {year}"
    if rec is None:
        return f"{head}<br>{layer['short_label']}: <b>no data</b>"
    value = f"<b>{rec['label']}</b>"
    has = layer["kind"] == "categorical" or rec.get("value") is not None
    if has and not unit_in_label(layer["unit"]):  # a score, index or rating: its scale beside the number
        value += f", {layer['unit']}" if "(" in layer["unit"] else f" ({layer['unit']})"
    lines = [head, f"{layer['short_label']}: {value}"]
    if rec.get("basis"):
        lines.append(rec["basis"])
    if rec.get("note"):
        lines.append(f"<i>{rec['note']}</i>")
    lines.append(f"<span style='font-size:11px'>Source: {rec['source']}</span>")
    return "<br>".join(lines)


# ------------------------------------------------------------------------------------ frames
def contested_frames(data: AtlasData) -> dict[str, dict[str, Any]]:
    """Year → the contested territories shown that year (ids and tooltips)."""
    out: dict[str, dict[str, Any]] = {}
    feats = data.contested_geo["features"]
    for year in YEARS:
        ids, texts = [], []
        for f in feats:
            p = f["properties"]
            if p["year_from"] <= year and (p["year_to"] is None or year <= p["year_to"]):
                ids.append(f["id"])
                approx = " (outline approximate)" if p.get("approximate") else ""
                state = data.names_en.get(p["state"], p["state"])
                texts.append(f"<b>{p['name_en']}</b>{approx} · {year}<br>{p['status_note']}"
                             f"<br>Internationally recognised as part of {state}.")
        out[str(year)] = {"locations": ids, "z": [0] * len(ids), "text": texts}
    return out


def layer_frames(data: AtlasData, layer_id: str) -> dict[str, Any]:
    """Everything the browser needs to show any year of one layer without asking the server.

    Computed once per layer and kept in ``data.cache`` (the data never change while running)."""
    key = ("frames", layer_id)
    if key not in data.cache:
        data.cache[key] = _frames(data, layer_id)
    return data.cache[key]


def layer_payload(data: AtlasData, layer_id: str) -> dict[str, Any]:
    """What the browser needs to draw any year of a layer on the map it already has
    (assets/atlas/map.js compose): the layer's colours and its frames; no boundaries."""
    layer = data.indicators[layer_id]
    return {"layer": layer_id, "frames": layer_frames(data, layer_id),
            "style": {"colorscale": discrete_colorscale([c["color"] for c in layer["classes"]]),
                      "zmin": -1, "zmax": len(layer["classes"]) - 1,
                      "classes": [{"label": c["label"], "color": c["color"]} for c in layer["classes"]],
                      "no_data": palettes.NO_DATA}}


def _frames(data: AtlasData, layer_id: str) -> dict[str, Any]:
    layer = data.indicators[layer_id]
    values = _layer_values(data, layer_id)
    contested = contested_frames(data)
    # a published uncertainty interval (V-Dem's 68% bounds: the indicators <id>_low and <id>_high)
    band_ids = (f"{layer_id}_low", f"{layer_id}_high")
    bands = [_layer_values(data, b) for b in band_ids] if all(b in data.indicators for b in band_ids) else None
    years: dict[str, Any] = {}
    for year in YEARS:
        z, text, labels, nums = [], [], [], []
        for iso3 in ISO3:
            rec = values.get((iso3, year))
            z.append(class_index(layer, rec["value"], rec["category"]) if rec else NO_DATA_CLASS)
            text.append(hover_text(data, layer, iso3, year, rec))
            labels.append(rec["label"] if rec else NO_DATA_LABEL)
            nums.append(rec["value"] if rec else None)
        # values: the numbers (None: no data, or a category), for the chart and the ranking
        years[str(year)] = {"z": z, "text": text, "labels": labels, "values": nums,
                            "summary": view_summary(data, layer, year, z, labels),
                            "contested": contested[str(year)],
                            "has_data": any(v != NO_DATA_CLASS for v in z)}
        if bands is not None:
            years[str(year)]["band"] = [[(b.get((iso3, year)) or {}).get("value") for iso3 in ISO3] for b in bands]
    return {"layer": layer_id, "label": layer["label"], "short_label": layer["short_label"],
            "band": "68% interval" if bands is not None else None, "unit": layer["unit"],
            "kind": layer["kind"], "numeric": layer["kind"] != "categorical",
            "iso3": list(ISO3), "names": [data.names_en[c] for c in ISO3], "years": years}


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def view_summary(data: AtlasData, layer: dict[str, Any], year: int, z: list[int], labels: list[str]) -> str:
    """One paragraph describing the map in words (the text alternative for screen readers)."""
    names = [data.names_en[c] for c in ISO3]
    parts = [f"Map of the 15 post-Soviet states, {year}: {layer['label']}."]
    groups: list[str] = []
    for i, cls in enumerate(layer["classes"]):
        members = [n for n, v in zip(names, z, strict=True) if v == i]
        if members:
            groups.append(f"{cls['label']}: {_join(members)}")
    if groups:
        parts.append(" ".join(g + "." for g in groups))
    if layer["kind"] != "categorical":
        pairs = [(n, lab) for n, v, lab in zip(names, z, labels, strict=True) if v != NO_DATA_CLASS]
        if pairs:
            parts.append("Values: " + "; ".join(f"{n} {lab}" for n, lab in pairs) + ".")
    missing = [n for n, v in zip(names, z, strict=True) if v == NO_DATA_CLASS]
    if missing:
        parts.append(f"No data: {_join(missing)}.")
    return " ".join(parts)


# ------------------------------------------------------------------------------------ map
def discrete_colorscale(colors: list[str]) -> list[list[Any]]:
    """A stepped colorscale for integer z from -1 (no data) to len(colors)-1."""
    steps = [palettes.NO_DATA, *colors]
    n = len(steps)
    scale: list[list[Any]] = []
    for i, c in enumerate(steps):
        scale.append([i / n, c])
        scale.append([(i + 1) / n, c])
    return scale


def legend_items(data: AtlasData, layer_id: str) -> list[dict[str, str]]:
    layer = data.indicators[layer_id]
    items = [{"label": c["label"], "color": c["color"]} for c in layer["classes"]]
    items.append({"label": NO_DATA_LABEL, "color": palettes.NO_DATA})
    return items


# Labels moved from the geodata's point (inside the shape, far from its edges) so that neighbours'
# names fit: Turkmenistan's a little south and Uzbekistan's north, both still inside the state.
LABEL_AT = {"TKM": (59.0, 37.8), "UZB": (63.5, 43.4)}


def _label_trace(data: AtlasData) -> dict[str, Any]:
    lons, lats, names = [], [], []
    for f in data.states_geo["features"]:
        p = f["properties"]
        lon, lat = LABEL_AT.get(p["iso3"], (p["label_lon"], p["label_lat"]))
        lons.append(lon)
        lats.append(lat)
        names.append(data.names_en[p["iso3"]])
    # 12 px (18 px and more in presentation mode: assets/atlas/map.js); labels that would overlap
    # another, larger state's label are hidden by the page (assets/atlas/app.js declutter)
    return {
        "type": "scattergeo", "lon": lons, "lat": lats, "text": names, "mode": "text",
        "customdata": _label_ids(data),
        "textfont": {"size": 12,
                     "color": "#1b1b1b", "family": "system-ui, sans-serif",
                     "shadow": "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff"},
        "hoverinfo": "skip", "showlegend": False, "name": "labels",
    }


# which label stays when two would overlap: the larger state's (by area, largest first)
LABEL_PRIORITY = ("RUS", "KAZ", "UKR", "TKM", "UZB", "BLR", "KGZ", "TJK", "GEO", "LTU", "LVA", "AZE", "EST",
                  "MDA", "ARM")


def _label_ids(data: AtlasData) -> list[str]:
    return [f["properties"]["iso3"] for f in data.states_geo["features"]]




def outline_traces(geojson: Any, selected: str | None, highlight: list[str] | None) -> list[dict[str, Any]]:
    """The selected country and a story's states: a double outline, dark under white, in two
    traces of their own (a style no palette uses; assets/atlas/map.js draws the same)."""
    locs = [c for c in (highlight or []) if c != selected] + ([selected] if selected else [])
    widths = [1.0 if c == selected else 0.8 for c in locs]
    common = {"type": "choropleth", "geojson": geojson, "featureidkey": "id", "locations": locs,
              "z": [0] * len(locs), "showscale": False, "hoverinfo": "skip",
              "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]}
    return [{**common, "name": "outline-dark",
             "marker": {"line": {"color": "#111111", "width": [5.5 * w for w in widths]}}},
            {**common, "name": "outline-light",
             "marker": {"line": {"color": "#ffffff", "width": [2 * w for w in widths]}}}]


def _year_annotation(year: int) -> dict[str, Any]:
    return {"text": str(year), "x": 0.01, "y": 0.98, "xref": "paper", "yref": "paper",
            "xanchor": "left", "yanchor": "top", "showarrow": False,
            "font": {"size": 34, "color": "#1b1b1b"}, "name": "year"}


INSET_ANNOTATION: dict[str, Any] = {
    "text": INSET_TITLE, "x": 0.004, "y": INSET_DOMAIN["y"][1], "xref": "paper", "yref": "paper",
    "xanchor": "left", "yanchor": "bottom", "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)",
    "font": {"size": 12, "color": "#1b1b1b"}, "name": "inset-title"}


def _bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    pts = [p for poly in polys for ring in poly for p in ring]
    return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))


def in_inset(geojson: dict[str, Any]) -> list[str]:
    """The ids of the features that reach into the inset's window (in the collection's order)."""
    (lon0, lon1), (lat0, lat1) = INSET_WINDOW["lon"], INSET_WINDOW["lat"]
    out = []
    for f in geojson["features"]:
        x0, y0, x1, y1 = _bbox(f["geometry"])
        if x0 < lon1 and lon0 < x1 and y0 < lat1 and lat0 < y1:
            out.append(f["id"])
    return out


def inset_traces(data: AtlasData, main: list[dict[str, Any]], selected: str | None,
                 highlight: list[str] | None) -> list[dict[str, Any]]:
    """The inset's traces (``geo: "geo2"``): the main map's, restricted to the features in its
    window. ``meta.index`` maps the inset's states to the main states trace (the page swaps years
    in by it: assets/atlas/map.js)."""
    ctx_ids = in_inset(data.context_geo)
    states = in_inset(data.states_geo)
    index = [list(ISO3).index(iso) for iso in states]
    st, contested = main[1], main[2]
    keep = set(in_inset(data.contested_geo))
    ci = [i for i, loc in enumerate(contested["locations"]) if loc in keep]
    lab = main[-1]
    li = [i for i, iso in enumerate(lab["customdata"]) if iso in INSET_STATES]
    inset_hl = [c for c in (highlight or []) if c in states]
    return [
        {**main[0], "name": "inset-context", "geo": "geo2", "locations": ctx_ids, "z": [0] * len(ctx_ids)},
        {**st, "name": "inset-states", "geo": "geo2", "locations": states, "z": [st["z"][i] for i in index],
         "hovertext": [st["hovertext"][i] for i in index], "meta": {"index": index}},
        {**contested, "name": "inset-contested", "geo": "geo2", "locations": [contested["locations"][i] for i in ci],
         "z": [contested["z"][i] for i in ci], "hovertext": [contested["hovertext"][i] for i in ci],
         "meta": {"keep": sorted(keep)}},
        *({**t, "name": "inset-" + t["name"], "geo": "geo2"}
          for t in outline_traces(data.states_geo, selected if selected in states else None, inset_hl)),
        {**lab, "name": "inset-labels", "geo": "geo2",
         "lon": [INSET_LABEL_AT[lab["customdata"][i]][0] for i in li],
         "lat": [INSET_LABEL_AT[lab["customdata"][i]][1] for i in li], "text": [lab["text"][i] for i in li],
         "customdata": [lab["customdata"][i] for i in li]},
    ]


def map_figure(data: AtlasData, layer_id: str, year: int, selected: str | None = None,
               highlight: list[str] | None = None, region: str = "all") -> dict[str, Any]:
    """The full map figure for one layer and year (the browser later swaps years in)."""
    layer = data.indicators[layer_id]
    frames = layer_frames(data, layer_id)
    frame = frames["years"][str(year)]
    n = len(layer["classes"])
    ctx_ids = [f["id"] for f in data.context_geo["features"]]
    traces = [
        {"type": "choropleth", "name": "context", "geojson": data.context_geo,
         "featureidkey": "id", "locations": ctx_ids, "z": [0] * len(ctx_ids),
         "colorscale": [[0, palettes.CONTEXT_FILL], [1, palettes.CONTEXT_FILL]],
         "showscale": False, "hoverinfo": "skip",
         "marker": {"line": {"color": palettes.CONTEXT_LINE, "width": 0.5}}},
        {"type": "choropleth", "name": "states", "geojson": data.states_geo,
         "featureidkey": "id", "locations": list(ISO3), "z": frame["z"],
         "zmin": -1, "zmax": n - 1, "colorscale": discrete_colorscale([c["color"] for c in layer["classes"]]),
         "showscale": False, "hovertext": frame["text"], "hovertemplate": "%{hovertext}<extra></extra>",
         "marker": {"line": {"color": palettes.BORDER, "width": 0.6}}},
        {"type": "choropleth", "name": "contested", "geojson": data.contested_geo,
         "featureidkey": "id", "locations": frame["contested"]["locations"],
         "z": frame["contested"]["z"], "zmin": 0, "zmax": 1,
         "colorscale": [[0, "rgba(20,20,20,0.16)"], [1, "rgba(20,20,20,0.16)"]],
         "showscale": False, "hovertext": frame["contested"]["text"],
         "hovertemplate": "%{hovertext}<extra></extra>",
         "marker": {"line": {"color": palettes.CONTESTED_LINE, "width": 1.4}}},
        *outline_traces(data.states_geo, selected, highlight),
        _label_trace(data),
    ]
    if region == "all":
        traces += inset_traces(data, traces, selected, highlight)
    return {
        "data": traces,
        "layout": {
            # (with a second subplot, plotly would otherwise share the paper out between them)
            "geo": {**REGIONS.get(region, REGIONS["all"])["geo"], "domain": {"x": [0, 1], "y": [0, 1]}},
            **({"geo2": INSET_GEO} if region == "all" else {}),
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "dragmode": False,
            "showlegend": False,
            "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": "#333", "font": {"size": 13}},
            "annotations": [_year_annotation(year)],
            **({"annotations": [_year_annotation(year), INSET_ANNOTATION]} if region == "all" else {}),
            "uirevision": "map",
            "meta": {"layer": layer_id},
        },
    }


# ------------------------------------------------------------------------------------ panel
def country_series_figure(data: AtlasData, layer_id: str, iso3: str, year: int) -> dict[str, Any]:
    """The layer's series for one country, with the selected year marked."""
    layer = data.indicators[layer_id]
    values = _layer_values(data, layer_id)
    xs = [y for y in YEARS if (iso3, y) in values]
    if layer["kind"] == "categorical":
        # a status strip (the hover names the category; the legend by the map gives the colours)
        return status_strips(data, iso3, [layer_id], f"{layer['short_label']}, {data.names_en[iso3]}")
    ys = [values[(iso3, y)]["value"] for y in xs]
    trace = {"type": "scatter", "mode": "lines+markers", "x": xs, "y": ys,
             "line": {"color": "#2171b5", "width": 2}, "marker": {"size": 5},
             "hovertemplate": "%{x}: %{y:,.4~g}<extra></extra>"}
    yaxis = {"title": {"text": layer["unit"]}, "automargin": True, "zeroline": True}
    return {
        "data": [trace],
        "layout": {
            "height": 220, "margin": {"l": 10, "r": 10, "t": 30, "b": 30},
            "title": {"text": f"{layer['short_label']}, {data.names_en[iso3]}", "font": {"size": 13}},
            "xaxis": {"range": [YEARS[0] - 0.5, YEARS[-1] + 0.5], "dtick": 5},
            "yaxis": yaxis,
            "shapes": [year_marker(year)],
            "plot_bgcolor": "#fafafa", "paper_bgcolor": "rgba(0,0,0,0)",
            "annotations": [] if xs else [{"text": "No data for this country", "showarrow": False,
                                           "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}],
        },
    }


def year_marker(year: int) -> dict[str, Any]:
    return {"type": "line", "x0": year, "x1": year, "xref": "x", "yref": "paper", "y0": 0, "y1": 1,
            "line": {"color": "#d62728", "width": 2, "dash": "dot"}, "name": "year"}


def status_strips(data: AtlasData, iso3: str, layer_ids: list[str], title: str) -> dict[str, Any]:
    """A status strip per layer (rows) across the years, for memberships and regimes: the data of
    the country panel's strips, drawn as HTML by assets/atlas/views.js (stripHtml; one element per
    cell, ≈ 100× cheaper to draw than a plotly scatter of the same cells).

    Each cell keeps its layer's legend colour; each row says its spells in words (the strip's text
    alternative and, with the colours of its runs, its legend: "Charter member 1994–2025")."""
    rows: list[dict[str, Any]] = []
    for lid in layer_ids:
        layer = data.indicators[lid]
        values = _layer_values(data, lid)
        cells: list[list[str]] = []
        runs: list[list[Any]] = []  # [label, colour, first year, last year]
        for y in YEARS:
            rec = values.get((iso3, y))
            if rec is None:
                colour, label, text = palettes.NO_DATA, "no data", "no data"
            else:
                cls = class_index(layer, rec["value"], rec["category"])
                colour = layer["classes"][cls]["color"] if cls >= 0 else palettes.NO_DATA
                label = rec["label"]
                text = label + (f" — {rec['basis']}" if rec.get("basis") else "")
            cells.append([colour, f"{layer['short_label']} {y}: {text}"])
            if runs and runs[-1][0] == label and runs[-1][3] == y - 1:
                runs[-1][3] = y
            else:
                runs.append([label, colour, y, y])
        words = "; ".join(f"{lab} {a}" + (f"–{b}" if b != a else "") for lab, _c, a, b in runs if lab != "no data")
        rows.append({"layer": lid, "label": layer["short_label"], "cells": cells, "runs": runs,
                     "summary": f"{layer['short_label']}: {words or 'no data'}"})
    return {"kind": "strips", "title": title, "years": list(YEARS), "rows": rows}


def country_events(data: AtlasData, iso3: str) -> pd.DataFrame:
    ev = data.events
    mask = ev["countries"].map(lambda s: iso3 in s.split(";") or s == "")
    return ev[mask & (ev["countries"] != "")]


def year_events(data: AtlasData, year: int) -> pd.DataFrame:
    return data.events[data.events["year"] == year]
