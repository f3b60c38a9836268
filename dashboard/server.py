"""App factory: data loaded once, layout, callbacks and plain HTTP routes."""

from __future__ import annotations

from dash import Dash
from flask import jsonify

from .api import create_api_blueprint
from .callbacks import register
from .config import ASSETS_DIR
from .data import get_data
from .layout import build_layout
from .static_cache import install as install_static_cache


def create_app() -> Dash:
    data = get_data()
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
    app.layout = build_layout(data)
    register(app, data)
    app.server.register_blueprint(create_api_blueprint(data))
    install_static_cache(app.server)

    @app.server.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    return app
