"""Speed of the overlap view (issue 13), in headless Chromium against the app.

    python benchmarks/overlap_perf.py [--runs 30]

Each figure is the time from the action (a year step, dispatched as the page's keys do) to the
next animation frame after the view shows it (the frame the user sees):

* overlap step: the grid's 150 cells, its members row and legend updated in place, and the year
  marks of the 10 small charts moved (HTML lines placed from the drawn axes: no plotly.js call);
* floor: a bare ``Plotly.react`` of the same members-by-year figure (10 small charts, the year
  marked) in the same page, to the next frame, as views12_perf.py measures the ranking;
* requests made while stepping (every request the page makes, not only Dash's, but the favicon
  Chromium re-reads from its cache on each pushState: must be 0), and
  the overlap document's requests on the page's first load of the map view (must be 0) and after
  the tab is opened (1).

Target (issue 13): overlap step ≤ 1.5 × the bare react; 0 requests per year. Figures go to
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from map_perf import ARGS, start_app

TIMED = """async (year) => {
  const app = window.Atlas.app;
  const done = () => { const t = document.querySelector('#overlap-grid .ov-table');
                       const gd = document.getElementById('overlap-counts');
                       return t && t.dataset.year === String(year) && gd.dataset.year === String(year); };
  const t0 = performance.now();
  app.dispatch({type: 'year', year: year, via: 'key'});
  while (!done()) { await new Promise(r => requestAnimationFrame(r)); }
  await new Promise(r => requestAnimationFrame(r));
  return performance.now() - t0;
}"""

# the same figure (10 small charts, the year marked), reacted from scratch into a box of the
# same size, to the next frame
BARE = """async (year) => {
  let el = document.getElementById('bench-counts');
  const src = document.getElementById('overlap-counts');
  if (!el) {
    el = document.createElement('div'); el.id = 'bench-counts';
    el.style.cssText = 'position:fixed;left:0;top:0;background:#fff;z-index:99;width:' + src.clientWidth +
      'px;height:' + src.clientHeight + 'px';
    document.body.appendChild(el);
  }
  const fig = window.Atlas.overlap.countsFigure(window.__doc, year, {fontSize: 12, columns: 1});
  const t0 = performance.now();
  Plotly.react(el, fig.data, fig.layout, {displayModeBar: false});
  await new Promise(res => requestAnimationFrame(res));
  return performance.now() - t0;
}"""

# every request but the favicon's: Chromium fetches it again (from its cache) on each pushState
REQUESTS = "() => performance.getEntriesByType('resource').filter(e => !e.name.includes('/_favicon')).length"
FAVICON = "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/_favicon')).length"
OVERLAP_DOCS = "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/overlap')).length"


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def line(label: str, times: list[float]) -> float:
    p50 = statistics.median(times)
    print(f"{label:44s} p50 {p50:6.1f} ms   p90 {pct(times, 0.9):6.1f} ms   n={len(times)}")
    return p50


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    n = args.runs
    proc, base = start_app()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            ctx = browser.new_context(viewport={"width": 1280, "height": 720})
            page = ctx.new_page()
            # the map first: the overlap document is no part of the first page
            page.goto(base + "/?layer=cis&year=1995")
            page.wait_for_selector("#map-poster", state="attached", timeout=45_000)
            page.wait_for_load_state("networkidle")
            on_load = page.evaluate(OVERLAP_DOCS)
            page.click("#tab-overlap")
            page.wait_for_selector("#overlap-counts .scatterlayer .trace", state="attached", timeout=45_000)
            page.wait_for_load_state("networkidle")
            after_tab = page.evaluate(OVERLAP_DOCS)
            years = [1996 + (i % 30) for i in range(n)]
            for y in (2000, 1995):  # warm-up (first relayout, first in-place update)
                page.evaluate(TIMED, y)
            before, fav = page.evaluate(REQUESTS), page.evaluate(FAVICON)
            steps = [page.evaluate(TIMED, y) for y in years]
            calls, favicons = page.evaluate(REQUESTS) - before, page.evaluate(FAVICON) - fav
            page.evaluate("async () => { window.__doc = await (await fetch('/api/v1/overlap')).json(); }")
            page.evaluate(BARE, 1995)  # warm-up
            bare = [page.evaluate(BARE, y) for y in years]
            ctx.close()
            browser.close()
        s = line("overlap year step (grid + 10 year marks)", steps)
        b = line("bare Plotly.react of the same counts figure", bare)
        ratio = s / b
        print(f"{'overlap step / bare react (p50)':44s} {ratio:.2f}   requests while stepping: {calls}")
        print(f"{'overlap document requests':44s} on the map's load: {on_load}, after the tab: {after_tab}")
        print(f"{'favicon entries while stepping':44s} {favicons} (the browser's, from its cache; not the view's)")
        ok = ratio <= 1.5 and calls == 0 and on_load == 0 and after_tab == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
