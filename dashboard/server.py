"""App factory: data loaded once, layout, callbacks and plain HTTP routes."""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash
from flask import jsonify

from .api import create_api_blueprint
from .callbacks import register
from .config import ASSETS_DIR
from .data import get_data
from .data_tab import register_data_tab
from .download_menu import register_download_menu
from .layout import INDEX_HTML, build_layout
from .security import install as install_security
from .static_cache import install as install_static_cache
from .stories import load_stories, story_as_dict

log = logging.getLogger(__name__)


def _stories() -> dict[str, dict[str, Any]]:
    """The guided stories; a broken story file is reported in the log, never fatal."""
    try:
        return {sid: story_as_dict(st) for sid, st in load_stories().items()}
    except ValueError as exc:
        log.error("stories not loaded: %s", exc)
        return {}


def _defer_grid_script() -> None:
    """Serve dash-ag-grid's bundle without putting it in every page: assets/atlas.js loads it when
    the data tab opens."""
    import dash_ag_grid

    for res in dash_ag_grid._js_dist:
        if res.get("relative_package_path") == "dash_ag_grid.min.js":
            res["dynamic"] = True


def create_app() -> Dash:
    # plotly's orjson path first walks the whole figure in Python; the plain json engine answers
    # the layer callback (≈0.5 MB of figure and frames) 2–3× faster (BENCHMARKS.md, Load)
    import plotly.io

    plotly.io.json.config.default_engine = "json"
    data = get_data()
    _defer_grid_script()
    app = Dash(
        __name__,
        title="Atlas of the former Soviet space",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        compress=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description",
                    "content": "Interactive atlas of the 15 post-Soviet states since 1991."}],
    )
    app.index_string = INDEX_HTML
    stories = _stories()
    app.layout = build_layout(data, stories)
    # the data and sources tabs are rendered on first use, so some callback ids are not in the
    # initial layout (a validation layout would make the browser resolve the grid's script early)
    app.config.suppress_callback_exceptions = True
    register(app, data, stories)
    register_download_menu(app, data)
    register_data_tab(app, data)
    app.server.register_blueprint(create_api_blueprint(data))
    install_static_cache(app.server)
    install_security(app.server, app=app)

    @app.server.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    # Dash finishes its per-process setup on the first request it serves; done here, before any
    # real request, so that a browser's parallel script requests cannot race it (gunicorn.conf.py
    # does the same in the preloaded master)
    with app.server.test_client() as client:
        client.get("/_dash-dependencies")
    return app
