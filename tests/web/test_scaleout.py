"""Scale-out proof (docs/deploy.md, "Several instances"): two instances of the app (gunicorn with
gunicorn.conf.py) behind a real nginx (Debian's) configured from deploy/nginx.conf.template,
sharing a real Redis. A mixed load (benchmarks/load_mixed.py's requests, plus the country panel,
which goes through the shared cache) runs through nginx for SCALEOUT_SECONDS (default 60); at a
third of it one instance is killed (SIGKILL to its master and workers). Every user request must
succeed: nginx retries on the other instance, GETs by default and the callbacks' POSTs because the
template allows it for /_dash-update-component.

    PYTHONPATH=$PWD python3 -m pytest -q -p no:cacheprovider tests/web/test_scaleout.py -s

Everything listens on 127.0.0.1 only; the load is bounded in time and in count; every process and
the temporary folder are removed at the end, also on failure. The figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import http.client
import importlib.util
import itertools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import REDIS_SERVER, ROOT, RedisProcess, free_port

pytestmark = pytest.mark.scaleout

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DURATION_S = float(os.environ.get("SCALEOUT_SECONDS", "60"))
KILL_AT = DURATION_S / 3
CLIENTS = 4                    # concurrent users without think time: a moderate load on 2 shared cores
MAX_REQUESTS = 50_000          # bound on the count, whatever the speed
WORKERS_PER_INSTANCE = 1
# Shares of the requests per kind: load_mixed.py's, plus the country panel (shared cache).
SHARES = {"page": 0.22, "static": 0.22, "api_csv": 0.16, "callback": 0.14, "download": 0.12, "panel": 0.14}
PANELS = [("fh_status", "ARM", 2003), ("refugees_hosted", "AZE", 1995), ("cis", "GEO", 2010),
          ("vdem_row", "UKR", 2015), ("idps", "MDA", 2001), ("eu", "EST", 2004)]


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


load_mixed = _module("load_mixed", ROOT / "benchmarks" / "load_mixed.py")
render_nginx = _module("render_nginx", ROOT / "deploy" / "render_nginx.py")


# --------------------------------------------------------------------------- processes

@dataclass
class Instance:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL to the master and its workers (its own process group), as a host crash would."""
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=30)
        with suppress(ProcessLookupError):  # workers left behind, if any
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait(timeout=10)


def start_instance(name: str, port: int, redis_url: str, tmp: Path) -> Instance:
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(WORKERS_PER_INSTANCE),
           "GUNICORN_THREADS": "2", "REDIS_URL": redis_url, "LOG_LEVEL": "info"}
    env.pop("DASH_DEBUG", None)
    log = tmp / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return Instance(name, port, proc, log)


class Nginx:
    def __init__(self, prefix: Path, port: int, upstreams: list[str]) -> None:
        self.prefix = prefix
        self.base = f"http://127.0.0.1:{port}"
        render_nginx.write_standalone(prefix, upstreams, f"127.0.0.1:{port}")
        self.out = prefix / "stdout.log"
        with self.out.open("wb") as out:
            cmd = [NGINX, "-p", str(prefix), "-c", "nginx.conf", "-e", str(prefix / "error.log")]
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finishes requests, flushes logs
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)

    def mark(self, label: str) -> int:
        """Send a marker request and wait for its line in the access log (nginx writes a line just
        after the answer has gone out); return the number of lines up to and including it."""
        with urllib.request.urlopen(f"{self.base}/_dash-dependencies?mark={label}", timeout=30) as r:
            assert r.status == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            lines = self.access_log()
            found = [i for i, line in enumerate(lines) if f"?mark={label} " in line]
            if found:
                return found[-1] + 1
            time.sleep(0.02)
        raise RuntimeError(f"the marker request {label} did not appear in nginx's access log")

    def access_log(self) -> list[str]:
        path = self.prefix / "access.log"
        return path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []


