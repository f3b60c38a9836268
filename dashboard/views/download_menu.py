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

from dash import html
from flask import Blueprint, Response, abort, request

from dashboard.core.config import ISO3, YEARS
from dashboard.core.data import AtlasData
from dashboard.export import downloads
from dashboard.ids import DOWNLOADS as IDS

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
        html.Span(id=IDS["image_status"], hidden=True),
    ])


def view_title(data: AtlasData, layer_id: str, year: int) -> str:
    layer = data.indicators[layer_id]
    unit = "" if layer["unit"] in ("status", "category") else f" ({layer['unit']})"
    return f"{layer['label']}{unit}, {year}"


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "geojson": "application/geo+json"}


def view_file(data: AtlasData, fmt: str, layer_id: str, year: int) -> tuple[bytes, str]:
    """The view (one layer and year, all 15 states) as a file: (body, file name)."""
    frame = downloads.view_rows(data, layer_id, year)
    if fmt == "xlsx":
        body = downloads.to_xlsx_bytes(frame, data, view_title(data, layer_id, year))
    elif fmt == "geojson":
        body = downloads.to_geojson_bytes(frame, data)
    else:
        fmt, body = "csv", downloads.to_csv_bytes(frame)
    return body, downloads.filename(layer_id, year, fmt)


def download_blueprint(data: AtlasData) -> Blueprint:
    """``/download/view.<csv|xlsx|geojson>?layer=&year=``: the files of the download menu (the
    browser asks for the view state's layer and year, assets/downloads.js)."""
    bp = Blueprint("downloads", __name__)

    @bp.get("/download/view.<fmt>")
    def view(fmt: str) -> Response:
        layer_id = request.args.get("layer", "")
        year = request.args.get("year", "")
        if fmt not in MIMETYPES or layer_id not in data.indicators or not year.isdigit() or int(year) not in YEARS:
            abort(404)
        body, name = view_file(data, fmt, layer_id, int(year))
        resp = Response(body, mimetype=MIMETYPES[fmt])
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @bp.get("/download/wide.csv")
    def wide() -> Response:
        """``?indicators=a,b&countries=GEO,ARM&from=&to=``: the chart's or the data tab's selection
        as a wide table (states × years), beside the long one."""
        inds = [i for i in request.args.get("indicators", "").split(",") if i]
        raw_c = [c for c in request.args.get("countries", "").split(",") if c]
        lo, hi = request.args.get("from", str(YEARS[0])), request.args.get("to", str(YEARS[-1]))
        if (not inds or len(inds) > 60 or any(i not in data.indicators for i in inds)
                or any(c.upper() not in ISO3 for c in raw_c)
                or not (lo.isdigit() and hi.isdigit()) or int(lo) not in YEARS or int(hi) not in YEARS):
            abort(404)
        lo_i, hi_i = sorted((int(lo), int(hi)))
        frame = downloads.wide_rows(data, inds, raw_c or None, lo_i, hi_i)
        name = downloads.table_filename(inds, lo_i, hi_i, "csv").replace(".csv", "_wide.csv")
        resp = Response(downloads.wide_to_csv_bytes(frame), mimetype=MIMETYPES["csv"])
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        resp.headers["Cache-Control"] = "no-store"
        return resp

    return bp
