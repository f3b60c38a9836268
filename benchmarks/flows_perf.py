"""Speed and weight of the flows view (issue 13), in headless Chromium against the app.

    python benchmarks/flows_perf.py [--runs 30] [--baseline DIR]

* first page load: the bytes the browser fetches for the plain address (the map view) before any
  move, and whether any of them is the flows view's (its code, its pairs, its map): there must
  be none. With ``--baseline DIR`` (a checkout of an earlier commit, e.g. ``git archive <commit> |
  tar -x -C DIR``) the same page of that code is measured too, for the difference.
* the view's first use (tab clicked → bars and map drawn: its code, the state's pairs and the
  map of the wider region are fetched then);
* a year step in the flows view (the state's pairs are in the page: no server call);
* a change of state: the first visit of a state (its pairs come from /api/v1/flows) and a state
  seen before (from the page's memory).

Each time is from the action (dispatched as the page's inputs do) to the next animation frame
after both figures show it. Target (issue 13): ≤ 250 ms p50 after a change of state or year.
Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from map_perf import ARGS, free_port

ROOT = Path(__file__).resolve().parent.parent
ISO3 = ["ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA", "LTU", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"]

TIMED = """async ([action, iso, year, flow]) => {
  const shows = () => ['flows-chart', 'flows-map'].every(id => {
    const gd = document.getElementById(id), m = gd && gd.layout && gd.layout.meta;
    return m && m.iso3 === iso && m.year === year && m.flow === flow; });
  const t0 = performance.now();
  if (action === 'tab') { document.getElementById('tab-flows').click(); } else { window.Atlas.app.dispatch(action); }
  while (!shows()) { await new Promise(r => requestAnimationFrame(r)); }
  await new Promise(r => requestAnimationFrame(r));
  return performance.now() - t0;
}"""

MAP_STEP = """async (year) => {
  const gd = () => document.querySelector('#map .js-plotly-plot');
  const t0 = performance.now();
  window.Atlas.app.dispatch({type: 'year', year, via: 'key'});
  while (!(gd() && gd().layout.meta.year === year)) { await new Promise(r => requestAnimationFrame(r)); }
  await new Promise(r => requestAnimationFrame(r));
  return performance.now() - t0;
}"""

LOADED = """() => {
  const all = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
  return all.map(e => [e.name, e.transferSize, e.encodedBodySize]);
}"""


def start(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise SystemExit(f"the app in {root} did not start")
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):  # warm the compressed-file cache
        urllib.request.urlopen(urllib.request.Request(base + path, headers={"Accept-Encoding": "br"})).read()
    return proc, base


def first_load(browser, base: str) -> tuple[int, int, list[str]]:  # type: ignore[no-untyped-def]
    """(bytes over the wire, bytes of the bodies, the flows view's URLs among them) of the plain
    address's first load, before any move (plotly.js is loaded on the first move)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    page = ctx.new_page()
    page.goto(base + "/")
    page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()", timeout=45_000)
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(LOADED)
    ctx.close()
    flows = [u for u, _, _ in entries if "flows" in u.rsplit("/", 1)[-1] and not u.endswith("/flows.js")
             and "flows.js?" not in u]
    return sum(t for _, t, _ in entries), sum(b for _, _, b in entries), flows


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def line(label: str, times: list[float]) -> float:
    p50 = statistics.median(times)
    print(f"{label:48s} p50 {p50:6.1f} ms   p90 {pct(times, 0.9):6.1f} ms   n={len(times)}")
    return p50


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--baseline", type=Path, default=None, help="a checkout of an earlier commit")
    args = ap.parse_args()
    n = args.runs
    ok = True
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        if args.baseline:
            proc, base = start(args.baseline.resolve())
            try:
                old = first_load(browser, base)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        proc, base = start(ROOT)
        try:
            new = first_load(browser, base)
            hook = len(urllib.request.urlopen(base + "/assets/atlas/flows.js").read())

            ctx = browser.new_context(viewport={"width": 1400, "height": 950})
            page = ctx.new_page()
            page.goto(base + "/?layer=refugees_origin&year=2022")
            page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()")
            page.mouse.move(5, 5)
            page.wait_for_selector("#map .choroplethlayer path", state="attached", timeout=45_000)
            page.wait_for_load_state("networkidle")
            opened = page.evaluate(TIMED, ["tab", "UKR", 2022, "out"])
            lazy = page.evaluate("""() => performance.getEntriesByType('resource')
                .filter(e => /flowsview|flows-world|api\\/v1\\/(flows|observations)/.test(e.name))
                .map(e => [e.name, e.transferSize])""")
            years = [2021 - (i % 30) for i in range(n)]
            steps = [page.evaluate(TIMED, [{"type": "year", "year": y, "via": "key"}, "UKR", y, "out"]) for y in years]
            calls = page.evaluate("() => performance.getEntriesByType('resource').filter(e => "
                                  "e.name.includes('/api/v1/flows')).length")
            page.evaluate(TIMED, [{"type": "year", "year": 2015, "via": "key"}, "UKR", 2015, "out"])
            states = [c for c in ISO3 if c != "UKR"]
            first = [page.evaluate(TIMED, [{"type": "country", "iso3": c}, c, 2015, "out"]) for c in states]
            again = []
            for i in range(n):
                c = ISO3[i % len(ISO3)]
                if c == page.evaluate("() => window.Atlas.app.state().country"):
                    continue
                again.append(page.evaluate(TIMED, [{"type": "country", "iso3": c}, c, 2015, "out"]))
            here = page.evaluate("() => window.Atlas.app.state().country")
            flip = []
            for i in range(min(n, 20)):
                f = "in" if i % 2 == 0 else "out"
                flip.append(page.evaluate(TIMED, [{"type": "flow", "flow": f}, here, 2015, f]))
            ctx.close()
            # the reference: one step of the map view in the same run (the machine's load varies)
            ctx = browser.new_context(viewport={"width": 1400, "height": 950})
            page = ctx.new_page()
            page.goto(base + "/?layer=refugees_origin&year=1995")
            page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()")
            page.mouse.move(5, 5)
            page.wait_for_selector("#map .choroplethlayer path", state="attached", timeout=45_000)
            page.wait_for_load_state("networkidle")
            one = [page.evaluate(MAP_STEP, y) for y in [1996 + (i % 29) for i in range(n)]]
            ctx.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        browser.close()

    print(f"first page load (map view, before any move): {new[0]:,} bytes over the wire, {new[1]:,} bytes of bodies")
    if args.baseline:
        print(f"  baseline ({args.baseline}): {old[0]:,} over the wire, {old[1]:,} of bodies; "
              f"difference {new[0] - old[0]:+,} / {new[1] - old[1]:+,} bytes")
    print(f"  the flows view's hook in it (assets/atlas/flows.js): {hook:,} bytes; flows code, pairs or map "
          f"fetched: {new[2] or 'none'}")
    ok &= not new[2]
    print(f"{'first use of the view (tab → drawn)':48s}      {opened:6.1f} ms")
    for url, size in lazy:
        print(f"  fetched on first use: {url.replace(base, '')} ({size:,} bytes over the wire)")
    y = line("year step in the flows view", steps)
    print(f"{'  server calls for pairs while stepping':48s} {calls - 1}")
    s1 = line("change of state, first visit (pairs fetched)", first)
    s2 = line("change of state, seen before", again)
    line("change of direction (out ↔ in)", flip)
    m = line("reference: one map's year step (map view)", one)
    print(f"{'year step / map step (p50)':48s} {y / m:.2f}")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    ok &= y <= 250 and s1 <= 250 and s2 <= 250 and calls == 1
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
