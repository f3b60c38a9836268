"""HTTP hardening: security headers on every response, a request size limit, generic error pages
without tracebacks, no server banners, and a shape check for Dash's callback endpoint.

Content-Security-Policy. Dash serves its page with two inline ``<script>`` elements: the config
(``type="application/json"``, data, never executed, so outside the policy) and the one line that
starts the renderer. Scripts are therefore limited to our own origin plus the SHA-256 hashes of the
inline scripts Dash reports (``Dash.csp_hashes()``: the renderer line and any inline clientside
callback). The hashes are computed once, from the app, never from the page being sent: hashing
what is sent would also bless a script injected into it. plotly.js (geo bundle) and the Dash
renderer run without ``'unsafe-eval'``; plotly writes ``<style>`` elements and ``style``
attributes, hence ``style-src 'self' 'unsafe-inline'`` (styles cannot run code). Images may be
``data:``/``blob:`` URLs (plotly's image export and patterns). ``frame-ancestors`` comes from the
environment variable ``FRAME_ANCESTORS`` (default ``'self'``), and ``X-Frame-Options`` says the
same where it can (``'self'`` → SAMEORIGIN, ``'none'`` → DENY; absent for lists of origins, which
only ``frame-ancestors`` can express). The embeddable page (the atlas's page with ``embed=1`` in its
address: the view without the page's chrome) is the one exception: its ``frame-ancestors`` comes
from ``EMBED_FRAME_ANCESTORS`` (default ``*``, any site), so a course page can frame a view while
every other page keeps refusing frames.

The callback endpoint (``/_dash-update-component``). Dash answers 500 to a body that is not a JSON
object naming a registered server callback with matching outputs, inputs and state lists. The
guard checks that shape before Dash sees the body and answers 400 JSON otherwise. What the values
are is the callbacks' business (``dashboard/views/callbacks.py`` falls back on bad values).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request
from werkzeug.exceptions import InternalServerError, RequestEntityTooLarge

if TYPE_CHECKING:
    from dash import Dash

MAX_CONTENT_LENGTH = 2**20  # 1 MiB: the largest real callback body (the panel's, with a layer's frames) is ~200 kB
DEFAULT_FRAME_ANCESTORS = "'self'"
DEFAULT_EMBED_FRAME_ANCESTORS = "*"
EMBED_PATHS = ("/",)
_TRUE = ("1", "true", "yes")
CALLBACK_ENDPOINT = "_dash-update-component"
JSON_TYPE = "application/json"
API_PREFIX = "/api/"
# Dash's renderer bootstrap line, used when no Dash app is given to install().
DASH_RENDERER_SCRIPT = "var renderer = new DashRenderer();"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
_SOURCE_RE = re.compile(r"'self'|'none'|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*://)?[a-z0-9*.:\[\]-]+(?:/\S*)?",
                        re.IGNORECASE)
_PYTHON_VERSION_RE = re.compile(rb'"python_version":\s*"(?:[^"\\]|\\.)*"')

SERVER_ERROR_HTML = (
    "<!doctype html>\n<html lang=en>\n<title>Server error</title>\n"
    "<h1>Something went wrong</h1>\n<p>The server could not answer this request. Please try again later.</p>\n"
)


class CallbackBodyError(ValueError):
    """A callback request whose body Dash could not dispatch."""


# --------------------------------------------------------------------------- policy

def frame_ancestors_from_env(value: str | None = None, *, name: str = "FRAME_ANCESTORS",
                             default: str = DEFAULT_FRAME_ANCESTORS) -> str:
    """The ``frame-ancestors`` sources: ``value``, else ``$FRAME_ANCESTORS`` (``name``), else
    ``default``. Each whitespace-separated item must be a CSP source expression (no ';' or ',':
    the value goes into a header)."""
    raw = value if value is not None else os.environ.get(name, "")
    items = raw.split()
    if not items:
        return default
    for item in items:
        if not _SOURCE_RE.fullmatch(item):
            raise ValueError(f"{name}: {item!r} is not a CSP source expression "
                             "(use 'self', 'none', https://host.example or similar, space-separated)")
    if "'none'" in items and len(items) > 1:
        raise ValueError(f"{name}: 'none' cannot be combined with other sources")
    return " ".join(items)


def embed_frame_ancestors_from_env(value: str | None = None) -> str:
    """Who may frame the embeddable page (``?embed=1``): ``value``, else ``$EMBED_FRAME_ANCESTORS``,
    else ``*`` (any site)."""
    return frame_ancestors_from_env(value, name="EMBED_FRAME_ANCESTORS", default=DEFAULT_EMBED_FRAME_ANCESTORS)


def is_embed_request(path: str, embed_arg: str | None) -> bool:
    """The embeddable page: the atlas's page whose address says ``embed=1``."""
    return path in EMBED_PATHS and (embed_arg or "").strip().lower() in _TRUE


