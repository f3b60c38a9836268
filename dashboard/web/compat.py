"""What must lean on Dash's internals, in one place (recheck on every Dash upgrade:
tests/web/test_compat.py fails loudly when one of these stops holding).

* ``lighter_page``: @babel/polyfill (≈100 kB of core-js; the one global Dash's components use
  from it, regeneratorRuntime, comes from assets/vendor/regenerator-runtime.js) and dash_table's
  bundle (no DataTable here) are left out of the page: entries of ``dash._dash_renderer`` and
  ``dash.dash_table`` resource lists.
* the browser side: dash-renderer overwrites ``window._dashPlotlyJSURL`` (the plotly.js that
  dcc.Graph loads); assets/atlas/firstpaint.js pins it to the geo-only bundle.
"""

from __future__ import annotations


def lighter_page() -> tuple[int, bool]:
    """Returns (how many polyfill entries were dropped or were already gone, whether dash_table's
    bundle was found)."""
    from dash import _dash_renderer, dash_table

    polyfills = 0
    for dep in _dash_renderer._js_dist_dependencies:
        for key in ("external_url", "relative_package_path"):
            paths = dep.get(key)
            if isinstance(paths, dict):
                for mode, files in paths.items():
                    kept = [f for f in files if "polyfill@" not in f]
                    polyfills += len(files) - len(kept)
                    paths[mode] = kept
    table = False
    for res in dash_table._js_dist:
        if res.get("relative_package_path") == "dash_table/bundle.js":
            res["dynamic"] = True
            table = True
    return polyfills, table
