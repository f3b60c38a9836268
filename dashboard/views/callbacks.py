"""Callbacks: thin wiring between the layout and the pure figure builders.

Server callbacks run only when the layer, the country or the URL changes. The year slider, play,
keys and URL writing are clientside (assets/atlas.js), so moving through the years never calls the
server.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, html, no_update

from dashboard.core import figures
from dashboard.core.cache import init_cache
from dashboard.core.config import DEFAULT_YEAR, YEARS
from dashboard.core.data import AtlasData
from dashboard.core.viewstate import parse_query
from dashboard.views.data_tab import data_tab_layout
from dashboard.views.layout import IDS, legend, source_line
from dashboard.views.sources_tab import sources_tab_layout


def effective_layer(data: AtlasData, base: str, per_capita: str | None) -> str:
    """The indicator shown: the selected layer, or its per-1,000 twin when asked for."""
    layer = data.indicators.get(base) or data.indicators["cis"]
    if per_capita == "per1000" and layer.get("per_1000"):
        return layer["per_1000"]
    return layer["id"]


def valid_year(value: Any) -> int:
    """The slider's year from a callback value; anything but a covered year (bad or forged
    input) gives the default year."""
    if isinstance(value, int) and not isinstance(value, bool) and value in YEARS:
        return value
    return DEFAULT_YEAR


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


def register(app: Dash, data: AtlasData, stories: dict[str, dict[str, Any]] | None = None) -> None:
    layers = {i["id"] for i in data.indicators.values() if i["map"]}
    story_steps = {sid: len(st["steps"]) for sid, st in (stories or {}).items()}
    cache = init_cache(app.server)

    @cache.memoize()
    def cached_panel(layer_id: str, iso3: str, year: int) -> dict[str, Any]:
        """panel_content, kept in the shared cache (dashboard/core/cache.py): 200–300 ms to build."""
        return panel_content(data, layer_id, iso3, year)

    @app.callback(
        Output(IDS["layer"], "value"),
        Output("per-capita", "value"),
        Output(IDS["slider"], "value"),
        Output("selected-country", "data"),
        Output("notice", "children"),
        Output("story-state", "data"),
        Output("present", "data"),
        Input("url-query", "data"),
        State(IDS["layer"], "value"),
        State("per-capita", "value"),
        State(IDS["slider"], "value"),
        State("selected-country", "data"),
        prevent_initial_call=True,
    )
    def restore_from_url(query: Any, cur_layer: str, cur_pc: str, cur_year: int, cur_country: str | None):
        search = query.get("search", "") if isinstance(query, dict) else ""
        state = parse_query(search if isinstance(search, str) else "", layers, story_steps)
        ind = data.indicators[state.layer]
        base, pc = (ind["per_1000_of"], "per1000") if ind.get("per_1000_of") else (state.layer, "count")
        notice = [html.Span(n) for n in state.notices] if state.notices else None

        def changed(new: Any, old: Any) -> Any:
            return no_update if new == old else new

        story = {"id": state.story, "step": state.step} if state.story else no_update
        return (changed(base, cur_layer), changed(pc, cur_pc), changed(state.year, cur_year),
                changed(state.country, cur_country), notice, story, state.present or no_update)

    @app.callback(
        Output("frames", "data"),
        Output(IDS["map"], "figure"),
        Output("legend", "children"),
        Output("source-line", "children"),
        Output("layer-description", "children"),
        Output("per-capita-box", "style"),
        Input(IDS["layer"], "value"),
        Input("per-capita", "value"),
        State(IDS["slider"], "value"),
        State("selected-country", "data"),
        State("highlight", "data"),
        prevent_initial_call=True,
    )
    def load_layer(base: str, per_capita: str, year: int, country: str | None, highlight: Any):
        if not isinstance(base, str) or base not in data.indicators:
            return (no_update,) * 6
        layer_id = effective_layer(data, base, per_capita)
        show_toggle = bool(data.indicators[base].get("per_1000"))
        year = valid_year(year)
        highlight = ([c for c in highlight if isinstance(c, str) and c in data.names_en]
                     if isinstance(highlight, list) else [])
        selected = country if isinstance(country, str) and country in data.names_en else None
        frames = figures.layer_frames(data, layer_id)
        return (
            frames,
            figures.map_figure(data, layer_id, year, selected, highlight),
            legend(data, layer_id),
            source_line(data, layer_id),
            data.indicators[layer_id]["description"],
            {"display": "block"} if show_toggle else {"display": "none"},
        )

    @app.callback(
        Output(IDS["panel"], "hidden"),
        Output("panel-title", "children"),
        Output("panel-series", "figure"),
        Output("panel-memberships", "figure"),
        Output("panel-regime", "figure"),
        Output("panel-events", "children"),
        Input("selected-country", "data"),
        Input("frames", "data"),
        State(IDS["slider"], "value"),
        prevent_initial_call=True,
    )
    def render_panel(iso3: str | None, frames: dict[str, Any] | None, year: int):
        if not isinstance(iso3, str) or iso3 not in data.names_en:
            return True, no_update, no_update, no_update, no_update, no_update
        layer_id = (frames or {}).get("layer", "cis") if isinstance(frames, dict | None) else None
        if not isinstance(layer_id, str) or layer_id not in data.indicators:
            layer_id = "cis"
        c = cached_panel(layer_id, iso3, valid_year(year))
        return False, c["title"], c["series"], c["memberships"], c["regime"], c["events"]

    @app.callback(
        Output("data-tab-slot", "children"),
        Input("grid-ready", "data"),
        State("data-tab-slot", "children"),
        prevent_initial_call=True,
    )
    def render_data_tab(ready: Any, current: Any):
        if not ready or (isinstance(current, dict) and current.get("type") != "P"):
            return no_update
        return data_tab_layout(data)

    @app.callback(
        Output("sources-tab-slot", "children"),
        Input("tab-sources", "n_clicks"),
        State("sources-tab-slot", "children"),
        prevent_initial_call=True,
    )
    def render_sources_tab(_clicks: Any, current: Any):
        if isinstance(current, dict) and current.get("type") != "P":
            return no_update
        return sources_tab_layout(data)

    cs = "atlas"
    app.clientside_callback(ClientsideFunction(cs, "loadGrid"),
                            Output("grid-ready", "data"),
                            Input("tab-data", "n_clicks"),
                            State("meta", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "showYear"),
                            Output("year-shown", "data"),
                            Input(IDS["slider"], "value"),
                            Input("selected-country", "data"),
                            Input("highlight", "data"),
                            State("frames", "data"),
                            State("meta", "data"),
                            State(IDS["layer"], "value"),
                            State("per-capita", "value"),
                            State("play-timer", "disabled"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "renderTexts"),
                            Output("ui-done", "data"),
                            Input("frames", "data"),
                            State(IDS["slider"], "value"),
                            State("meta", "data"),
                            State("selected-country", "data"),
                            State("highlight", "data"))
    app.clientside_callback(ClientsideFunction(cs, "selectCountry"),
                            Output("selected-country", "data", allow_duplicate=True),
                            Input(IDS["map"], "clickData"),
                            Input("panel-close", "n_clicks"),
                            State("selected-country", "data"),
                            State("meta", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "writeUrl"),
                            Output("url-written", "data"),
                            Input(IDS["layer"], "value"),
                            Input("per-capita", "value"),
                            State(IDS["slider"], "value"),
                            State("selected-country", "data"),
                            State("meta", "data"),
                            State("play-timer", "disabled"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "togglePlay"),
                            Output("play-timer", "disabled"),
                            Output(IDS["play"], "children"),
                            Output(IDS["play"], "aria-pressed"),
                            Input(IDS["play"], "n_clicks"),
                            State("play-timer", "disabled"),
                            State(IDS["slider"], "value"),
                            State("meta", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "tick"),
                            Output(IDS["slider"], "value", allow_duplicate=True),
                            Output("play-timer", "disabled", allow_duplicate=True),
                            Output(IDS["play"], "children", allow_duplicate=True),
                            Output(IDS["play"], "aria-pressed", allow_duplicate=True),
                            Input("play-timer", "n_intervals"),
                            State(IDS["slider"], "value"),
                            State("meta", "data"),
                            State("story-state", "data"),
                            State("stories", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "playSpeed"),
                            Output("play-timer", "interval"),
                            Input("play-speed", "value"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "switchTab"),
                            Output("view-map", "hidden"),
                            Output("view-data", "hidden"),
                            Output("view-sources", "hidden"),
                            Output("tab-map", "aria-selected"),
                            Output("tab-data", "aria-selected"),
                            Output("tab-sources", "aria-selected"),
                            Input("tab-map", "n_clicks"),
                            Input("tab-data", "n_clicks"),
                            Input("tab-sources", "n_clicks"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "togglePresent"),
                            Output("present", "data", allow_duplicate=True),
                            Input("present-button", "n_clicks"),
                            State("present", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "applyPresent"),
                            Output("app-root", "className"),
                            Output("present-button", "aria-pressed"),
                            Output("present-button", "children"),
                            Input("present", "data"),
                            State(IDS["layer"], "value"),
                            State("per-capita", "value"),
                            State(IDS["slider"], "value"),
                            State("selected-country", "data"),
                            State("meta", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "storyNav"),
                            Output("story-state", "data", allow_duplicate=True),
                            Input("story-select", "value"),
                            Input("story-prev", "n_clicks"),
                            Input("story-next", "n_clicks"),
                            Input("story-end", "n_clicks"),
                            State("story-state", "data"),
                            State("stories", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction(cs, "applyStory"),
                            Output("story-box", "hidden"),
                            Output("story-heading", "children"),
                            Output("story-step-title", "children"),
                            Output("story-caption", "children"),
                            Output("story-sources", "children"),
                            Output("story-count", "children"),
                            Output("story-prev", "disabled"),
                            Output("story-next", "disabled"),
                            Output("highlight", "data"),
                            Input("story-state", "data"),
                            State("stories", "data"),
                            State("meta", "data"),
                            prevent_initial_call=True)