def frame_options(frame_ancestors: str) -> str | None:
    """The X-Frame-Options value equivalent to ``frame-ancestors``, or None if it has none."""
    return {"'self'": "SAMEORIGIN", "'none'": "DENY"}.get(frame_ancestors)


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script_hashes: Iterable[str], frame_ancestors: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *dict.fromkeys(script_hashes)]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(script_hashes: Iterable[str], frame_ancestors: str) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": content_security_policy(script_hashes, frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    xfo = frame_options(frame_ancestors)
    if xfo:
        headers["X-Frame-Options"] = xfo
    return headers


# --------------------------------------------------------------------------- callback bodies

def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)[:limit + 1]
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _outputs_of(key: str) -> list[tuple[str, str]]:
    """(component id, property) of each output named in a callback_map key: 'id.prop' or
    '..id.prop...id.prop..'; a property may carry Dash's '@hash' suffix (allow_duplicate)."""
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        cid, _, prop = part.rpartition(".")
        out.append((cid, prop.split("@", 1)[0]))
    return out


def _is_prop_ref(item: Any) -> bool:
    return (isinstance(item, dict) and isinstance(item.get("id"), str | dict)
            and isinstance(item.get("property"), str))


def _check_refs(name: str, given: Any, expected: Sequence[Mapping[str, Any]]) -> None:
    """``given`` must be a list of {id, property[, value]} matching ``expected`` item by item
    (a pattern-matching item may be a list of such objects)."""
    if not isinstance(given, list):
        raise CallbackBodyError(f"'{name}' must be a list")
    if len(given) != len(expected):
        raise CallbackBodyError(f"'{name}' has {len(given)} items; this callback takes {len(expected)}")
    for i, (item, spec) in enumerate(zip(given, expected, strict=True)):
        refs = item if isinstance(item, list) else [item]
        if not all(_is_prop_ref(r) for r in refs):
            raise CallbackBodyError(f"'{name}[{i}]' must be an object with a string 'id' and 'property'")
        if isinstance(spec.get("id"), str) and (
                isinstance(item, list) or (item["id"], item["property"]) != (spec["id"], spec["property"])):
            raise CallbackBodyError(f"'{name}[{i}]' must be {spec['id']}.{spec['property']}")


def check_callback_body(body: Any, callback_map: Mapping[str, Mapping[str, Any]] | None) -> None:
    """Raise CallbackBodyError unless ``body`` is a request Dash can dispatch: a JSON object whose
    'output' names a server-side callback, with the outputs, inputs and state that callback has.
    Without a callback map, only the generic shape is checked."""
    if not isinstance(body, dict):
        raise CallbackBodyError("the body must be a JSON object")
    output = body.get("output")
    if not isinstance(output, str):
        raise CallbackBodyError("'output' must be a string")
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        raise CallbackBodyError("'changedPropIds' must be a list of strings")
    if callback_map is None:
        for name in ("inputs", "state"):
            refs = body.get(name, [])
            if not (isinstance(refs, list) and all(
                    _is_prop_ref(r) or (isinstance(r, list) and all(_is_prop_ref(x) for x in r)) for r in refs)):
                raise CallbackBodyError(f"'{name}' must be a list of objects with 'id' and 'property'")
        return
    spec = callback_map.get(output)
    if spec is None or not callable(spec.get("callback")):
        raise CallbackBodyError(f"no server-side callback has the output {_short(output)}")
    expected_outputs = _outputs_of(output)
    outputs = body.get("outputs")
    given = outputs if isinstance(outputs, list) else [outputs]
    if output.startswith("..") != isinstance(outputs, list) or not all(_is_prop_ref(o) for o in given):
        raise CallbackBodyError("'outputs' must describe the callback's outputs as {id, property} objects")
    if len(given) != len(expected_outputs):
        raise CallbackBodyError(f"'outputs' has {len(given)} items; this callback has {len(expected_outputs)}")
    for i, (o, (cid, prop)) in enumerate(zip(given, expected_outputs, strict=True)):
        if not cid.startswith("{") and (o["id"], o["property"].split("@", 1)[0]) != (cid, prop):
            raise CallbackBodyError(f"'outputs[{i}]' must be {cid}.{prop}")
    _check_refs("inputs", body.get("inputs"), spec.get("inputs", []))
    _check_refs("state", body.get("state", []), spec.get("state", []))


