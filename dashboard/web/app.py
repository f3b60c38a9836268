"""App factory: data loaded once, the page (through Dash's hooks), callbacks and plain routes."""

from __future__ import annotations

import logging
from html import escape as html_escape
from typing import Any
from urllib.parse import urlsplit

from dash import Dash, hooks
from flask import Response, has_request_context, jsonify, request

from dashboard.api import create_api_blueprint
from dashboard.core.config import ASSETS_DIR, DEFAULT_YEAR
from dashboard.core.data import data_version_of, get_data
from dashboard.core.stories import load_stories, story_as_dict
from dashboard.core.viewstate import DEFAULT_LAYER, address_context, parse_query
from dashboard.views.callbacks import register
from dashboard.views.data_tab import register_data_tab
from dashboard.views.download_menu import download_blueprint
from dashboard.views.layout import INDEX_HTML, build_layout
from dashboard.views.page_data import PageData
from dashboard.views.poster import PosterCache
from dashboard.views.prerender import page_html
from dashboard.web import compat, seo
from dashboard.web.security import install as install_security
from dashboard.web.static_cache import install as install_static_cache

log = logging.getLogger(__name__)

PLOTLY_ASSET = "vendor/plotly-geo.min.js"


def load_story_dicts() -> dict[str, dict[str, Any]]:
    """The guided stories; a broken story file is reported in the log, never fatal."""
    try:
        return {sid: story_as_dict(st) for sid, st in load_stories().items()}
    except ValueError as exc:
        log.error("stories not loaded: %s", exc)
        return {}


def _query_text(query: bytes) -> str:
    """A request's query string as text, cut to a sane length."""
    return query.decode("utf-8", "replace")[:2000]


def _poster_url(query: str, version: str) -> str:
    """The map's picture for a page's address, versioned by the data (so it may be cached for good)."""
    return "/map-poster.svg?" + (query + "&" if query else "") + f"v={version}"


# what the live page's layout depends on: layer, year, presentation, tab, story and its step
View = tuple[str, int, bool, str, "str | None", int]


class PageViews:
    """What the page is made of for one view of an address (layer, year, presentation), kept per
    view: the live page's Dash layout and the static copy of the page sent with the HTML."""

    def __init__(self, data: Any, stories: dict[str, dict[str, Any]], size: int = 32) -> None:
        self.data, self.stories, self.size = data, stories, size
        self.version = getattr(data, "data_version", "")
        self.ctx = address_context(data, stories)
        self.files = PageData(data, stories)
        self._layouts: dict[View, Any] = {}
        self._copies: dict[View, str] = {}

    def view(self, query: str) -> View:
        state = parse_query(query[:2000], self.ctx)
        return state.layer, state.year, state.present, state.view, state.story, state.step if state.story else 0

    def _keep(self, cache: dict[Any, Any], key: Any, value: Any) -> Any:
        while len(cache) >= self.size:
            cache.pop(next(iter(cache)))  # oldest out
        cache[key] = value
        return value

    def _build(self, view: View, static_copy: bool = False) -> Any:
        return build_layout(self.data, self.stories, *view, static_copy=static_copy, files={
            "meta": self.files.meta_url, "layer": self.files.layer_url(view[0])})

    def layout(self, view: View) -> Any:
        hit = self._layouts.get(view)
        return hit if hit is not None else self._keep(self._layouts, view, self._build(view))

    def prerender(self, query: str, view: View) -> str:
        """The static copy of the page (dashboard/views/prerender.py) for this address."""
        copy = self._copies.get(view)
        if copy is None:
            copy = self._keep(self._copies, view, page_html(self._build(view, static_copy=True), "\x00POSTER\x00"))
        return copy.replace("\x00POSTER\x00", html_escape(_poster_url(query, self.version)))

    # ---- through Dash's hooks (one page object per process: the newest app's)
    def referer_query(self) -> str:
        ref = request.headers.get("Referer", "") if has_request_context() else ""
        return urlsplit(ref).query if ref else ""

    def layout_variant(self) -> str:
        view = self.view(self.referer_query())
        return "" if view == DEFAULT_VIEW else ":".join(map(str, view))

    def page_layout(self) -> Any:
        """The live page starts from the view of the page's address (the layout request carries
        it as its Referer, same origin), so that a link shows its own layer at once."""
        return self.layout(self.view(self.referer_query()))

    def index(self, html: str) -> str:
        query = _query_text(request.query_string) if has_request_context() else ""
        view = self.view(query)
        layer, year = view[0], view[1]
        html = seo.apply(html, seo.page_meta(query, layer, year, self.data, self.stories))
        return (html.replace("<!--atlas-preloads-->", _preloads(query, layer, year, self.version)
                             + _file_preloads(self.files.meta_url, self.files.layer_url(layer)))
                .replace("<!--atlas-prerender-->", self.prerender(query, view)))


