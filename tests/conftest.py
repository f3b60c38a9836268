"""Shared fixtures: a live app server and a real headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def _serve(cmd: list[str], extra_env: dict[str, str]) -> Iterator[str]:
    """Run a server command on a free loopback port until the session ends; yield its base URL."""
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), **extra_env}
    env.pop("DASH_DEBUG", None)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/healthz", timeout=60)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The app as deployed (gunicorn with gunicorn.conf.py: 2 workers × 4 threads): a stuck
    request cannot block the other tests' requests."""
    yield from _serve([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
                      {"WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4", "LOG_LEVEL": "warning"})


@pytest.fixture(scope="session")
def dev_server() -> Iterator[str]:
    """The README's run command, ``python app.py``."""
    yield from _serve([sys.executable, "app.py"], {})


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test.sh, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageProbe:
    """A page plus what it logged and requested, for assertions."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", self._on_request)

    def _on_request(self, req: Any) -> None:
        self.requests.append(req.url)
        if not (req.url.startswith(self.base) or req.url.startswith("data:") or req.url.startswith("blob:")):
            self.external.append(req.url)

    def goto(self, query: str = "") -> None:
        self.page.goto(self.base + "/" + query)
        self.wait_map()

    def wait_map(self) -> None:
        """The live page has booted and, after the user's first move (which loads plotly.js: until
        then the map is the server's picture), the interactive map is drawn."""
        self.page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()",
                                    timeout=45_000)
        self.page.mouse.move(5, 5)
        self.page.mouse.move(8, 8)
        self.page.wait_for_selector("#map .choroplethlayer path", state="attached", timeout=45_000)
        self.page.wait_for_load_state("networkidle", timeout=45_000)
        self.page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')",
                                    timeout=20_000)

    def eval(self, js: str, arg: Any = None) -> Any:
        return self.page.evaluate(js, arg)

    def map_z(self, iso3: str) -> Any:
        return self.eval("""(iso) => { const gd = document.querySelector('#map .js-plotly-plot');
            const t = gd.data[1]; return t.z[t.locations.indexOf(iso)]; }""", iso3)

    def slider_value(self) -> int:
        return int(self.page.get_attribute("#year-slider [role=slider]", "aria-valuenow"))

    def dash_updates(self) -> int:
        return sum("/_dash-update-component" in u for u in self.requests)

    def click_country(self, iso3: str) -> None:
        """Click inside a state's shape on the map (a point inside the drawn polygon)."""
        xy = self.eval("""(iso) => {
            const paths = [...document.querySelectorAll('#map .choroplethlayer path.choroplethlocation')]
                .filter(p => p.__data__ && p.__data__.loc === iso);
            for (const p of paths) {
                const r = p.getBoundingClientRect();
                for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7]) for (const fy of [0.5, 0.4, 0.6, 0.3, 0.7]) {
                    const x = r.left + r.width * fx, y = r.top + r.height * fy;
                    const m = p.getScreenCTM().inverse();
                    const pt = new DOMPoint(x, y).matrixTransform(m);
                    if (p.isPointInFill(pt)) return [x, y];
                }
            }
            return null; }""", iso3)
        assert xy, f"no clickable point found for {iso3}"
        self.page.mouse.click(xy[0], xy[1])


@pytest.fixture()
def probe(browser: Any, live_server: str) -> Iterator[PageProbe]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    page = ctx.new_page()
    p = PageProbe(page, live_server)
    yield p
    ctx.close()


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisProcess:
    """A real redis-server (Debian's) on a free loopback port, without persistence."""

    def __init__(self) -> None:
        import redis

        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 15
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.client.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
