"""Lighthouse scores of the atlas as users' browsers judge it: desktop and mobile, three addresses.

    python benchmarks/lighthouse.py [--runs 3] [--form-factors desktop mobile] [--pages default story data]

Starts the app as deployed (gunicorn with gunicorn.conf.py, 2 workers) on a free port of
127.0.0.1, then runs npm's ``lighthouse`` CLI against it, offline, with Debian's Chromium
(``CHROME_PATH=/usr/bin/chromium``, headless), ``--runs`` times per address and form factor:

* ``default``  ``/?layer=cis&year=1995``                                the map view
* ``story``    ``/?story=post_soviet_space&step=9&present=1``           a story step, presentation mode
* ``data``     ``/?view=data``                                          the data tab (it has no address
                                                                        yet: the page opens the map)

``desktop`` is Lighthouse's ``--preset=desktop`` (no throttling), ``mobile`` its default (a
simulated mid-range phone: 4× CPU slowdown, slow 4G). Prints, per address and form factor, the
median of the runs: the four category scores, FCP, LCP, TBT, CLS, TTI and Speed Index; then the
audits that failed (score < 0.9) in any run, with how many runs they failed in: those that cost
points in a category first, then by Lighthouse's estimated saving (``--top``). The JSON reports
are kept (``--reports``, by default ``.cache/lighthouse/reports/<time>/``) for the details.

Lighthouse itself is installed outside git, on first use, pinned:

    npm install --prefix .cache/lighthouse --no-audit --no-fund -E lighthouse@12.8.2

(``--no-install`` refuses to install and stops instead; 13.x needs Node 22, the README lists
Node 20.) Needs what the README lists: Node 20 with npm, Debian's chromium, the app's Python
packages with gunicorn. Use ``--base http://127.0.0.1:PORT`` to measure a server already running.
All traffic stays on 127.0.0.1. One run takes 15–30 s on the 2-core development machine: use
``--runs 1`` while iterating. Exit status 2 if a tool is missing or the server did not start, 1 if
a run failed three times in a row.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LIGHTHOUSE_VERSION = "12.8.2"
CACHE_DIR = ROOT / ".cache" / "lighthouse"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--no-first-run", "--disable-quic"]
PAGES = {
    "default": "/?layer=cis&year=1995",
    "story": "/?story=post_soviet_space&step=9&present=1",
    "data": "/?view=data",
}
CATEGORIES = [("performance", "Perf"), ("accessibility", "A11y"), ("best-practices", "BP"), ("seo", "SEO")]
# (audit id, column, unit): numericValue is in ms, except CLS (unitless)
METRICS = [("first-contentful-paint", "FCP", "s"), ("largest-contentful-paint", "LCP", "s"),
           ("total-blocking-time", "TBT", "ms"), ("cumulative-layout-shift", "CLS", ""),
           ("interactive", "TTI", "s"), ("speed-index", "SI", "s")]
RUN_TIMEOUT = 240


def fail(message: str, status: int = 2) -> None:
    print(f"lighthouse: {message}", file=sys.stderr)
    raise SystemExit(status)


# --------------------------------------------------------------------------- tools

def lighthouse_cli(cache: Path, version: str, install: bool) -> Path:
    """The CLI's entry script in ``cache``, installed there with npm if missing (or another version)."""
    cli = cache / "node_modules" / "lighthouse" / "cli" / "index.js"
    manifest = cache / "node_modules" / "lighthouse" / "package.json"
    have = json.loads(manifest.read_text())["version"] if manifest.exists() else None
    if cli.exists() and have == version:
        return cli
    npm = shutil.which("npm")
    if not install or npm is None:
        fail(f"lighthouse {version} is not installed in {cache} (found: {have}); install it with\n"
             f"    npm install --prefix {cache} --no-audit --no-fund -E lighthouse@{version}")
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", "-E", f"lighthouse@{version}"]
    print("installing:", " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    if not cli.exists():
        fail(f"npm did not install {cli}")
    return cli


def check_tools() -> str:
    node = shutil.which("node")
    if node is None:
        fail("node is missing (Node 20 or newer: apt-get install -y nodejs npm)")
    major = int(subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
                .lstrip("v").split(".")[0])
    if major < 18:
        fail(f"node {major} is too old for lighthouse 12 (needs 18.16 or newer)")
    if not Path(CHROME_PATH).exists():
        fail(f"no Chromium at {CHROME_PATH} (Debian: apt-get install -y chromium; or set CHROME_PATH)")
    return node


# --------------------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HOST": HOST, "PORT": str(port), "WEB_CONCURRENCY": str(workers),
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("DASH_DEBUG", None)
    env.pop("REDIS_URL", None)
    cmd = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"]
    print(f"starting: gunicorn -c gunicorn.conf.py app:server on {HOST}:{port} "
          f"(WEB_CONCURRENCY={workers}, log {log})", flush=True)
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_ready(base: str, proc: subprocess.Popen[bytes] | None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            fail(f"gunicorn exited with status {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    fail(f"{base}/healthz did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the gunicorn master this script started; SIGKILL to its group if stuck."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def warm_up(base: str) -> None:
    """Fill the server's caches (each worker's compressed files, layouts per view, posters) the way
    a server in use has them, so that the first measured run is not the only one to pay for it."""
    for path in PAGES.values():
        for _ in range(2):  # reaches both workers, most of the time
            with urllib.request.urlopen(base + path, timeout=30) as r:
                r.read()


# --------------------------------------------------------------------------- runs

@dataclass
class Run:
    page: str
    form_factor: str
    scores: dict[str, float]
    metrics: dict[str, float]
    failing: dict[str, tuple[str, float]]    # audit id → (title and shown value, weight for the order)
    benchmark_index: float | None


@dataclass
class Group:
    runs: list[Run] = field(default_factory=list)

    def median_score(self, cat: str) -> float:
        return statistics.median(r.scores[cat] for r in self.runs)

    def median_metric(self, key: str) -> float:
        return statistics.median(r.metrics[key] for r in self.runs)


class RunFailed(Exception):
    pass


def run_lighthouse(node: str, cli: Path, url: str, form_factor: str, out: Path, tries: int = 3) -> dict[str, Any]:
    """One Lighthouse run; a failed one (on a busy machine Chromium's trace sometimes misses the
    navigation: NO_NAVSTART) is tried again, up to ``tries`` times in all."""
    for attempt in range(1, tries + 1):
        try:
            return _run_once(node, cli, url, form_factor, out)
        except RunFailed as exc:
            print(f"  attempt {attempt}/{tries} failed: {exc}", file=sys.stderr, flush=True)
    fail(f"lighthouse failed {tries} times on {url} ({form_factor})", 1)
    raise AssertionError  # not reached


def _run_once(node: str, cli: Path, url: str, form_factor: str, out: Path) -> dict[str, Any]:
    out.unlink(missing_ok=True)
    cmd = [node, str(cli), url, "--output=json", f"--output-path={out}", "--quiet",
           f"--chrome-flags={' '.join(CHROME_FLAGS)}",
           "--only-categories=performance,accessibility,best-practices,seo",
           "--disable-full-page-screenshot", "--max-wait-for-load=60000"]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise RunFailed(f"no result within {RUN_TIMEOUT} s") from exc
    if proc.returncode != 0 or not out.exists():
        raise RunFailed(f"status {proc.returncode}: {proc.stderr.strip()[-500:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RunFailed(str(report["runtimeError"]))
    return report


def failing_audits(report: dict[str, Any]) -> dict[str, tuple[str, float]]:
    """The audits the report shows as failed (in a category, not a metric, score below 0.9), each
    with its title and shown value, and a weight for ordering them: points lost in a category's
    score for the audits that count there, else the estimated saving (ms of the metrics; CLS x 1000)."""
    audits = report["audits"]
    out: dict[str, tuple[str, float]] = {}
    for cat_id, cat in report["categories"].items():
        total = sum(ref["weight"] for ref in cat["auditRefs"]) or 1
        for ref in cat["auditRefs"]:
            if ref.get("group") in ("metrics", "hidden"):
                continue
            audit = audits.get(ref["id"], {})
            score = audit.get("score")
            if score is None or score >= 0.9 or audit.get("scoreDisplayMode") not in (
                    "binary", "numeric", "metricSavings"):
                continue
            shown = audit.get("displayValue") or ""
            if cat_id != "performance" and ref["weight"] > 0:
                lost = 100 * ref["weight"] * (1 - score) / total
                shown = f"{shown}; " if shown else ""
                shown += f"costs {cat_id} {lost:.1f} points"
                weight = 1e9 + lost
            else:
                savings = audit.get("metricSavings") or {}
                weight = sum(v * (1000 if k == "CLS" else 1) for k, v in savings.items() if v)
            text = f"{audit.get('title', ref['id'])}" + (f" ({shown})" if shown else "")
            out[ref["id"]] = (text, max(weight, out.get(ref["id"], ("", 0.0))[1]))
    return out


def summarise(page: str, form_factor: str, report: dict[str, Any]) -> Run:
    scores = {cat: round(100 * (report["categories"][cat]["score"] or 0)) for cat, _ in CATEGORIES}
    metrics = {key: float(report["audits"][key]["numericValue"]) for key, _, _ in METRICS}
    bench = report.get("environment", {}).get("benchmarkIndex")
    return Run(page, form_factor, scores, metrics, failing_audits(report), bench)


# --------------------------------------------------------------------------- output

def fmt_metric(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value / 1000:.1f} s"
    if unit == "ms":
        return f"{value:,.0f} ms"
    return f"{value:.3f}"


def print_table(groups: dict[tuple[str, str], Group], runs: int, top: int = 10) -> None:
    head = ["address", "form", *[c for _, c in CATEGORIES], *[m for _, m, _ in METRICS]]
    rows = []
    for (page, ff), g in groups.items():
        rows.append([page, ff, *[str(round(g.median_score(cat))) for cat, _ in CATEGORIES],
                     *[fmt_metric(g.median_metric(key), unit) for key, _, unit in METRICS]])
    print(f"\nMedians of {runs} run(s) per address and form factor (Lighthouse {LIGHTHOUSE_VERSION}):\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---", "---"] + ["---:"] * (len(head) - 2)) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for (page, ff), g in groups.items():
        counts: dict[str, int] = defaultdict(int)
        shown: dict[str, str] = {}
        weights: dict[str, list[float]] = defaultdict(list)
        for r in g.runs:
            for audit_id, (text, weight) in r.failing.items():
                counts[audit_id] += 1
                shown[audit_id] = text
                weights[audit_id].append(weight)
        if not counts:
            print(f"{page} / {ff}: no failing audit")
            continue
        order = sorted(counts, key=lambda a: (-statistics.median(weights[a]), -counts[a], a))
        print(f"{page} / {ff}: failing audits, those that cost points first, then by estimated saving "
              f"[runs failed of {len(g.runs)}]:")
        for audit_id in order[:top]:
            print(f"  - {audit_id}: {shown[audit_id]} [{counts[audit_id]}/{len(g.runs)}]")
        if len(order) > top:
            print(f"  (and {len(order) - top} more: {', '.join(order[top:])})")
    bench = [r.benchmark_index for g in groups.values() for r in g.runs if r.benchmark_index]
    if bench:
        print(f"\nLighthouse's CPU benchmark index: median {statistics.median(bench):.0f} "
              f"(min {min(bench):.0f}, max {max(bench):.0f}; a fast desktop is ~2000+)")


def print_reports(folder: Path, top: int) -> int:
    """The table of the reports a former run kept (``<page>-<form factor>-<n>.json``)."""
    groups: dict[tuple[str, str], Group] = {}
    runs = 0
    for page in PAGES:
        for ff in ("desktop", "mobile"):
            files = sorted(folder.glob(f"{page}-{ff}-*.json"))
            if files:
                groups[(page, ff)] = Group([summarise(page, ff, json.loads(f.read_text())) for f in files])
                runs = max(runs, len(files))
    if not groups:
        fail(f"no reports in {folder}")
    print_table(groups, runs, top)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per address and form factor (default 3)")
    ap.add_argument("--form-factors", nargs="+", choices=["desktop", "mobile"], default=["desktop", "mobile"])
    ap.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    ap.add_argument("--from-reports", type=Path,
                    help="print the table of the JSON reports in this folder (no new runs)")
    ap.add_argument("--base", help="measure this running server (http://127.0.0.1:PORT) instead of starting one")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as deployed)")
    ap.add_argument("--reports", type=Path,
                    help="folder for the JSON reports (default .cache/lighthouse/reports/<time>)")
    ap.add_argument("--cache", type=Path, default=CACHE_DIR, help="where lighthouse is installed (npm --prefix)")
    ap.add_argument("--no-install", action="store_true", help="stop instead of installing lighthouse")
    ap.add_argument("--top", type=int, default=10, help="failing audits listed per address and form factor")
    args = ap.parse_args(argv)
    if args.runs < 1:
        fail("--runs must be at least 1")

    if args.from_reports:
        return print_reports(args.from_reports, args.top)
    node = check_tools()
    cli = lighthouse_cli(args.cache, LIGHTHOUSE_VERSION, install=not args.no_install)
    reports = args.reports or args.cache / "reports" / time.strftime("%Y%m%d-%H%M%S")
    reports.mkdir(parents=True, exist_ok=True)

    proc = None
    if args.base:
        base = args.base.rstrip("/")
        if not base.startswith(("http://127.", "http://localhost", "http://[::1]")):
            fail("--base must be a loopback address")
        wait_ready(base, None, timeout=10)
    else:
        port = free_port()
        base = f"http://{HOST}:{port}"
        proc = start_gunicorn(port, args.workers, reports / "gunicorn.log")
    groups: dict[tuple[str, str], Group] = {(p, ff): Group() for p in args.pages for ff in args.form_factors}
    try:
        wait_ready(base, proc)
        warm_up(base)
        print(f"load average before: {os.getloadavg()[0]:.2f}; reports in {reports}", flush=True)
        for n in range(1, args.runs + 1):
            for page in args.pages:
                for ff in args.form_factors:
                    out = reports / f"{page}-{ff}-{n}.json"
                    started = time.monotonic()
                    run = summarise(page, ff, run_lighthouse(node, cli, base + PAGES[page], ff, out))
                    groups[(page, ff)].runs.append(run)
                    print(f"run {n}/{args.runs} {page:8} {ff:7} {time.monotonic() - started:5.1f} s "
                          f"(load {os.getloadavg()[0]:.1f}): "
                          + " ".join(f"{c}={run.scores[k]}" for k, c in CATEGORIES) + "  "
                          + " ".join(f"{m}={fmt_metric(run.metrics[k], u)}" for k, m, u in METRICS),
                          flush=True)
    finally:
        if proc is not None:
            stop(proc)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print_table(groups, args.runs, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