def healthz(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
        assert r.status == 200
        return json.loads(r.read())


def wait_healthz(base: str, proc: subprocess.Popen[bytes], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode} before answering")
        try:
            healthz(base)
            return
        except (OSError, AssertionError, ValueError):
            time.sleep(0.2)
    raise RuntimeError(f"{what}: {base}/healthz did not answer within {timeout:.0f} s")


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else "(no file)"


# --------------------------------------------------------------------------- the requests

def panel_paths() -> list[str]:
    """The country panel's documents (built through the shared cache), as the renderer asks for them."""
    return [f"/panel/{iso3}.json?layer={layer}" for layer, iso3, _year in PANELS]


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    body: bytes | None


def request_mix(base: str) -> list[Request]:
    """One cycle of requests in the SHARES proportions (smooth weighted round robin over the kinds,
    each kind cycling through its own requests). Every request is checked to answer 200 first."""
    kinds = {k.name: [Request(k.name, m, p, b.encode() if b else None) for m, p, b in k.requests]
             for k in load_mixed.build_kinds(base)}
    kinds["panel"] = [Request("panel", "GET", path, None) for path in panel_paths()]
    for req in kinds["panel"]:
        status, data = send_once(base, req)
        assert status == 200 and b'"title"' in data, (status, data[:200])
    assert set(kinds) == set(SHARES)
    cursors = {k: itertools.cycle(v) for k, v in kinds.items()}
    credit = dict.fromkeys(SHARES, 0.0)
    mix = []
    for _ in range(200):
        for k in credit:
            credit[k] += SHARES[k]
        k = max(credit, key=lambda name: credit[name])
        credit[k] -= sum(SHARES.values())
        mix.append(next(cursors[k]))
    return mix


def send_once(base: str, req: Request) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if req.body else {}
    r = urllib.request.Request(base + req.path, data=req.body, method=req.method, headers=headers)
    with urllib.request.urlopen(r, timeout=30) as resp:
        return resp.status, resp.read()


@dataclass
class Outcome:
    kind: str
    started: float        # seconds since the load began
    latency: float        # seconds
    error: str | None     # None: a complete 200 answer


class Load:
    """CLIENTS users sending the mix through nginx, each on its own keep-alive connection, without
    think time, until the deadline or MAX_REQUESTS. A failed request is not sent again (a user
    would see it): only nginx may retry."""

    def __init__(self, port: int, mix: list[Request], seconds: float) -> None:
        self.port = port
        self.mix = mix
        self.seconds = seconds
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._user, args=(i,), daemon=True) for i in range(CLIENTS)]
        self.t0 = 0.0

    def start(self) -> None:
        self.t0 = time.monotonic()
        for t in self._threads:
            t.start()

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)

    def join(self) -> None:
        for t in self._threads:
            t.join(timeout=self.seconds + 60)
        assert not any(t.is_alive() for t in self._threads), "load threads did not stop"

    def _user(self, index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        offset = index * len(self.mix) // CLIENTS
        try:
            for n in itertools.count():
                started = self.elapsed()
                if self._stop.is_set() or started >= self.seconds:
                    return
                with self._lock:
                    if len(self.outcomes) >= MAX_REQUESTS:
                        return
                req = self.mix[(offset + n) % len(self.mix)]
                headers = {"Accept-Encoding": load_mixed.ACCEPT_ENCODING}
                if req.body is not None:
                    headers["Content-Type"] = "application/json"
                t = time.perf_counter()
                error = None
                try:
                    conn.request(req.method, req.path, body=req.body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()  # raises IncompleteRead on a cut answer
                    if resp.status != 200:
                        error = f"HTTP {resp.status}: {data[:120]!r}"
                    elif not data:
                        error = "empty answer"
                except (OSError, http.client.HTTPException) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    conn.close()
                latency = time.perf_counter() - t
                with self._lock:
                    self.outcomes.append(Outcome(req.kind, started, latency, error and f"{req.method} {req.path}: "
                                                 f"{error}"))
        finally:
            conn.close()


# --------------------------------------------------------------------------- figures

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if q < 100 else max(values)


def figures(outcomes: list[Outcome], kill_at: float) -> str:
    lines = [f"{'':<10} {'requests':>8} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"]

    def row(name: str, items: list[Outcome]) -> None:
        lat = [o.latency * 1000 for o in items]
        failed = sum(o.error is not None for o in items)
        lines.append(f"{name:<10} {len(items):>8} {failed:>6} {pct(lat, 50):>8.0f} {pct(lat, 99):>8.0f} "
                     f"{max(lat, default=float('nan')):>8.0f}")

    for kind in SHARES:
        row(kind, [o for o in outcomes if o.kind == kind])
    row("before", [o for o in outcomes if o.started < kill_at])
    row("after", [o for o in outcomes if o.started >= kill_at])
    row("all", outcomes)
    return "\n".join(lines)


_LOG = re.compile(r'"(?P<req>[^"]*)" (?P<status>\d{3}) \d+ rt=(?P<rt>[\d.]+) ua="(?P<ua>[^"]*)" us="(?P<us>[^"]*)"')


def nginx_retries(lines: list[str]) -> tuple[int, Counter[str], int]:
    """(requests that nginx passed to a second upstream, their upstream statuses, answers ≥ 500 to clients)."""
    retried = 0
    statuses: Counter[str] = Counter()
    client_5xx = 0
    for line in lines:
        m = _LOG.search(line)
        if not m:
            continue
        client_5xx += int(m["status"]) >= 500
        if "," in m["ua"]:
            retried += 1
            statuses[f'{m["req"].split(" ")[0]} {m["us"]}'] += 1
    return retried, statuses, client_5xx


_ERROR = re.compile(r"\*\d+ (?P<what>.*?), client: .*?request: \"(?P<method>[A-Z]+) ")


def upstream_errors(lines: list[str]) -> Counter[str]:
    """What nginx met at the upstreams (error.log), by request method: a refused connection (the
    request never reached the dead instance) or a connection cut while the request was in it."""
    found: Counter[str] = Counter()
    for line in lines:
        m = _ERROR.search(line)
        if m and "upstream" in m["what"]:
            found[f'{m["method"]}: {m["what"]}'] += 1
    return found


# --------------------------------------------------------------------------- the test

def test_two_instances_behind_nginx_survive_a_kill() -> None:
    for tool, package in ((NGINX, "nginx"), (REDIS_SERVER, "redis-server")):
        if not Path(tool).exists():
            pytest.fail(f"{tool} not found: run scripts/test.sh, which installs it (Debian: apt-get install {package})")
    if importlib.util.find_spec("redis") is None:
        pytest.fail("the redis package is missing: pip install -e '.[test]'")

    with ExitStack() as stack:
        # /tmp directly (not pytest's 0700 tmp_path): nginx's unprivileged workers use folders in it.
        tmp = Path(tempfile.mkdtemp(prefix="atlas-scaleout-"))
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        redis_server = RedisProcess()
        stack.callback(redis_server.stop)

        ports: set[int] = {redis_server.port}
        while len(ports) < 4:
            ports.add(free_port())
        port_a, port_b, port_nginx = sorted(ports - {redis_server.port})
        a = start_instance("a", port_a, redis_server.url, tmp)
        stack.callback(a.stop)
        b = start_instance("b", port_b, redis_server.url, tmp)
        stack.callback(b.stop)
        nginx: Nginx | None = None
        load: Load | None = None
        try:
            for inst in (a, b):
                wait_healthz(inst.base, inst.proc, 240, f"instance {inst.name}")
            nginx = Nginx(tmp / "nginx", port_nginx, [f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"])
            stack.callback(nginx.stop)
            wait_healthz(nginx.base, nginx.proc, 30, "nginx")

            first = {inst.name: healthz(inst.base) for inst in (a, b)}
            assert first["a"]["status"] == first["b"]["status"] == "ok"
            assert first["a"]["data_version"], first
            assert first["a"]["data_version"] == first["b"]["data_version"], first

            mix = request_mix(nginx.base)
            load = Load(port_nginx, mix, DURATION_S)
            stack.callback(load.stop)
            print(f"\nscale-out: 2 instances × {WORKERS_PER_INSTANCE} worker × 2 threads behind nginx, shared Redis; "
                  f"{CLIENTS} users for {DURATION_S:.0f} s, instance a killed at {KILL_AT:.0f} s; "
                  f"{len({(r.method, r.path, r.body) for r in mix})} distinct requests", flush=True)
            logged_before = nginx.mark("load-starts")  # the checks of the mix went through nginx too
            load.start()

            # The scenario's clock: the kill comes at KILL_AT seconds of load.
            time.sleep(max(0.0, KILL_AT - 2 - load.elapsed()))
            before_kill = {inst.name: healthz(inst.base)["data_version"] for inst in (a, b)}
            time.sleep(max(0.0, KILL_AT - load.elapsed()))
            killed_at = load.elapsed()
            a.kill()
            after_kill = healthz(b.base)["data_version"]
            through_nginx = healthz(nginx.base)["data_version"]
            load.join()
            elapsed = load.elapsed()
        except BaseException:
            for inst in (a, b):
                print(f"--- log of instance {inst.name} (tail) ---\n{tail(inst.log)}")
            if nginx is not None:
                print(f"--- nginx error.log (tail) ---\n{tail(nginx.prefix / 'error.log')}")
                print(f"--- nginx output ---\n{tail(nginx.out)}")
            raise
        redis_info = redis_server.client.info("stats")
        redis_keys = len(redis_server.client.keys("atlas:*"))
        nginx.stop()
        log_lines = nginx.access_log()
        error_log = tail(nginx.prefix / "error.log", 100_000).splitlines()

    outcomes = load.outcomes
    failures = [o for o in outcomes if o.error]
    after = [o for o in outcomes if o.started >= killed_at]
    retried, retry_statuses, client_5xx = nginx_retries(log_lines)
    print(figures(outcomes, killed_at))
    print(f"requests {len(outcomes)} in {elapsed:.1f} s ({len(outcomes) / elapsed:.1f}/s), failed {len(failures)}; "
          f"kill at {killed_at:.1f} s; {len(after)} requests after it")
    print(f"data version: {before_kill['a']} (a and b before the kill; b and nginx after: {after_kill}, "
          f"{through_nginx})")
    print(f"nginx: {len(log_lines)} requests logged, {retried} passed to the other instance "
          f"({dict(retry_statuses)}), {client_5xx} answered ≥ 500; upstream errors in error.log:")
    for what, count in upstream_errors(error_log).most_common():
        print(f"  {count} × {what}")
    print(f"redis: {redis_keys} atlas keys, {redis_info['keyspace_hits']} hits, "
          f"{redis_info['keyspace_misses']} misses")
    for o in failures[:10]:
        print(f"  failed at {o.started:.1f} s: {o.error}")

    assert not failures, f"{len(failures)} user requests failed, e.g. {failures[0].error}"
    assert before_kill["a"] == before_kill["b"] == first["a"]["data_version"]
    assert after_kill == through_nginx == before_kill["b"]
    # every request of the load went through nginx (/healthz is not logged)
    assert len(log_lines) - logged_before == len(outcomes)
    # Requests kept succeeding after the kill, of every kind, up to the end.
    assert {o.kind for o in after} == set(SHARES)
    assert max(o.started for o in after) >= DURATION_S - 5
    # The kill did hit traffic: nginx passed requests on to the surviving instance ...
    assert retried >= 1
    assert client_5xx == 0
    # ... and the shared cache served panels computed earlier (by either instance).
    assert redis_keys >= 1 and redis_info["keyspace_hits"] >= 1
