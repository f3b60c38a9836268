"""Production serving: gunicorn with gunicorn.conf.py (as the Procfile runs it) on a free loopback
port, with debug asked for in the environment (it must stay off)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, free_port, wait_http


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2",
           "DASH_DEBUG": "1", "FLASK_DEBUG": "1"}
    env.pop("REDIS_URL", None)
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=90)
        yield "127.0.0.1", port, log
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def _get(server: tuple[str, int, Path], path: str, method: str = "GET",
         body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    host, port, _ = server
    conn = http.client.HTTPConnection(host, port, timeout=20)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_procfile_uses_the_config() -> None:
    assert (ROOT / "Procfile").read_text().strip() == "web: gunicorn -c gunicorn.conf.py app:server"


def test_no_server_banner_and_security_headers(gunicorn_server: tuple[str, int, Path]) -> None:
    for path in ("/healthz", "/", "/api/v1/indicators", "/assets/atlas.css"):
        status, headers, _ = _get(gunicorn_server, path)
        assert status == 200, path
        assert "server" not in headers, (path, headers.get("server"))
        assert "content-security-policy" in headers
        assert headers["x-content-type-options"] == "nosniff"


def test_debug_stays_off(gunicorn_server: tuple[str, int, Path]) -> None:
    status, _, body = _get(gunicorn_server, "/")
    assert status == 200
    config = json.loads(re.search(rb'<script id="_dash-config" type="application/json">(.*?)</script>', body).group(1))
    assert config["ui"] is False and config["props_check"] is False
    status, headers, body = _get(gunicorn_server, "/_dash-update-component", "POST", b"[1]")
    assert status == 400 and headers["content-type"] == "application/json"
    assert b"Traceback" not in body


def test_two_preloaded_workers_and_an_access_log(gunicorn_server: tuple[str, int, Path]) -> None:
    _, _, log = gunicorn_server
    deadline = time.monotonic() + 20  # workers log as they come up, on a busy machine later
    while True:
        text = log.read_text(encoding="utf-8", errors="replace")
        booted = len(re.findall(r"Booting worker with pid", text))
        if (booted >= 2 and '"GET /healthz HTTP/1.1" 200' in text) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert booted == 2, text[-2000:]
    assert '"GET /healthz HTTP/1.1" 200' in text


def test_oversized_request_line_is_refused(gunicorn_server: tuple[str, int, Path]) -> None:
    status, headers, _ = _get(gunicorn_server, "/api/v1/observations?indicator=" + "x" * 5000)
    assert status in (400, 414)
    assert "server" not in headers


def test_fresh_workers_serve_the_first_parallel_script_requests(tmp_path: Path) -> None:
    """A browser's first visit asks a just-started server for its scripts in parallel. Dash sets a
    process up on its first request, and the threads of a fresh worker used to race that setup
    (500, '"dash" is not a registered library'); gunicorn.conf.py sets the app up in the master."""
    from app import server as flask_app

    html = flask_app.test_client().get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    assert len(scripts) >= 5
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2",
           "GUNICORN_THREADS": "4", "LOG_LEVEL": "warning"}
    env.pop("REDIS_URL", None)
    with (tmp_path / "gunicorn.log").open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:  # wait for the socket only: no request may reach a worker before the burst
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        time.sleep(1.0)  # the workers are forked once the master is ready

        def status(path: str) -> int:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
                    return r.status
            except urllib.error.HTTPError as exc:
                return exc.code

        with ThreadPoolExecutor(24) as pool:
            statuses = list(pool.map(status, scripts * 3))
        assert statuses == [200] * len(statuses), (tmp_path / "gunicorn.log").read_text()[-3000:]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


_ONE_WRITE_PROBE = r"""
import runpy, types
runpy.run_path("gunicorn.conf.py")
from gunicorn.http.wsgi import Response

class Sock:
    def __init__(self): self.calls = []
    def sendall(self, data): self.calls.append(bytes(data))

def answer(method, status, body):
    req = types.SimpleNamespace(version=(1, 1), method=method, should_close=lambda: False)
    sock = Sock()
    resp = Response(req, sock, types.SimpleNamespace(is_ssl=False))
    resp.should_close = lambda: False
    write = resp.start_response(status, [("Content-Length", str(len(body)))])
    write(body)
    write(b"")
    resp.close()
    return sock.calls

get = answer("GET", "200 OK", b"x" * 70000)
head = answer("HEAD", "200 OK", b"x" * 10)
print(len(get), get[0].startswith(b"HTTP/1.1 200 OK\r\n"), get[0].endswith(b"\r\n\r\n" + b"x" * 70000))
print(len(head), head[0].startswith(b"HTTP/1.1 200 OK\r\n"), head[0].endswith(b"\r\n\r\n"))
"""


def test_headers_and_body_go_out_in_one_write() -> None:
    """gunicorn.conf.py makes gunicorn send the status line, the headers and the body of an answer
    with one sendall, so that a proxy never holds the headers of an answer whose body is lost when
    an instance dies (tests/web/test_scaleout.py); a HEAD answer still gets its headers."""
    out = subprocess.run([sys.executable, "-c", _ONE_WRITE_PROBE], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, env={k: v for k, v in os.environ.items() if k != "DASH_DEBUG"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:2] == ["1 True True", "1 True True"], out.stdout
