"""The page layout. Component ids listed in ``IDS`` are stable: users and tests automate against them."""

from __future__ import annotations

from html import escape
from typing import Any

from dash import dcc, html

from dashboard import ids
from dashboard.core import figures
from dashboard.core.cache import fingerprint
from dashboard.core.config import DEFAULT_YEAR, ISO3, REGIONS, YEARS
from dashboard.core.data import AtlasData
from dashboard.core.viewstate import DEFAULT_LAYER, address_context
from dashboard.views.data_tab import data_tab_placeholder, data_tab_rows
from dashboard.views.download_menu import download_menu
from dashboard.views.table import TABLE_PATH
from dashboard.web.seo import SITE, TAB_TITLES, layer_title

# The page shell: as Dash's default, plus a language, a no-JavaScript message and preload hints
# for the chunks Dash fetches only after the layout arrives (graph, slider, dropdown), so that
# they load in parallel with the rest instead of after it. The first paint waits until the static
# copy is parsed whole (``rel=expect``: Dash's entry point follows it): a paint of a half-parsed
# copy would show the phone's controls, placed after the map by CSS but before it in the HTML,
# where the rest of the map area then pushes them from (Lighthouse saw a layout shift of 0.25).
INDEX_HTML = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        <!--atlas-preloads-->
        <link rel="expect" href="#react-entry-point" blocking="render">
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

MAP_CONFIG: dict[str, Any] = {
    "topojsonURL": "/assets/topojson/",
    "displayModeBar": False,
    "scrollZoom": False,
    "doubleClick": False,
    "responsive": True,
}


def layer_groups(data: AtlasData) -> list[tuple[str, list[tuple[str, str]]]]:
    """The map's layers by category: (category label, [(layer id, label)])."""
    out = []
    for g in data.groups:
        members = [(i["id"], i["label"]) for i in data.map_layers() if i["group"] == g["id"]]
        if members:
            out.append((g["label"], members))
    return out


def _options_html(options: list[tuple[Any, str]]) -> str:
    return "".join(f'<option value="{escape(str(v))}">{escape(label)}</option>' for v, label in options)


REGION_OPTIONS = [(rid, r["label"]) for rid, r in figures.REGIONS.items()]
SPEED_OPTIONS = [(2000, "0.5 yr/s"), (1000, "1 yr/s"), (500, "2 yr/s")]


