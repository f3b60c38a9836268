"""App factory: data loaded once, layout, callbacks and plain HTTP routes."""

from __future__ import annotations

import logging
from html import escape as html_escape
from typing import Any
from urllib.parse import urlsplit

from dash import Dash
from flask import Response, has_request_context, jsonify, request

from dashboard.api.routes import create_api_blueprint
from dashboard.core.config import ASSETS_DIR, DEFAULT_YEAR
from dashboard.core.data import data_version_of, get_data
from dashboard.core.stories import load_stories, story_as_dict
from dashboard.core.viewstate import DEFAULT_LAYER, parse_query
from dashboard.views.callbacks import register
from dashboard.views.data_tab import register_data_tab
from dashboard.views.download_menu import register_download_menu
from dashboard.views.layout import INDEX_HTML, build_layout
from dashboard.views.poster import PosterCache, view_of_query
from dashboard.views.prerender import page_html
from dashboard.web import seo
from dashboard.web.security import install as install_security
from dashboard.web.static_cache import install as install_static_cache

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


PLOTLY_ASSET = "vendor/plotly-geo.min.js"


def _query_text(query: bytes) -> str:
    """A request's query string as text, cut to a sane length."""
    return query.decode("utf-8", "replace")[:2000]


def _poster_url(query: str) -> str:
    return "/map-poster.svg" + ("?" + query if query else "")


class PageViews:
    """What the page is made of for one view of an address (layer and year), kept per view: the
    live page's Dash layout and the static copy of the page sent with the HTML."""

    def __init__(self, data: Any, stories: dict[str, dict[str, Any]], size: int = 32) -> None:
        self.data, self.stories, self.size = data, stories, size
        self._layouts: dict[tuple[str, int], Any] = {}
        self._copies: dict[tuple[str, int, bool], str] = {}

    def view(self, query: str) -> tuple[str, int]:
        layer, year, _country, _highlight = view_of_query(query[:2000], self.data, self.stories)
        return layer, year

    def _keep(self, cache: dict[Any, Any], key: Any, value: Any) -> Any:
        while len(cache) >= self.size:
            cache.pop(next(iter(cache)))  # oldest out
        cache[key] = value
        return value

    def layout(self, layer: str, year: int) -> Any:
        hit = self._layouts.get((layer, year))
        return hit if hit is not None else self._keep(
            self._layouts, (layer, year), build_layout(self.data, self.stories, layer, year))

    def prerender(self, query: str, layer: str, year: int) -> str:
        """The static copy of the page (dashboard/views/prerender.py) for this address."""
        present = parse_query(query, set(self.data.indicators)).present
        copy = self._copies.get((layer, year, present))
        if copy is None:
            copy = page_html(self.layout(layer, year), "\x00POSTER\x00")
            if present:  # the live page's presentation mode (assets/atlas.js applyPresent)
                copy = (copy.replace('<div class="app">', '<div class="app presenting">', 1)
                        .replace('aria-pressed="false">Present</button>',
                                 'aria-pressed="true">Leave presentation</button>', 1))
            self._keep(self._copies, (layer, year, present), copy)
        return copy.replace("\x00POSTER\x00", html_escape(_poster_url(query)))


def _preloads(query: str, layer: str, year: int) -> str:
    """Links that start the two downloads the first map needs while the page's scripts load:
    plotly.js (which dcc.Graph then loads from this address, see assets/atlas.js) and the static
    picture of the map for this address (/map-poster.svg)."""
    plotly = ASSETS_DIR / PLOTLY_ASSET
    version = int(plotly.stat().st_mtime) if plotly.exists() else 0
    poster = _poster_url(query)
    return (f'<link rel="preload" as="script" id="plotly-src" href="/assets/{PLOTLY_ASSET}?m={version}">\n'
            f'        <link rel="preload" as="image" id="poster-src" href="{html_escape(poster)}" '
            f'data-layer="{html_escape(layer)}" data-year="{year}">')


