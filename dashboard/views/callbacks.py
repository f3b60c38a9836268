"""Callbacks: thin wiring between the browser's renderer (assets/atlas/app.js) and the server.

The view state lives in the browser (one state, one reducer: assets/atlas/state.js); the server
is asked only for what it alone has, through request stores the renderer writes: ``data-req``
(the data tab's controls and downloads, see dashboard/views/data_tab.py) and ``sources-req``. A
layer's values and legend are a cached JSON file the renderer fetches (dashboard/views/page_data.py),
as are the country panel (dashboard/views/panel.py) and the data tab's rows
(dashboard/views/table.py). Moving through the years never calls the server.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from dashboard import ids
from dashboard.core.cache import init_cache
from dashboard.core.data import AtlasData
from dashboard.views import panel, table
from dashboard.views.data_tab import data_tab_layout
from dashboard.views.sources_tab import sources_tab_layout


def _request(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def register(app: Dash, data: AtlasData) -> None:
    # the country panel: a JSON document per country and layer (dashboard/views/panel.py)
    cache = init_cache(app.server)
    panel.install(app.server, data, cache)
    # the data tab's rows: a JSON document per selection (dashboard/views/table.py)
    table.install(app.server, data, cache)

    @app.callback(
        Output(ids.DATA_SLOT, "children"),
        Input(ids.DATA_REQ, "data"),
        State(ids.DATA_SLOT, "children"),
        prevent_initial_call=True,
    )
    def render_data_tab(req: Any, current: Any):
        # once: the slot holds a placeholder until then (layout.py; data_tab.data_tab_placeholder)
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
                            Input(ids.PER_CAPITA, "value"),
                            Input(ids.SLIDER, "value"),
                            Input(ids.COUNTRY_PICKER, "value"),
                            prevent_initial_call=True)
    # (the layer, story, region and speed are plain selects: assets/atlas/input.js reads their changes)
