"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py app:server`` (see Procfile).

Environment: ``HOST`` (default 0.0.0.0), ``PORT`` (8050), ``WEB_CONCURRENCY`` worker processes
(2), ``GUNICORN_THREADS`` threads per worker (2), ``GUNICORN_TIMEOUT`` seconds (30),
``GUNICORN_MAX_REQUESTS`` (0: workers are never recycled), ``LOG_LEVEL`` (info),
``FORWARDED_ALLOW_IPS`` (proxies trusted for X-Forwarded-*, default 127.0.0.1). The data are
loaded once in the master (``preload_app``) and shared by the forked workers. Dash's debug mode
is never on here, whatever ``DASH_DEBUG``/``FLASK_DEBUG`` say; no ``Server`` header is sent; the
headers and the body of an answer go out in one write (an instance that dies leaves nginx no cut
answer: it retries the request elsewhere, see docs/deploy.md).
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.http import wsgi as _gunicorn_wsgi


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise SystemExit(f"gunicorn.conf.py: {name}={raw!r} is not an integer") from exc


# Debug mode off before the app is imported (preload): Flask reads FLASK_DEBUG when Dash creates
# the server; app.py only honours DASH_DEBUG under ``python app.py``.
os.environ.pop("FLASK_DEBUG", None)
os.environ["DASH_DEBUG"] = "0"

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{_env_int('PORT', 8050)}"
workers = _env_int("WEB_CONCURRENCY", 2)
# Threads let quick requests (static files, API) pass a slow callback, and hold keep-alive
# connections; the app is thread-safe (read-only data, locked caches). Two rather than more: the
# work is CPU-bound under the GIL, and each concurrent callback or layout request costs its worker
# tens of MB while it serialises and compresses (4 threads: peaks of 230-260 MB per worker under
# the mixed load benchmark; 2 threads: ≤ 190 MB, same throughput).
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 2)
preload_app = True
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Worker recycling is off: the data are read-only and memory stays flat under load (see
# BENCHMARKS.md); a fixed count would recycle every few seconds at static-file rates. Set
# GUNICORN_MAX_REQUESTS to turn it on (cheap with preload: workers fork from the master).
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

# Request limits: URLs of the API stay far below 4 KB; bodies are limited by the app (1 MiB).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "atlas"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn ≥ 25 opens a control socket in $HOME by default; several instances on one host would
# share it, and nothing here uses it.
control_socket_disable = True


def _drop_server_header() -> None:
    """gunicorn writes ``Server: gunicorn`` itself, outside the app; leave it out (idempotent,
    this file is read again on HUP)."""
    response = _gunicorn_wsgi.Response
    if getattr(response.default_headers, "_atlas", False):
        return
    original = response.default_headers

    def default_headers(self: Any) -> list[str]:
        return [h for h in original(self) if not h.lower().startswith("server:")]

    default_headers._atlas = True  # type: ignore[attr-defined]
    response.default_headers = default_headers  # type: ignore[method-assign]


_drop_server_header()


class _HeadersWithBody:
    """Stands for a client socket during a response's first ``write``: the status line and headers
    wait for the first bytes of the body and go out with them in one ``sendall``."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._pending: bytes | None = None

    def sendall(self, data: bytes) -> None:
        if self._pending is None:  # gunicorn's first call: the status line and headers
            self._pending = bytes(data)
            return
        data, self._pending = self._pending + bytes(data), b""
        self._sock.sendall(data)

    def flush(self) -> None:
        """Headers of a response without body (HEAD, 304) still go out."""
        if self._pending:
            data, self._pending = self._pending, b""
            self._sock.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _send_headers_with_body() -> None:
    """gunicorn writes the headers and then the body with two ``sendall`` calls. Between them the
    thread gives up the GIL and, while another thread of the worker computes, waits up to the
    interpreter's switch interval (5 ms) to get it back. A proxy that has received the headers
    has already passed them to its client, so if the instance dies in that gap (a crashed host, a
    killed worker) the answer is cut and the proxy can no longer retry it on another instance
    (measured: 1 cut answer in 2 runs of tests/web/test_scaleout.py without this). Sent together,
    an answer is either whole or absent from the proxy's point of view, and nginx retries it
    (idempotent, and listed for callbacks: deploy/nginx.conf.template). Idempotent."""
    response = _gunicorn_wsgi.Response
    if getattr(response.write, "_atlas", False):
        return
    original = response.write

    def write(self: Any, arg: bytes) -> None:
        if self.headers_sent:
            return original(self, arg)
        sock = self.sock
        self.sock = joined = _HeadersWithBody(sock)
        try:
            return original(self, arg)
        finally:
            self.sock = sock
            joined.flush()

    write._atlas = True  # type: ignore[attr-defined]
    response.write = write  # type: ignore[method-assign]


_send_headers_with_body()


def post_worker_init(worker: Any) -> None:
    """Belt and braces: the Flask app in each worker runs without debug (no tracebacks)."""
    app = getattr(worker, "wsgi", None)
    if getattr(app, "debug", False):
        app.debug = False


# Requests made in the master before the workers fork: they finish Dash's per-process setup and
# fill the app's caches of static answers once, for every worker.
WARM_UP_PATHS = ("/healthz", "/_dash-layout", "/_dash-dependencies")


def when_ready(server: Any) -> None:
    """Finish Dash's setup in the preloaded master, so that every worker starts set up.

    Dash completes its setup (among others the registry of the script files it may serve) on the
    first request a process receives, and marks it done before doing it. In a fresh worker the
    page's parallel script requests then race it, and those that lose answer 500 ('"dash" is not
    a registered library'): measured, 4 to 9 of the first 27 requests to a fresh server. A request
    here, in the master, does the setup once; the forked workers inherit it."""
    if not server.cfg.preload_app:
        return
    client = server.app.wsgi().test_client()
    for path in WARM_UP_PATHS:
        status = client.get(path).status_code
        if status != 200:
            server.log.warning("warm-up request %s answered %s", path, status)
    # every map layer's file (dashboard/views/page_data.py), built and compressed once here for
    # all workers: a layer change never waits for the server to build one (≈ 1 s in all)
    resp = client.get("/atlas/meta.json")
    if resp.status_code != 200:
        server.log.warning("warm-up request /atlas/meta.json answered %s", resp.status_code)
        return
    tmpl = resp.get_json()["layer_url"]
    for layer in resp.get_json()["layers"]:
        for encoding in ("br", "gzip"):
            client.get(tmpl.replace("{id}", layer), headers={"Accept-Encoding": encoding})