def _lighter_page() -> None:
    """Leave out of the page two bundles the atlas does not need: @babel/polyfill (core-js for
    old browsers, ≈100 kB to evaluate before anything renders; the one global Dash's components
    use from it, regeneratorRuntime, comes from assets/vendor/regenerator-runtime.js) and
    dash_table's bundle (no DataTable here; it stays served, as a dynamic resource)."""
    from dash import _dash_renderer, dash_table

    for dep in _dash_renderer._js_dist_dependencies:
        for key in ("external_url", "relative_package_path"):
            paths = dep.get(key)
            if isinstance(paths, dict):
                for mode, files in paths.items():
                    paths[mode] = [f for f in files if "polyfill@" not in f]
    for res in dash_table._js_dist:
        if res.get("relative_package_path") == "dash_table/bundle.js":
            res["dynamic"] = True


def create_app() -> Dash:
    # plotly's orjson path first walks the whole figure in Python; the plain json engine answers
    # the layer callback (≈0.5 MB of figure and frames) 2–3× faster (BENCHMARKS.md, Load)
    import plotly.io

    plotly.io.json.config.default_engine = "json"
    data = get_data()
    data_version = data_version_of()
    _defer_grid_script()
    _lighter_page()
    app = Dash(
        __name__,
        title="Atlas of the former Soviet space",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        # plotly.js is not a blocking script of the page: dcc.Graph loads it when the map mounts,
        # from the address the page's preload link gives (see _preloads and assets/atlas.js)
        assets_ignore=r"^plotly-geo\.min\.js$",  # (Dash matches the file's name)
        compress=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description",
                    "content": "Interactive atlas of the 15 post-Soviet states since 1991."}],
    )
    app.index_string = INDEX_HTML
    stories = _stories()

    # The live page starts from the view of the page's address (the layout request carries the
    # page's address as its Referer, same origin), so that a shared link does not first show the
    # default layer's legend and selector; the address's other parts (country, story, present,
    # notices) are applied by the restore callback as before. Without a Referer: the default view.
    views = PageViews(data, stories)
    views.layout(DEFAULT_LAYER, DEFAULT_YEAR)  # built now: a broken layout stops the start, and
    # gunicorn's preloaded master shares it with its workers

    def referer_query() -> str:
        ref = request.headers.get("Referer", "") if has_request_context() else ""
        return urlsplit(ref).query if ref else ""

    def layout_variant() -> str:
        view = views.view(referer_query())
        return "" if view == (DEFAULT_LAYER, DEFAULT_YEAR) else f"{view[0]}:{view[1]}"

    def page_layout() -> Any:
        return views.layout(*views.view(referer_query()))

    plain_index = app.interpolate_index

    def index_with_preloads(**kwargs: Any) -> str:
        query = _query_text(request.query_string)
        layer, year = views.view(query)
        kwargs = seo.index_kwargs(kwargs, seo.page_meta(query, layer, year, data, stories))
        return (plain_index(**kwargs).replace("<!--atlas-preloads-->", _preloads(query, layer, year))
                .replace("<!--atlas-prerender-->", views.prerender(query, layer, year)))

    app.interpolate_index = index_with_preloads  # type: ignore[method-assign]
    app.layout = page_layout
    # the data and sources tabs are rendered on first use, so some callback ids are not in the
    # initial layout (a validation layout would make the browser resolve the grid's script early)
    app.config.suppress_callback_exceptions = True
    register(app, data, stories)
    register_download_menu(app, data)
    register_data_tab(app, data)
    app.server.register_blueprint(create_api_blueprint(data))
    install_static_cache(app.server, variant=layout_variant)
    seo.install(app.server)  # /robots.txt
    install_security(app.server, app=app)

    @app.server.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok", data_version=data_version)

    # the map as a static picture for the page's address (shown until plotly.js has drawn it);
    # any query is answered, by the page's own fallbacks (dashboard/core/viewstate.py)
    posters = PosterCache(data, stories)

    @app.server.get("/map-poster.svg")
    def map_poster():  # type: ignore[no-untyped-def]
        query = _query_text(request.query_string)
        resp = Response(posters.svg(query), mimetype="image/svg+xml")
        resp.headers["Cache-Control"] = "public, max-age=3600"
        return resp

    # Dash finishes its per-process setup on the first request it serves; done here, before any
    # real request, so that a browser's parallel script requests cannot race it (gunicorn.conf.py
    # does the same in the preloaded master)
    with app.server.test_client() as client:
        client.get("/_dash-dependencies")
    return app
