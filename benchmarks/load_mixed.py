"""Mixed load benchmark of the whole app, as deployed: gunicorn with gunicorn.conf.py (2 workers),
driven by wrk.

    python benchmarks/load_mixed.py [--duration 60] [--connections 50]

Starts gunicorn on a free port of 127.0.0.1, then runs, at the same time and for ``--duration``
seconds, one wrk per kind of request, sharing ``--connections`` concurrent clients between them:

* ``page``      GET /, /_dash-layout and /_dash-dependencies (what every visit loads first)
* ``static``    the scripts, CSS and topojson the page references (URLs read from the page)
* ``api_csv``   GET /api/v1/observations?indicator=...&format=csv for several indicators
* ``callback``  GET /atlas/layer/<id>.json?v=…: the layer change (the renderer fetches the layer's
                file since issue 15; it was a Dash callback), cycling through layers
* ``download``  POST /_dash-update-component: "download this view" as CSV, XLSX and GeoJSON

Requests carry ``Accept-Encoding: gzip, deflate, br`` like a browser. One wrk per kind gives each
kind its own latency histogram (wrk cannot tell requests apart within one run); the ``done`` Lua
hook prints p50/p90/p99. While the load runs, the resident memory (VmRSS, and PSS, which counts
pages shared with the preloaded master once) of every gunicorn worker is sampled each second.

Exit status 1 if any request failed (socket errors, timeouts, non-2xx/3xx answers), 2 if the tool
is missing or the server did not start. Needs ``wrk`` (Debian: ``apt-get install -y wrk``) and
gunicorn; installs nothing itself. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ACCEPT_ENCODING = "gzip, deflate, br"
API_INDICATORS = ["refugees_hosted", "idps", "net_migration", "population", "vdem_polyarchy", "fh_total",
                  "refugees_hosted,refugees_origin", "polity2"]
CALLBACK_LAYERS = ["cis", "fh_status", "refugees_hosted", "vdem_row", "eu", "nato", "population", "idps"]
# Share of the connections per kind (the page and its assets dominate real traffic).
SHARES = {"page": 0.25, "static": 0.25, "api_csv": 0.2, "callback": 0.15, "download": 0.15}
DOWNLOADS = [("csv", "cis"), ("xlsx", "refugees_hosted"), ("geojson", "fh_status"), ("csv", "vdem_row")]
RSS_TARGET_MB = 250.0

LUA_TEMPLATE = """
local reqs = {}
%(requests)s
local i = 0
request = function()
  i = i %% #reqs + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"bytes\\": %%d, " ..
    "\\"connect\\": %%d, \\"read\\": %%d, \\"write\\": %%d, \\"status\\": %%d, \\"timeout\\": %%d, " ..
    "\\"p50\\": %%.0f, \\"p90\\": %%.0f, \\"p99\\": %%.0f, \\"max\\": %%.0f, \\"mean\\": %%.1f}\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


def fail(message: str, status: int = 2) -> None:
    print(f"load_mixed: {message}", file=sys.stderr)
    raise SystemExit(status)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def lua_string(text: str) -> str:
    """A Lua long-bracket literal holding ``text`` verbatim."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    return f"[{eq}[{text}]{eq}]"


@dataclass
class Kind:
    name: str
    requests: list[tuple[str, str, str | None]]  # method, path, JSON body
    connections: int = 0
    result: dict[str, Any] = field(default_factory=dict)

    def lua(self) -> str:
        lines = []
        for method, path, body in self.requests:
            headers = f'{{["Accept-Encoding"] = "{ACCEPT_ENCODING}"'
            if body is not None:
                headers += ', ["Content-Type"] = "application/json"'
            headers += "}"
            body_lua = lua_string(body) if body is not None else "nil"
            lines.append(f"reqs[#reqs + 1] = wrk.format({lua_string(method)}, {lua_string(path)}, {headers}, "
                         f"{body_lua})")
        return LUA_TEMPLATE % {"requests": "\n".join(lines)}


# --------------------------------------------------------------------------- the server

def start_gunicorn(port: int, workers: int, log: Path, config: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HOST": HOST, "PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    env.pop("DASH_DEBUG", None)
    cmd = [sys.executable, "-m", "gunicorn", "-c", config, "app:server"]
    print(f"starting: {' '.join(cmd[2:])}  (WEB_CONCURRENCY={workers}, cwd {ROOT})", flush=True)
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base}/healthz did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the gunicorn master we started (it stops its workers); SIGKILL its group if stuck."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def memory_kb(pid: int) -> tuple[int, int] | None:
    """(VmRSS, Pss) of a process in kB, or None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        rss = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))  # type: ignore[union-attr]
        pss = rss
        rollup = Path(f"/proc/{pid}/smaps_rollup")
        if rollup.exists():
            m = re.search(r"^Pss:\s+(\d+) kB", rollup.read_text(), re.M)
            pss = int(m.group(1)) if m else rss
        return rss, pss
    except (OSError, AttributeError):
        return None


