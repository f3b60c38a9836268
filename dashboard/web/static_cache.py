"""Compress static responses once, not on every request.

Dash's own compression (flask-compress) compresses every response anew: ~150 ms of brotli for
plotly's bundle on each page load. The files under /assets and /_dash-component-suites, and the
(static) layout and dependency lists, never change while the process runs, so their compressed
bytes are kept in memory, keyed by algorithm and full path.

Caching in the browser (``cache_control``): a URL whose name changes with its content (Dash's
``name.v<version>m<hash>.js``, /assets files with ``?m=<mtime>``, Dash's ``/_favicon.ico?v=<dash
version>``, and the map's picture ``/map-poster.svg?…&v=<version of data and code>`` once the page
names it so) is kept for a year without asking again (``immutable``). Dash's other package files,
the async chunks its components load by a fixed name (``dcc/async-graph.js``: the bundle's
fingerprinting of chunk names does not work under webpack 5), change with an upgrade of Dash
under the same URL, so the browser checks them each time (``no-cache``, against Dash's ETag).
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Mapping

import brotli
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, request

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
STATIC_PATHS = ("/_dash-layout", "/_dash-dependencies")
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json",
                "image/svg+xml")
MIN_SIZE = 500
ONE_YEAR = 31_536_000
LONG_LIVED = f"public, max-age={ONE_YEAR}, immutable"
REVALIDATE = "no-cache"


def cache_control(path: str, args: Mapping[str, str]) -> str | None:
    """The Cache-Control a static file's URL deserves (None: leave the response's own)."""
    if path.startswith("/_dash-component-suites/"):
        return LONG_LIVED if check_fingerprint(path)[1] else REVALIDATE
    if path.startswith("/assets/"):
        return LONG_LIVED if args.get("m") else None
    if path == "/_favicon.ico" and args.get("v"):
        return LONG_LIVED
    if path == "/map-poster.svg" and args.get("v"):  # a version of the data and code in the URL
        return LONG_LIVED
    return None


class CompressedCache:
    def __init__(self) -> None:
        self._store: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def get(self, algorithm: str, key: str, raw: bytes) -> bytes:
        k = (algorithm, key)
        with self._lock:
            hit = self._store.get(k)
        if hit is not None:
            return hit
        if algorithm == "br":
            data = brotli.compress(raw, quality=9)
        else:
            data = gzip.compress(raw, compresslevel=9, mtime=0)
        with self._lock:
            self._store[k] = data
        return data

    def __len__(self) -> int:
        return len(self._store)


def _choose(accept: str) -> str | None:
    accepted = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


MAX_VARIANTS = 144  # whole layout responses kept for non-default views (48 views × 3 encodings)


def install(server: Flask, variant: Callable[[], str] | None = None) -> CompressedCache:
    """Register the hook. It must be installed after Dash's flask-compress hook, so that it runs
    first (Flask runs after-request hooks in reverse order) and flask-compress then leaves the
    already-encoded response alone.

    ``variant`` names the version of /_dash-layout this request gets ("" for the default one):
    the layout may start from the view of the page's address (dashboard/web/app.py). The default
    layout is kept for good; at most MAX_VARIANTS other whole responses are kept, oldest out first."""
    cache = CompressedCache()
    # whole responses of the static Dash endpoints: Dash would re-serialise the ~0.5 MB layout on
    # every page load (~0.2 s); it never changes while the process runs
    whole: dict[str, tuple[bytes, str]] = {}
    variants: dict[str, None] = {}
    lock = threading.Lock()

    def _variant() -> str:
        return variant() if variant is not None and request.path == "/_dash-layout" else ""

    def _keep(key: str, value: tuple[bytes, str], is_variant: bool) -> None:
        with lock:
            whole[key] = value
            if is_variant:
                variants[key] = None
                while len(variants) > MAX_VARIANTS:
                    old = next(iter(variants))
                    variants.pop(old)
                    whole.pop(old, None)

    @server.before_request
    def _serve_cached_layout() -> Response | None:
        if request.method != "GET" or request.path not in STATIC_PATHS:
            return None
        algorithm = _choose(request.headers.get("Accept-Encoding", "")) or "identity"
        hit = whole.get(f"{algorithm};{request.full_path}#{_variant()}")
        if hit is None:
            return None
        body, mimetype = hit
        resp = Response(body, mimetype=mimetype)
        if algorithm != "identity":
            resp.headers["Content-Encoding"] = algorithm
        resp.headers["Vary"] = "Accept-Encoding, Referer" if variant is not None else "Accept-Encoding"
        return resp

    @server.after_request
    def _compress_static(resp: Response) -> Response:
        path = request.path
        is_static = path.startswith(STATIC_PREFIXES)
        if request.method not in ("GET", "HEAD"):
            return resp
        if resp.status_code in (200, 304):
            policy = cache_control(path, request.args)
            if policy is not None:
                resp.headers["Cache-Control"] = policy
        if request.method != "GET" or not (is_static or path in STATIC_PATHS):
            return resp
        if (resp.status_code != 200 or "Content-Encoding" in resp.headers
                or not resp.mimetype.startswith(COMPRESSIBLE)):
            return resp
        algorithm = _choose(request.headers.get("Accept-Encoding", ""))
        var = _variant()
        if variant is not None and path == "/_dash-layout":
            resp.headers["Vary"] = "Accept-Encoding, Referer"
        if algorithm is None:
            if path in STATIC_PATHS:
                _keep(f"identity;{request.full_path}#{var}", (resp.get_data(), resp.mimetype), bool(var))
            return resp
        resp.direct_passthrough = False
        raw = resp.get_data()
        if len(raw) < MIN_SIZE:
            return resp
        if var:  # compressed once here and kept (bounded) as a whole response only
            resp.set_data(brotli.compress(raw, quality=9) if algorithm == "br"
                          else gzip.compress(raw, compresslevel=9, mtime=0))
        else:
            resp.set_data(cache.get(algorithm, request.full_path, raw))
        if path in STATIC_PATHS:
            _keep(f"{algorithm};{request.full_path}#{var}", (resp.get_data(), resp.mimetype), bool(var))
        resp.headers["Content-Encoding"] = algorithm
        resp.headers["Content-Length"] = str(len(resp.get_data()))
        vary = resp.headers.get("Vary", "")
        if "accept-encoding" not in vary.lower():
            vary = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
        if variant is not None and path == "/_dash-layout" and "referer" not in vary.lower():
            vary += ", Referer"
        resp.headers["Vary"] = vary
        return resp

    return cache
