"""Load benchmark of the data API, as deployed: gunicorn with 2 sync workers, driven by wrk.

    python benchmarks/api_load.py [--duration 20] [--connections 50]

Starts ``gunicorn app:server -w 2`` on a free port of 127.0.0.1, waits for /healthz, warms up,
then lets wrk drive ``--connections`` concurrent clients against one CSV download for
``--duration`` seconds, and prints requests, errors, throughput and p50/p95/p99 latency (wrk's own
latency histogram, read through a small Lua ``done`` hook, since ``--latency`` alone stops at
p90/p99). Stops gunicorn afterwards. Exit status 1 if there were errors or p99 missed the target.

Needs ``wrk`` (Debian: ``apt-get install -y wrk``) and gunicorn; installs nothing itself.
All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_PATH = "/api/v1/observations?indicator=refugees_hosted&format=csv"

# wrk calls done() once at the end with the merged statistics of all threads (latency in µs).
WRK_REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, " ..
    "\\"connect\\": %d, \\"read\\": %d, \\"write\\": %d, \\"status\\": %d, \\"timeout\\": %d, " ..
    "\\"p50\\": %.0f, \\"p90\\": %.0f, \\"p95\\": %.0f, \\"p99\\": %.0f, \\"max\\": %.0f, \\"mean\\": %.1f}\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def fail(message: str) -> None:
    print(f"api_load: {message}", file=sys.stderr)
    raise SystemExit(2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


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


def check_target(url: str) -> int:
    """One request, to make sure the benchmark measures a real answer; returns the body size."""
    with urllib.request.urlopen(url, timeout=10) as r:
        body = r.read()
        ctype = r.headers.get("Content-Type", "")
        if r.status != 200:
            raise RuntimeError(f"{url} answered {r.status}")
    if "csv" in url and not ctype.startswith("text/csv"):
        raise RuntimeError(f"{url} answered {ctype!r}, expected text/csv")
    return len(body)


def run_wrk(url: str, *, threads: int, connections: int, seconds: int, script: Path) -> tuple[str, dict[str, Any]]:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",
           "-s", str(script), url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip() or out.stdout.strip()}")
    report = next((line for line in out.stdout.splitlines() if line.startswith("WRK_JSON ")), None)
    if report is None:
        raise RuntimeError(f"wrk printed no report:\n{out.stdout}")
    text = "\n".join(line for line in out.stdout.splitlines() if not line.startswith("WRK_JSON "))
    return text, json.loads(report.removeprefix("WRK_JSON "))


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the gunicorn master we started (it stops its workers); SIGKILL its group if stuck."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=int, default=20, help="seconds of measured load (default 20)")
    ap.add_argument("--connections", type=int, default=50, help="concurrent clients (default 50)")
    ap.add_argument("--threads", type=int, default=0, help="wrk threads (default: min(4, CPUs))")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured warm-up (default 3)")
    ap.add_argument("--path", default=DEFAULT_PATH, help=f"request path (default {DEFAULT_PATH})")
    ap.add_argument("--p99-target-ms", type=float, default=250.0, help="p99 latency target (default 250)")
    args = ap.parse_args(argv)
    if not args.path.startswith("/"):
        fail("--path must start with '/' (the host is always 127.0.0.1)")

    if shutil.which("wrk") is None:
        fail("wrk is not installed. Install it first (Debian/Ubuntu: apt-get install -y wrk); "
             "this script installs nothing by itself.")
    if importlib.util.find_spec("gunicorn") is None:
        fail("gunicorn is not installed (pip install gunicorn, or pip install -e . in the repository).")
    threads = args.threads or max(1, min(4, os.cpu_count() or 1))
    threads = min(threads, args.connections)

    load_before = os.getloadavg()[0]
    port = free_port()
    base = f"http://{HOST}:{port}"
    url = base + args.path
    with tempfile.TemporaryDirectory(prefix="api_load_") as tmp:
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_REPORT_LUA, encoding="utf-8")
        log_path = Path(tmp) / "gunicorn.log"
        with log_path.open("wb") as log:
            cmd = [sys.executable, "-m", "gunicorn", "app:server", "-w", str(args.workers),
                   "-b", f"{HOST}:{port}", "--log-level", "warning"]
            print(f"starting: {' '.join(cmd[2:])}  (cwd {ROOT})", flush=True)
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                wait_ready(base, proc, timeout=90)
                size = check_target(url)
                print(f"target: GET {args.path}  ({size:,} bytes per response)", flush=True)
                if args.warmup > 0:
                    run_wrk(url, threads=threads, connections=args.connections, seconds=args.warmup, script=script)
                print(f"load: {args.connections} concurrent connections, {threads} wrk threads, "
                      f"{args.duration} s, gunicorn {args.workers} sync workers", flush=True)
                text, r = run_wrk(url, threads=threads, connections=args.connections,
                                  seconds=args.duration, script=script)
            except (RuntimeError, OSError) as exc:
                stop(proc)
                sys.stderr.write(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
                fail(str(exc))
            finally:
                stop(proc)

    seconds = r["duration_us"] / 1e6
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    ms = {k: r[k] / 1000 for k in ("p50", "p90", "p95", "p99", "max", "mean")}
    print("\n--- wrk output ---")
    print(text.rstrip())
    print("\n--- summary ---")
    print(f"requests:    {r['requests']:,} in {seconds:.1f} s")
    print(f"errors:      {errors}  (connect {r['connect']}, read {r['read']}, write {r['write']}, "
          f"non-2xx/3xx {r['status']}, timeout {r['timeout']})")
    print(f"throughput:  {r['requests'] / seconds:,.0f} requests/s, {r['bytes'] / seconds / 1e6:,.1f} MB/s")
    print(f"latency:     p50 {ms['p50']:.1f} ms, p90 {ms['p90']:.1f} ms, p95 {ms['p95']:.1f} ms, "
          f"p99 {ms['p99']:.1f} ms, max {ms['max']:.1f} ms, mean {ms['mean']:.1f} ms")
    print(f"host:        {os.cpu_count()} CPUs, load average before the run {load_before:.2f} "
          "(other processes share the CPUs with gunicorn and wrk)")
    ok = errors == 0 and ms["p99"] <= args.p99_target_ms
    print(f"target:      p99 ≤ {args.p99_target_ms:.0f} ms and 0 errors → {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
