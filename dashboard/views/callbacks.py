"""Callbacks: thin wiring between the browser's renderer (assets/atlas/app.js) and the server.

The view state lives in the browser (one state, one reducer: assets/atlas/state.js); the server
is asked only for what it alone has, through request stores the renderer writes:
``layer-req`` (a layer's values and legend), ``layer2-req`` (a second layer's values, for the
compare view) and ``data-req``
(the data tab's rows, see dashboard/views/data_tab.py). Moving through the years never calls the
server. The country panel is fetched as JSON (dashboard/views/panel.py).
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from dashboard import ids
from dashboard.core import figures
from dashboard.core.cache import init_cache
from dashboard.core.data import AtlasData
from dashboard.views import panel
from dashboard.views.data_tab import data_tab_layout
from dashboard.views.layout import legend, source_line
from dashboard.views.sources_tab import sources_tab_layout


def _request(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def register(app: Dash, data: AtlasData) -> None:
    map_layers = {i["id"] for i in data.indicators.values() if i["map"]}
    # the country panel: a JSON document per country and layer (dashboard/views/panel.py)
    panel.install(app.server, data, init_cache(app.server))

    @app.callback(
        Output(ids.LAYER_DATA, "data"),
        Output(ids.LEGEND, "children"),
        Output(ids.SOURCE_LINE, "children"),
        Output(ids.LAYER_DESCRIPTION, "children"),
        Output(ids.PER_CAPITA_BOX, "style"),
        Input(ids.LAYER_REQ, "data"),
        prevent_initial_call=True,
    )
    def load_layer(req: Any):
        layer_id = _request(req).get("layer")
        if not isinstance(layer_id, str) or layer_id not in map_layers:
            return (no_update,) * 5
        ind = data.indicators[layer_id]
        base = ind.get("per_1000_of") or layer_id
        show_toggle = bool(data.indicators[base].get("per_1000"))
        return (
            figures.layer_payload(data, layer_id),
            legend(data, layer_id),
            source_line(data, layer_id),
            ind["description"],
            {"display": "block"} if show_toggle else {"display": "none"},
        )

    @app.callback(
        Output(ids.LAYER2_DATA, "data"),
        Input(ids.LAYER2_REQ, "data"),
        prevent_initial_call=True,
    )
    def load_layer2(req: Any):
        """A second layer's payload, for the compare view's other map (nothing else changes)."""
        layer_id = _request(req).get("layer")
        if not isinstance(layer_id, str) or layer_id not in map_layers:
            return no_update
        return figures.layer_payload(data, layer_id)

    @app.callback(
        Output(ids.DATA_SLOT, "children"),
        Input(ids.DATA_REQ, "data"),
        State(ids.DATA_SLOT, "children"),
        prevent_initial_call=True,
    )
    def render_data_tab(req: Any, current: Any):
        if not req or (isinstance(current, dict) and current.get("type") != "P"):
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

    # the first layer's payload boots the renderer; later ones are handed to it
    app.clientside_callback(ClientsideFunction("atlas", "layer"),
                            Output(ids.LAYER_DATA, "data", allow_duplicate=True),
                            Input(ids.LAYER_DATA, "data"),
                            State(ids.META, "data"),
                            prevent_initial_call="initial_duplicate")
    # a second layer's payload (compare view) is handed to the renderer too
    app.clientside_callback(ClientsideFunction("atlas", "layer2"),
                            Output(ids.LAYER2_DATA, "data", allow_duplicate=True),
                            Input(ids.LAYER2_DATA, "data"),
                            prevent_initial_call=True)
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