class MemorySampler(threading.Thread):
    def __init__(self, master: int, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.interval = interval
        self.samples: dict[int, list[tuple[int, int]]] = {}
        self.master_samples: list[tuple[int, int]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def sample(self) -> None:
        m = memory_kb(self.master)
        if m:
            self.master_samples.append(m)
        for pid in worker_pids(self.master):
            mem = memory_kb(pid)
            if mem:
                self.samples.setdefault(pid, []).append(mem)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


# --------------------------------------------------------------------------- the requests

def fetch(url: str, data: bytes | None = None) -> tuple[int, bytes, str]:
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read(), r.headers.get("Content-Type", "")


def page_assets(base: str) -> list[str]:
    _, html, _ = fetch(base + "/")
    # the page's scripts, styles, icon and preloads (not its links to downloads)
    urls = re.findall(rb'<(?:script|link)[^>]*(?:src|href)="(/[^"]+)"', html)
    return [u.decode() for u in urls] + ["/assets/topojson/world_110m.json"]


def layer_paths(base: str) -> list[str]:
    """The layer change, as the renderer asks for it: the layer's JSON file
    (dashboard/views/page_data.py), at the address the page names (versioned)."""
    _, raw, _ = fetch(base + "/atlas/meta.json")
    tmpl = json.loads(raw)["layer_url"]
    return [tmpl.replace("{id}", layer) for layer in CALLBACK_LAYERS]


def download_paths() -> list[str]:
    """The "download this view" files (CSV, XLSX, GeoJSON), as the page asks for them."""
    return [f"/download/view.{fmt}?layer={layer}&year=2000" for fmt, layer in DOWNLOADS]


def build_kinds(base: str) -> list[Kind]:
    kinds = [
        Kind("page", [("GET", p, None) for p in ("/", "/_dash-layout", "/_dash-dependencies")]),
        Kind("static", [("GET", p, None) for p in page_assets(base)]),
        Kind("api_csv", [("GET", f"/api/v1/observations?indicator={i}&format=csv", None) for i in API_INDICATORS]),
        Kind("callback", [("GET", p, None) for p in layer_paths(base)]),
        Kind("download", [("GET", p, None) for p in download_paths()]),
    ]
    # Every request answers 200 before the load starts (so errors under load are load errors).
    for kind in kinds:
        for method, path, body in kind.requests:
            status, data, ctype = fetch(base + path, body.encode() if body else None)
            if status != 200 or not data:
                raise RuntimeError(f"{method} {path} answered {status}")
            if kind.name == "callback" and "frames" not in json.loads(data):
                raise RuntimeError(f"the layer file answered without the layer: {data[:200]!r}")
            if kind.name == "api_csv" and not ctype.startswith("text/csv"):
                raise RuntimeError(f"{path} answered {ctype!r}, expected text/csv")
    return kinds


def share_connections(kinds: list[Kind], total: int) -> None:
    for kind in kinds:
        kind.connections = max(1, round(total * SHARES[kind.name]))
    kinds[0].connections += total - sum(k.connections for k in kinds)


def run_wrk_all(kinds: list[Kind], base: str, seconds: int, tmp: Path) -> None:
    procs = []
    for kind in kinds:
        script = tmp / f"{kind.name}.lua"
        script.write_text(kind.lua(), encoding="utf-8")
        cmd = ["wrk", "-t1", f"-c{kind.connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
               base + "/"]
        procs.append((kind, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    for kind, proc in procs:
        out, err = proc.communicate(timeout=seconds + 120)
        if proc.returncode != 0:
            raise RuntimeError(f"wrk ({kind.name}) failed ({proc.returncode}): {err.strip() or out.strip()}")
        line = next((x for x in out.splitlines() if x.startswith("WRK_JSON ")), None)
        if line is None:
            raise RuntimeError(f"wrk ({kind.name}) printed no report:\n{out}")
        kind.result = json.loads(line.removeprefix("WRK_JSON "))


# --------------------------------------------------------------------------- report

def errors_of(r: dict[str, Any]) -> int:
    return int(r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"])


def report(kinds: list[Kind], sampler: MemorySampler, workers: int, load_before: float) -> int:
    print("\n--- requests (all kinds at the same time) ---")
    print(f"{'kind':<9} {'conns':>5} {'requests':>9} {'req/s':>8} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'MB/s':>6}")
    total_req = total_err = 0
    seconds = max(k.result["duration_us"] for k in kinds) / 1e6
    for k in kinds:
        r = k.result
        secs = r["duration_us"] / 1e6
        err = errors_of(r)
        total_req += r["requests"]
        total_err += err
        print(f"{k.name:<9} {k.connections:>5} {r['requests']:>9,} {r['requests'] / secs:>8,.0f} {err:>6} "
              f"{r['p50'] / 1000:>8.1f} {r['p90'] / 1000:>8.1f} {r['p99'] / 1000:>8.1f} {r['max'] / 1000:>8.1f} "
              f"{r['bytes'] / secs / 1e6:>6.1f}")
        if err:
            print(f"          errors: connect {r['connect']}, read {r['read']}, write {r['write']}, "
                  f"non-2xx/3xx {r['status']}, timeout {r['timeout']}")
    print(f"{'total':<9} {sum(k.connections for k in kinds):>5} {total_req:>9,} {total_req / seconds:>8,.0f} "
          f"{total_err:>6}")

    print("\n--- memory of the gunicorn workers during the run (MB) ---")
    worst = 0.0
    for pid, samples in sorted(sampler.samples.items()):
        rss = [s[0] / 1024 for s in samples]
        pss = [s[1] / 1024 for s in samples]
        worst = max(worst, max(rss))
        print(f"worker {pid}: VmRSS max {max(rss):.0f}, mean {sum(rss) / len(rss):.0f}; "
              f"PSS max {max(pss):.0f} ({len(samples)} samples)")
    if sampler.master_samples:
        print(f"master: VmRSS {max(s[0] for s in sampler.master_samples) / 1024:.0f}")
    if len(sampler.samples) != workers:
        print(f"note: {len(sampler.samples)} worker pids seen (expected {workers}; a worker was restarted?)")
    print(f"host: {os.cpu_count()} CPUs shared by gunicorn, the wrk clients and whatever else runs; "
          f"load average before the run {load_before:.2f}, after {os.getloadavg()[0]:.2f}")
    mem_ok = worst <= RSS_TARGET_MB
    print(f"\nerrors: {total_err} → {'PASS' if total_err == 0 else 'FAIL'}; "
          f"worst worker VmRSS {worst:.0f} MB (target ≤ {RSS_TARGET_MB:.0f}) → {'PASS' if mem_ok else 'OVER'}")
    return 0 if total_err == 0 else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=int, default=60, help="seconds of measured load (default 60)")
    ap.add_argument("--connections", type=int, default=50, help="concurrent clients in total (default 50)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured warm-up (default 5)")
    ap.add_argument("--config", default="gunicorn.conf.py", help="gunicorn config file (default gunicorn.conf.py)")
    args = ap.parse_args(argv)
    if args.connections < len(SHARES):
        fail(f"--connections must be at least {len(SHARES)}")
    if shutil.which("wrk") is None:
        fail("wrk is not installed. Install it first (Debian/Ubuntu: apt-get install -y wrk); "
             "this script installs nothing by itself.")
    if importlib.util.find_spec("gunicorn") is None:
        fail("gunicorn is not installed (pip install -e . in the repository).")

    load_before = os.getloadavg()[0]
    port = free_port()
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory(prefix="load_mixed_") as tmp_name:
        tmp = Path(tmp_name)
        log = tmp / "gunicorn.log"
        proc = start_gunicorn(port, args.workers, log, args.config)
        sampler = MemorySampler(proc.pid)
        try:
            wait_ready(base, proc, timeout=120)
            kinds = build_kinds(base)
            share_connections(kinds, args.connections)
            for k in kinds:
                print(f"{k.name:<9} {k.connections:>3} connections over {len(k.requests)} distinct requests")
            if args.warmup > 0:
                run_wrk_all(kinds, base, args.warmup, tmp)
            print(f"load: {args.connections} concurrent connections for {args.duration} s ...", flush=True)
            sampler.start()
            run_wrk_all(kinds, base, args.duration, tmp)
            sampler.stop()
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            if sampler.is_alive():
                sampler.stop()
            stop(proc)
            sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-4000:])
            fail(str(exc))
        finally:
            stop(proc)
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        gunicorn_errors = [line for line in lines
                           if "[ERROR]" in line or "Traceback" in line or "WORKER TIMEOUT" in line]
        notable = [line for line in lines if any(w in line for w in (
            "[WARNING]", "[CRITICAL]", "Autorestarting", "Worker exiting", "Booting worker", "SIG"))]
    status = report(kinds, sampler, args.workers, load_before)
    if len(notable) > args.workers:
        print("gunicorn log (worker events):")
        for line in notable[:20]:
            print("   ", line)
    if gunicorn_errors:
        print(f"gunicorn logged {len(gunicorn_errors)} error lines, e.g. {gunicorn_errors[0]}")
        status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
