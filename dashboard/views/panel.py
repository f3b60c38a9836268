"""The country panel's content as one JSON document per (country, layer), drawn by the browser.

``GET /panel/<ISO3>.json?layer=<id>`` answers the panel's title, its three figures (the layer's
series — a plotly figure, or status strips for a categorical layer —, the memberships strips, the
regime strips: dashboard/core/figures.py) and the country's
events. assets/atlas/app.js fetches it when a country is opened and draws it into plain boxes
(the series with ``Plotly.react``, the strips as HTML), then marks the state's year on them (the figures do not depend
on the year, so one document serves every year and the browser caches it). This replaced three
``dcc.Graph`` components updated through Dash callbacks: the same figures, ≈ 4× faster to show
(BENCHMARKS.md, Views).

The documents go through the shared cache (dashboard/core/cache.py; Redis with several
instances) and carry an ETag; with ``v=<fingerprint>`` in the address (dashboard/core/cache.py:
the data, the code and the libraries) they are immutable.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Flask, Response, request
from flask_caching import Cache
from plotly.io.json import to_json_plotly

from dashboard.core import figures
from dashboard.core.cache import cache_control
from dashboard.core.config import YEARS
from dashboard.core.data import AtlasData

PANEL_PATH = "/panel/"
FALLBACK_LAYER = "cis"


def panel_content(data: AtlasData, layer_id: str, iso3: str) -> dict[str, Any]:
    """The panel of one country for one layer (JSON-ready). The figures mark the last year; the
    browser moves the marker (shapes named ``year``) to the state's year."""
    year = YEARS[-1]
    org_ids = list(data.orgs)
    regime_ids = [i for i in ("vdem_row", "fh_status") if i in data.indicators]
    events = figures.country_events(data, iso3)
    return {
        "iso3": iso3,
        "layer": layer_id,
        "title": f"{data.names_en[iso3]} · {data.names_ru.get(iso3, '')}",
        "series": figures.country_series_figure(data, layer_id, iso3, year),
        "memberships": figures.status_strips(data, iso3, org_ids, "Memberships"),
        "regime": figures.status_strips(data, iso3, regime_ids, "Political regime"),
        "events": [{"date": e.date, "title": e.title, "text": e.text, "source": e.source}
                   for e in events.itertuples(index=False)],
    }


def panel_blueprint(data: AtlasData, cache: Cache) -> Blueprint:
    bp = Blueprint("panel", __name__)
    layers = set(data.indicators)

    @cache.memoize()
    def panel_json(layer_id: str, iso3: str) -> str:
        """panel_content serialised (≈ 20 ms to build, ≈ 1 ms to read back from the cache)."""
        return to_json_plotly(panel_content(data, layer_id, iso3))

    @bp.get(PANEL_PATH + "<iso3>.json")
    def panel(iso3: str) -> Response:
        iso3 = iso3.upper()
        layer_id = request.args.get("layer", FALLBACK_LAYER)
        if iso3 not in data.names_en:
            return Response('{"error": "not_found", "detail": "no such state"}', status=404,
                            mimetype="application/json")
        if layer_id not in layers:
            layer_id = FALLBACK_LAYER
        body = panel_json(layer_id, iso3).encode()
        etag = hashlib.blake2b(body, digest_size=8).hexdigest()
        if request.if_none_match.contains(etag):
            resp = Response(status=304)
        else:
            resp = Response(body, mimetype="application/json")
        resp.set_etag(etag)
        resp.headers["Cache-Control"] = cache_control(request.args.get("v"))
        return resp

    return bp


def install(server: Flask, data: AtlasData, cache: Cache) -> None:
    server.register_blueprint(panel_blueprint(data, cache))
