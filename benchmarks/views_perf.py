"""Time of the views that ask the server, in headless Chromium against gunicorn on loopback.

    python benchmarks/views_perf.py [--runs 15]

* country panel: from the action (a click on the map, here dispatched as the click handler does)
  to the panel's three graphs drawn for that country;
* layer switch: from choosing a layer to the map drawn with it and its legend shown;
* data tab, first open: from the click on the tab to the grid's first rows (a fresh page each run);
* region change: from choosing a region to the map drawn for it.

Targets (issue "One view state"): panel ≤ 150 ms p50, layer switch ≤ 120 ms p50, data tab
first open ≤ 400 ms p50; region change ≤ 150 ms p50 (issue "Every state visible").
Prints the figures and PASS/FAIL. Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from map_perf import ARGS, start_app

# resolves with the time (ms) from the action to the first animation frame in which `done` holds
TIMED = """async ([action, done, arg]) => {
  const check = new Function('arg', 'return (' + done + ')(arg)');
  const t0 = performance.now();
  action === 'tab-data' ? document.getElementById('tab-data').click() : window.Atlas.app.dispatch(action);
  return await new Promise(res => {
    const tick = () => check(arg) ? res(performance.now() - t0) : requestAnimationFrame(tick);
    tick();
  });
}"""

PANEL_DONE = """(name) => {
  const t = document.querySelector('#panel-title');
  if (!t || !t.textContent.startsWith(name)) return false;
  // each box drawn: a plot (the series of a numeric layer) or status strips
  return ['panel-series', 'panel-memberships', 'panel-regime'].every(id => {
    const box = document.getElementById(id);
    const gd = box && box.querySelector('.js-plotly-plot');
    return box && (box.querySelector('.strip-cell') || (gd && gd.querySelector('.main-svg')));
  });
}"""

LAYER_DONE = """(layer) => {
  const gd = document.querySelector('#map .js-plotly-plot');
  return gd && gd.layout.meta && gd.layout.meta.layer === layer[0] &&
    document.querySelector('.legend-title').textContent.startsWith(layer[1]);
}"""

GRID_DONE = "() => !!document.querySelector('#data-table tbody tr.tbl-row')"

REGION_DONE = """(r) => { const gd = document.querySelector('#map .js-plotly-plot');
  return gd && gd.layout.meta && gd.layout.meta.region === r; }"""


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def report(label: str, times: list[float], target: float) -> bool:
    p50 = statistics.median(times)
    print(f"{label:28s} p50 {p50:6.0f} ms   p90 {pct(times, 0.9):6.0f} ms   n={len(times)}   target ≤ {target:.0f} ms")
    return p50 <= target


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from dashboard.core.data import get_data

    data = get_data()
    proc, base = start_app()
    ok = True
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            ctx = browser.new_context(viewport={"width": 1400, "height": 950})
            page = ctx.new_page()
            page.goto(base + "/?layer=refugees_hosted&year=2009")
            page.wait_for_function("() => window.Atlas && window.Atlas.app.state()")
            page.mouse.move(5, 5)  # the first move loads plotly.js
            page.wait_for_selector("#map .choroplethlayer path")
            page.wait_for_load_state("networkidle")
            states = ["GEO", "ARM", "AZE", "UKR", "MDA", "KAZ", "BLR", "RUS", "TJK", "LVA", "UZB", "KGZ",
                      "TKM", "EST", "LTU"]
            panel: list[float] = []
            for i in range(args.runs + 1):
                iso = states[i % len(states)]
                t = page.evaluate(TIMED, [{"type": "country", "iso3": iso}, PANEL_DONE, data.names_en[iso]])
                if i:
                    panel.append(t)
            page.evaluate("() => window.Atlas.app.dispatch({type: 'country', iso3: null})")
            layers = ["cis", "csto", "fh_status", "vdem_row", "eurasian", "net_migration_rate", "polity2",
                      "refugees_hosted", "idps", "eu", "nato", "guam"]
            switch: list[float] = []
            for i in range(args.runs + 1):
                lid = layers[i % len(layers)]
                if lid == page.evaluate("() => window.Atlas.app.state().layer"):
                    continue
                label = data.indicators[lid]["label"]
                t = page.evaluate(TIMED, [{"type": "layer", "layer": lid}, LAYER_DONE, [lid, label]])
                if i:
                    switch.append(t)
            regions: list[float] = []
            for i in range(args.runs + 1):
                rid = ["caucasus", "west", "central_asia", "all"][i % 4]
                t = page.evaluate(TIMED, [{"type": "region", "region": rid}, REGION_DONE, rid])
                if i:
                    regions.append(t)
            ctx.close()
            first_open: list[float] = []
            for i in range(max(5, args.runs // 2) + 1):
                ctx = browser.new_context(viewport={"width": 1400, "height": 950})
                page = ctx.new_page()
                page.goto(base + "/?layer=cis&year=2000")
                page.wait_for_function("() => window.Atlas && window.Atlas.app.state()")
                page.mouse.move(5, 5)  # the first move loads plotly.js
                page.wait_for_selector("#map .choroplethlayer path")
                page.wait_for_load_state("networkidle")
                t = page.evaluate(TIMED, ["tab-data", GRID_DONE, None])
                if i:
                    first_open.append(t)
                ctx.close()
            ok &= report("country panel (click→drawn)", panel, 150)
            ok &= report("layer switch", switch, 120)
            ok &= report("data tab, first open", first_open, 400)
            ok &= report("region change", regions, 150)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
