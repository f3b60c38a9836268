"""Compress static responses once, not on every request.

Dash's own compression (flask-compress) compresses every response anew: ~150 ms of brotli for
plotly's bundle on each page load. The files under /assets and /_dash-component-suites, and the
(static) layout and dependency lists, never change while the process runs, so their compressed
bytes are kept in memory, keyed by algorithm and full path. Fingerprinted URLs also get long-lived
cache headers.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable

import brotli
from flask import Flask, Response, request

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
STATIC_PATHS = ("/_dash-layout", "/_dash-dependencies")
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json",
                "image/svg+xml")
MIN_SIZE = 500
ONE_YEAR = 31_536_000


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
        if request.method != "GET" or not (is_static or path in STATIC_PATHS):
            return resp
        if (is_static and request.args.get("m")) or "/_dash-component-suites/" in path:
            resp.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
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
