"""The page's large static facts as cached JSON files, fetched by the page's script
(assets/atlas/app.js) instead of travelling through Dash's props:

* ``/atlas/meta.json?v=<hash of the body>``: what the browser's modules need (labels, events by
  year, stories, regions, sources: ``layout.meta``) and the map's base figure;
* ``/atlas/layer/<id>.json?v=<fingerprint of data and code>``: a layer's payload (every year's
  colours, values and hover texts: ``figures.layer_payload``) with what the page shows beside the
  map for that layer (legend, source line, description, whether the per-1,000 choice applies).

A store update through Dash's renderer costs the phone's main thread (every store change runs the
renderer's subscribers, and a large prop is carried through its state); a plain fetch of a
cached file costs a JSON parse. A layer change is a ``fetch`` of its file (no Dash callback).

The conventions of the API (dashboard/api/routes.py): bodies serialised once, compressed once
(br/gzip), a content hash as ETag (If-None-Match → 304), ``Cache-Control: public``; an address
whose ``v`` is the current version is kept for a year (``immutable``), as the map's picture.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from flask import Blueprint, Response, request

from dashboard.api.routes import _Body, _send
from dashboard.core import figures
from dashboard.core.cache import fingerprint
from dashboard.core.config import DEFAULT_YEAR
from dashboard.core.data import AtlasData
from dashboard.core.viewstate import DEFAULT_LAYER
from dashboard.views import layout

PREFIX = "/atlas"
JSON_TYPE = "application/json"
LONG_LIVED = "public, max-age=31536000, immutable"


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def layer_file(data: AtlasData, layer_id: str) -> dict[str, Any]:
    """A layer's payload and the texts beside the map (the markup is assets/atlas/app.js's
    renderLayerTexts, the same as layout.legend and layout.source_line)."""
    ind = data.indicators[layer_id]
    base = ind.get("per_1000_of") or layer_id
    title = ind["label"] + ("" if ind["unit"] in ("status", "category") else f" ({ind['unit']})")
    source = layout.source_line(data, layer_id)
    return {**figures.layer_payload(data, layer_id),
            "legend": {"title": title, "items": figures.legend_items(data, layer_id),
                       "no_data": figures.NO_DATA_LABEL},
            "source_line": [str(s.children) for s in source],
            "description": ind["description"],
            "per_capita_toggle": bool(data.indicators[base].get("per_1000"))}


class PageData:
    """The bodies (built on first use, kept per process) and their addresses."""

    def __init__(self, data: AtlasData, stories: dict[str, dict[str, Any]]) -> None:
        self.data, self.stories = data, stories
        self.layer_version = fingerprint()[:12]
        self.map_layers = {i["id"] for i in data.indicators.values() if i["map"]}
        meta = {**layout.meta(data, stories), "figure": layout.base_figure(data, DEFAULT_LAYER, DEFAULT_YEAR),
                "layer_url": f"{PREFIX}/layer/{{id}}.json?v={self.layer_version}"}
        self.meta_body = _Body.of(_dumps(meta), JSON_TYPE)
        self.meta_version = hashlib.blake2b(self.meta_body.data, digest_size=6).hexdigest()
        self._layers: dict[str, _Body] = {}
        self._lock = threading.Lock()

    @property
    def meta_url(self) -> str:
        return f"{PREFIX}/meta.json?v={self.meta_version}"

    def layer_url(self, layer_id: str) -> str:
        return f"{PREFIX}/layer/{layer_id}.json?v={self.layer_version}"

    def layer_body(self, layer_id: str) -> _Body:
        hit = self._layers.get(layer_id)
        if hit is None:
            hit = _Body.of(_dumps(layer_file(self.data, layer_id)), JSON_TYPE)
            with self._lock:
                self._layers.setdefault(layer_id, hit)
        return hit

    def blueprint(self) -> Blueprint:
        bp = Blueprint("atlas_page_data", __name__)

        def send(body: _Body, version: str) -> Response:
            resp = _send(body)
            if request.args.get("v") == version:
                resp.headers["Cache-Control"] = LONG_LIVED
            return resp

        @bp.get(f"{PREFIX}/meta.json")
        def meta_json():  # type: ignore[no-untyped-def]
            return send(self.meta_body, self.meta_version)

        def not_found() -> Response:
            return Response(_dumps({"error": "not_found", "detail": "no such file"}), status=404,
                            content_type=JSON_TYPE, headers={"Cache-Control": "no-store"})

        @bp.get(f"{PREFIX}/layer/<layer_id>.json")
        def layer_json(layer_id: str):  # type: ignore[no-untyped-def]
            if layer_id not in self.map_layers:
                return not_found()
            return send(self.layer_body(layer_id), self.layer_version)

        @bp.get(f"{PREFIX}/<path:rest>")
        def other(rest: str):  # type: ignore[no-untyped-def]  (else Dash's catch-all answers the page)
            return not_found()

        return bp
