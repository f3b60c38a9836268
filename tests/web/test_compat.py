"""What leans on Dash internals (dashboard/web/compat.py, assets/atlas/firstpaint.js): each fails
loudly here when a Dash upgrade changes what it relies on."""

from __future__ import annotations

from pathlib import Path

import dash

from dashboard.web import compat


def test_polyfill_and_table_bundles_are_found() -> None:
    compat.lighter_page()
    polyfills, table = compat.lighter_page()  # the second call finds them gone: still a list to edit
    assert polyfills == 0
    assert table, "dash_table no longer lists dash_table/bundle.js in _js_dist"
    from dash import _dash_renderer

    files = [f for dep in _dash_renderer._js_dist_dependencies
             for paths in (dep.get("relative_package_path") or {}).values() for f in paths]
    assert files and not any("polyfill@" in f for f in files)


def test_the_page_leaves_them_out() -> None:
    from app import server

    page = server.test_client().get("/").get_data(as_text=True)
    assert "polyfill@" not in page and "dash_table/bundle" not in page


def test_dash_renderer_still_sets_the_plotly_address_that_firstpaint_pins() -> None:
    # dash-renderer writes window._dashPlotlyJSURL (the plotly.js dcc.Graph loads); firstpaint.js
    # keeps it on the geo-only bundle with a defineProperty
    renderer = Path(dash.__file__).parent / "dash-renderer" / "build"
    bundles = list(renderer.glob("dash_renderer*.js"))
    assert bundles, f"no dash-renderer bundle under {renderer}"
    assert any("_dashPlotlyJSURL" in b.read_text(encoding="utf-8", errors="replace") for b in bundles)
    assert "_dashPlotlyJSURL" in (Path(__file__).resolve().parents[2] / "assets/atlas/firstpaint.js").read_text()


def test_hooks_exist() -> None:
    assert callable(dash.hooks.index) and callable(dash.hooks.layout)
