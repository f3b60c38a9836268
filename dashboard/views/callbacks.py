"""Callbacks: thin wiring between the browser's renderer (assets/atlas/app.js) and the server.

The view state lives in the browser (one state, one reducer: assets/atlas/state.js); the server
is asked only for what it alone has, through request stores the renderer writes: ``panel-req``
(a country's panel) and ``data-req`` (the data tab's rows, see dashboard/views/data_tab.py). A
layer's values and legend are a cached JSON file the renderer fetches
(dashboard/views/page_data.py). Moving through the years never calls the server.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from dashboard import ids
from dashboard.core import figures
from dashboard.core.cache import init_cache
from dashboard.core.config import YEARS
from dashboard.core.data import AtlasData
from dashboard.views.data_tab import data_tab_layout
from dashboard.views.sources_tab import sources_tab_layout


def valid_year(value: Any, default: int) -> int:
    """A year from a request; anything but a covered year (bad or forged input) gives the default."""
    if isinstance(value, int) and not isinstance(value, bool) and value in YEARS:
        return value
    return default


def panel_content(data: AtlasData, layer_id: str, iso3: str, year: int) -> dict[str, Any]:
    org_ids = list(data.orgs)
    regime_ids = [i for i in ("vdem_row", "fh_status") if i in data.indicators]
    events = figures.country_events(data, iso3)
    items = [html.Li([html.Span(e.date, className="ev-date"), " ", html.Strong(e.title), html.Br(),
                      html.Span(e.text), html.Br(), html.Small(f"Source: {e.source}", className="ev-src")])
             for e in events.itertuples(index=False)]
    return {
        "title": f"{data.names_en[iso3]} · {data.names_ru.get(iso3, '')}",
        "series": figures.country_series_figure(data, layer_id, iso3, year),
        "memberships": figures.timeline_figure(data, iso3, year, org_ids, "Memberships"),
        "regime": figures.timeline_figure(data, iso3, year, regime_ids, "Political regime"),
        "events": items or [html.Li("No events recorded for this country.")],
    }


def panel_body(c: dict[str, Any]) -> list[Any]:
    """The panel's graphs and events (created on first open: the page loads no plotly.js for a
    hidden panel)."""
    config = {"displayModeBar": False}
    return [dcc.Graph(id=ids.PANEL_SERIES, config=config, figure=c["series"]),
            dcc.Graph(id=ids.PANEL_MEMBERSHIPS, config=config, figure=c["memberships"]),
            dcc.Graph(id=ids.PANEL_REGIME, config=config, figure=c["regime"]),
            html.H3("Events"),
            html.Ul(id=ids.PANEL_EVENTS, className="panel-events", children=c["events"])]


def _request(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def register(app: Dash, data: AtlasData) -> None:
    cache = init_cache(app.server)

    @cache.memoize()
    def cached_panel(layer_id: str, iso3: str, year: int) -> dict[str, Any]:
        """panel_content in the shared cache (dashboard/core/cache.py; Redis with several
        instances): ≈ 20 ms to build, ≈ 2 ms to read back."""
        return panel_content(data, layer_id, iso3, year)

    def panel_of(req: Any) -> tuple[dict[str, Any] | None, str]:
        req = _request(req)
        iso3, layer_id = req.get("country"), req.get("layer")
        if not isinstance(iso3, str) or iso3 not in data.names_en:
            return None, ""
        if not isinstance(layer_id, str) or layer_id not in data.indicators:
            layer_id = "cis"
        return cached_panel(layer_id, iso3, valid_year(req.get("year"), YEARS[-1])), iso3

    # The panel's graphs are created on its first open (nothing loads plotly.js for a hidden
    # panel); later countries only replace their figures and texts (cheaper than new graphs).
    @app.callback(
        Output(ids.PANEL_TITLE, "children"),
        Output(ids.PANEL_BODY, "children"),
        Input(ids.PANEL_REQ, "data"),
        State(ids.PANEL_BODY, "children"),
        prevent_initial_call=True,
    )
    def render_panel(req: Any, body: Any):
        c, _ = panel_of(req)
        if c is None:
            return no_update, no_update
        return c["title"], (panel_body(c) if not body else no_update)

    @app.callback(
        Output(ids.PANEL_SERIES, "figure"),
        Output(ids.PANEL_MEMBERSHIPS, "figure"),
        Output(ids.PANEL_REGIME, "figure"),
        Output(ids.PANEL_EVENTS, "children"),
        Input(ids.PANEL_REQ, "data"),
        prevent_initial_call=True,
    )
    def update_panel(req: Any):
        c, _ = panel_of(req)
        if c is None:
            return (no_update,) * 4
        return c["series"], c["memberships"], c["regime"], c["events"]

    @app.callback(
        Output(ids.DATA_SLOT, "children"),
        Input(ids.DATA_REQ, "data"),
        State(ids.DATA_SLOT, "children"),
        prevent_initial_call=True,
    )
    def render_data_tab(req: Any, current: Any):
        # once: the slot holds a placeholder until then (layout.py; data_tab.data_tab_intro)
        if not req or (isinstance(current, dict) and (current.get("props") or {}).get("id") == "data-tab"):
            return no_update
        return data_tab_layout(data, _request(req))

    @app.callback(
        Output(ids.SOURCES_SLOT, "children"),
        Input(ids.SOURCES_REQ, "data"),
        State(ids.SOURCES_SLOT, "children"),
        prevent_initial_call=True,
    )
    def render_sources_tab(req: Any, current: Any):
        if not _request(req).get("open") or (isinstance(current, dict) and current.get("type") != "P"):
            return no_update
        return sources_tab_layout(data)

    # Dash has drawn the page: the renderer boots (it fetches the page's facts and the layer's
    # payload, dashboard/views/page_data.py; later layers are fetched the same way)
    app.clientside_callback(ClientsideFunction("atlas", "layer"),
                            Output(ids.LAYER_DATA, "data", allow_duplicate=True),
                            Input(ids.LAYER_DATA, "data"),
                            prevent_initial_call="initial_duplicate")
    # the values of Dash's own controls become actions (app.js control)
    app.clientside_callback(ClientsideFunction("atlas", "controls"),
                            Output(ids.META, "data", allow_duplicate=True),
                            Input(ids.LAYER, "value"),
                            Input(ids.PER_CAPITA, "value"),
                            Input(ids.SLIDER, "value"),
                            Input(ids.STORY_SELECT, "value"),
                            Input(ids.PLAY_SPEED, "value"),
                            Input(ids.COUNTRY_PICKER, "value"),
                            Input(ids.REGION_SELECT, "value"),
                            prevent_initial_call=True)
