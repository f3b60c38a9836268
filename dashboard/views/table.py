"""The data tab's rows as one JSON document per selection, drawn by the browser as a table.

``GET /atlas/table.json?indicators=<ids>&countries=<ISO3s>&from=<year>&to=<year>`` answers the
columns, the rows (one array per row, in the columns' order) and the row-count line of the view
state's data selection. The rows come from ``downloads.table_rows``, the function the CSV and
XLSX downloads use, so the table on screen and the files always hold the same rows.
assets/atlas/table.js sorts, filters and pages them in the browser (a page of 50 rows is a few
milliseconds of HTML); this replaced dash-ag-grid, whose ≈ 2.2 MB of script and first render made
the tab's first open ≈ 0.8 s (BENCHMARKS.md, Views).

The selection is read as the data tab reads it (``data_tab._selection``: unknown ids dropped,
years clamped); an empty ``countries=`` selects no state. Documents go through the shared cache
(Redis with several instances) and are immutable with ``v=<fingerprint>`` in the address.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, request
from flask_caching import Cache

from dashboard.api.routes import _Body, _send
from dashboard.core.cache import cache_control
from dashboard.core.data import AtlasData
from dashboard.export import downloads
from dashboard.views.data_tab import HEADERS, _selection, row_count_text, selected_rows

TABLE_PATH = "/atlas/table.json"
# the columns the screen shows long texts in (a cell keeps its whole text in a tooltip)
WIDE_COLUMNS = ("label", "category_label", "source", "note")


def table_request(args: Any) -> dict[str, Any]:
    """A data-req (the view state's data selection) from the address's query."""
    req: dict[str, Any] = {"from": args.get("from"), "to": args.get("to")}
    for key in ("indicators", "countries"):
        if key in args:
            req[key] = [v for v in args.get(key, "").split(",") if v]
    return req


def table_document(data: AtlasData, req: dict[str, Any]) -> dict[str, Any]:
    indicators, countries, years = _selection(data, req)
    frame = selected_rows(data, indicators, countries, years)
    columns = list(downloads.VIEW_COLUMNS)
    rows = frame[columns].astype(object).where(frame[columns].notna(), None).values.tolist()
    return {
        "selection": {"indicators": indicators, "countries": countries, "from": years[0], "to": years[1]},
        "n": len(rows),
        "count": row_count_text(data, frame, indicators, countries, years),
        "columns": [{"field": c, "header": HEADERS.get(c, c), "numeric": c in downloads.NUMERIC_COLUMNS,
                     "wide": c in WIDE_COLUMNS} for c in columns],
        "rows": rows,
    }


def table_blueprint(data: AtlasData, cache: Cache) -> Blueprint:
    bp = Blueprint("atlas_table", __name__)

    @cache.memoize()
    def table_json(indicators: str, countries: str | None, lo: int, hi: int) -> str:
        req: dict[str, Any] = {"indicators": indicators.split(","), "from": lo, "to": hi}
        if countries is not None:
            req["countries"] = countries.split(",") if countries else []
        return json.dumps(table_document(data, req), ensure_ascii=False, separators=(",", ":"))

    @bp.get(TABLE_PATH)
    def table() -> Response:
        indicators, countries, years = _selection(data, table_request(request.args))
        body = table_json(",".join(indicators), ",".join(countries), years[0], years[1])
        resp = _send(_Body.of(body, "application/json"))
        resp.headers["Cache-Control"] = cache_control(request.args.get("v"))
        return resp

    return bp


def install(server: Flask, data: AtlasData, cache: Cache) -> None:
    server.register_blueprint(table_blueprint(data, cache))