def select_options(data: AtlasData, stories: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every choice of the page's plain selects, as ``<option>`` markup: assets/atlas/app.js
    (fillSelects) writes them in when the page boots (the layout's selects carry only the
    chosen one: each option would be a component of Dash's first render)."""
    return {
        ids.LAYER: "".join(f'<optgroup label="{escape(label)}">{_options_html(members)}</optgroup>'
                           for label, members in layer_groups(data)),
        ids.STORY_SELECT: _options_html([("", "Guided story…"), *((sid, st["title"]) for sid, st in stories.items())]),
        ids.REGION_SELECT: _options_html(REGION_OPTIONS),
        ids.PLAY_SPEED: _options_html(SPEED_OPTIONS),
    }


def legend(data: AtlasData, layer_id: str) -> list[Any]:
    layer = data.indicators[layer_id]
    # one component per entry (Dash's first render costs per component): the colour is the
    # item's ::before box (assets/atlas.css .sw), from its --swatch
    items = [
        html.Li(it["label"], className="sw" + (" sw-nodata" if it["label"] == figures.NO_DATA_LABEL else ""),
                style={"--swatch": it["color"]})
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


def layer_sources(data: AtlasData, layer_id: str) -> list[str]:
    """The ids of every source of a layer (data/processed/sources.csv), for "Cite this view": the
    indicator's own sources, then those a derived source is computed from (named in its version)."""
    known = set(data.sources["source_id"])
    versions = dict(zip(data.sources["source_id"], data.sources["version"], strict=True))
    out: list[str] = []
    for sid in data.indicators[layer_id].get("source_ids") or []:
        if sid not in out:
            out.append(sid)
        for word in str(versions.get(sid, "")).replace("/", " ").replace(",", " ").split():
            if word in known and word not in out:
                out.append(word)
    return out


def source_records(data: AtlasData) -> dict[str, dict[str, str]]:
    """Source id → what a citation names: title, publisher, version, address, citation."""
    return {r.source_id: {"title": r.title, "publisher": r.publisher, "version": r.version, "url": r.url,
                          "citation": r.citation, "short": r.short_name}
            for r in data.sources.itertuples(index=False)}


def meta(data: AtlasData, stories: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Static facts the browser's modules need (assets/atlas/*.js): the address context, labels,
    events by year, the stories' steps, the map's Plotly config."""
    inds = {i["id"]: {"per_1000": i.get("per_1000"), "per_1000_of": i.get("per_1000_of"),
                      "label": i["label"], "short_label": i["short_label"], "unit": i["unit"],
                      "kind": i["kind"], "sources": layer_sources(data, i["id"]), "title": layer_title(i)}
            for i in data.indicators.values() if i["map"]}
    used = {sid for i in inds.values() for sid in i["sources"]}
    contested_state = {f["id"]: f["properties"]["state"] for f in data.contested_geo["features"]}
    events: dict[str, list[dict[str, str]]] = {}
    for e in data.events.itertuples(index=False):
        events.setdefault(str(e.year), []).append(
            {"date": e.date, "title": e.title, "text": e.text, "source": e.source, "countries": e.countries})
    return {"address": address_context(data, stories), "layers": inds, "names": data.names_en,
            "contested_state": contested_state, "events": events, "stories": stories or {},
            "map_config": MAP_CONFIG, "table_url": TABLE_PATH, "version": fingerprint(),
            "site": SITE, "tab_titles": TAB_TITLES,
            "regions": {rid: {"label": r["label"], "geo": r["geo"]} for rid, r in figures.REGIONS.items()},
            "label_priority": list(figures.LABEL_PRIORITY),
            "inset_min_width": figures.INSET_MIN_WIDTH,
            "inset_aspect": inset_aspect(),
            "groups_of_states": {k: list(v) for k, v in REGIONS.items()},
            "sources": {sid: rec for sid, rec in source_records(data).items() if sid in used},
            "select_options": select_options(data, stories or {})}


TABS = (("map", "Map"), ("chart", "Chart"), ("rank", "Ranking"), ("compare", "Compare"),
        ("overlap", "Overlap"), ("flows", "Flows"), ("data", "Data table"), ("sources", "Sources"))


def share_box() -> html.Details:
    """Share, embed and cite the view on screen: the fields (link, embed snippet, citation, BibTeX,
    ids in dashboard/ids.py) are written by assets/atlas/app.js (shareBody) when the box first
    opens, and filled from the view state (renderShare); the link, the embed snippet and the
    citation always name the current view. (Not in the first layout: fewer components for Dash's
    first render.)"""
    return html.Details(id=ids.SHARE_BOX, className="share-box", children=[
        html.Summary("Share · cite", className="share-summary"),
        html.Div(className="share-body"),
    ])


def chart_box(data: AtlasData, layer_id: str = DEFAULT_LAYER) -> html.Div:
    """The chart view: the states to draw (the address's ``countries``, shared with the data tab),
    a linear/log axis for counts, the chart (assets/atlas/views.js chartFigure), its legend and the
    wide table's link. Its contents (ids in dashboard/ids.py) are written by assets/atlas/app.js
    (CHART_HTML) when the view first opens: fewer components for Dash's first render."""
    return html.Div(id=ids.CHART_BOX, className="chart-box", hidden=True)


def overlap_box() -> html.Div:
    """The overlap view: who belongs to what in the slider's year (states × organisations) and the
    number of full members of each organisation by year; drawn by assets/atlas/overlap.js."""
    return html.Div(id=ids.OVERLAP_BOX, className="overlap-box", hidden=True, children=[
        html.Div(id=ids.OVERLAP_GRID, className="overlap-grid", role="region", tabIndex="0",
                 **{"aria-label": "Membership of the states in the organisations"}),
        html.Div(id=ids.OVERLAP_COUNTS, className="overlap-counts", role="img",
                 **{"aria-label": "Full members of each organisation by year"}),
    ])


def flows_box() -> html.Div:
    """The flows view: refugees and asylum-seekers from the chosen state (by country of asylum) or
    hosted by it (by country of origin) in the slider's year; drawn by assets/atlas/flows.js, which
    fetches the pairs from /api/v1/flows on the view's first use (nothing of them is in the page)."""
    # (its contents, ids in dashboard/ids.py, are written by assets/atlas/flows.js FLOWS_HTML when
    # the view first opens: fewer components for Dash's first render)
    return html.Div(id=ids.FLOWS_BOX, className="flows-box", hidden=True)


def compare_box(data: AtlasData) -> html.Div:
    """The compare view: two maps side by side (``map-compare``), the left one the view's layer and
    year, the right one ``layer2`` (else the same layer) in ``year2`` (else the same year, moving
    with the slider). Its contents (the two selects, with every year and layer, and the two maps)
    are written by assets/atlas/app.js (COMPARE_HTML, compareOptions) when the view first opens."""
    return html.Div(id=ids.COMPARE_BOX, className="compare-box", hidden=True)


def story_box(story: dict[str, Any] | None, step: int) -> html.Section:
    """The guided story's box: empty and hidden without a story (assets/atlas/app.js renderStory
    writes its contents, the same markup as here, when a story opens), else the step's."""
    attrs = {"id": ids.STORY_BOX, "className": "story-box", "tabIndex": "0",
             "aria-label": "Guided story", "aria-live": "polite"}
    if not story or not 0 <= step < len(story["steps"]):
        return html.Section(hidden=True, **attrs)
    st = story["steps"][step]
    n = len(story["steps"])
    return html.Section(hidden=False, **attrs, children=[
        html.P(story["title"], id=ids.STORY_HEADING, className="story-heading"),
        html.H2(st["title"], id=ids.STORY_STEP_TITLE, className="story-step-title"),
        html.P(st["caption"], id=ids.STORY_CAPTION, className="story-caption"),
        html.Ul(id=ids.STORY_SOURCES, className="story-sources", children=[
            html.Li(html.A(src["citation"], href=src["url"], target="_blank", rel="noopener") if src.get("url")
                    else src["citation"]) for src in st["sources"]]),
        html.Div(className="story-nav", children=[
            html.Button("◀ Previous", id=ids.STORY_PREV, className="story-btn", type="button", disabled=step == 0),
            html.Span(f"Step {step + 1} of {n}", id=ids.STORY_COUNT, className="story-count"),
            html.Button("Next ▶", id=ids.STORY_NEXT, className="story-btn", type="button", disabled=step == n - 1),
            html.Button("End story", id=ids.STORY_END, className="story-btn story-end", type="button"),
        ]),
    ])


def poster_url(layer_id: str, year: int, version: str) -> str:
    """The static picture of the map for a view (dashboard/views/poster.py); ``version`` (of the
    data) lets it be cached for good."""
    return f"/map-poster.svg?layer={layer_id}&year={year}&v={version}"


# the boundary layers by address (plotly fetches them once; the page's layout stays small)
GEO_URLS = {"context": "/api/v1/geodata/context.geojson", "states": "/api/v1/geodata/successor_states.geojson",
            "contested": "/api/v1/geodata/contested.geojson",
            "outline-dark": "/api/v1/geodata/successor_states.geojson",
            "outline-light": "/api/v1/geodata/successor_states.geojson"}


def base_figure(data: AtlasData, layer_id: str, year: int) -> dict[str, Any]:
    """The map's figure as the page carries it: boundaries by URL instead of inline."""
    fig = figures.map_figure(data, layer_id, year)
    def url(tr: dict[str, Any]) -> str | None:
        return GEO_URLS.get(str(tr.get("name", "")).removeprefix("inset-"))

    fig["data"] = [{**tr, "geojson": url(tr)} if url(tr) else tr for tr in fig["data"]]
    return fig


def inset_aspect() -> float:
    """Width ÷ height of the inset's map (the page places the inset's title on its frame)."""
    from dashboard.views.poster import Projection

    _, _, w, h = Projection(figures.INSET_GEO).view_box
    return round(w / h, 4)


# The year's events, in the page's static copy (assets/atlas/app.js renderTexts writes the same
# markup into the live page for every year, and the map's table, straight into these elements)
def events_list(data: AtlasData, year: int) -> list[Any]:
    evs = figures.year_events(data, year)
    if evs.empty:
        return [html.Li("No events recorded for this year.", className="ev-none")]
    return [html.Li(title=e.source, children=[html.Span(e.date, className="ev-date"), " ", html.Strong(e.title),
                                              f" — {e.text} ", html.Small(f"({e.source})", className="ev-src")])
            for e in evs.itertuples(index=False)]


def native_select(id_: str, options: list[tuple[Any, str]], value: Any, className: str) -> html.Select:
    """A plain ``<select>`` (the layer, the story, the region, the playing speed): no lazily loaded
    script, and only the chosen option in the layout (each option would be a component of Dash's
    first render); app.js (fillSelects) writes in every choice (``select_options``) when the page
    boots. Its value is not a Dash prop: assets/atlas/input.js turns its change into an action,
    app.js (pick) shows the state's."""
    label = next((lab for v, lab in options if v == value), options[0][1] if options else "")
    return html.Select(id=id_, className=f"atlas-select {className}", children=[
        html.Option(label, value=str(value))])


def build_layout(data: AtlasData, stories: dict[str, dict[str, Any]] | None = None,
                 layer_id: str = DEFAULT_LAYER, year: int = DEFAULT_YEAR, present: bool = False,
                 view: str = "map", story: str | None = None, step: int = 0,
                 files: dict[str, str] | None = None, static_copy: bool = False) -> html.Div:
    """The page for one layer and year (the address's, so that a link shows its own map and legend
    at once). Everything else the address says (country, story, presentation, view, the data
    tab's selection) is drawn by the browser's renderer (assets/atlas/app.js) from the address.
    ``layer_id`` may be a per-1,000 layer: the selector then shows its count layer, with the
    per-1,000 choice on. ``files``: the addresses of the page's JSON files (``meta`` and this
    layer's ``layer``: dashboard/views/page_data.py), which the page's script fetches.
    ``static_copy``: the layout the page's static copy is drawn from (dashboard/views/prerender.py),
    which also has what the live page's renderer writes when it boots (the year's events)."""
    base = data.indicators[layer_id].get("per_1000_of") or layer_id
    per_capita = base != layer_id
    show_toggle = bool(data.indicators[base].get("per_1000"))
    stories = stories or {}
    marks = {y: {"label": str(y)} for y in YEARS if y % 5 == 0}
    marks[YEARS[0]] = {"label": str(YEARS[0])}
    frames = figures.layer_frames(data, layer_id)
    version = getattr(data, "data_version", "")
    frame = frames["years"][str(year)]
    files = files or {}
    return html.Div(id=ids.APP, className="app presenting" if present else "app", children=[
        html.A("Skip to the map controls", href="#layer-select", className="skip-link"),
        html.Header(className="topbar", children=[
            html.Div(className="titles", children=[
                html.H1("Atlas of the former Soviet space"),
                html.P("The 15 successor states of the USSR, year by year since 1991: memberships, "
                       "displacement and migration, political regimes.", className="tagline"),
            ]),
            html.Nav(className="top-actions", **{"aria-label": "Views"}, children=[
                html.Div(className="tabs", role="tablist", children=[
                    html.Button(label, id=f"tab-{key}", n_clicks=0, role="tab", className="tab", type="button",
                                **{"aria-selected": "true" if key == view else "false",
                                   "aria-controls": f"view-{key}" if key in ("data", "sources") else ids.VIEW_MAP})
                    for key, label in TABS
                ]),
                html.Label("Guided story", htmlFor=ids.STORY_SELECT, className="visually-hidden"),
                # (boxes of the final size around Dash's lazily loaded controls: nothing moves when they appear)
                html.Div(className="story-select-box", children=native_select(
                    ids.STORY_SELECT, [("", "Guided story…"), *((sid, st["title"]) for sid, st in stories.items())],
                    story if story in stories else "", "story-select")),
                share_box(),
                html.Button("Leave presentation" if present else "Present", id=ids.PRESENT, n_clicks=0,
                            className="present-button", type="button",
                            title="Presentation mode (Space plays, ←/→ change the year or step, Esc leaves)",
                            **{"aria-pressed": "true" if present else "false"}),
            ]),
        ]),
        html.Div(id=ids.NOTICE, className="notice", role="status", **{"aria-live": "polite"}),
        html.Main(className="views", children=[
        html.Div(id=ids.VIEW_MAP, className="main", role="tabpanel", hidden=view in ("data", "sources"), children=[
            html.Section(className="controls", **{"aria-label": "Map controls"}, children=[
                html.Label("Region", htmlFor=ids.REGION_SELECT, className="control-label"),
                html.Div(className="picker-box region-box", children=native_select(
                    ids.REGION_SELECT, REGION_OPTIONS, "all", "region-select")),
                html.Label("Layer", htmlFor=ids.LAYER, className="control-label"),
                html.Div(className="layer-select-box", children=native_select(
                    ids.LAYER, [m for _, members in layer_groups(data) for m in members], base, "layer-select")),
                html.Div(id=ids.PER_CAPITA_BOX, className="per-capita",
                         style={"display": "block" if show_toggle else "none"}, children=[
                    dcc.RadioItems(id=ids.PER_CAPITA, value="per1000" if per_capita else "count", inline=True,
                                   options=[{"label": "Number", "value": "count"},
                                            {"label": "Per 1,000 residents", "value": "per1000"}]),
                ]),
                html.Label("Country", htmlFor=ids.COUNTRY_PICKER, className="control-label picker-label"),
                html.Div(className="picker-box", children=dcc.Dropdown(
                    id=ids.COUNTRY_PICKER, searchable=True, clearable=True, placeholder="Find a country…",
                    options=[{"label": data.names_en[c], "value": c,
                              "search": f"{data.names_en[c]} {data.names_ru.get(c, '')} {c}"} for c in
                             sorted(ISO3, key=lambda c: data.names_en[c])])),
                html.Div(id=ids.LEGEND, className="legend", children=legend(data, layer_id)),
                html.P(id=ids.LAYER_DESCRIPTION, className="layer-description",
                       children=data.indicators[layer_id]["description"]),
            ]),
            html.Section(className="map-area", **{"aria-label": "Map"}, children=[
                # the close-ups, one click away (the region selector's choices; app.js pickRegion)
                html.Div(className="region-chips", role="group", **{"aria-label": "Map close-up"}, children=[
                    html.Button(r["short"], className="region-chip", type="button", title=r["label"],
                                **{"data-region": rid, "aria-pressed": "true" if rid == "all" else "false"})
                    for rid, r in figures.REGIONS.items()]),
                html.Div(id=ids.MAP_BOX, className="map-wrap", children=[
                    # drawn by assets/atlas/map.js (the only code that calls Plotly for the map)
                    html.Div(id=ids.MAP, className="map-graph",
                             children=html.Div(id=ids.MAP_PLOT, className="map-plot")),
                    # the same map as a static picture until plotly.js has drawn it
                    html.Img(id=ids.MAP_POSTER, className="map-poster", alt="", src=poster_url(layer_id, year, version),
                             **{"aria-hidden": "true"}),
                    # the story's step: its heading, title, caption, sources and buttons (ids in
                    # dashboard/ids.py) are written by assets/atlas/app.js (renderStory) when a
                    # story opens (not in the first layout: Dash's first render costs per component)
                    # (drawn here for an address with a story, so that the static copy has it: on
                    # phones it is in the page's flow, and would push the slider when it appears)
                    story_box(stories.get(story) if story else None, step),
                ]),
                chart_box(data, layer_id),
                html.Div(id=ids.RANKING, className="ranking", hidden=True, role="region", tabIndex="0",
                         **{"aria-label": "Ranking of the states", "aria-live": "polite"}),
                compare_box(data),
                overlap_box(),
                flows_box(),
                html.Div(className="timebar", children=[
                    html.Button("▶ Play", id=ids.PLAY, n_clicks=0, className="play-button", type="button",
                                title="Play the years (Space)", **{"aria-pressed": "false"}),
                    html.Div(className="slider-wrap", children=[
                        # the layer's years with data (placed under the track by assets/atlas/app.js)
                        html.Div(id=ids.SLIDER_COVERAGE, className="slider-coverage", **{"aria-hidden": "true"}),
                        dcc.Slider(id=ids.SLIDER, min=YEARS[0], max=YEARS[-1], step=1, value=year,
                                   marks=marks, updatemode="drag", included=False,
                                   tooltip={"placement": "top", "always_visible": False}),
                    ]),
                    html.Label("Speed", htmlFor=ids.PLAY_SPEED, className="visually-hidden"),
                    html.Div(className="play-speed-box", children=native_select(
                        ids.PLAY_SPEED, SPEED_OPTIONS, 1000, "play-speed")),
                ]),
                html.P(id=ids.SOURCE_LINE, className="source-line", children=source_line(data, layer_id)),
                download_menu(),
                # Filled by assets/atlas/app.js (renderTexts) for every year and layer; React never
                # manages their children.
                html.P(id=ids.MAP_SUMMARY, className="map-summary", children=frame["summary"]),
                # (the table's rows: written by app.js renderTexts when the page boots; folded,
                # so the static copy and the live page look the same without them)
                html.Details(className="map-table", children=[
                    html.Summary("Table of the map's values"),
                    html.Table(id=ids.MAP_TABLE),
                ]),
                html.Section(className="events", **{"aria-label": "Events of the selected year"}, children=[
                    html.H2(html.Span(id=ids.EVENTS_TITLE, children=f"Events in {year}")),
                    # (the live page's list is written by app.js renderTexts when it boots: the
                    # events are below the fold, and Dash's first render costs per component)
                    html.Ul(id=ids.EVENTS_STRIP, className="events-strip", tabIndex="0",
                            children=events_list(data, year) if static_copy else None),
                ]),
            ]),
            # the country panel: its button, title, graphs and events (ids in dashboard/ids.py) are
            # written by assets/atlas/app.js (PANEL_HTML) when a country first opens, and drawn
            # from /panel/<ISO3>.json (dashboard/views/panel.py); not in the first layout
            html.Aside(id=ids.PANEL, className="country-panel", hidden=True, tabIndex="-1",
                       **{"aria-label": "Country details"}),
        ]),
        # The data tab's controls and the sources page are rendered the first time their tab opens
        # (dashboard/views/callbacks.py): the map's first paint does not wait for them. The data
        # tab's row count and table are the browser renderer's (dashboard/views/table.py).
        html.Section(id=ids.VIEW_DATA, className="view", role="tabpanel", hidden=view != "data",
                     children=[html.Div(id=ids.DATA_SLOT, children=data_tab_placeholder()),
                               *data_tab_rows(data, view)]),
        html.Section(id=ids.VIEW_SOURCES, className="view", role="tabpanel", hidden=view != "sources",
                     children=[html.Div(id=ids.SOURCES_SLOT, children=html.P("Loading the sources…"))]),
        ]),
        html.A("Open this view in the atlas ↗", id=ids.EMBED_OPEN, className="embed-open", href="/",
               target="_blank", rel="noopener"),
        html.Footer(className="footer", children=[
            html.Span("Data: UNHCR, IDMC, UN WPP 2024, V-Dem, Freedom House, Polity5; memberships and events "
                      "curated by the atlas with a source for each; boundaries: Natural Earth."),
        ]),
        # The page's facts and the layers' payloads are JSON files the page's script fetches
        # (dashboard/views/page_data.py): this store only names them and the layout's view, and
        # starts the renderer once Dash has drawn the page (app.js boot).
        dcc.Store(id=ids.LAYER_DATA, data={"layer": layer_id, "year": year, "meta": files.get("meta", ""),
                                           "layer_url": files.get("layer", "")}),
        # (the controls' clientside callback needs an output; nothing reads it)
        dcc.Store(id=ids.META, data={}),
        # (not None: a store whose data is None sets it again when it mounts, which would run the
        # server callbacks on every page load)
        dcc.Store(id=ids.DATA_REQ, data={}),
        dcc.Store(id=ids.SOURCES_REQ, data={}),
    ])
