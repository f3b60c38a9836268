"""The page layout. Component ids listed in ``IDS`` are stable: users and tests automate against them."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from . import figures
from .config import DEFAULT_YEAR, ISO3, YEARS
from .data import AtlasData
from .urlstate import DEFAULT_LAYER

IDS = {
    "map": "map",
    "slider": "year-slider",
    "layer": "layer-select",
    "play": "play-button",
    "panel": "country-panel",
}

MAP_CONFIG: dict[str, Any] = {
    "topojsonURL": "/assets/topojson/",
    "displayModeBar": False,
    "scrollZoom": False,
    "doubleClick": False,
    "responsive": True,
}


def layer_options(data: AtlasData) -> list[dict[str, Any]]:
    """Selector options grouped by category (group headings are disabled entries)."""
    opts: list[dict[str, Any]] = []
    for g in data.groups:
        members = [i for i in data.map_layers() if i["group"] == g["id"]]
        if not members:
            continue
        opts.append({"label": g["label"].upper(), "value": f"__group_{g['id']}", "disabled": True})
        for i in members:
            opts.append({"label": i["label"], "value": i["id"]})
    return opts


def legend(data: AtlasData, layer_id: str) -> list[Any]:
    layer = data.indicators[layer_id]
    items = [
        html.Li([html.Span(className="swatch" + (" swatch-nodata" if it["label"] == figures.NO_DATA_LABEL else ""),
                           style={"background": it["color"]}), html.Span(it["label"])])
        for it in figures.legend_items(data, layer_id)
    ]
    title = layer["label"] + ("" if layer["unit"] in ("status", "category") else f" ({layer['unit']})")
    return [html.H2(title, className="legend-title"), html.Ul(items, className="legend-list")]


def source_line(data: AtlasData, layer_id: str) -> list[Any]:
    layer = data.indicators[layer_id]
    return [
        html.Span(f"Source: {layer['source_short']}. Licence: {layer['licence']}. "),
        html.Span("Boundaries: Natural Earth (public domain); internationally recognised borders, "
                  "contested areas outlined in the years they apply."),
    ]


def events_list(data: AtlasData, year: int) -> list[Any]:
    """The events of a year (server-rendered for the first paint; assets/atlas.js renders the same
    markup when the year changes)."""
    items = [html.Li([html.Span(e.date, className="ev-date"), " ", html.Strong(e.title), f" — {e.text} ",
                      html.Small(f"({e.source})", className="ev-src")], title=e.source)
             for e in figures.year_events(data, year).itertuples(index=False)]
    return items or [html.Li("No events recorded for this year.", className="ev-none")]


def meta(data: AtlasData) -> dict[str, Any]:
    """Facts the browser needs for URL handling, keys and the panel (small, static)."""
    inds = {i["id"]: {"per_1000": i.get("per_1000"), "per_1000_of": i.get("per_1000_of"),
                      "label": i["label"]} for i in data.indicators.values() if i["map"]}
    contested_state = {f["id"]: f["properties"]["state"] for f in data.contested_geo["features"]}
    events: dict[str, list[dict[str, str]]] = {}
    for e in data.events.itertuples(index=False):
        events.setdefault(str(e.year), []).append(
            {"date": e.date, "title": e.title, "text": e.text, "source": e.source, "countries": e.countries})
    return {"layers": inds, "years": [YEARS[0], YEARS[-1]], "iso3": list(ISO3),
            "names": data.names_en, "contested_state": contested_state, "events": events,
            "default_layer": DEFAULT_LAYER, "default_year": DEFAULT_YEAR}


def build_layout(data: AtlasData) -> html.Div:
    layer_id, year = DEFAULT_LAYER, DEFAULT_YEAR
    marks = {y: {"label": str(y)} for y in YEARS if y % 5 == 0}
    marks[YEARS[0]] = {"label": str(YEARS[0])}
    marks[YEARS[-1]] = {"label": str(YEARS[-1])}
    return html.Div(id="app-root", className="app", children=[
        html.A("Skip to the map controls", href="#layer-select", className="skip-link"),
        html.Header(className="topbar", children=[
            html.Div([
                html.H1("Atlas of the former Soviet space"),
                html.P("The 15 successor states of the USSR, year by year since 1991: memberships, "
                       "displacement and migration, political regimes.", className="tagline"),
            ]),
        ]),
        html.Div(id="notice", className="notice", role="status", **{"aria-live": "polite"}),
        html.Main(className="main", children=[
            html.Section(className="controls", **{"aria-label": "Map controls"}, children=[
                html.Label("Layer", htmlFor=IDS["layer"], className="control-label"),
                dcc.Dropdown(id=IDS["layer"], options=layer_options(data), value=layer_id,
                             clearable=False, searchable=True, className="layer-select"),
                html.Div(id="per-capita-box", className="per-capita", style={"display": "none"}, children=[
                    dcc.RadioItems(id="per-capita", value="count", inline=True,
                                   options=[{"label": "Number", "value": "count"},
                                            {"label": "Per 1,000 residents", "value": "per1000"}]),
                ]),
                html.Div(id="legend", className="legend", children=legend(data, layer_id)),
                html.P(id="layer-description", className="layer-description",
                       children=data.indicators[layer_id]["description"]),
            ]),
            html.Section(className="map-area", **{"aria-label": "Map"}, children=[
                dcc.Graph(id=IDS["map"], figure=figures.map_figure(data, layer_id, year),
                          config=MAP_CONFIG, className="map-graph", clear_on_unhover=True),
                html.Div(className="timebar", children=[
                    html.Button("▶ Play", id=IDS["play"], n_clicks=0, className="play-button",
                                title="Play the years (Space)", **{"aria-pressed": "false"}),
                    html.Div(className="slider-wrap", children=[
                        dcc.Slider(id=IDS["slider"], min=YEARS[0], max=YEARS[-1], step=1, value=year,
                                   marks=marks, updatemode="drag", included=False,
                                   tooltip={"placement": "top", "always_visible": False}),
                    ]),
                ]),
                html.P(id="source-line", className="source-line", children=source_line(data, layer_id)),
                html.Section(className="events", **{"aria-label": "Events of the selected year"}, children=[
                    html.H2(id="events-title", children=f"Events in {year}"),
                    html.Ul(id="events-strip", className="events-strip", children=events_list(data, year)),
                ]),
            ]),
            html.Aside(id=IDS["panel"], className="country-panel", hidden=True,
                       **{"aria-label": "Country details"}, children=[
                html.Button("×", id="panel-close", className="panel-close", title="Close (Esc)",
                            **{"aria-label": "Close the country panel"}),
                html.H2(id="panel-title"),
                dcc.Graph(id="panel-series", config={"displayModeBar": False}, figure={}),
                dcc.Graph(id="panel-memberships", config={"displayModeBar": False}, figure={}),
                dcc.Graph(id="panel-regime", config={"displayModeBar": False}, figure={}),
                html.H3("Events"),
                html.Ul(id="panel-events", className="panel-events"),
            ]),
        ]),
        html.Footer(className="footer", children=[
            html.Span("Data: UNHCR, IDMC, UN WPP 2024, V-Dem, Freedom House, Polity5; memberships and events "
                      "curated by the atlas with a source for each; boundaries: Natural Earth."),
        ]),
        dcc.Store(id="frames", data=figures.layer_frames(data, layer_id)),
        dcc.Store(id="meta", data=meta(data)),
        dcc.Store(id="selected-country", data=None),
        dcc.Store(id="url-query", data=None),
        dcc.Store(id="url-written", data=None),
        dcc.Store(id="year-shown", data=None),
        dcc.Interval(id="play-timer", interval=1000, disabled=True, n_intervals=0),
    ])