DEFAULT_VIEW: View = (DEFAULT_LAYER, DEFAULT_YEAR, False, "map", None, 0)


_PAGE: dict[str, PageViews] = {}


@hooks.index()
def _index_hook(html: str) -> str:
    page = _PAGE.get("page")
    return page.index(html) if page and "<!--atlas-preloads-->" in html else html


@hooks.layout()
def _layout_hook(layout: Any) -> Any:
    page = _PAGE.get("page")
    return page.page_layout() if page and has_request_context() else layout


def _preloads(query: str, layer: str, year: int, version: str) -> str:
    """The picture of the map for this address, fetched at once (/map-poster.svg: the first map
    on screen), and where plotly.js is: assets/atlas/map.js loads it on the user's first move
    (pointer, touch, key or focus), so the first view runs no plotly.js at all."""
    plotly = ASSETS_DIR / PLOTLY_ASSET
    mtime = int(plotly.stat().st_mtime) if plotly.exists() else 0
    poster = _poster_url(query, version)
    return (f'<meta id="plotly-src" name="atlas-plotly" content="/assets/{PLOTLY_ASSET}?m={mtime}">\n'
            f'        <link rel="preload" as="image" id="poster-src" fetchpriority="high" href="{html_escape(poster)}" '
            f'data-layer="{html_escape(layer)}" data-year="{year}">')


def _file_preloads(meta_url: str, layer_url: str) -> str:
    """The page's facts and the address's layer (dashboard/views/page_data.py), fetched by
    assets/atlas/app.js once Dash has drawn the page: asked for at once, in parallel with Dash's
    scripts, but at a low priority (on a slow line they must not delay the map's picture, the
    page's largest paint)."""
    return "".join(f'\n        <link rel="preload" as="fetch" crossorigin="anonymous" fetchpriority="low" '
                   f'href="{html_escape(u)}">' for u in (meta_url, layer_url))


# The paths the app answers; anything else is a 404 (Dash itself would answer every path with
# the page).
_PREFIXES = ("/_dash-", "/assets/", "/api/", "/download/", "/atlas/", "/panel/", "/_favicon", "/_reload-hash",
             "/_alive")
_PATHS = {"/", "/healthz", "/map-poster.svg", "/robots.txt"}

NOT_FOUND_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not found — Atlas of the former Soviet space</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem; line-height: 1.5">
<h1>Page not found</h1><p>There is no page at this address.</p>
<p><a href="/">Go to the atlas</a> · <a href="/api/v1">the data API</a></p></body></html>
"""


def create_app() -> Dash:
    # plotly's orjson path first walks the whole figure in Python; the plain json engine answers
    # the layer callback 2–3× faster (BENCHMARKS.md, Load)
    import plotly.io

    plotly.io.json.config.default_engine = "json"
    data = get_data()
    data_version = data_version_of()
    compat.lighter_page()
    app = Dash(
        __name__,
        title="Atlas of the former Soviet space",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        # plotly.js is not a blocking script of the page (see _preloads); *.lazy.js files are
        # loaded by the page's own modules on first use (the flows view: assets/atlas/flows.js)
        assets_ignore=r"^(plotly-geo\.min|.+\.lazy)\.js$",  # (Dash matches the file's name)
        compress=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description",
                    "content": "Interactive atlas of the 15 post-Soviet states since 1991."}],
    )
    app.index_string = INDEX_HTML
    stories = load_story_dicts()
    views = PageViews(data, stories)
    _PAGE["page"] = views
    # built now: a broken layout stops the start, and gunicorn's preloaded master shares it
    app.layout = views.layout(DEFAULT_VIEW)
    # the data tab's controls and the sources tab are rendered on first use, so some callback ids
    # are not in the initial layout
    app.config.suppress_callback_exceptions = True
    register(app, data)
    register_data_tab(app, data)
    app.server.register_blueprint(create_api_blueprint(data))
    app.server.register_blueprint(download_blueprint(data))
    app.server.register_blueprint(views.files.blueprint())
    install_static_cache(app.server, variant=views.layout_variant)
    seo.install(app.server)  # /robots.txt
    install_security(app.server, app=app)

    @app.server.before_request
    def only_known_paths():  # type: ignore[no-untyped-def]
        path = request.path
        if path in _PATHS or path.startswith(_PREFIXES):
            return None
        return Response(NOT_FOUND_HTML, status=404, mimetype="text/html")

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
