"""The download menu beside the map: the current view (layer and year, all 15 states) as CSV,
XLSX or GeoJSON from the server, and as PNG or SVG drawn in the browser.

The images are made by ``assets/downloads.js`` (``window.dash_clientside.downloads.image``): it
copies the map's figure, adds a title (layer and year), the legend exactly as shown in ``#legend``
and the source line of ``#source-line``, and hands it to ``Plotly.downloadImage``. Nothing leaves
the machine.

The view's layer is the effective one (``frames["layer"]``: the per-1,000 twin when that is
shown); the selected country does not filter the view.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.core.config import YEARS
from dashboard.core.data import AtlasData
from dashboard.export import downloads

IDS = {
    "menu": "download-menu",
    "csv": "download-csv",
    "xlsx": "download-xlsx",
    "geojson": "download-geojson",
    "png": "download-png",
    "svg": "download-svg",
    "slide": "download-slide",
    "download": "download-view",
    "image_status": "download-image-status",
}
IMAGE_WIDTH = 1600
IMAGE_HEIGHT = 1000


def download_menu() -> html.Div:
    """A small button group: three server downloads, two images made in the browser."""
    def button(label: str, key: str, title: str) -> html.Button:
        return html.Button(label, id=IDS[key], n_clicks=0, title=title, className="download-button",
                           type="button")

    return html.Div(id=IDS["menu"], className="download-menu", role="group",
                    **{"aria-label": "Download the current view"},
                    style={"display": "flex", "flexWrap": "wrap", "alignItems": "center", "gap": "0.35rem",
                           "margin": "0.3rem 0", "fontSize": "0.85rem"},
                    children=[
        html.Span("Download this view:", className="download-menu-label"),
        button("CSV", "csv", "The values shown for all 15 states, as CSV"),
        button("XLSX", "xlsx", "The values shown, as an Excel workbook with sources and notes"),
        button("GeoJSON", "geojson", "The 15 states' boundaries with the values shown"),
        button("PNG", "png", f"The map as a {IMAGE_WIDTH}×{IMAGE_HEIGHT} picture with title, legend and sources"),
        button("SVG", "svg", "The map as a vector picture with title, legend and sources"),
        button("Slide", "slide", "A 1920×1080 slide of the map with title, legend and sources (PNG)"),
        dcc.Download(id=IDS["download"]),
        dcc.Store(id=IDS["image_status"], data=None),
    ])


def view_title(data: AtlasData, layer_id: str, year: int) -> str:
    layer = data.indicators[layer_id]
    unit = "" if layer["unit"] in ("status", "category") else f" ({layer['unit']})"
    return f"{layer['label']}{unit}, {year}"


def view_download(data: AtlasData, fmt: str, layer_id: str, year: int) -> dict[str, Any]:
    """The ``dcc.Download`` payload of the view in one format (csv, xlsx or geojson)."""
    frame = downloads.view_rows(data, layer_id, year)
    if fmt == "xlsx":
        body = downloads.to_xlsx_bytes(frame, data, view_title(data, layer_id, year))
    elif fmt == "geojson":
        body = downloads.to_geojson_bytes(frame, data)
    else:
        fmt, body = "csv", downloads.to_csv_bytes(frame)
    return dcc.send_bytes(body, downloads.filename(layer_id, year, fmt))


def register_download_menu(app: Dash, data: AtlasData) -> None:
    formats = {IDS["csv"]: "csv", IDS["xlsx"]: "xlsx", IDS["geojson"]: "geojson"}

    @app.callback(
        Output(IDS["download"], "data"),
        Input(IDS["csv"], "n_clicks"),
        Input(IDS["xlsx"], "n_clicks"),
        Input(IDS["geojson"], "n_clicks"),
        State("year-slider", "value"),
        State("frames", "data"),
        prevent_initial_call=True,
    )
    def download_view(_csv: Any, _xlsx: Any, _geojson: Any, year: Any, frames: Any):
        fmt = formats.get(str(ctx.triggered_id))
        layer_id = frames.get("layer") if isinstance(frames, dict) else None
        if fmt is None or not isinstance(layer_id, str) or layer_id not in data.indicators:
            return no_update
        if isinstance(year, bool) or not isinstance(year, (int, float)) or year not in YEARS:
            return no_update
        return view_download(data, fmt, layer_id, int(year))

    app.clientside_callback(
        ClientsideFunction("downloads", "image"),
        Output(IDS["image_status"], "data"),
        Input(IDS["png"], "n_clicks"),
        Input(IDS["svg"], "n_clicks"),
        Input(IDS["slide"], "n_clicks"),
        State("year-slider", "value"),
        State("frames", "data"),
        State("meta", "data"),
        prevent_initial_call=True,
    )
