"""The page layout. Component ids listed in ``IDS`` are stable: users and tests automate against them."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.core import figures
from dashboard.core.config import DEFAULT_YEAR, ISO3, YEARS
from dashboard.core.data import AtlasData
from dashboard.core.viewstate import DEFAULT_LAYER
from dashboard.views.download_menu import download_menu

IDS = {
    "map": "map",
    "slider": "year-slider",
    "layer": "layer-select",
    "play": "play-button",
    "panel": "country-panel",
}

# The page shell: as Dash's default, plus a language, a no-JavaScript message and preload hints
# for the chunks Dash fetches only after the layout arrives (graph, slider, dropdown), so that
# they load in parallel with the rest instead of after it.
INDEX_HTML = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        <!--atlas-preloads-->
        <link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-graph.js">
        <link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-slider.js">
        <link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-dropdown.js">
        {%css%}
    </head>
    <body>
        <noscript>This atlas needs JavaScript. The data are also available from the HTTP API at
        /api/v1 (see /api/v1/openapi.json).</noscript>
        <!--atlas-prerender-->
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""

# dash-ag-grid's bundle (≈0.3 MB compressed) is served but not put in the page; it is loaded when
# the data tab first opens (see dashboard/web/app.py and assets/atlas.js loadGrid).
GRID_JS = "/_dash-component-suites/dash_ag_grid/dash_ag_grid.min.js"


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


def story_meta(stories: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {sid: len(st["steps"]) for sid, st in stories.items()}


def build_layout(data: AtlasData, stories: dict[str, dict[str, Any]] | None = None,
                 layer_id: str = DEFAULT_LAYER, year: int = DEFAULT_YEAR) -> html.Div:
    """The page. The live page always starts from the default view (the address is then applied
    by callbacks); the prerendered copy (dashboard/views/prerender.py) starts from the address's view.
    ``layer_id`` may be a per-1,000 layer: the selector then shows its count layer, with the
    per-1,000 choice on, as the layer callback (dashboard/views/callbacks.py load_layer) leaves it."""
    base = data.indicators[layer_id].get("per_1000_of") or layer_id
    per_capita = base != layer_id
    show_toggle = bool(data.indicators[base].get("per_1000"))
    stories = stories or {}
    marks = {y: {"label": str(y)} for y in YEARS if y % 5 == 0}
    marks[YEARS[0]] = {"label": str(YEARS[0])}
    frames = figures.layer_frames(data, layer_id)
    page_meta = meta(data)
    page_meta["stories"] = story_meta(stories)
    page_meta["grid_js"] = GRID_JS
    return html.Div(id="app-root", className="app", children=[
        html.A("Skip to the map controls", href="#layer-select", className="skip-link"),
        html.Header(className="topbar", children=[
            html.Div(className="titles", children=[
                html.H1("Atlas of the former Soviet space"),
                html.P("The 15 successor states of the USSR, year by year since 1991: memberships, "
                       "displacement and migration, political regimes.", className="tagline"),
            ]),
            html.Nav(className="top-actions", **{"aria-label": "Views"}, children=[
                html.Div(className="tabs", role="tablist", children=[
                    html.Button(label, id=f"tab-{key}", n_clicks=0, role="tab", className="tab",
                                **{"aria-selected": "true" if key == "map" else "false",
                                   "aria-controls": f"view-{key}"})
                    for key, label in (("map", "Map"), ("data", "Data table"), ("sources", "Sources"))
                ]),
                html.Label("Guided story", htmlFor="story-select", className="visually-hidden"),
                dcc.Dropdown(id="story-select", className="story-select", clearable=True, searchable=False,
                             placeholder="Guided story…", value=None,
                             options=[{"label": st["title"], "value": sid} for sid, st in stories.items()]),
                html.Button("Present", id="present-button", n_clicks=0, className="present-button",
                            title="Presentation mode (Esc leaves)", **{"aria-pressed": "false"}),
            ]),
        ]),
        html.Div(id="notice", className="notice", role="status", **{"aria-live": "polite"}),
        html.Main(id="view-map", className="main", role="tabpanel", children=[
            html.Section(className="controls", **{"aria-label": "Map controls"}, children=[
                html.Label("Layer", htmlFor=IDS["layer"], className="control-label"),
                dcc.Dropdown(id=IDS["layer"], options=layer_options(data), value=base,
                             clearable=False, searchable=True, className="layer-select"),
                html.Div(id="per-capita-box", className="per-capita",
                         style={"display": "block" if show_toggle else "none"}, children=[
                    dcc.RadioItems(id="per-capita", value="per1000" if per_capita else "count", inline=True,
                                   options=[{"label": "Number", "value": "count"},
                                            {"label": "Per 1,000 residents", "value": "per1000"}]),
                ]),
                html.Div(id="legend", className="legend", children=legend(data, layer_id)),
                html.P(id="layer-description", className="layer-description",
                       children=data.indicators[layer_id]["description"]),
            ]),
            html.Section(className="map-area", **{"aria-label": "Map"}, children=[
                html.Div(className="map-wrap", children=[
                    dcc.Graph(id=IDS["map"], figure=figures.map_figure(data, layer_id, year),
                              config=MAP_CONFIG, className="map-graph", clear_on_unhover=True),
                    # the same map as a static picture until plotly.js has drawn it (its address,
                    # /map-poster.svg?<the page's query>, is set by assets/atlas.js)
                    html.Img(id="map-poster", className="map-poster", alt="", **{"aria-hidden": "true"}),
                    html.Section(id="story-box", className="story-box", hidden=True, tabIndex="0",
                                 **{"aria-label": "Guided story", "aria-live": "polite"}, children=[
                        html.P(id="story-heading", className="story-heading"),
                        html.H2(id="story-step-title", className="story-step-title"),
                        html.P(id="story-caption", className="story-caption"),
                        html.Ul(id="story-sources", className="story-sources"),
                        html.Div(className="story-nav", children=[
                            html.Button("◀ Previous", id="story-prev", n_clicks=0, className="story-btn"),
                            html.Span(id="story-count", className="story-count"),
                            html.Button("Next ▶", id="story-next", n_clicks=0, className="story-btn"),
                            html.Button("End story", id="story-end", n_clicks=0, className="story-btn story-end"),
                        ]),
                    ]),
                ]),
                html.Div(className="timebar", children=[
                    html.Button("▶ Play", id=IDS["play"], n_clicks=0, className="play-button",
                                title="Play the years (Space)", **{"aria-pressed": "false"}),
                    html.Div(className="slider-wrap", children=[
                        dcc.Slider(id=IDS["slider"], min=YEARS[0], max=YEARS[-1], step=1, value=year,
                                   marks=marks, updatemode="drag", included=False,
                                   tooltip={"placement": "top", "always_visible": False}),
                    ]),
                    html.Label("Speed", htmlFor="play-speed", className="visually-hidden"),
                    dcc.Dropdown(id="play-speed", className="play-speed", clearable=False, searchable=False,
                                 value=1000, options=[{"label": "0.5 yr/s", "value": 2000},
                                                      {"label": "1 yr/s", "value": 1000},
                                                      {"label": "2 yr/s", "value": 500}]),
                ]),
                html.P(id="source-line", className="source-line", children=source_line(data, layer_id)),
                download_menu(),
                # Filled by assets/atlas.js (renderSummary, renderEvents) on load and on every
                # year or layer change; React never manages their children.
                html.P(id="map-summary", className="map-summary"),
                html.Details(className="map-table", children=[
                    html.Summary("Table of the map's values"),
                    html.Table(id="map-table"),
                ]),
                html.Section(className="events", **{"aria-label": "Events of the selected year"}, children=[
                    html.H2(html.Span(id="events-title")),
                    html.Ul(id="events-strip", className="events-strip", tabIndex="0"),
                ]),
            ]),
            html.Aside(id=IDS["panel"], className="country-panel", hidden=True, tabIndex="-1",
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
        # The data table and the sources page are rendered the first time their tab opens
        # (dashboard/views/callbacks.py): the map's first paint does not wait for them, and the grid's
        # script is loaded only then.
        html.Section(id="view-data", className="view", role="tabpanel", hidden=True,
                     children=[html.Div(id="data-tab-slot", children=html.P("Loading the data table…"))]),
        html.Section(id="view-sources", className="view", role="tabpanel", hidden=True,
                     children=[html.Div(id="sources-tab-slot", children=html.P("Loading the sources…"))]),
        html.Footer(className="footer", children=[
            html.Span("Data: UNHCR, IDMC, UN WPP 2024, V-Dem, Freedom House, Polity5; memberships and events "
                      "curated by the atlas with a source for each; boundaries: Natural Earth."),
        ]),
        dcc.Store(id="frames", data=frames),
        dcc.Store(id="meta", data=page_meta),
        dcc.Store(id="stories", data=stories),
        dcc.Store(id="story-state", data=None),
        dcc.Store(id="highlight", data=[]),
        dcc.Store(id="present", data=False),
        dcc.Store(id="selected-country", data=None),
        dcc.Store(id="url-query", data=None),
        dcc.Store(id="url-written", data=None),
        dcc.Store(id="year-shown", data=None),
        dcc.Store(id="ui-done", data=None),
        dcc.Store(id="grid-ready", data=None),
        dcc.Interval(id="play-timer", interval=1000, disabled=True, n_intervals=0),
    ])