# --------------------------------------------------------------------------- responses

def _json_error(status: int, error: str, detail: str) -> Response:
    body = json.dumps({"error": error, "detail": detail}, ensure_ascii=False)
    resp = Response(body, status=status, content_type=JSON_TYPE)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _wants_json(path: str) -> bool:
    return path.startswith((API_PREFIX, "/_dash-")) or path == API_PREFIX.rstrip("/")


def _hide_dev_server_banner() -> None:
    """Werkzeug's development server (``python app.py``) sends ``Server: Werkzeug/x Python/y``
    from the request handler, outside the app; drop that header there (once per process)."""
    from werkzeug.serving import WSGIRequestHandler

    if getattr(WSGIRequestHandler, "_atlas_no_banner", False):
        return
    original = WSGIRequestHandler.send_header

    def send_header(self: WSGIRequestHandler, keyword: str, value: str) -> None:
        if keyword.lower() != "server":
            original(self, keyword, value)

    WSGIRequestHandler.send_header = send_header  # type: ignore[method-assign]
    WSGIRequestHandler._atlas_no_banner = True  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- installation

def install(server: Flask, *, frame_ancestors: str | None = None, app: Dash | None = None,
            embed_frame_ancestors: str | None = None) -> dict[str, str]:
    """Install the hooks on ``server``; returns the headers added to every response.

    ``app``: the Dash app, for the hashes of its inline scripts and its callback map (without it
    only Dash's standard renderer line is allowed and callback bodies are checked for shape only).
    ``frame_ancestors``: overrides ``$FRAME_ANCESTORS``; ``embed_frame_ancestors`` overrides
    ``$EMBED_FRAME_ANCESTORS`` (the embeddable page's).
    """
    ancestors = frame_ancestors_from_env(frame_ancestors)
    hashes = list(app.csp_hashes()) if app is not None else [script_hash(DASH_RENDERER_SCRIPT)]
    headers = security_headers(hashes, ancestors)
    embed_headers = security_headers(hashes, embed_frame_ancestors_from_env(embed_frame_ancestors))
    callback_map = app.callback_map if app is not None else None
    prefix = app.config.routes_pathname_prefix if app is not None else "/"
    callback_path = f"{prefix}{CALLBACK_ENDPOINT}"
    if not server.config.get("MAX_CONTENT_LENGTH"):
        server.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    limit = int(server.config["MAX_CONTENT_LENGTH"])
    _hide_dev_server_banner()

    @server.before_request
    def _limit_and_check() -> Response | None:
        # Refuse oversized bodies up front, whether or not the route reads its body.
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()
        if request.path != callback_path or request.method != "POST":
            return None
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            body = None  # absurdly deep nesting
        try:
            if body is None:
                raise CallbackBodyError("the body must be JSON (Content-Type: application/json)")
            check_callback_body(body, callback_map)
        except CallbackBodyError as exc:
            return _json_error(400, "bad_callback_request", str(exc))
        return None

    @server.after_request
    def _headers(resp: Response) -> Response:
        chosen = headers
        if is_embed_request(request.path, request.args.get("embed")):
            chosen = embed_headers
            if "X-Frame-Options" not in chosen:
                resp.headers.pop("X-Frame-Options", None)
        for name, value in chosen.items():
            resp.headers.setdefault(name, value)
        resp.headers.pop("Server", None)
        resp.headers.pop("X-Powered-By", None)
        if (resp.mimetype == "text/html" and resp.status_code == 200 and not resp.direct_passthrough
                and "Content-Encoding" not in resp.headers):
            # The page's Dash config carries the exact Python build; blank it (the Dash version is
            # public anyway, in every script URL).
            body = resp.get_data()
            blanked = _PYTHON_VERSION_RE.sub(b'"python_version":""', body, count=1)
            if blanked != body:
                resp.set_data(blanked)
        return resp

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(_exc: RequestEntityTooLarge) -> Response:
        return _json_error(413, "payload_too_large", f"the request body is larger than {limit:,} bytes")

    @server.errorhandler(InternalServerError)
    def _server_error(_exc: InternalServerError) -> Response:
        # Flask has already logged the original exception with its traceback.
        if _wants_json(request.path):
            return _json_error(500, "internal_error", "the server failed to answer this request")
        resp = Response(SERVER_ERROR_HTML, status=500, content_type="text/html; charset=utf-8")
        resp.headers["Cache-Control"] = "no-store"
        return resp

    return headers
